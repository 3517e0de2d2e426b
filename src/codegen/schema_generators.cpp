// Native schema and ConnId mapping scripts (codegen-dsl.md A.8.2, A.8.3, A.8.11, A.8.12).
#include <algorithm>
#include <set>

#include "codegen/generators.h"
#include "codegen/groovy_writer.h"
#include "codegen/model_rules.h"
#include "util/strings.h"

namespace cg::codegen {
namespace {

std::string call(std::string_view fn, std::string_view arg) { return std::string(fn) + "(" + groovyString(arg) + ")"; }

// Attributes sorted case-insensitively (like the reference), duplicates by exact name dropped.
std::vector<const digest::Attribute*> sortedAttributes(const ClassCodegenInput& in) {
  std::vector<const digest::Attribute*> out;
  std::set<std::string> seen;
  for (const auto& a : in.attributes)
    if (!trim(a.name).empty() && seen.insert(a.name).second) out.push_back(&a);
  std::stable_sort(out.begin(), out.end(), [](const digest::Attribute* x, const digest::Attribute* y) {
    std::string lx = toLower(x->name), ly = toLower(y->name);
    return lx != ly ? lx < ly : x->name < y->name;
  });
  return out;
}

void writeFlags(DslWriter& w, const digest::Attribute& a, bool multi) {
  if (a.mandatory.value_or(false)) w.line("required true");
  if (!a.creatable.value_or(true)) w.line("creatable false");
  if (!a.updatable.value_or(true)) w.line("updatable false");
  if (!a.readable.value_or(true)) w.line("readable false");
  if (!a.returnedByDefault.value_or(true)) w.line("returnedByDefault false");
  if (multi) w.line("multiValued true");
}

std::string extraString(const digest::Attribute& a, const char* key) {
  auto it = a.extra.find(key);
  return it != a.extra.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Splits a SCIM path into (extension URN or "", dotted path).
std::pair<std::string, std::string> splitScimPath(const std::string& path) {
  if (!startsWith(toLower(path), "urn:")) return {"", path};
  auto colon = path.rfind(':');
  return {path.substr(0, colon), path.substr(colon + 1)};
}

std::string extensionAlias(const std::string& urn) {
  // urn:ietf:params:scim:schemas:extension:enterprise:2.0:User → "enterprise"
  auto parts = split(urn, ':', true);
  for (size_t i = 0; i + 1 < parts.size(); ++i)
    if (iequals(parts[i], "extension")) return parts[i + 1];
  return parts.empty() ? "extension" : parts.back();
}

std::string attributePathExpression(const std::string& root, const std::string& dotted) {
  auto parts = split(dotted, '.', true);
  std::string expr = root;
  for (const auto& p : parts) expr += ".child(" + groovyString(p) + ")";
  return expr;
}

}  // namespace

GeneratedScript generateNativeSchema(const ClassCodegenInput& in) {
  GeneratedScript out;
  DslWriter w;
  w.open(call("objectClass", in.className));
  if (!trim(in.description).empty()) w.line("description " + groovyString(trim(in.description)));
  if (in.embedded) w.line("embedded true");
  auto attrs = sortedAttributes(in);

  if (in.protocol == Protocol::Sql) {
    std::string table;
    for (const auto* a : attrs)
      if (table.empty()) table = extraString(*a, "table");
    w.open("sql");
    w.line("table " + groovyString(table.empty() ? in.className : table));
    w.close();
  }
  if (in.protocol == Protocol::Scim) {
    std::vector<std::pair<std::string, std::string>> extensions;  // alias, urn
    for (const auto* a : attrs) {
      if (!a->scimAttribute) continue;
      auto [urn, rest] = splitScimPath(*a->scimAttribute);
      if (urn.empty()) continue;
      bool dup = false;
      for (const auto& e : extensions) dup = dup || e.second == urn;
      if (!dup) extensions.emplace_back(extensionAlias(urn), urn);
    }
    if (!extensions.empty()) {
      w.open("scim");
      for (const auto& [alias, urn] : extensions)
        w.line("extension(" + groovyString(alias) + ", " + groovyString(urn) + ")");
      w.close();
    }
  }
  if (attrs.empty()) w.comment("No attributes were documented for this class.");

  for (const auto* a : attrs) {
    std::string type = toLower(trim(a->type.value_or("")));
    std::string format = trim(a->format.value_or(""));
    bool multi = a->multivalue.value_or(false);
    std::string complexClass;
    if (type == "object" && format.empty()) {
      w.comment("attribute " + a->name + " omitted: free-form JSON object without a schema");
      out.notes.push_back("attribute '" + a->name + "' omitted: free-form object");
      continue;
    }
    if (!format.empty() && !isKnownOpenApiFormat(format) && format != "embedded" && format != "reference")
      out.notes.push_back("attribute '" + a->name + "': format '" + format + "' unknown to the runtime, not emitted");
    if (isComplexAttribute(*a)) {
      if (format == "reference") {
        w.comment("attribute " + a->name + " references " + a->type.value_or("another class") +
                  ": declared by the relationship scripts, not here");
        out.notes.push_back("attribute '" + a->name + "' (reference) left to the relationship scripts");
        continue;
      }
      auto known = knownClassName(in.knownClasses, a->type.value_or(""));
      if (!known) {
        w.comment("attribute " + a->name + " (object of type " + a->type.value_or("?") +
                  ") omitted: that class is not part of this connector");
        out.notes.push_back("attribute '" + a->name + "' omitted: embedded class '" + a->type.value_or("") +
                            "' is not generated");
        continue;
      }
      complexClass = *known;
    }

    w.open(call("attribute", a->name));
    if (a->description && !trim(*a->description).empty()) w.line("description " + groovyString(trim(*a->description)));
    if (!complexClass.empty()) {
      w.line("complexType " + groovyString(complexClass));
    } else if (in.protocol == Protocol::Rest) {
      std::string jsonType = type;
      if (type == "array") {
        multi = true;
        jsonType = "string";
        out.notes.push_back("attribute '" + a->name + "': array of unknown items mapped to multi-valued string");
      } else if (!isJsonSchemaType(type)) {
        jsonType = "string";
        if (!type.empty()) out.notes.push_back("attribute '" + a->name + "': type '" + type + "' mapped to string");
      }
      w.open("json");
      w.line("type " + groovyString(jsonType));
      if (!format.empty() && isKnownOpenApiFormat(format)) w.line("openApiFormat " + groovyString(format));
      w.close();
    } else if (in.protocol == Protocol::Scim) {
      if (a->scimAttribute && !trim(*a->scimAttribute).empty() && *a->scimAttribute != a->name) {
        auto [urn, rest] = splitScimPath(trim(*a->scimAttribute));
        std::string root;
        std::string dotted = rest;
        if (!urn.empty()) {
          root = "extension(" + groovyString(extensionAlias(urn)) + ")";
        } else {
          auto parts = split(rest, '.', true);
          root = "attribute(" + groovyString(parts.empty() ? rest : parts[0]) + ")";
          dotted = parts.size() > 1 ? rest.substr(parts[0].size() + 1) : "";
        }
        w.open("scim");
        w.line("path " + attributePathExpression(root, dotted));
        w.close();
      }
    } else {  // SQL
      std::string column = extraString(*a, "column");
      if (!column.empty() && column != a->name) {
        w.open("sql");
        w.line("name " + groovyString(column));
        w.close();
      }
    }
    writeFlags(w, *a, multi);
    w.close();
  }
  w.close();
  out.code = w.str();
  return out;
}

GeneratedScript generateConnIdSchema(const ClassCodegenInput& in) {
  GeneratedScript out;
  DslWriter w;
  w.open(call("objectClass", in.className));
  const auto* uid = chooseUidAttribute(in);
  const auto* name = chooseNameAttribute(in);
  if (!uid) {
    w.comment("No identifier attribute was documented; UID and NAME cannot be mapped.");
    out.notes.push_back("no attribute usable as UID");
  } else {
    w.line("connIdAttribute(\"UID\", " + groovyString(uid->name) + ")");
    if (name && name != uid) {
      w.line("connIdAttribute(\"NAME\", " + groovyString(name->name) + ")");
    } else {
      w.comment("No separate login/name attribute was documented: NAME is not mapped (the runtime uses the UID).");
      out.notes.push_back("NAME not mapped: no login-like attribute besides '" + uid->name + "'");
    }
  }
  w.close();
  out.code = w.str();
  return out;
}

}  // namespace cg::codegen
