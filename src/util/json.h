// JSON value types used across connector-gen (nlohmann-json). `Json` for general values,
// `OrderedJson` where the key order of a document matters (OpenAPI specs, API responses).
#pragma once
#include <nlohmann/json.hpp>

namespace cg {
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Serializes compactly; invalid UTF-8 in strings is replaced instead of throwing.
std::string dumpJson(const Json& value);
std::string dumpJson(const OrderedJson& value);
}  // namespace cg
