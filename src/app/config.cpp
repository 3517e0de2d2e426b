#include "app/config.h"

#include <fstream>
#include <stdexcept>

#include "util/strings.h"

namespace cg {
namespace {
int toInt(const std::string& name, const std::string& v, int min, int max) {
  try {
    size_t pos = 0;
    long n = std::stol(trim(v), &pos);
    if (pos != trim(v).size() || n < min || n > max) throw std::invalid_argument("range");
    return static_cast<int>(n);
  } catch (const std::exception&) {
    throw std::invalid_argument(name + " must be an integer between " + std::to_string(min) + " and " +
                                std::to_string(max) + " (got '" + v + "')");
  }
}
bool toBool(const std::string& name, const std::string& v) {
  std::string l = toLower(trim(v));
  if (l == "1" || l == "true" || l == "yes" || l == "on") return true;
  if (l == "0" || l == "false" || l == "no" || l == "off" || l.empty()) return false;
  throw std::invalid_argument(name + " must be true or false (got '" + v + "')");
}
}  // namespace

std::map<std::string, std::string> readDotEnv(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (startsWith(t, "export ")) t = trim(t.substr(7));
    auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string k = trim(t.substr(0, eq)), v = trim(t.substr(eq + 1));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
    out[toLower(k)] = v;
  }
  return out;
}

Config configFromEnvironment(char** envp) {
  std::map<std::string, std::string> env = readDotEnv(".env");
  for (char** e = envp; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[toLower(kv.substr(0, eq))] = kv.substr(eq + 1);
  }
  auto get = [&](const char* name, std::string& out) {
    auto it = env.find(toLower(name));
    if (it == env.end()) return false;
    out = it->second;
    return true;
  };
  Config c;
  std::string v;
  if (get("APP__HOST", v) && !trim(v).empty()) c.host = trim(v);
  if (get("APP__PORT", v)) c.port = static_cast<uint16_t>(toInt("APP__PORT", v, 0, 65535));
  if (get("APP__API_BASE_URL", v) && !trim(v).empty()) c.apiBaseUrl = trim(v);
  if (get("APP__IO_THREADS", v)) c.ioThreads = toInt("APP__IO_THREADS", v, 0, 256);
  if (get("APP__WORKERS", v)) c.workers = toInt("APP__WORKERS", v, 0, 256);
  if (get("APP__API_KEYS", v))
    for (auto& k : split(v, ',', true))
      if (!trim(k).empty()) c.apiKeys.push_back(trim(k));
  if (get("APP__MAX_BODY_BYTES", v)) c.maxBodyBytes = static_cast<uint64_t>(toInt("APP__MAX_BODY_BYTES", v, 1024, 2147483647));
  if (get("APP__HEADER_TIMEOUT", v)) c.headerTimeoutSeconds = toInt("APP__HEADER_TIMEOUT", v, 1, 3600);
  if (get("APP__BODY_TIMEOUT", v)) c.bodyTimeoutSeconds = toInt("APP__BODY_TIMEOUT", v, 1, 86400);
  if (get("APP__TIMEOUT_KEEP_ALIVE", v)) c.keepAliveSeconds = toInt("APP__TIMEOUT_KEEP_ALIVE", v, 1, 3600);
  if (get("APP__TIMEOUT_GRACEFUL_SHUTDOWN", v))
    c.gracefulShutdownSeconds = toInt("APP__TIMEOUT_GRACEFUL_SHUTDOWN", v, 0, 3600);
  if (get("APP__SWAGGER_UI_DIR", v)) c.swaggerUiDir = trim(v);
  if (get("APP__TITLE", v) && !trim(v).empty()) c.title = trim(v);
  if (get("DOCUMENTATION__MAX_UPLOAD_BYTES", v))
    c.maxUploadBytes = static_cast<uint64_t>(toInt("DOCUMENTATION__MAX_UPLOAD_BYTES", v, 1, 2147483647));
  if (get("DOCUMENTATION__MAX_TEXT_BYTES", v))
    c.maxExtractedTextBytes = static_cast<uint64_t>(toInt("DOCUMENTATION__MAX_TEXT_BYTES", v, 1024, 2147483647));
  if (get("SCRAPE_AND_PROCESS__CHUNK_LENGTH", v)) c.chunkTokens = toInt("SCRAPE_AND_PROCESS__CHUNK_LENGTH", v, 100, 1000000);
  if (get("LOGGING__LEVEL", v)) c.logLevel = trim(v);
  if (get("LOGGING__ACCESS_LOG", v)) c.accessLog = toBool("LOGGING__ACCESS_LOG", v);
  if (get("DATABASE__URL", v)) c.databaseUrl = trim(v);
  if (get("DATABASE__POOL_SIZE", v)) c.databasePoolSize = toInt("DATABASE__POOL_SIZE", v, 1, 1000);
  if (get("JOBS__LEASE_SECONDS", v)) c.jobLeaseSeconds = toInt("JOBS__LEASE_SECONDS", v, 1, 86400);
  if (get("JOBS__MAX_ATTEMPTS", v)) c.jobMaxAttempts = toInt("JOBS__MAX_ATTEMPTS", v, 1, 100);
  if (get("JOBS__POLL_MILLISECONDS", v)) c.jobPollMilliseconds = toInt("JOBS__POLL_MILLISECONDS", v, 5, 60000);
  // The reference builds a PostgreSQL URL from parts when DATABASE__URL is empty and a host is set.
  if (c.databaseUrl.empty() && get("DATABASE__HOST", v) && !trim(v).empty()) {
    std::string host = trim(v), port = "5432", name, user, password;
    get("DATABASE__PORT", port);
    get("DATABASE__NAME", name);
    get("DATABASE__USER", user);
    get("DATABASE__PASSWORD", password);
    auto enc = [](const std::string& s) {
      std::string o;
      for (unsigned char ch : s) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~')
          o.push_back(static_cast<char>(ch));
        else {
          char buf[4];
          std::snprintf(buf, sizeof buf, "%%%02X", ch);
          o += buf;
        }
      }
      return o;
    };
    c.databaseUrl = "postgresql://" + enc(user) + (password.empty() ? "" : ":" + enc(password)) + "@" + host + ":" +
                    trim(port) + "/" + enc(name);
  }
  return c;
}
}  // namespace cg
