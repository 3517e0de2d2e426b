#include "util/json_bounded.h"

#include <cctype>

namespace cg {
namespace {
size_t contentStart(std::string_view text) {
  size_t i = 0;
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF) {
    i = 3;
  }
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}
}  // namespace

bool looksLikeJson(std::string_view text) {
  size_t i = contentStart(text);
  return i < text.size() && (text[i] == '{' || text[i] == '[');
}

std::optional<OrderedJson> parseJsonBounded(std::string_view text, size_t maxDepth, std::string* error) {
  size_t start = contentStart(text);
  text = text.substr(start);
  // Depth pre-scan outside strings.
  size_t depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '"') inString = true;
    else if (c == '{' || c == '[') {
      if (++depth > maxDepth) {
        if (error) *error = "JSON nests deeper than " + std::to_string(maxDepth) + " levels";
        return std::nullopt;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  OrderedJson value;
  try {
    value = OrderedJson::parse(text, nullptr, false, false);
  } catch (const std::exception&) {
    value = OrderedJson(OrderedJson::value_t::discarded);
  }
  if (value.is_discarded()) {
    if (error) *error = "not valid JSON";
    return std::nullopt;
  }
  return value;
}

}  // namespace cg
