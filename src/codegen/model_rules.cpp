#include "codegen/model_rules.h"

#include <algorithm>
#include <map>

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

bool usableIdentifier(const digest::Attribute& a) {
  return !a.multivalue.value_or(false) && !isComplexAttribute(a) && a.readable.value_or(true);
}

bool isDeprecated(const digest::Attribute& a) {
  auto it = a.extra.find("deprecated");
  if (it != a.extra.end() && it->is_boolean() && it->get<bool>()) return true;
  return toLower(a.description.value_or("")).find("deprecated") != std::string::npos;
}

// The first attribute named in `names` (list order wins), not deprecated if any qualifies.
const digest::Attribute* firstByNames(const ClassCodegenInput& in, const std::vector<std::string>& names,
                                      const digest::Attribute* exclude = nullptr) {
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& n : names)
      for (const auto& a : in.attributes)
        if (&a != exclude && usableIdentifier(a) && iequals(a.name, n) && (pass == 1 || !isDeprecated(a))) return &a;
  return nullptr;
}

// NAME candidates in tiers: account names, then mail addresses, then display names. Within a tier
// the list order wins and deprecated attributes come last.
const std::vector<std::vector<std::string>>& nameLikeTiers() {
  // "login" first: APIs that have both (e.g. Forgejo: login and username) treat login as the account name.
  static const std::vector<std::vector<std::string>> tiers = {
      {"login", "userName", "username", "user_name", "login_name", "name"},
      {"email", "mail"},
      {"displayName", "display_name", "full_name", "fullName", "title", "slug", "key"}};
  return tiers;
}

// The id-like attribute (the UID rule before addressability is considered).
const digest::Attribute* idLikeAttribute(const ClassCodegenInput& in) {
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

const digest::Attribute* nameLikeAttribute(const ClassCodegenInput& in, const digest::Attribute* exclude = nullptr) {
  for (const auto& tier : nameLikeTiers())
    if (auto* a = firstByNames(in, tier, exclude)) return a;
  return nullptr;
}

// Placeholder → attribute without consulting the final UID choice (which depends on it).
const digest::Attribute* placeholderAttribute(const ClassCodegenInput& in, std::string_view placeholder) {
  std::string key = looseKey(placeholder);
  std::string cls = looseKey(in.className);
  const digest::Attribute* id = idLikeAttribute(in);
  // {id}, {uid}, {userId}, {gid}, and the class name plus the id attribute's name ({user_gid}).
  if (key == "id" || key == cls + "id" || key == "uid" ||
      (id && (key == looseKey(id->name) || key == cls + looseKey(id->name))))
    return id;
  for (const auto& a : in.attributes)
    if (looseKey(a.name) == key && usableIdentifier(a)) return &a;
  if (key == "username" || key == "login" || key == "user" || key == "name" || key == cls + "name" ||
      segmentNamesClass(placeholder, in.className))
    return nameLikeAttribute(in);
  return nullptr;
}

// Whether a list endpoint has a query parameter that looks `a` up by equality.
bool queryAddresses(const digest::Endpoint& e, const digest::Attribute& a, bool isIdLike) {
  for (const auto& p : e.parameters) {
    if (p.in != "query") continue;
    std::string key = looseKey(p.name);
    if (key == looseKey(a.name) || (isIdLike && (key == "uid" || key == "ids"))) return true;
  }
  return false;
}

}  // namespace

bool segmentNamesClass(std::string_view segment, std::string_view className) {
  std::string s = looseKey(segment), c = looseKey(className);
  if (s.empty() || c.empty()) return false;
  std::vector<std::string> forms = {s};
  if (s.size() > 1 && s.back() == 's') forms.push_back(s.substr(0, s.size() - 1));
  if (s.size() > 2 && endsWith(s, "es")) forms.push_back(s.substr(0, s.size() - 2));
  if (s.size() > 3 && endsWith(s, "ies")) forms.push_back(s.substr(0, s.size() - 3) + "y");
  for (const auto& f : forms)
    if (f == c || (f.size() >= 3 && startsWith(c, f))) return true;
  return false;
}

std::vector<GetByKeyEndpoint> getByKeyEndpoints(const ClassCodegenInput& in) {
  std::vector<std::pair<int, GetByKeyEndpoint>> ranked;
  for (const auto* e : endpointsByPreference(in, "GET")) {
    auto ph = pathPlaceholders(e->path);
    if (ph.size() != 1) continue;
    bool preferred = false;
    for (const auto& p : in.preferredEndpoints)
      if (iequals(p.method, e->method) && connectorPath(p.path, in.baseApiUrl) == connectorPath(e->path, in.baseApiUrl))
        preferred = true;
    if (!hasUse(*e, "getById") && !endsWith(e->path, "{" + ph[0] + "}") && !preferred) continue;
    auto segs = split(connectorPath(e->path, in.baseApiUrl), '/', true);
    bool namesClass = segs.size() >= 2 && segs.back() == "{" + ph[0] + "}" &&
                      segmentNamesClass(segs[segs.size() - 2], in.className);
    int rank = preferred ? 0 : namesClass ? (hasUse(*e, "getById") ? 1 : 2) : (hasUse(*e, "getById") ? 3 : 4);
    // Within a rank the shorter path first: users/{id} before attack-detection/brute-force/users/{id}.
    ranked.push_back({rank * 1000 + static_cast<int>(std::min<size_t>(segs.size(), 999)),
                      {e, ph[0], placeholderAttribute(in, ph[0])}});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<GetByKeyEndpoint> out;
  for (auto& r : ranked) out.push_back(r.second);
  return out;
}

const digest::Attribute* chooseUidAttribute(const ClassCodegenInput& in) {
  const digest::Attribute* id = idLikeAttribute(in);
  if (in.protocol != Protocol::Rest || !id) return id;
  // REST: the UID must be something the connector can read one object by. When the id-like
  // attribute is neither a path key of a get-by-key endpoint nor an equality query parameter of a
  // list endpoint, but another attribute is a path key (Forgejo: orgs/{org} → name), that one is
  // the UID.
  const digest::Attribute* firstKey = nullptr;
  for (const auto& g : getByKeyEndpoints(in)) {
    if (g.attribute == id) return id;
    if (!firstKey && g.attribute) firstKey = g.attribute;
  }
  if (!firstKey) return id;
  for (const auto& e : in.endpoints)
    if (iequals(e.method, "GET") && pathPlaceholders(e.path).empty() && queryAddresses(e, *id, true)) return id;
  return firstKey;
}

const digest::Attribute* chooseNameAttribute(const ClassCodegenInput& in) {
  const digest::Attribute* uid = chooseUidAttribute(in);
  if (auto* a = nameLikeAttribute(in, uid)) return a;
  return uid;
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
  return placeholderAttribute(in, placeholder);
}

std::string scopePlaceholder(const digest::DigestResult& digest) {
  std::map<std::string, size_t> firsts;
  size_t total = 0;
  std::string base = digest.info && !digest.info->baseApiEndpoint.empty() ? digest.info->baseApiEndpoint.front().uri : "";
  for (const auto& c : digest.objectClasses) {
    if (c.relevant == "false") continue;
    for (const auto& e : c.endpoints) {
      ++total;
      std::string p = connectorPath(e.path, base);
      if (p.size() < 3 || p.front() != '{') continue;
      size_t end = p.find('/');
      std::string first = p.substr(0, end);
      if (first.back() == '}') ++firsts[first];
    }
  }
  if (total < 5) return "";
  for (const auto& [seg, n] : firsts)
    if (n * 10 >= total * 9) return seg.substr(1, seg.size() - 2);
  return "";
}

std::string stripScope(std::string_view path, std::string_view scope) {
  if (scope.empty()) return std::string(path);
  std::string p(path);
  std::string needle = "{" + std::string(scope) + "}";
  size_t start = p.find_first_not_of('/');
  if (start == std::string::npos || p.compare(start, needle.size(), needle) != 0) return p;
  size_t after = start + needle.size();
  if (after < p.size() && p[after] != '/') return p;
  std::string rest = p.substr(after);
  return rest.empty() ? "/" : rest;
}

std::string participantAttribute(const digest::Relation& r, bool subjectSide) {
  std::string a(trim(subjectSide ? r.subjectAttribute : r.objectAttribute));
  return a.empty() ? toLower(subjectSide ? r.object : r.subject) : a;
}

std::optional<std::string> knownClassName(const std::vector<std::string>& known, std::string_view name) {
  for (const auto& k : known)
    if (iequals(k, name)) return k;
  return std::nullopt;
}

}  // namespace cg::codegen
