#include "digest/openapi/schema_resolver.h"

#include <algorithm>
#include <cctype>

#include "util/strings.h"

namespace cg::digest::openapi {
namespace {

constexpr int kMaxDepth = 48;
constexpr int kMaxRefHops = 32;

std::string unescapeToken(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out.push_back(token[i + 1] == '0' ? '~' : '/');
      ++i;
    } else if (token[i] == '%' && i + 2 < token.size() && std::isxdigit(static_cast<unsigned char>(token[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(token[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(token.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(token[i]);
    }
  }
  return out;
}

std::string stringField(const OrderedJson& node, const char* key) {
  if (!node.is_object()) return "";
  auto it = node.find(key);
  if (it == node.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

bool boolField(const OrderedJson& node, const char* key) {
  if (!node.is_object()) return false;
  auto it = node.find(key);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

// The "type" keyword: a string, or (3.1) an array that may contain "null".
std::string typeOf(const OrderedJson& node, bool* nullable) {
  if (!node.is_object()) return "";
  auto it = node.find("type");
  if (it == node.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    std::string first;
    for (const auto& t : *it) {
      if (!t.is_string()) continue;
      if (t.get<std::string>() == "null") {
        if (nullable) *nullable = true;
      } else if (first.empty()) {
        first = t.get<std::string>();
      }
    }
    return first;
  }
  return "";
}

bool isPrimitiveType(const std::string& t) {
  return t == "string" || t == "integer" || t == "number" || t == "boolean";
}

}  // namespace

std::string escapePointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

const PropertyShape* SchemaShape::find(std::string_view name) const {
  for (const auto& p : properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

SchemaResolver::SchemaResolver(const OrderedJson& root, std::string docId, std::vector<Diagnostic>& diagnostics)
    : root_(root), docId_(std::move(docId)), diagnostics_(diagnostics) {
  if (!root_.is_object()) return;
  auto sw = root_.find("swagger");
  swagger2_ = sw != root_.end() && root_.find("openapi") == root_.end();
  if (swagger2_) {
    schemaPrefix_ = "#/definitions/";
    auto d = root_.find("definitions");
    if (d != root_.end() && d->is_object()) schemas_ = &*d;
  } else {
    schemaPrefix_ = "#/components/schemas/";
    auto c = root_.find("components");
    if (c != root_.end() && c->is_object()) {
      auto s = c->find("schemas");
      if (s != c->end() && s->is_object()) schemas_ = &*s;
    }
  }
}

void SchemaResolver::diag(Diagnostic::Severity s, std::string location, std::string message) {
  if (diagnostics_.size() >= 500) return;  // enough to explain any document
  if (!reported_.insert(location + "|" + message).second) return;
  diagnostics_.push_back({s, docId_, std::move(location), std::move(message)});
}

const OrderedJson* SchemaResolver::resolvePointer(std::string_view ref) const {
  if (!ref.empty() && ref[0] == '#') ref.remove_prefix(1);
  if (ref.empty()) return &root_;
  if (ref[0] != '/') return nullptr;
  const OrderedJson* node = &root_;
  size_t pos = 1;
  while (true) {
    size_t next = ref.find('/', pos);
    std::string token = unescapeToken(ref.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    if (node->is_object()) {
      auto it = node->find(token);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      if (token.empty() || token.size() > 9 || !std::all_of(token.begin(), token.end(), ::isdigit)) return nullptr;
      size_t idx = std::stoul(token);
      if (idx >= node->size()) return nullptr;
      node = &(*node)[idx];
    } else {
      return nullptr;
    }
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return node;
}

const OrderedJson* SchemaResolver::deref(const OrderedJson& node, std::string* refName, std::string* pointer) const {
  const OrderedJson* current = &node;
  for (int hop = 0; hop < kMaxRefHops; ++hop) {
    if (!current->is_object()) return current;
    auto it = current->find("$ref");
    if (it == current->end() || !it->is_string()) return current;
    const std::string& ref = it->get_ref<const std::string&>();
    if (ref.empty() || ref[0] != '#') {
      // External reference: name it after its last segment, but it cannot be resolved here.
      if (refName) {
        auto slash = ref.find_last_of("/#");
        *refName = slash == std::string::npos ? ref : ref.substr(slash + 1);
      }
      return nullptr;
    }
    if (refName && startsWith(ref, schemaPrefix_)) *refName = unescapeToken(ref.substr(schemaPrefix_.size()));
    if (pointer) *pointer = ref.substr(1);
    const OrderedJson* target = resolvePointer(ref);
    if (!target) return nullptr;
    current = target;
  }
  return nullptr;  // too many hops: treat as a cycle
}

const SchemaShape& SchemaResolver::shape(const OrderedJson& node, const std::string& pointer) {
  return flattenAt(node, pointer, 0);
}

const SchemaShape& SchemaResolver::flattenAt(const OrderedJson& node, const std::string& pointer, int depth) {
  if (auto memo = memo_.find(pointer); memo != memo_.end()) return memo->second;
  if (inProgress_.count(pointer)) {
    static const SchemaShape cycleCut = [] {
      SchemaShape s;
      s.cyclic = true;
      s.isObject = true;
      return s;
    }();
    return cycleCut;
  }
  inProgress_.insert(pointer);
  SchemaShape result = flatten(node, pointer, depth);
  inProgress_.erase(pointer);
  if (result.cyclic && !inProgress_.empty()) {
    // Computed while an enclosing schema was cut short: valid here, but not reusable later.
    scratch_.push_back(std::move(result));
    return scratch_.back();
  }
  return memo_.emplace(pointer, std::move(result)).first->second;
}

const SchemaShape& SchemaResolver::namedShape(const std::string& name) {
  static const SchemaShape emptyShape;
  if (!schemas_) return emptyShape;
  auto it = schemas_->find(name);
  if (it == schemas_->end()) return emptyShape;
  return flattenAt(*it, schemaPrefix_.substr(1) + escapePointerToken(name), 0);
}

bool SchemaResolver::isObjectSchema(const std::string& name) { return namedShape(name).isObject; }

void SchemaResolver::mergeInto(SchemaShape& target, const SchemaShape& part, bool keepRequired) {
  for (const auto& p : part.properties) {
    auto existing = std::find_if(target.properties.begin(), target.properties.end(),
                                 [&](const PropertyShape& q) { return q.name == p.name; });
    if (existing == target.properties.end()) {
      PropertyShape copy = p;
      if (!keepRequired) copy.required = false;
      target.properties.push_back(std::move(copy));
      continue;
    }
    if (existing->type.empty()) existing->type = p.type;
    if (existing->format.empty()) existing->format = p.format;
    if (existing->description.empty()) existing->description = p.description;
    if (existing->refName.empty()) existing->refName = p.refName;
    existing->array = existing->array || p.array;
    existing->readOnly = existing->readOnly || p.readOnly;
    existing->writeOnly = existing->writeOnly || p.writeOnly;
    if (keepRequired) existing->required = existing->required || p.required;
  }
  target.isObject = target.isObject || part.isObject;
  target.cyclic = target.cyclic || part.cyclic;
  if (target.discriminator.empty()) target.discriminator = part.discriminator;
  if (target.description.empty()) target.description = part.description;
}

SchemaShape SchemaResolver::flatten(const OrderedJson& node, const std::string& pointer, int depth) {
  SchemaShape result;
  if (--budget_ <= 0) {
    diag(Diagnostic::Severity::Error, pointer, "schema analysis budget exhausted; result is partial");
    return result;
  }
  if (depth > kMaxDepth) {
    diag(Diagnostic::Severity::Warning, pointer, "schema nesting deeper than 48 levels; ignored below");
    return result;
  }
  if (!node.is_object()) {
    if (!node.is_boolean()) diag(Diagnostic::Severity::Warning, pointer, "schema is not an object");
    return result;
  }
  if (auto ref = node.find("$ref"); ref != node.end()) {
    std::string refName, target;
    const OrderedJson* resolved = deref(node, &refName, &target);
    if (!resolved) {
      diag(Diagnostic::Severity::Warning, pointer,
           "unresolved $ref " + (ref->is_string() ? ref->get<std::string>() : std::string("(not a string)")));
      return result;
    }
    return flattenAt(*resolved, target, depth + 1);
  }

  result.description = stringField(node, "description");
  result.title = stringField(node, "title");
  bool nullable = false;
  std::string type = typeOf(node, &nullable);
  result.format = stringField(node, "format");

  if (auto allOf = node.find("allOf"); allOf != node.end() && allOf->is_array()) {
    size_t i = 0;
    for (const auto& part : *allOf) {
      std::string partPointer = pointer + "/allOf/" + std::to_string(i++);
      std::string refName;
      if (part.is_object() && part.contains("$ref")) deref(part, &refName);
      SchemaShape partShape = flatten(part, partPointer, depth + 1);
      if (!refName.empty() && partShape.isObject) result.parents.push_back(refName);
      if (!partShape.isObject && !partShape.primitiveType.empty() && result.primitiveType.empty()) {
        result.primitiveType = partShape.primitiveType;
        if (result.format.empty()) result.format = partShape.format;
      }
      if (partShape.isArray && !result.isArray) {
        result.isArray = true;
        result.itemsRef = partShape.itemsRef;
        result.items = partShape.items;
      }
      mergeInto(result, partShape, true);
    }
  }
  for (const char* key : {"oneOf", "anyOf"}) {
    auto alt = node.find(key);
    if (alt == node.end() || !alt->is_array()) continue;
    size_t i = 0;
    for (const auto& part : *alt) {
      std::string partPointer = pointer + "/" + key + "/" + std::to_string(i++);
      std::string refName;
      if (part.is_object() && part.contains("$ref")) deref(part, &refName);
      SchemaShape partShape = flatten(part, partPointer, depth + 1);
      if (!refName.empty()) result.variants.push_back(refName);
      if (!partShape.isObject && !partShape.primitiveType.empty() && result.primitiveType.empty()) {
        result.primitiveType = partShape.primitiveType;
      }
      if (partShape.isArray && !result.isArray) {
        result.isArray = true;
        result.itemsRef = partShape.itemsRef;
        result.items = partShape.items;
      }
      mergeInto(result, partShape, false);
    }
  }
  if (auto disc = node.find("discriminator"); disc != node.end()) {
    if (disc->is_string()) result.discriminator = disc->get<std::string>();  // 2.0
    else result.discriminator = stringField(*disc, "propertyName");
  }

  std::set<std::string> required;
  if (auto req = node.find("required"); req != node.end() && req->is_array()) {
    for (const auto& r : *req) {
      if (r.is_string()) required.insert(r.get<std::string>());
    }
  }
  if (auto props = node.find("properties"); props != node.end()) {
    result.isObject = true;
    if (props->is_object()) {
      for (auto it = props->begin(); it != props->end(); ++it) {
        std::string propPointer = pointer + "/properties/" + escapePointerToken(it.key());
        PropertyShape p = propertyOf(it.key(), it.value(), propPointer, depth + 1);
        p.required = required.count(it.key()) > 0;
        auto existing = std::find_if(result.properties.begin(), result.properties.end(),
                                     [&](const PropertyShape& q) { return q.name == p.name; });
        if (existing != result.properties.end()) {
          bool wasRequired = existing->required;
          *existing = std::move(p);  // own declaration refines inherited ones
          existing->required = existing->required || wasRequired;
        } else {
          result.properties.push_back(std::move(p));
        }
      }
    } else {
      diag(Diagnostic::Severity::Warning, pointer + "/properties", "properties is not an object");
    }
  }
  // `required` may name inherited properties (allOf + required list).
  for (auto& p : result.properties) {
    if (required.count(p.name)) p.required = true;
  }
  if (type == "object" || node.contains("additionalProperties")) result.isObject = true;
  if (type == "array" || (type.empty() && node.contains("items"))) {
    result.isArray = true;
    result.isObject = false;
    if (auto items = node.find("items"); items != node.end()) {
      std::string refName;
      deref(*items, &refName);
      result.items = &*items;  // unresolved, so flattening it goes through the $ref memo
      result.itemsRef = refName;
    }
  } else if (isPrimitiveType(type) && !result.isObject) {
    result.primitiveType = type;
  } else if (type.empty() && !result.isObject && node.contains("enum")) {
    result.primitiveType = "string";
  }
  return result;
}

PropertyShape SchemaResolver::propertyOf(const std::string& name, const OrderedJson& node, const std::string& pointer,
                                         int depth) {
  PropertyShape p;
  p.name = name;
  p.pointer = pointer;
  if (!node.is_object()) return p;
  p.description = stringField(node, "description");
  p.readOnly = boolField(node, "readOnly");
  p.writeOnly = boolField(node, "writeOnly");
  p.nullable = boolField(node, "nullable") || boolField(node, "x-nullable");
  p.deprecated = boolField(node, "deprecated");
  p.format = stringField(node, "format");

  // A single $ref wrapped in allOf/oneOf/anyOf (often with null) behaves like the $ref itself.
  const OrderedJson* effective = &node;
  for (const char* key : {"allOf", "oneOf", "anyOf"}) {
    auto alt = node.find(key);
    if (alt == node.end() || !alt->is_array()) continue;
    const OrderedJson* single = nullptr;
    int nonNull = 0;
    for (const auto& part : *alt) {
      bool isNull = part.is_object() && part.size() == 1 && part.contains("type") && part["type"] == "null";
      if (isNull) {
        p.nullable = true;
        continue;
      }
      ++nonNull;
      single = &part;
    }
    if (nonNull == 1 && single && single->is_object() && single->contains("$ref")) effective = single;
  }

  auto describeElement = [&](const OrderedJson& element, const std::string& elementPointer) {
    std::string refName;
    const OrderedJson* target = &element;
    if (element.is_object() && element.contains("$ref")) target = deref(element, &refName);
    if (!target) {
      const auto& ref = element["$ref"];
      std::string text = ref.is_string() ? ref.get<std::string>() : "(not a string)";
      bool external = !text.empty() && text[0] != '#';
      diag(external ? Diagnostic::Severity::Info : Diagnostic::Severity::Warning, elementPointer,
           (external ? "external $ref not followed: " : "unresolved $ref ") + text);
      if (!refName.empty()) {  // external ref: keep its name as a class-like type
        p.refName = refName;
      }
      return;
    }
    if (p.description.empty()) p.description = stringField(*target, "description");
    if (!p.readOnly) p.readOnly = boolField(*target, "readOnly");
    if (!p.writeOnly) p.writeOnly = boolField(*target, "writeOnly");
    SchemaShape s = flatten(element, elementPointer, depth + 1);
    if (s.isArray && !p.array) {
      p.array = true;
      if (s.items) {
        std::string itemRef;
        if (s.items->is_object()) {
          // Re-derive the item description from the (already resolved) items node.
          std::string itemType = typeOf(*s.items, nullptr);
          SchemaShape is = flatten(*s.items, elementPointer + "/items", depth + 1);
          if (!s.itemsRef.empty() && is.isObject) {
            p.refName = s.itemsRef;
            p.type = "object";
          } else if (is.isObject) {
            p.type = "object";
          } else {
            p.type = !is.primitiveType.empty() ? is.primitiveType : itemType;
            if (p.format.empty()) p.format = is.format.empty() ? stringField(*s.items, "format") : is.format;
          }
        }
      } else if (!s.itemsRef.empty()) {
        p.refName = s.itemsRef;
      }
      return;
    }
    if (s.isObject) {
      p.type = "object";
      if (!refName.empty()) p.refName = refName;
      return;
    }
    if (!s.primitiveType.empty()) p.type = s.primitiveType;
    if (p.format.empty()) p.format = s.format;
  };
  describeElement(*effective, pointer);
  if (p.type == "array") p.type.clear();
  return p;
}

}  // namespace cg::digest::openapi
