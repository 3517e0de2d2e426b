// Structured logging: one JSON object per line on stderr. Fields are given as a JSON object;
// `level`, `time` and `msg` are added. The level threshold comes from LOGGING__LEVEL.
#pragma once
#include <string_view>

#include "util/json.h"

namespace cg::log {
enum class Level { debug = 0, info = 1, warning = 2, error = 3, critical = 4, off = 5 };
void setLevel(Level level);
// Parses debug|info|warning|warn|error|critical|off (case-insensitive); unknown → info.
Level parseLevel(std::string_view name);
bool enabled(Level level);
void write(Level level, std::string_view msg, const Json& fields = Json::object());
inline void debug(std::string_view m, const Json& f = Json::object()) { write(Level::debug, m, f); }
inline void info(std::string_view m, const Json& f = Json::object()) { write(Level::info, m, f); }
inline void warn(std::string_view m, const Json& f = Json::object()) { write(Level::warning, m, f); }
inline void error(std::string_view m, const Json& f = Json::object()) { write(Level::error, m, f); }
}  // namespace cg::log
