#include "codegen/groovy_checker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "util/strings.h"

namespace cg::codegen {
namespace fs = std::filesystem;

struct GroovyChecker::Process {
  pid_t pid = -1;
  int toChild = -1;
  int fromChild = -1;
  std::string buffer;
};

namespace {

bool isExecutable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

std::string findOnPath(const std::string& program) {
  if (program.find('/') != std::string::npos) return isExecutable(program) ? program : "";
  const char* path = std::getenv("PATH");
  for (const auto& dir : split(path ? path : "/usr/bin:/bin", ':', true)) {
    std::string candidate = dir + "/" + program;
    if (isExecutable(candidate)) return candidate;
  }
  return "";
}

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

GroovyChecker::GroovyChecker(GroovyCheckerOptions options) : options_(std::move(options)) {}

GroovyChecker::~GroovyChecker() {
  std::lock_guard lock(mutex_);
  stop();
}

int GroovyChecker::starts() const {
  std::lock_guard lock(mutex_);
  return starts_;
}

std::string GroovyChecker::resolveSetup(std::vector<std::string>& argv) {
  std::string java = findOnPath(options_.javaPath);
  if (java.empty()) return "java not found (" + options_.javaPath + ")";
  std::string jar = options_.groovyJar;
  if (jar.empty()) {
    const char* env = std::getenv("CG_GROOVY_JAR");
    jar = env && *env ? env
                      : std::string(CG_SOURCE_DIR) +
                            "/third_party/npm/node_modules/npm-groovy-lint/lib/java/groovy/lib/groovy-4.0.26.jar";
  }
  std::error_code ec;
  if (!fs::is_regular_file(jar, ec)) return "Groovy jar not found at " + jar + " (run scripts/install-deps.sh)";
  fs::path jarPath(jar);
  std::string fileName = jarPath.filename().string();
  std::string jsonJar = (jarPath.parent_path() / ("groovy-json-" + fileName.substr(std::min<size_t>(7, fileName.size())))).string();
  if (!startsWith(fileName, "groovy-") || !fs::is_regular_file(jsonJar, ec))
    return "groovy-json jar not found next to " + jar;
  std::string script = options_.checkerScript.empty() ? std::string(CG_SOURCE_DIR) + "/tools/groovy/GroovyCheck.groovy"
                                                      : options_.checkerScript;
  if (!fs::is_regular_file(script, ec)) return "checker script not found at " + script;
  // Groovy's parser drops its ANTLR DFA cache every 64 parses by default (bounding memory for one-off
  // compiles); a long-lived checker parsing hundreds of similar scripts is 2-3x faster keeping it longer.
  argv = {java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
          "-Dgroovy.antlr4.cache.threshold=10000", "-cp", jar + ":" + jsonJar, "groovy.ui.GroovyMain", script};
  return "";
}

std::string GroovyChecker::unavailableReason() {
  std::lock_guard lock(mutex_);
  if (!permanentFailure_.empty()) return permanentFailure_;
  std::vector<std::string> argv;
  return resolveSetup(argv);
}

std::string GroovyChecker::groovyVersion() {
  std::lock_guard lock(mutex_);
  return version_;
}

void GroovyChecker::stop() {
  if (!process_) return;
  if (process_->toChild >= 0) ::close(process_->toChild);
  if (process_->fromChild >= 0) ::close(process_->fromChild);
  if (process_->pid > 0) {
    // Closing stdin ends the checker's loop; give it a moment, then kill our own child.
    for (int i = 0; i < 20; ++i) {
      int status = 0;
      if (::waitpid(process_->pid, &status, WNOHANG) == process_->pid) {
        process_.reset();
        return;
      }
      ::usleep(5000);
    }
    ::kill(process_->pid, SIGKILL);
    int status = 0;
    ::waitpid(process_->pid, &status, 0);
  }
  process_.reset();
}

bool GroovyChecker::ensureStarted(std::string& reason) {
  if (process_) return true;
  if (!permanentFailure_.empty()) {
    reason = permanentFailure_;
    return false;
  }
  std::vector<std::string> argv;
  if (std::string why = resolveSetup(argv); !why.empty()) {
    permanentFailure_ = why;
    reason = why;
    return false;
  }
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) {
    reason = std::string("pipe failed: ") + std::strerror(errno);
    return false;
  }
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    reason = std::string("pipe failed: ") + std::strerror(errno);
    return false;
  }
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, 2);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  if (pid < 0) {
    ::close(in[1]);
    ::close(out[0]);
    reason = std::string("fork failed: ") + std::strerror(errno);
    return false;
  }
  ::signal(SIGPIPE, SIG_IGN);
  process_ = std::make_unique<Process>();
  process_->pid = pid;
  process_->toChild = in[1];
  process_->fromChild = out[0];
  ++starts_;
  std::string error;
  auto ready = exchange("", options_.startupTimeout, error);
  if (!ready) {
    stop();
    permanentFailure_ = "the Groovy checker JVM did not start (" + error + ")";
    reason = permanentFailure_;
    return false;
  }
  try {
    Json j = Json::parse(*ready);
    version_ = j.value("groovy", "");
  } catch (...) {
  }
  return true;
}

// Sends `line` (when not empty) and reads one response line.
std::optional<std::string> GroovyChecker::exchange(const std::string& line, std::chrono::milliseconds timeout,
                                                   std::string& error) {
  if (!line.empty() && !writeAll(process_->toChild, line + "\n")) {
    error = "write to checker failed";
    return std::nullopt;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string& buf = process_->buffer;
  while (true) {
    if (auto nl = buf.find('\n'); nl != std::string::npos) {
      std::string result = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      return result;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      error = "timeout after " + std::to_string(timeout.count()) + " ms";
      return std::nullopt;
    }
    pollfd p{process_->fromChild, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char chunk[65536];
    ssize_t n = ::read(process_->fromChild, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "checker process exited";
      return std::nullopt;
    }
    buf.append(chunk, static_cast<size_t>(n));
  }
}

namespace {

// Fills `result` from one checker answer object ({ok, errors, warnings, tree}).
void readAnswer(const Json& j, GroovyCheckResult& result) {
  auto issues = [](const Json& arr, std::vector<ScriptIssue>& into) {
    if (!arr.is_array()) return;
    for (const auto& e : arr) {
      if (!e.is_object()) continue;
      into.push_back({e.value("line", 0), e.value("column", 0), trim(e.value("message", std::string()))});
    }
  };
  if (!j.is_object()) throw std::runtime_error("answer is not an object");
  if (j.contains("errors")) issues(j["errors"], result.errors);
  if (j.contains("warnings")) issues(j["warnings"], result.warnings);
  if (j.contains("tree") && j["tree"].is_array()) result.tree = j["tree"];
  result.status = j.value("ok", false) ? GroovyCheckResult::Status::Compiled : GroovyCheckResult::Status::Failed;
}

constexpr size_t kBatchChunk = 256;

}  // namespace

GroovyCheckResult GroovyChecker::check(std::string_view name, std::string_view source) {
  std::lock_guard lock(mutex_);
  return checkLocked(name, source);
}

GroovyCheckResult GroovyChecker::checkLocked(std::string_view name, std::string_view source) {
  GroovyCheckResult result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string reason;
    if (!ensureStarted(reason)) {
      result.skippedReason = "Groovy compilation skipped: " + reason;
      return result;
    }
    long id = nextId_++;
    Json request = {{"id", id}, {"name", std::string(name)}, {"source", sanitizeUtf8(source)}};
    std::string error;
    auto answer = exchange(request.dump(), options_.perScriptTimeout, error);
    if (!answer) {
      stop();  // crashed or hung: restart on the next attempt/request
      if (error.rfind("timeout", 0) == 0) {
        result.status = GroovyCheckResult::Status::Failed;
        result.errors.push_back({0, 0, "Groovy compilation " + error});
        return result;
      }
      continue;
    }
    try {
      readAnswer(Json::parse(*answer), result);
    } catch (const std::exception& ex) {
      result = GroovyCheckResult{};
      result.status = GroovyCheckResult::Status::Failed;
      result.errors.push_back({0, 0, std::string("unreadable checker answer: ") + ex.what()});
    }
    return result;
  }
  result.skippedReason = "Groovy compilation skipped: the checker process keeps exiting";
  return result;
}

// One batch request for [begin, end); nullopt when the batch could not be answered (caller falls back).
std::optional<std::vector<GroovyCheckResult>> GroovyChecker::checkChunkLocked(
    const std::vector<std::pair<std::string, std::string>>& nameAndSource, size_t begin, size_t end) {
  Json batch = Json::array();
  for (size_t i = begin; i < end; ++i)
    batch.push_back({{"name", nameAndSource[i].first}, {"source", sanitizeUtf8(nameAndSource[i].second)}});
  const size_t count = end - begin;
  // A hung batch must not wait count × perScriptTimeout; a healthy one needs milliseconds per script.
  auto timeout = options_.perScriptTimeout + std::chrono::milliseconds(250) * static_cast<long>(count);
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string reason;
    if (!ensureStarted(reason)) {
      std::vector<GroovyCheckResult> skipped(count);
      for (auto& r : skipped) r.skippedReason = "Groovy compilation skipped: " + reason;
      return skipped;
    }
    Json request = {{"id", nextId_++}, {"batch", batch}};
    std::string error;
    auto answer = exchange(request.dump(), timeout, error);
    if (!answer) {
      stop();
      if (error.rfind("timeout", 0) == 0) return std::nullopt;
      continue;
    }
    try {
      Json j = Json::parse(*answer);
      if (!j.contains("results") || !j["results"].is_array() || j["results"].size() != count) return std::nullopt;
      std::vector<GroovyCheckResult> results(count);
      for (size_t i = 0; i < count; ++i) readAnswer(j["results"][i], results[i]);
      return results;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::vector<GroovyCheckResult> GroovyChecker::checkMany(
    const std::vector<std::pair<std::string, std::string>>& nameAndSource) {
  std::lock_guard lock(mutex_);
  std::vector<GroovyCheckResult> results;
  results.reserve(nameAndSource.size());
  for (size_t begin = 0; begin < nameAndSource.size(); begin += kBatchChunk) {
    size_t end = std::min(nameAndSource.size(), begin + kBatchChunk);
    if (auto chunk = checkChunkLocked(nameAndSource, begin, end)) {
      for (auto& r : *chunk) results.push_back(std::move(r));
      continue;
    }
    for (size_t i = begin; i < end; ++i) results.push_back(checkLocked(nameAndSource[i].first, nameAndSource[i].second));
  }
  return results;
}

}  // namespace cg::codegen
