// Pure helpers for structured LLM output: a small JSON-Schema validator (the subset our prompts use)
// and extraction of a JSON value from a free-text reply.
//
// Contract:
//  - validateAgainstSchema supports: type (a name or a list of names: object, array, string, number,
//    integer, boolean, null), properties, required, items, enum, additionalProperties (false or a
//    schema), minItems, maxItems. Unknown keywords are ignored. It returns human-readable errors
//    with JSON-pointer locations ("/endpoints/0/method: value \"FETCH\" not in enum [...]"),
//    at most `maxErrors` of them; an empty vector means valid. Never throws; depth-bounded.
//  - extractJsonValue finds, in order: the whole text as JSON; the first ```json (or plain ```)
//    fenced block that parses; the first balanced {...} or [...] value that parses. Returns nullopt
//    when none does. Never throws.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace cg::llm {

std::vector<std::string> validateAgainstSchema(const OrderedJson& schema, const OrderedJson& value,
                                               std::size_t maxErrors = 20);

std::optional<OrderedJson> extractJsonValue(std::string_view text);

}  // namespace cg::llm
