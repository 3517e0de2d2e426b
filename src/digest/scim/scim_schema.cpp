#include "digest/scim/scim_schema.h"

#include <algorithm>

#include "util/strings.h"

namespace cg::digest::scim {
namespace {

// Fluent builder for the built-in definitions (facts from RFC 7643 §4 and §8.7; wording ours).
struct Def {
  ScimAttributeDef d;
  Def(std::string name, std::string type, std::string description) {
    d.name = std::move(name);
    d.type = std::move(type);
    d.description = std::move(description);
  }
  Def& multi() { d.multiValued = true; return *this; }
  Def& required() { d.required = true; return *this; }
  Def& caseExact() { d.caseExact = true; return *this; }
  Def& mutability(std::string m) { d.mutability = std::move(m); return *this; }
  Def& returned(std::string r) { d.returned = std::move(r); return *this; }
  Def& unique(std::string u) { d.uniqueness = std::move(u); return *this; }
  Def& canonical(std::vector<std::string> v) { d.canonicalValues = std::move(v); return *this; }
  Def& refs(std::vector<std::string> v) { d.referenceTypes = std::move(v); return *this; }
  Def& sub(std::vector<Def> subs) {
    d.type = "complex";
    for (auto& s : subs) d.subAttributes.push_back(std::move(s.d));
    return *this;
  }
  operator ScimAttributeDef() const { return d; }
};

// The usual sub-attributes of a multi-valued attribute (RFC 7643 §2.4).
std::vector<Def> multiValuedSubs(const std::string& what, std::string valueType, std::vector<std::string> types,
                                 std::vector<std::string> valueRefs = {}) {
  Def value("value", std::move(valueType), "The " + what + " value.");
  if (!valueRefs.empty()) value.refs(std::move(valueRefs));
  Def type("type", "string", "A label for the " + what + ", e.g. its function.");
  if (!types.empty()) type.canonical(std::move(types));
  return {value, Def("display", "string", "A human-readable form of the " + what + ", for display only."), type,
          Def("primary", "boolean", "Marks the preferred " + what + "; at most one value is primary.")};
}

std::vector<ScimSchemaDef> buildCoreSchemas() {
  std::vector<ScimSchemaDef> out;

  ScimSchemaDef user;
  user.id = std::string(kUserSchema);
  user.name = "User";
  user.description = "User Account";
  user.builtIn = true;
  std::vector<Def> userAttrs = {
      Def("userName", "string", "The service provider's unique identifier of the user, typically used to sign in.")
          .required()
          .unique("server"),
      Def("name", "complex", "The components of the user's real name.")
          .sub({Def("formatted", "string", "The full name, formatted for display."),
                Def("familyName", "string", "The family (last) name."),
                Def("givenName", "string", "The given (first) name."),
                Def("middleName", "string", "The middle name(s)."),
                Def("honorificPrefix", "string", "Honorific prefix, e.g. 'Ms.'."),
                Def("honorificSuffix", "string", "Honorific suffix, e.g. 'III'.")}),
      Def("displayName", "string", "The name of the user as it is displayed to end users."),
      Def("nickName", "string", "The casual name of the user."),
      Def("profileUrl", "reference", "A URI of the user's online profile.").refs({"external"}),
      Def("title", "string", "The user's title, e.g. 'Vice President'."),
      Def("userType", "string", "The relationship between the organization and the user, e.g. 'Employee'."),
      Def("preferredLanguage", "string", "The user's preferred written or spoken language (language tag)."),
      Def("locale", "string", "The user's default location for localizing values (language tag)."),
      Def("timezone", "string", "The user's time zone (IANA time zone name)."),
      Def("active", "boolean", "The user's administrative status."),
      Def("password", "string", "The user's clear-text password, only ever sent to the service provider.")
          .mutability("writeOnly")
          .returned("never"),
      Def("emails", "complex", "Email addresses of the user.")
          .multi()
          .sub(multiValuedSubs("email address", "string", {"work", "home", "other"})),
      Def("phoneNumbers", "complex", "Phone numbers of the user.")
          .multi()
          .sub(multiValuedSubs("phone number", "string", {"work", "home", "mobile", "fax", "pager", "other"})),
      Def("ims", "complex", "Instant messaging addresses of the user.")
          .multi()
          .sub(multiValuedSubs("instant messaging address", "string",
                               {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"})),
      Def("photos", "complex", "URIs of images of the user.")
          .multi()
          .sub(multiValuedSubs("photo", "reference", {"photo", "thumbnail"}, {"external"})),
      Def("addresses", "complex", "Physical mailing addresses of the user.")
          .multi()
          .sub({Def("formatted", "string", "The full mailing address, formatted for display."),
                Def("streetAddress", "string", "The street address, e.g. house number and street name."),
                Def("locality", "string", "The city or locality."),
                Def("region", "string", "The state or region."),
                Def("postalCode", "string", "The zip or postal code."),
                Def("country", "string", "The country (ISO 3166-1 alpha-2 code)."),
                Def("type", "string", "A label for the address.").canonical({"work", "home", "other"}),
                Def("primary", "boolean", "Marks the preferred mailing address.")}),
      Def("groups", "complex", "Groups the user belongs to, directly or indirectly; managed through the Group resource.")
          .multi()
          .mutability("readOnly")
          .sub({Def("value", "string", "The id of the group.").mutability("readOnly"),
                Def("$ref", "reference", "The URI of the group.").refs({"User", "Group"}).mutability("readOnly"),
                Def("display", "string", "A human-readable name of the group.").mutability("readOnly"),
                Def("type", "string", "How the membership was derived.")
                    .canonical({"direct", "indirect"})
                    .mutability("readOnly")}),
      Def("entitlements", "complex", "Entitlements of the user.")
          .multi()
          .sub(multiValuedSubs("entitlement", "string", {})),
      Def("roles", "complex", "Roles of the user.").multi().sub(multiValuedSubs("role", "string", {})),
      Def("x509Certificates", "complex", "X.509 certificates issued to the user.")
          .multi()
          .sub(multiValuedSubs("certificate", "binary", {})),
  };
  for (auto& a : userAttrs) user.attributes.push_back(a);
  out.push_back(std::move(user));

  ScimSchemaDef group;
  group.id = std::string(kGroupSchema);
  group.name = "Group";
  group.description = "Group";
  group.builtIn = true;
  std::vector<Def> groupAttrs = {
      Def("displayName", "string", "A human-readable name of the group.").required(),
      Def("members", "complex", "The members of the group.")
          .multi()
          .sub({Def("value", "string", "The id of the member resource.").mutability("immutable"),
                Def("$ref", "reference", "The URI of the member resource.").refs({"User", "Group"}).mutability("immutable"),
                Def("display", "string", "A human-readable name of the member.").mutability("immutable"),
                Def("type", "string", "The kind of the member resource.")
                    .canonical({"User", "Group"})
                    .mutability("immutable")}),
  };
  for (auto& a : groupAttrs) group.attributes.push_back(a);
  out.push_back(std::move(group));

  ScimSchemaDef enterprise;
  enterprise.id = std::string(kEnterpriseUserSchema);
  enterprise.name = "EnterpriseUser";
  enterprise.description = "Enterprise User";
  enterprise.builtIn = true;
  std::vector<Def> enterpriseAttrs = {
      Def("employeeNumber", "string", "An identifier assigned to the person by the organization."),
      Def("costCenter", "string", "The name of a cost center."),
      Def("organization", "string", "The name of an organization."),
      Def("division", "string", "The name of a division."),
      Def("department", "string", "The name of a department."),
      Def("manager", "complex", "The user's manager.")
          .sub({Def("value", "string", "The id of the manager's User resource."),
                Def("$ref", "reference", "The URI of the manager's User resource.").refs({"User"}),
                Def("displayName", "string", "The display name of the manager.").mutability("readOnly")}),
  };
  for (auto& a : enterpriseAttrs) enterprise.attributes.push_back(a);
  out.push_back(std::move(enterprise));
  return out;
}

// ---------------------------------------------------------------- lenient JSON readers
std::string str(const OrderedJson& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}
std::optional<bool> boolean(const OrderedJson& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {
    std::string s = toLower(trim(it->get<std::string>()));
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return std::nullopt;
}
std::vector<std::string> strings(const OrderedJson& j, const char* key, size_t cap = 200) {
  std::vector<std::string> out;
  if (!j.is_object()) return out;
  auto it = j.find(key);
  if (it == j.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array()) {
    for (const auto& v : *it) {
      if (out.size() >= cap) break;
      if (v.is_string()) out.push_back(v.get<std::string>());
      else if (v.is_number() || v.is_boolean()) out.push_back(v.dump());
    }
  }
  return out;
}

// Normalises enum-like characteristic values to the RFC's spelling ("READ_ONLY" → "readOnly").
std::string canonicalWord(const std::string& value, std::initializer_list<const char*> allowed, const char* fallback) {
  std::string key;
  for (char c : value) {
    if (std::isalnum(static_cast<unsigned char>(c))) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  for (const char* a : allowed) {
    if (toLower(a) == key) return a;
  }
  return fallback;
}

bool listsUrn(const OrderedJson& resource, std::string_view urn) {
  for (const auto& s : strings(resource, "schemas")) {
    if (iequals(s, urn)) return true;
  }
  return false;
}

std::string metaLocation(const OrderedJson& resource) {
  if (!resource.is_object()) return "";
  auto it = resource.find("meta");
  if (it == resource.end()) return "";
  return str(*it, "location");
}

}  // namespace

ScimAttributeDef parseScimAttribute(const OrderedJson& j, int depth, std::vector<Diagnostic>& diagnostics,
                                    const std::string& docId, const std::string& location,
                                    const ScimParseOptions& options) {
  ScimAttributeDef a;
  a.name = str(j, "name");
  a.type = canonicalWord(str(j, "type"), {"string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"},
                         "string");
  if (auto v = boolean(j, "multiValued")) a.multiValued = *v;
  a.description = str(j, "description");
  if (auto v = boolean(j, "required")) a.required = *v;
  if (auto v = boolean(j, "caseExact")) a.caseExact = *v;
  a.mutability = canonicalWord(str(j, "mutability"), {"readOnly", "readWrite", "immutable", "writeOnly"}, "readWrite");
  a.returned = canonicalWord(str(j, "returned"), {"always", "never", "default", "request"}, "default");
  a.uniqueness = canonicalWord(str(j, "uniqueness"), {"none", "server", "global"}, "none");
  a.canonicalValues = strings(j, "canonicalValues");
  a.referenceTypes = strings(j, "referenceTypes");
  auto subs = j.is_object() ? j.find("subAttributes") : j.end();
  if (j.is_object() && subs != j.end() && subs->is_array() && !subs->empty()) {
    if (depth >= 1) {
      diagnostics.push_back({Diagnostic::Severity::Warning, docId, location,
                             "sub-attribute '" + a.name + "' has its own sub-attributes; SCIM allows one level, ignored"});
    } else {
      size_t index = 0;
      for (const auto& s : *subs) {
        if (a.subAttributes.size() >= options.maxSubAttributes) break;
        std::string subLocation = location + "/subAttributes/" + std::to_string(index++);
        ScimAttributeDef sub = parseScimAttribute(s, depth + 1, diagnostics, docId, subLocation, options);
        if (sub.name.empty()) {
          diagnostics.push_back({Diagnostic::Severity::Warning, docId, subLocation, "sub-attribute without a name skipped"});
          continue;
        }
        a.subAttributes.push_back(std::move(sub));
      }
      if (a.type != "complex") {
        diagnostics.push_back({Diagnostic::Severity::Info, docId, location,
                               "attribute '" + a.name + "' has type '" + a.type + "' but sub-attributes; treated as complex"});
      }
    }
  }
  return a;
}

ScimDocumentContent parseScimDocument(const OrderedJson& root, const std::string& docId, const ScimParseOptions& options) {
  ScimDocumentContent out;
  std::vector<std::pair<const OrderedJson*, std::string>> resources;  // value, JSON pointer
  if (root.is_array()) {
    size_t i = 0;
    for (const auto& r : root) {
      if (resources.size() >= options.maxResources) break;
      resources.emplace_back(&r, "/" + std::to_string(i++));
    }
  } else if (root.is_object()) {
    auto list = root.find("Resources");
    if (list != root.end() && list->is_array()) {
      size_t i = 0;
      for (const auto& r : *list) {
        if (resources.size() >= options.maxResources) break;
        resources.emplace_back(&r, "/Resources/" + std::to_string(i++));
      }
    } else {
      resources.emplace_back(&root, "");
    }
  }
  for (const auto& [resource, pointer] : resources) {
    const OrderedJson& r = *resource;
    if (!r.is_object()) continue;
    bool isSchema = listsUrn(r, kSchemaUrn) || (r.contains("attributes") && r["attributes"].is_array() && r.contains("id"));
    bool isResourceType = listsUrn(r, kResourceTypeUrn) || (r.contains("endpoint") && r.contains("schema"));
    bool isConfig = listsUrn(r, kServiceProviderConfigUrn) || r.contains("authenticationSchemes") ||
                    (r.contains("patch") && r.contains("filter"));
    if (isSchema) {
      ScimSchemaDef s;
      s.id = str(r, "id");
      s.name = str(r, "name");
      s.description = str(r, "description");
      s.docId = docId;
      s.location = metaLocation(r);
      if (s.id.empty()) {
        out.diagnostics.push_back({Diagnostic::Severity::Warning, docId, pointer, "SCIM schema without an id skipped"});
        continue;
      }
      size_t index = 0;
      auto attrs = r.find("attributes");
      const OrderedJson empty = OrderedJson::array();
      const OrderedJson& attributeList = (attrs != r.end() && attrs->is_array()) ? *attrs : empty;
      for (const auto& a : attributeList) {
        std::string location = pointer + "/attributes/" + std::to_string(index++);
        if (s.attributes.size() >= options.maxAttributesPerSchema) {
          out.diagnostics.push_back({Diagnostic::Severity::Warning, docId, location, "attribute limit reached"});
          break;
        }
        ScimAttributeDef def = parseScimAttribute(a, 0, out.diagnostics, docId, location, options);
        if (def.name.empty()) {
          out.diagnostics.push_back({Diagnostic::Severity::Warning, docId, location, "attribute without a name skipped"});
          continue;
        }
        bool duplicate = std::any_of(s.attributes.begin(), s.attributes.end(),
                                     [&](const ScimAttributeDef& x) { return iequals(x.name, def.name); });
        if (duplicate) {
          out.diagnostics.push_back({Diagnostic::Severity::Warning, docId, location, "duplicate attribute '" + def.name + "' skipped"});
          continue;
        }
        s.attributes.push_back(std::move(def));
      }
      out.schemas.push_back(std::move(s));
    } else if (isResourceType) {
      ScimResourceTypeDef t;
      t.id = str(r, "id");
      t.name = str(r, "name");
      t.description = str(r, "description");
      t.endpoint = str(r, "endpoint");
      t.schema = str(r, "schema");
      t.docId = docId;
      t.location = metaLocation(r);
      if (t.name.empty()) t.name = t.id;
      auto ext = r.find("schemaExtensions");
      if (ext != r.end() && ext->is_array()) {
        for (const auto& e : *ext) {
          if (t.extensions.size() >= 100) break;
          std::string urn = e.is_string() ? e.get<std::string>() : str(e, "schema");
          if (urn.empty()) continue;
          t.extensions.push_back({urn, boolean(e, "required").value_or(false)});
        }
      }
      if (t.name.empty() || t.schema.empty()) {
        out.diagnostics.push_back({Diagnostic::Severity::Warning, docId, pointer, "SCIM resource type without name or schema skipped"});
        continue;
      }
      out.resourceTypes.push_back(std::move(t));
    } else if (isConfig) {
      ScimServiceProviderConfig c;
      auto supported = [&](const char* key) -> std::optional<bool> {
        auto it = r.find(key);
        if (it == r.end()) return std::nullopt;
        return boolean(*it, "supported");
      };
      c.patchSupported = supported("patch");
      c.bulkSupported = supported("bulk");
      c.filterSupported = supported("filter");
      c.changePasswordSupported = supported("changePassword");
      c.sortSupported = supported("sort");
      c.etagSupported = supported("etag");
      if (auto f = r.find("filter"); f != r.end() && f->is_object()) {
        auto m = f->find("maxResults");
        if (m != f->end() && m->is_number_integer()) c.filterMaxResults = m->get<long long>();
      }
      c.documentationUri = str(r, "documentationUri");
      c.docId = docId;
      c.location = metaLocation(r);
      auto schemes = r.find("authenticationSchemes");
      if (schemes != r.end() && schemes->is_array()) {
        for (const auto& s : *schemes) {
          if (c.authenticationSchemes.size() >= 50) break;
          ScimAuthenticationScheme a;
          a.type = str(s, "type");
          a.name = str(s, "name");
          a.description = str(s, "description");
          a.specUri = str(s, "specUri");
          a.documentationUri = str(s, "documentationUri");
          a.primary = boolean(s, "primary").value_or(false);
          if (!a.type.empty() || !a.name.empty()) c.authenticationSchemes.push_back(std::move(a));
        }
      }
      out.serviceProviderConfig = std::move(c);
    }
  }
  return out;
}

const std::vector<ScimSchemaDef>& coreScimSchemas() {
  static const std::vector<ScimSchemaDef> schemas = buildCoreSchemas();
  return schemas;
}

const ScimSchemaDef* findCoreScimSchema(std::string_view urn) {
  for (const auto& s : coreScimSchemas()) {
    if (iequals(s.id, urn)) return &s;
  }
  return nullptr;
}

std::vector<ScimAttributeDef> commonScimAttributes() {
  std::vector<ScimAttributeDef> out;
  out.push_back(Def("id", "string", "The service provider's unique, stable identifier of the resource.")
                    .caseExact()
                    .mutability("readOnly")
                    .returned("always")
                    .unique("server"));
  out.push_back(Def("externalId", "string", "An identifier of the resource defined by the provisioning client.").caseExact());
  out.push_back(Def("meta", "complex", "Resource metadata maintained by the service provider.")
                    .mutability("readOnly")
                    .sub({Def("resourceType", "string", "The name of the resource type.").caseExact().mutability("readOnly"),
                          Def("created", "dateTime", "When the resource was added.").mutability("readOnly"),
                          Def("lastModified", "dateTime", "When the resource was last changed.").mutability("readOnly"),
                          Def("location", "reference", "The URI of the resource.").refs({"uri"}).mutability("readOnly"),
                          Def("version", "string", "The version (entity tag) of the resource.")
                              .caseExact()
                              .mutability("readOnly")}));
  return out;
}

ScimSchemaDef withCommonAttributes(ScimSchemaDef schema) {
  auto has = [&](const char* name) {
    return std::any_of(schema.attributes.begin(), schema.attributes.end(),
                       [&](const ScimAttributeDef& a) { return iequals(a.name, name); });
  };
  auto common = commonScimAttributes();
  std::vector<ScimAttributeDef> front;
  if (!has("id")) front.push_back(common[0]);
  if (!has("externalId")) front.push_back(common[1]);
  schema.attributes.insert(schema.attributes.begin(), front.begin(), front.end());
  if (!has("meta")) schema.attributes.push_back(common[2]);
  return schema;
}

bool isExtensionSchemaUrn(std::string_view urn) { return toLower(urn).find(":extension:") != std::string::npos; }

}  // namespace cg::digest::scim
