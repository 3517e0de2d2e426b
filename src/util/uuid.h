// UUID helpers. Identifiers in the API are lowercase hyphenated UUIDs (contract A.2).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace cg {
// A new random (version 4) UUID, lowercase and hyphenated.
std::string newUuid();
// Parses the forms a UUID path parameter may take (hyphenated, 32 hex digits, `{…}`,
// `urn:uuid:` prefix; any case) and returns the canonical lowercase hyphenated form.
std::optional<std::string> parseUuid(std::string_view text);
}  // namespace cg
