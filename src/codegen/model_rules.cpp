#include "codegen/model_rules.h"

#include <algorithm>

#include "util/strings.h"

namespace cg::codegen {

std::string_view protocolName(Protocol p) {
  switch (p) {
    case Protocol::Scim: return "scim";
    case Protocol::Sql: return "sql";
    default: return "rest";
  }
}

Protocol protocolFromApiTypes(const std::vector<std::string>& apiTypes) {
  bool scim = false, sql = false;
  for (const auto& t : apiTypes) {
    std::string n = digest::normalizeApiType(t);
    if (n == "SQL") sql = true;
    if (n == "SCIM") scim = true;
  }
  return sql ? Protocol::Sql : scim ? Protocol::Scim : Protocol::Rest;
}

std::string_view searchIntentName(SearchIntent i) {
  switch (i) {
    case SearchIntent::Filter: return "filter";
    case SearchIntent::Id: return "id";
    default: return "all";
  }
}

std::string resolveClassName(std::string_view name, const std::vector<digest::ObjectClass>& classes) {
  for (const auto& c : classes)
    if (iequals(c.name, name)) return c.name;
  return std::string(name);
}

bool isKnownOpenApiFormat(std::string_view format) {
  static const std::vector<std::string_view> kFormats = {
      "base64url", "binary", "byte", "char", "commonmark", "date-time", "date", "decimal", "decimal128",
      "double-int", "double", "duration", "email", "float", "hostname", "html", "http-date", "idn-email",
      "idn-hostname", "int16", "int32", "int64", "int8", "ipv4", "ipv6", "iri-reference", "iri",
      "json-pointer", "media-range", "password", "regex", "relative-json-pointer", "sf-binary",
      "sf-boolean", "sf-decimal", "sf-integer", "sf-string", "sf-token", "time", "uint8",
      "uri-reference", "uri-template", "uri", "uuid"};
  return std::find(kFormats.begin(), kFormats.end(), format) != kFormats.end();
}

bool isJsonSchemaType(std::string_view type) {
  return type == "string" || type == "integer" || type == "number" || type == "boolean" || type == "binary";
}

bool isComplexAttribute(const digest::Attribute& a) {
  if (a.format && (*a.format == "embedded" || *a.format == "reference")) return true;
  if (!a.type) return false;
  std::string t = toLower(*a.type);
  return !isJsonSchemaType(t) && t != "array" && !t.empty();
}

std::string looseKey(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '_' && c != '-' && c != ' ' && c != '.') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const digest::Attribute* findAttribute(const ClassCodegenInput& in, std::string_view name) {
  for (const auto& a : in.attributes)
    if (a.name == name) return &a;
  for (const auto& a : in.attributes)
    if (iequals(a.name, name)) return &a;
  return nullptr;
}

namespace {

bool usableIdentifier(const digest::Attribute& a) { return !a.multivalue.value_or(false) && !isComplexAttribute(a); }

const digest::Attribute* firstByNames(const ClassCodegenInput& in, const std::vector<std::string>& names) {
  for (const auto& n : names)
    for (const auto& a : in.attributes)
      if (usableIdentifier(a) && iequals(a.name, n)) return &a;
  return nullptr;
}

}  // namespace

const digest::Attribute* chooseUidAttribute(const ClassCodegenInput& in) {
  if (in.protocol == Protocol::Sql) {
    const digest::Attribute* pk = nullptr;
    int count = 0;
    for (const auto& a : in.attributes) {
      auto it = a.extra.find("primaryKey");
      if (it != a.extra.end() && it->is_boolean() && it->get<bool>()) {
        pk = &a;
        ++count;
      }
    }
    if (count == 1) return pk;
  }
  std::string cls = in.className;
  if (auto* a = firstByNames(in, {"id", "uid", cls + "Id", cls + "_id", "key", "guid", "uuid"})) return a;
  for (const auto& a : in.attributes)
    if (usableIdentifier(a) && !a.creatable.value_or(true) && endsWith(toLower(a.name), "id")) return &a;
  for (const auto& a : in.attributes)
    if (usableIdentifier(a)) return &a;
  return nullptr;
}

const digest::Attribute* chooseNameAttribute(const ClassCodegenInput& in) {
  // "login" first: APIs that have both (e.g. Forgejo: login and username) treat login as the account name.
  if (auto* a = firstByNames(in, {"login", "userName", "username", "user_name", "login_name", "name", "email", "mail",
                                  "displayName", "display_name", "full_name", "fullName", "title", "slug", "key"}))
    return a;
  return chooseUidAttribute(in);
}

std::string connectorPath(std::string_view path, std::string_view baseApiUrl) {
  std::string p(trim(path));
  if (auto scheme = p.find("://"); scheme != std::string::npos) {
    auto slash = p.find('/', scheme + 3);
    p = slash == std::string::npos ? "" : p.substr(slash);
  }
  std::string basePath;
  if (auto scheme = baseApiUrl.find("://"); scheme != std::string_view::npos) {
    auto slash = baseApiUrl.find('/', scheme + 3);
    if (slash != std::string_view::npos) basePath = std::string(baseApiUrl.substr(slash));
  } else {
    basePath = std::string(baseApiUrl);
  }
  while (!basePath.empty() && basePath.back() == '/') basePath.pop_back();
  if (!basePath.empty() && basePath.front() != '/') basePath.insert(basePath.begin(), '/');
  if (!basePath.empty() && startsWith(p, basePath) &&
      (p.size() == basePath.size() || p[basePath.size()] == '/'))
    p = p.substr(basePath.size());
  if (auto q = p.find('?'); q != std::string::npos) p.resize(q);
  size_t start = p.find_first_not_of('/');
  return start == std::string::npos ? "" : p.substr(start);
}

std::vector<std::string> pathPlaceholders(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = path.find('{', i)) != std::string_view::npos) {
    auto j = path.find('}', i);
    if (j == std::string_view::npos) break;
    out.emplace_back(path.substr(i + 1, j - i - 1));
    i = j + 1;
  }
  return out;
}

std::string replacePlaceholder(std::string_view path, std::string_view from, std::string_view to) {
  std::string needle = "{" + std::string(from) + "}";
  std::string p(path);
  if (auto i = p.find(needle); i != std::string::npos) p.replace(i, needle.size(), "{" + std::string(to) + "}");
  return p;
}

bool hasUse(const digest::Endpoint& e, std::string_view use) {
  return std::find(e.suggestedUse.begin(), e.suggestedUse.end(), use) != e.suggestedUse.end();
}

std::vector<const digest::Endpoint*> endpointsByPreference(const ClassCodegenInput& in, std::string_view method) {
  std::vector<const digest::Endpoint*> out;
  auto samePath = [&](const std::string& a, const std::string& b) {
    return connectorPath(a, in.baseApiUrl) == connectorPath(b, in.baseApiUrl);
  };
  for (const auto& pref : in.preferredEndpoints) {
    if (!method.empty() && !iequals(pref.method, method)) continue;
    for (const auto& e : in.endpoints)
      if (iequals(e.method, pref.method) && samePath(e.path, pref.path) &&
          std::find(out.begin(), out.end(), &e) == out.end())
        out.push_back(&e);
  }
  for (const auto& e : in.endpoints)
    if ((method.empty() || iequals(e.method, method)) && std::find(out.begin(), out.end(), &e) == out.end())
      out.push_back(&e);
  return out;
}

const digest::Attribute* attributeForPlaceholder(const ClassCodegenInput& in, std::string_view placeholder) {
  std::string key = looseKey(placeholder);
  std::string cls = looseKey(in.className);
  const digest::Attribute* uid = chooseUidAttribute(in);
  if (key == "id" || key == cls + "id" || key == "uid" || (uid && key == looseKey(uid->name))) return uid;
  for (const auto& a : in.attributes)
    if (looseKey(a.name) == key && !isComplexAttribute(a)) return &a;
  if (key == "username" || key == "login" || key == "user" || key == cls || key == cls + "name" || key == "name")
    return chooseNameAttribute(in);
  return nullptr;
}

std::optional<std::string> knownClassName(const std::vector<std::string>& known, std::string_view name) {
  for (const auto& k : known)
    if (iequals(k, name)) return k;
  return std::nullopt;
}

}  // namespace cg::codegen
