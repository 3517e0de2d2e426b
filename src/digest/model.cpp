#include "digest/model.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "util/strings.h"

namespace cg::digest {
namespace {

std::string alnumLowerKey(std::string_view s) {
  std::string key;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) key.push_back(static_cast<char>(std::tolower(u)));
  }
  return key;
}

OrderedJson optString(const std::optional<std::string>& v) { return v ? OrderedJson(*v) : OrderedJson(nullptr); }
OrderedJson optBool(const std::optional<bool>& v) { return v ? OrderedJson(*v) : OrderedJson(nullptr); }

OrderedJson chunkRefs(const std::vector<ChunkReference>& refs) {
  OrderedJson a = OrderedJson::array();
  for (const auto& r : refs) a.push_back(toJson(r));
  return a;
}

void appendExtra(OrderedJson& out, const OrderedJson& extra) {
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (!out.contains(it.key())) out[it.key()] = it.value();
  }
}

// Lenient readers: a wrong type reads as absent.
const OrderedJson* field(const OrderedJson& j, std::string_view a, std::string_view b = {}) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(std::string(a));
  if (it != j.end() && !it->is_null()) return &*it;
  if (!b.empty()) {
    it = j.find(std::string(b));
    if (it != j.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}
std::string str(const OrderedJson& j, std::string_view a, std::string_view b = {}) {
  const auto* f = field(j, a, b);
  if (!f) return "";
  if (f->is_string()) return f->get<std::string>();
  if (f->is_number() || f->is_boolean()) return f->dump();
  return "";
}
std::optional<std::string> optStr(const OrderedJson& j, std::string_view a, std::string_view b = {}) {
  const auto* f = field(j, a, b);
  if (!f) return std::nullopt;
  if (f->is_string()) return f->get<std::string>();
  if (f->is_number() || f->is_boolean()) return f->dump();
  return std::nullopt;
}
std::optional<bool> optBoolean(const OrderedJson& j, std::string_view a) {
  const auto* f = field(j, a);
  if (!f) return std::nullopt;
  if (f->is_boolean()) return f->get<bool>();
  if (f->is_string()) {
    std::string s = toLower(trim(f->get<std::string>()));
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
  }
  return std::nullopt;
}

OrderedJson withoutKeys(const OrderedJson& j, std::initializer_list<std::string_view> keys) {
  OrderedJson extra = OrderedJson::object();
  if (!j.is_object()) return extra;
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (auto k : keys) known = known || it.key() == k;
    if (!known) extra[it.key()] = it.value();
  }
  return extra;
}

const std::map<std::string, std::string>& authAliases() {
  static const std::map<std::string, std::string> table = [] {
    std::map<std::string, std::string> m;
    auto add = [&m](std::initializer_list<const char*> keys, const char* type) {
      for (const char* k : keys) m[k] = type;
    };
    add({"basic", "basicauth", "httpbasic", "httpbasicauth", "usernamepassword"}, "basic");
    add({"bearer", "bearertoken", "httpbearer", "httpbearertoken", "token", "accesstoken", "personalaccesstoken",
         "pat"},
        "bearer");
    add({"jwt", "jsonwebtoken", "jwtbearer", "jwtbearertoken", "httpjwtbearer", "httpjwtbearertoken"}, "jwtBearer");
    add({"clientcredentials", "clientcredentialsgrant", "oauthclientcredentials", "oauth2clientcredentials",
         "oauth2clientcredentialsgrant"},
        "oauth2ClientCredentials");
    add({"oauth2password", "oauth2passwordgrant", "resourceownerpassword"}, "oauth2Password");
    add({"oauth2jwt", "oauth2jwtbearer", "oauth2jwtbearergrant", "jwtbearergrant"}, "oauth2Jwt");
    add({"oauth2saml", "oauth2samlbearer", "oauth2samlbearergrant"}, "oauth2Saml");
    add({"oauth", "oauth2", "oauth20"}, "other");
    add({"apikey", "apikeyauth", "xapikey", "apiaccesskey"}, "apiKey");
    add({"session", "cookie", "cookiesession", "sessioncookie"}, "session");
    add({"digest", "httpdigest", "httpdigestauth"}, "digest");
    add({"hawk", "hawkauthentication"}, "hawk");
    add({"aws", "awssignature", "awssignaturev4", "aws4", "awsv4", "awssigv4", "sigv4", "aws4hmacsha256", "awsiam"},
        "awsSignature");
    add({"mtls", "mutualtls", "mutualtlsclientauthentication", "clientcertificate", "clientcert"}, "mtls");
    add({"ntlm", "ntlmauth", "windowsauth", "windowsauthentication"}, "ntlm");
    add({"openidconnect", "openidconnectauth", "oidc", "openid"}, "openidConnect");
    add({"other", "custom", "unknown"}, "other");
    for (const char* t : {"basic", "bearer", "jwtBearer", "oauth2ClientCredentials", "oauth2Password", "oauth2Jwt",
                          "oauth2Saml", "apiKey", "session", "digest", "hawk", "awsSignature", "mtls", "ntlm",
                          "openidConnect", "other"}) {
      m.emplace(alnumLowerKey(t), t);
    }
    return m;
  }();
  return table;
}

}  // namespace

// ---------------------------------------------------------------- enums

std::string_view confidenceName(Confidence c) {
  switch (c) {
    case Confidence::High: return "high";
    case Confidence::Medium: return "medium";
    case Confidence::Low: break;
  }
  return "low";
}
Confidence parseConfidence(std::string_view s) {
  std::string l = toLower(trim(s));
  if (l == "high") return Confidence::High;
  if (l == "medium") return Confidence::Medium;
  return Confidence::Low;
}
int confidenceRank(Confidence c) {
  switch (c) {
    case Confidence::High: return 0;
    case Confidence::Medium: return 1;
    case Confidence::Low: break;
  }
  return 2;
}

std::string normalizeAuthType(std::string_view input) {
  const auto& table = authAliases();
  auto it = table.find(alnumLowerKey(input));
  return it == table.end() ? "other" : it->second;
}

std::string normalizeApiType(std::string_view input) {
  std::string l = toLower(trim(input));
  if (l == "rest" || l == "openapi" || l == "swagger") return "REST";
  if (l == "scim") return "SCIM";
  if (l == "sql" || l == "db") return "SQL";
  return "";
}

std::string normalizeEndpointMethod(std::string_view input) {
  std::string m = trim(input);
  for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (m == "GET" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE") return m;
  return "";
}

std::string normalizeEndpointType(std::string_view input) {
  std::string l = toLower(trim(input));
  if (l == "constant" || l == "dynamic") return l;
  return "";
}

bool isSuggestedUse(std::string_view use) {
  static constexpr std::string_view uses[] = {"create", "update",  "delete", "getById",   "getAll",
                                              "list",   "search",  "activate", "deactivate"};
  return std::find(std::begin(uses), std::end(uses), use) != std::end(uses);
}

std::string_view severityName(Diagnostic::Severity s) {
  switch (s) {
    case Diagnostic::Severity::Info: return "info";
    case Diagnostic::Severity::Error: return "error";
    case Diagnostic::Severity::Warning: break;
  }
  return "warning";
}

bool AuthDetails::empty() const {
  return schemeName.empty() && in.empty() && parameterName.empty() && scheme.empty() && bearerFormat.empty() &&
         tokenUrl.empty() && authorizationUrl.empty() && openIdConnectUrl.empty() && scopes.empty();
}

bool InfoMetadata::empty() const {
  return name.empty() && applicationVersion.empty() && apiVersion.empty() && apiType.empty() &&
         baseApiEndpoint.empty() && databaseName.empty();
}

void normalizeInfoMetadata(InfoMetadata& info) {
  std::vector<std::string> types;
  for (const auto& t : info.apiType) {
    std::string n = normalizeApiType(t);
    if (!n.empty() && std::find(types.begin(), types.end(), n) == types.end()) types.push_back(n);
  }
  info.apiType = std::move(types);
  std::vector<BaseApiEndpoint> endpoints;
  std::set<std::pair<std::string, std::string>> seen;
  for (auto e : info.baseApiEndpoint) {
    e.uri = trim(e.uri);
    e.type = normalizeEndpointType(e.type);
    if (e.uri.empty()) continue;
    if (!seen.insert({toLower(e.uri), e.type}).second) continue;
    endpoints.push_back(std::move(e));
  }
  std::stable_sort(endpoints.begin(), endpoints.end(), [](const BaseApiEndpoint& a, const BaseApiEndpoint& b) {
    std::string la = toLower(a.uri), lb = toLower(b.uri);
    if (la != lb) return la < lb;
    return (a.type == "constant") > (b.type == "constant");
  });
  info.baseApiEndpoint = std::move(endpoints);
}

template <typename C>
static auto* findClassImpl(C& classes, std::string_view name) {
  for (auto& c : classes) {
    if (iequals(c.name, name)) return &c;
  }
  return static_cast<decltype(&classes[0])>(nullptr);
}
const ObjectClass* DigestResult::findClass(std::string_view name) const { return findClassImpl(objectClasses, name); }
ObjectClass* DigestResult::findClass(std::string_view name) { return findClassImpl(objectClasses, name); }

// ---------------------------------------------------------------- to JSON

OrderedJson toJson(const ChunkReference& ref) { return OrderedJson{{"docId", ref.docId}, {"chunkId", ref.chunkId}}; }

OrderedJson toJson(const SequenceReference& ref) {
  return OrderedJson{{"chunkId", ref.chunkId}, {"startSequence", ref.startSequence}, {"endSequence", ref.endSequence}};
}

OrderedJson toJson(const Diagnostic& d) {
  OrderedJson j = OrderedJson::object();
  j["severity"] = severityName(d.severity);
  if (!d.docId.empty()) j["docId"] = d.docId;
  j["location"] = d.location;
  j["message"] = d.message;
  return j;
}

OrderedJson toJson(const Attribute& a) {
  OrderedJson j = OrderedJson::object();
  j["type"] = optString(a.type);
  j["format"] = optString(a.format);
  j["description"] = optString(a.description);
  j["mandatory"] = optBool(a.mandatory);
  j["updatable"] = optBool(a.updatable);
  j["creatable"] = optBool(a.creatable);
  j["readable"] = optBool(a.readable);
  j["multivalue"] = optBool(a.multivalue);
  j["returnedByDefault"] = optBool(a.returnedByDefault);
  j["relevantDocumentations"] = chunkRefs(a.relevantDocumentations);
  if (a.scimAttribute) j["scimAttribute"] = *a.scimAttribute;
  appendExtra(j, a.extra);
  return j;
}

OrderedJson toJson(const PaginationInfo& p) {
  OrderedJson j = OrderedJson::object();
  j["style"] = p.style;
  if (!p.pageParam.empty()) j["pageParam"] = p.pageParam;
  if (!p.sizeParam.empty()) j["sizeParam"] = p.sizeParam;
  if (!p.offsetParam.empty()) j["offsetParam"] = p.offsetParam;
  if (!p.cursorParam.empty()) j["cursorParam"] = p.cursorParam;
  if (!p.firstPage.empty()) j["firstPage"] = p.firstPage;
  if (p.linkHeader) j["linkHeader"] = true;
  return j;
}

OrderedJson toJson(const Endpoint& e) {
  OrderedJson j = OrderedJson::object();
  j["path"] = e.path;
  j["method"] = e.method;
  j["description"] = e.description;
  j["responseContentType"] = optString(e.responseContentType);
  j["requestContentType"] = optString(e.requestContentType);
  j["suggestedUse"] = e.suggestedUse;
  j["relevantDocumentations"] = chunkRefs(e.relevantDocumentations);
  if (!e.pagination.empty()) j["pagination"] = toJson(e.pagination);
  if (!e.parameters.empty()) {
    OrderedJson params = OrderedJson::array();
    for (const auto& p : e.parameters) {
      params.push_back(OrderedJson{{"name", p.name},
                                   {"in", p.in},
                                   {"type", p.type},
                                   {"required", p.required},
                                   {"description", p.description}});
    }
    j["parameters"] = std::move(params);
  }
  if (!e.responseItemsField.empty()) j["responseItemsField"] = e.responseItemsField;
  appendExtra(j, e.extra);
  return j;
}

OrderedJson toJson(const ConnectivityEndpoint& e) {
  OrderedJson j = OrderedJson::object();
  j["path"] = e.path;
  j["method"] = e.method;
  j["description"] = e.description;
  j["responseContentType"] = optString(e.responseContentType);
  j["requestContentType"] = optString(e.requestContentType);
  j["requiresAuth"] = optBool(e.requiresAuth);
  j["relevantDocumentations"] = chunkRefs(e.relevantDocumentations);
  return j;
}

OrderedJson toJson(const ObjectClass& c) {
  OrderedJson j = OrderedJson::object();
  j["name"] = c.name;
  j["description"] = c.description;
  j["superclass"] = optString(c.superclass);
  j["abstract"] = optBool(c.abstract);
  j["embedded"] = optBool(c.embedded);
  j["relevant"] = c.relevant;
  j["confidence"] = confidenceName(c.confidence);
  j["relevantDocumentations"] = chunkRefs(c.relevantDocumentations);
  appendExtra(j, c.extra);
  return j;
}

OrderedJson toJson(const Relation& r) {
  return OrderedJson{{"name", r.name},
                     {"displayName", r.displayName},
                     {"shortDescription", r.shortDescription},
                     {"subject", r.subject},
                     {"subjectAttribute", r.subjectAttribute},
                     {"object", r.object},
                     {"objectAttribute", r.objectAttribute}};
}

OrderedJson toJson(const AuthMethod& a) {
  OrderedJson j = OrderedJson::object();
  j["name"] = a.name;
  j["type"] = a.type;
  j["quirks"] = a.quirks;
  OrderedJson seq = OrderedJson::array();
  for (const auto& s : a.relevantSequences) seq.push_back(toJson(s));
  j["relevantSequences"] = std::move(seq);
  if (!a.relevantDocumentations.empty()) j["relevantDocumentations"] = chunkRefs(a.relevantDocumentations);
  if (!a.details.empty()) {
    const auto& d = a.details;
    OrderedJson dj = OrderedJson::object();
    auto put = [&dj](const char* k, const std::string& v) {
      if (!v.empty()) dj[k] = v;
    };
    put("schemeName", d.schemeName);
    put("in", d.in);
    put("parameterName", d.parameterName);
    put("scheme", d.scheme);
    put("bearerFormat", d.bearerFormat);
    put("tokenUrl", d.tokenUrl);
    put("authorizationUrl", d.authorizationUrl);
    put("openIdConnectUrl", d.openIdConnectUrl);
    if (!d.scopes.empty()) dj["scopes"] = d.scopes;
    j["details"] = std::move(dj);
  }
  return j;
}

OrderedJson toJson(const InfoMetadata& info) {
  OrderedJson j = OrderedJson::object();
  j["name"] = info.name;
  j["applicationVersion"] = info.applicationVersion;
  j["apiVersion"] = info.apiVersion;
  j["apiType"] = info.apiType;
  OrderedJson eps = OrderedJson::array();
  for (const auto& e : info.baseApiEndpoint) eps.push_back(OrderedJson{{"uri", e.uri}, {"type", e.type}});
  j["baseApiEndpoint"] = std::move(eps);
  j["databaseName"] = info.databaseName;
  return j;
}

namespace {
// {"<key>": [toJson(item)...]}: the shape of the list-valued digester responses.
template <class T>
OrderedJson listResponse(const char* key, const std::vector<T>& items) {
  OrderedJson a = OrderedJson::array();
  for (const auto& item : items) a.push_back(toJson(item));
  return OrderedJson{{key, std::move(a)}};
}
}  // namespace

OrderedJson objectClassesResponse(const std::vector<ObjectClass>& classes) {
  return listResponse("objectClasses", classes);
}
OrderedJson attributesResponse(const std::vector<Attribute>& attributes) {
  OrderedJson m = OrderedJson::object();
  for (const auto& a : attributes) m[a.name] = toJson(a);
  return OrderedJson{{"attributes", std::move(m)}};
}
OrderedJson endpointsResponse(const std::vector<Endpoint>& endpoints) {
  return listResponse("endpoints", endpoints);
}
OrderedJson connectivityResponse(const std::vector<ConnectivityEndpoint>& endpoints) {
  return listResponse("endpoints", endpoints);
}
OrderedJson relationsResponse(const std::vector<Relation>& relations) {
  return listResponse("relations", relations);
}
OrderedJson authResponse(const std::vector<AuthMethod>& auth) {
  return listResponse("auth", auth);
}
OrderedJson infoResponse(const std::optional<InfoMetadata>& info) {
  return OrderedJson{{"infoMetadata", info ? toJson(*info) : OrderedJson(nullptr)}};
}

// ---------------------------------------------------------------- from JSON

std::vector<ChunkReference> chunkReferencesFromJson(const OrderedJson& j) {
  std::vector<ChunkReference> refs;
  if (!j.is_array()) return refs;
  for (const auto& item : j) {
    ChunkReference r{str(item, "docId", "doc_id"), str(item, "chunkId", "chunk_id")};
    if (!r.chunkId.empty() || !r.docId.empty()) refs.push_back(std::move(r));
  }
  return refs;
}

Attribute attributeFromJson(std::string name, const OrderedJson& j) {
  Attribute a;
  a.name = std::move(name);
  a.type = optStr(j, "type");
  a.format = optStr(j, "format");
  a.description = optStr(j, "description");
  a.mandatory = optBoolean(j, "mandatory");
  a.updatable = optBoolean(j, "updatable");
  a.creatable = optBoolean(j, "creatable");
  a.readable = optBoolean(j, "readable");
  a.multivalue = optBoolean(j, "multivalue");
  a.returnedByDefault = optBoolean(j, "returnedByDefault");
  if (const auto* r = field(j, "relevantDocumentations", "relevant_documentations")) {
    a.relevantDocumentations = chunkReferencesFromJson(*r);
  }
  a.scimAttribute = optStr(j, "scimAttribute");
  a.extra = withoutKeys(j, {"name", "type", "format", "description", "mandatory", "updatable", "creatable",
                            "readable", "multivalue", "returnedByDefault", "relevantDocumentations",
                            "relevant_documentations", "relevant_sequences", "relevantSequences",
                            "scimAttribute"});
  return a;
}

Endpoint endpointFromJson(const OrderedJson& j) {
  Endpoint e;
  e.path = str(j, "path");
  e.method = normalizeEndpointMethod(str(j, "method"));
  e.description = str(j, "description");
  e.responseContentType = optStr(j, "responseContentType");
  e.requestContentType = optStr(j, "requestContentType");
  if (const auto* uses = field(j, "suggestedUse"); uses && uses->is_array()) {
    for (const auto& u : *uses) {
      if (u.is_string() && isSuggestedUse(u.get<std::string>()) &&
          std::find(e.suggestedUse.begin(), e.suggestedUse.end(), u.get<std::string>()) == e.suggestedUse.end()) {
        e.suggestedUse.push_back(u.get<std::string>());
      }
    }
  }
  if (const auto* r = field(j, "relevantDocumentations", "relevant_documentations")) {
    e.relevantDocumentations = chunkReferencesFromJson(*r);
  }
  if (const auto* p = field(j, "pagination"); p && p->is_object()) {
    e.pagination.style = str(*p, "style");
    e.pagination.pageParam = str(*p, "pageParam");
    e.pagination.sizeParam = str(*p, "sizeParam");
    e.pagination.offsetParam = str(*p, "offsetParam");
    e.pagination.cursorParam = str(*p, "cursorParam");
    e.pagination.firstPage = str(*p, "firstPage");
    e.pagination.linkHeader = optBoolean(*p, "linkHeader").value_or(false);
  }
  if (const auto* ps = field(j, "parameters"); ps && ps->is_array()) {
    for (const auto& p : *ps) {
      if (!p.is_object()) continue;
      e.parameters.push_back({str(p, "name"), str(p, "in"), str(p, "type"), str(p, "description"),
                              optBoolean(p, "required").value_or(false)});
    }
  }
  e.responseItemsField = str(j, "responseItemsField");
  e.extra = withoutKeys(j, {"path", "method", "description", "responseContentType", "requestContentType",
                            "suggestedUse", "relevantDocumentations", "relevant_documentations", "pagination",
                            "parameters", "responseItemsField"});
  return e;
}

ConnectivityEndpoint connectivityEndpointFromJson(const OrderedJson& j) {
  ConnectivityEndpoint e;
  e.path = str(j, "path");
  e.method = normalizeEndpointMethod(str(j, "method"));
  e.description = str(j, "description");
  e.responseContentType = optStr(j, "responseContentType");
  e.requestContentType = optStr(j, "requestContentType");
  e.requiresAuth = optBoolean(j, "requiresAuth");
  if (const auto* r = field(j, "relevantDocumentations", "relevant_documentations")) {
    e.relevantDocumentations = chunkReferencesFromJson(*r);
  }
  return e;
}

ObjectClass objectClassFromJson(const OrderedJson& j) {
  ObjectClass c;
  c.name = str(j, "name");
  c.description = str(j, "description");
  c.superclass = optStr(j, "superclass");
  if (c.superclass && c.superclass->empty()) c.superclass.reset();
  c.abstract = optBoolean(j, "abstract");
  c.embedded = optBoolean(j, "embedded");
  std::string relevant = toLower(str(j, "relevant"));
  c.relevant = (relevant == "false" || relevant == "maybe") ? relevant : "true";
  c.confidence = parseConfidence(str(j, "confidence"));
  if (const auto* r = field(j, "relevantDocumentations", "relevant_documentations")) {
    c.relevantDocumentations = chunkReferencesFromJson(*r);
  }
  if (const auto* attrs = field(j, "attributes")) {
    c.attributes = attributesFromResponse(*attrs);
  }
  if (const auto* eps = field(j, "endpoints")) {
    c.endpoints = endpointsFromResponse(*eps);
  }
  c.extra = withoutKeys(j, {"name", "description", "superclass", "abstract", "embedded", "relevant", "confidence",
                            "relevantDocumentations", "relevant_documentations", "attributes", "endpoints"});
  return c;
}

Relation relationFromJson(const OrderedJson& j) {
  Relation r;
  r.name = str(j, "name");
  r.displayName = str(j, "displayName", "display_name");
  r.shortDescription = str(j, "shortDescription", "short_description");
  r.subject = str(j, "subject");
  r.subjectAttribute = str(j, "subjectAttribute", "subject_attribute");
  r.object = str(j, "object");
  r.objectAttribute = str(j, "objectAttribute", "object_attribute");
  return r;
}

AuthMethod authMethodFromJson(const OrderedJson& j) {
  AuthMethod a;
  a.name = str(j, "name");
  a.type = normalizeAuthType(str(j, "type"));
  a.quirks = str(j, "quirks");
  if (const auto* seqs = field(j, "relevantSequences", "relevant_sequences"); seqs && seqs->is_array()) {
    for (const auto& s : *seqs) {
      a.relevantSequences.push_back({str(s, "chunkId", "chunk_id"), str(s, "startSequence", "start_sequence"),
                                     str(s, "endSequence", "end_sequence")});
    }
  }
  if (const auto* r = field(j, "relevantDocumentations", "relevant_documentations")) {
    a.relevantDocumentations = chunkReferencesFromJson(*r);
  }
  if (const auto* d = field(j, "details"); d && d->is_object()) {
    a.details.schemeName = str(*d, "schemeName");
    a.details.in = str(*d, "in");
    a.details.parameterName = str(*d, "parameterName");
    a.details.scheme = str(*d, "scheme");
    a.details.bearerFormat = str(*d, "bearerFormat");
    a.details.tokenUrl = str(*d, "tokenUrl");
    a.details.authorizationUrl = str(*d, "authorizationUrl");
    a.details.openIdConnectUrl = str(*d, "openIdConnectUrl");
    if (const auto* sc = field(*d, "scopes"); sc && sc->is_array()) {
      for (const auto& s : *sc) {
        if (s.is_string()) a.details.scopes.push_back(s.get<std::string>());
      }
    }
  }
  return a;
}

InfoMetadata infoMetadataFromJson(const OrderedJson& j) {
  InfoMetadata info;
  info.name = str(j, "name");
  info.applicationVersion = str(j, "applicationVersion");
  info.apiVersion = str(j, "apiVersion");
  if (const auto* t = field(j, "apiType")) {
    if (t->is_string()) info.apiType.push_back(t->get<std::string>());
    if (t->is_array()) {
      for (const auto& x : *t) {
        if (x.is_string()) info.apiType.push_back(x.get<std::string>());
      }
    }
  }
  if (const auto* b = field(j, "baseApiEndpoint")) {
    auto add = [&info](const OrderedJson& e) {
      if (e.is_object()) info.baseApiEndpoint.push_back({str(e, "uri"), str(e, "type")});
    };
    if (b->is_array()) {
      for (const auto& e : *b) add(e);
    } else {
      add(*b);
    }
  }
  info.databaseName = str(j, "databaseName");
  normalizeInfoMetadata(info);
  return info;
}

namespace {
const OrderedJson* unwrap(const OrderedJson& j, const char* key) {
  if (j.is_object()) {
    auto it = j.find(key);
    if (it != j.end()) return &*it;
  }
  return &j;
}

// The objects of the array `key` of a response (or of the array itself); non-objects are skipped.
template <class T, class FromJson>
std::vector<T> listFromResponse(const OrderedJson& j, const char* key, FromJson fromJson) {
  std::vector<T> out;
  const auto* a = unwrap(j, key);
  if (!a->is_array()) return out;
  for (const auto& item : *a)
    if (item.is_object()) out.push_back(fromJson(item));
  return out;
}
}  // namespace

std::vector<ObjectClass> objectClassesFromResponse(const OrderedJson& j) {
  return listFromResponse<ObjectClass>(j, "objectClasses", objectClassFromJson);
}

std::vector<Attribute> attributesFromResponse(const OrderedJson& j) {
  std::vector<Attribute> out;
  const auto* m = unwrap(j, "attributes");
  if (m->is_object()) {
    for (auto it = m->begin(); it != m->end(); ++it) {
      if (it.value().is_object()) out.push_back(attributeFromJson(it.key(), it.value()));
    }
  } else if (m->is_array()) {  // tolerate [{name, ...}]
    for (const auto& a : *m) {
      if (a.is_object() && !str(a, "name").empty()) out.push_back(attributeFromJson(str(a, "name"), a));
    }
  }
  return out;
}

std::vector<Endpoint> endpointsFromResponse(const OrderedJson& j) {
  return listFromResponse<Endpoint>(j, "endpoints", endpointFromJson);
}

std::vector<ConnectivityEndpoint> connectivityFromResponse(const OrderedJson& j) {
  return listFromResponse<ConnectivityEndpoint>(j, "endpoints", connectivityEndpointFromJson);
}

std::vector<Relation> relationsFromResponse(const OrderedJson& j) {
  return listFromResponse<Relation>(j, "relations", relationFromJson);
}

std::vector<AuthMethod> authFromResponse(const OrderedJson& j) {
  return listFromResponse<AuthMethod>(j, "auth", authMethodFromJson);
}

std::optional<InfoMetadata> infoFromResponse(const OrderedJson& j) {
  const auto* m = unwrap(j, "infoMetadata");
  if (!m->is_object()) return std::nullopt;
  InfoMetadata info = infoMetadataFromJson(*m);
  if (info.empty()) return std::nullopt;
  return info;
}

}  // namespace cg::digest
