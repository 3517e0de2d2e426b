// Time helpers. Stored times are microseconds since the Unix epoch (UTC); the API renders
// them as RFC 3339 UTC strings ending in `Z` (e.g. 2026-06-01T10:15:30.123456Z).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cg {
int64_t nowMicros();
// RFC 3339 UTC with `Z`; the fraction is printed (6 digits) only when non-zero.
std::string formatTimestamp(int64_t micros);
// Parses RFC 3339 / ISO 8601 date-times: `Z`, `+hh:mm` offsets, or none (treated as UTC);
// fractions of any length. Returns nullopt for anything else.
std::optional<int64_t> parseTimestamp(std::string_view text);
}  // namespace cg
