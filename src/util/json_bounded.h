// Parsing untrusted JSON text with a nesting-depth limit, so hostile input ("[[[[…") cannot exhaust
// the stack or memory before a digester sees it. Pure; never throws.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"

namespace cg {

// Skips a UTF-8 BOM and leading whitespace; returns nullopt (and the reason in *error when given)
// when the text is not JSON or nests arrays/objects deeper than maxDepth.
std::optional<OrderedJson> parseJsonBounded(std::string_view text, size_t maxDepth = 256, std::string* error = nullptr);

// True when the first non-blank character (after a BOM) is '{' or '['.
bool looksLikeJson(std::string_view text);

}  // namespace cg
