// Structural view of the schemas of one OpenAPI 2.0 / 3.0 / 3.1 document.
// Resolves local `$ref`s (JSON pointers, "#/..."), follows ref chains cycle-safely with a depth
// cap, merges `allOf`, unions object `oneOf`/`anyOf` variants, reads `discriminator`, and turns
// each property into a PropertyShape (type/format/flags/array-ness/referenced schema name).
// Pure: reads the document, never throws on malformed input; problems go to `diagnostics`.
// Named schemas are flattened once and memoized, so cost is linear in the document size.
#pragma once
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"
#include "util/json.h"

namespace cg::digest::openapi {

struct PropertyShape {
  std::string name;
  std::string type;     // string|integer|number|boolean|object|"" (unknown); for refs see refName
  std::string format;
  std::string description;
  std::string refName;  // named schema this property (or its array items) refers to, if an object
  bool array = false;
  bool readOnly = false;
  bool writeOnly = false;
  bool required = false;
  bool nullable = false;
  bool deprecated = false;
  std::string pointer;  // JSON pointer of the property definition
};

struct SchemaShape {
  bool isObject = false;  // has properties / additionalProperties / type object
  bool isArray = false;
  std::string itemsRef;   // array of a named schema
  const OrderedJson* items = nullptr;  // array items schema as written (may be a $ref), if any
  std::string primitiveType;  // for non-object, non-array schemas
  std::string format;
  std::string description;
  std::string title;
  std::vector<PropertyShape> properties;  // declaration order, allOf parts in order
  std::vector<std::string> parents;       // named allOf parts
  std::vector<std::string> variants;      // named oneOf/anyOf alternatives
  std::string discriminator;              // discriminator property name
  bool cyclic = false;                    // a ref cycle was cut while flattening
  const PropertyShape* find(std::string_view name) const;
};

class SchemaResolver {
 public:
  SchemaResolver(const OrderedJson& root, std::string docId, std::vector<Diagnostic>& diagnostics);

  const OrderedJson& root() const { return root_; }
  bool isSwagger2() const { return swagger2_; }
  // "#/definitions/" (2.0) or "#/components/schemas/" (3.x).
  const std::string& schemaRefPrefix() const { return schemaPrefix_; }
  // The named schemas of the document in declaration order (empty when absent or malformed).
  const OrderedJson* namedSchemas() const { return schemas_; }

  // Resolves a local JSON pointer ("#/a/b" or "/a/b"); nullptr when it does not resolve.
  const OrderedJson* resolvePointer(std::string_view ref) const;
  // Follows `$ref` chains (max 32 hops). `refName` receives the last named schema on the way
  // (a name under schemaRefPrefix), `pointer` the final JSON pointer. Returns nullptr on failure.
  const OrderedJson* deref(const OrderedJson& node, std::string* refName = nullptr, std::string* pointer = nullptr) const;

  // Flattened shape of a schema node found at `pointer` (used for evidence and memo keys).
  // Memoized by `pointer`, which must be the node's real location in the document.
  const SchemaShape& shape(const OrderedJson& node, const std::string& pointer);
  // Flattened shape of a named schema (memoized; the reference stays valid for the resolver's
  // lifetime); an empty shape when unknown.
  const SchemaShape& namedShape(const std::string& name);
  // True when the named schema is object-like (properties, allOf of objects, additionalProperties).
  bool isObjectSchema(const std::string& name);

  bool budgetExceeded() const { return budget_ <= 0; }

 private:
  SchemaShape flatten(const OrderedJson& node, const std::string& pointer, int depth);
  // Memoized flatten keyed by JSON pointer; cuts cycles (returns a marked empty object shape).
  const SchemaShape& flattenAt(const OrderedJson& node, const std::string& pointer, int depth);
  PropertyShape propertyOf(const std::string& name, const OrderedJson& node, const std::string& pointer, int depth);
  void mergeInto(SchemaShape& target, const SchemaShape& part, bool keepRequired);
  void diag(Diagnostic::Severity s, std::string location, std::string message);

  const OrderedJson& root_;
  std::string docId_;
  std::vector<Diagnostic>& diagnostics_;
  bool swagger2_ = false;
  std::string schemaPrefix_;
  const OrderedJson* schemas_ = nullptr;
  std::map<std::string, SchemaShape> memo_;  // by final JSON pointer of named/ref'd schemas
  std::set<std::string> inProgress_;
  std::deque<SchemaShape> scratch_;  // shapes cut by a cycle: not memoized, kept alive here
  std::set<std::string> reported_;
  long budget_ = 2'000'000;
};

// JSON pointer escaping of one reference token ("~" → "~0", "/" → "~1").
std::string escapePointerToken(std::string_view token);

}  // namespace cg::digest::openapi
