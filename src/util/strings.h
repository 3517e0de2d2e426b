// Small string helpers shared by every module.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cg {
std::string toLower(std::string_view s);
std::string toUpperAscii(std::string_view s);
std::string trim(std::string_view s);
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);
bool iequals(std::string_view a, std::string_view b);
// Splits on `sep`; empty pieces are kept unless `skipEmpty`.
std::vector<std::string> split(std::string_view s, char sep, bool skipEmpty = false);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Replaces invalid UTF-8 sequences with U+FFFD.
std::string sanitizeUtf8(std::string_view s);
bool isValidUtf8(std::string_view s);
// Lowercase hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view data);
// Compares in time independent of where the first difference is.
bool constantTimeEquals(std::string_view a, std::string_view b);
}  // namespace cg
