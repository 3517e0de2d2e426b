#include "util/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "util/strings.h"
#include "util/time.h"

namespace cg::log {
namespace {
std::atomic<int> gLevel{static_cast<int>(Level::info)};
std::mutex gMutex;
const char* levelName(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warning: return "warning";
    case Level::error: return "error";
    case Level::critical: return "critical";
    default: return "off";
  }
}
}  // namespace

void setLevel(Level level) { gLevel = static_cast<int>(level); }
Level parseLevel(std::string_view name) {
  std::string n = toLower(trim(name));
  if (n == "debug" || n == "trace") return Level::debug;
  if (n == "warning" || n == "warn") return Level::warning;
  if (n == "error") return Level::error;
  if (n == "critical") return Level::critical;
  if (n == "off" || n == "none") return Level::off;
  return Level::info;
}
bool enabled(Level level) { return static_cast<int>(level) >= gLevel.load(std::memory_order_relaxed); }

void write(Level level, std::string_view msg, const Json& fields) {
  if (!enabled(level)) return;
  Json line = {{"time", formatTimestamp(nowMicros())}, {"level", levelName(level)}, {"msg", msg}};
  if (fields.is_object())
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  std::string text = dumpJson(line);
  text.push_back('\n');
  std::lock_guard lock(gMutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}
}  // namespace cg::log
