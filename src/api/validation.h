// Request validation helpers that raise the contract's 422 E2 errors (list-shaped detail with
// type/loc/msg/input), the way the reference's framework reports them.
#pragma once
#include <optional>
#include <string>

#include "http/message.h"
#include "util/json.h"

namespace cg::api {
// Canonical UUID of a path parameter, or 422 {"type":"uuid_parsing","loc":["path",name],…}.
std::string uuidParam(const http::Request& req, const std::string& name);
// Optional UUID query parameter (e.g. jobId).
std::optional<std::string> uuidQuery(const http::Request& req, const std::string& name);
// Boolean query parameter with the framework's accepted spellings; 422 bool_parsing otherwise.
bool boolQuery(const http::Request& req, const std::string& name, bool defaultValue);
// Parses a JSON request body: missing → 422 missing, malformed → 422 json_invalid.
OrderedJson jsonBody(const http::Request& req);
// Requires `body[field]` to be an object → 422 dict_type / missing.
const OrderedJson& objectField(const OrderedJson& body, const std::string& field);
}  // namespace cg::api
