#include "util/uuid.h"

#include <uuid/uuid.h>

#include <cctype>

namespace cg {
std::string newUuid() {
  uuid_t raw;
  uuid_generate_random(raw);
  char out[37];
  uuid_unparse_lower(raw, out);
  return std::string(out, 36);
}

std::optional<std::string> parseUuid(std::string_view text) {
  if (text.size() > 9 && (text.substr(0, 9) == "urn:uuid:" || text.substr(0, 9) == "URN:UUID:")) text.remove_prefix(9);
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') text = text.substr(1, text.size() - 2);
  std::string hex;
  hex.reserve(32);
  if (text.size() == 36) {
    for (size_t i = 0; i < 36; ++i) {
      char c = text[i];
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') return std::nullopt;
        continue;
      }
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  } else if (text.size() == 32) {
    for (char c : text) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  } else {
    return std::nullopt;
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}
}  // namespace cg
