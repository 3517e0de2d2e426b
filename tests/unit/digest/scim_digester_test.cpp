// SCIM digester: built-in RFC 7643 schemas, server /Schemas + /ResourceTypes documents, the corpus,
// SCIM described inside OpenAPI, and protocol detection.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "digest/openapi/openapi_digester.h"
#include "digest/protocol.h"
#include "digest/scim/scim_digester.h"

using namespace cg;
using namespace cg::digest;
using namespace cg::digest::scim;

namespace {
const Attribute* attr(const ObjectClass* c, const std::string& name) {
  if (!c) return nullptr;
  for (const auto& a : c->attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}
std::vector<std::string> names(const std::vector<Attribute>& attrs) {
  std::vector<std::string> out;
  for (const auto& a : attrs) out.push_back(a.name);
  return out;
}
const Endpoint* endpoint(const ObjectClass* c, const std::string& method, const std::string& path) {
  if (!c) return nullptr;
  for (const auto& e : c->endpoints) {
    if (e.method == method && e.path == path) return &e;
  }
  return nullptr;
}
std::optional<std::string> readCorpus(const std::string& rel) {
  const char* shared = std::getenv("CG_SHARED_DIR");
  std::ifstream in(std::string(shared ? shared : "/work/shared") + "/corpus/" + rel, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(ScimDigester, BuiltInCoreSchemasWithoutDocuments) {
  DigestResult r = digestScim(std::vector<ScimDocument>{});
  ASSERT_GE(r.objectClasses.size(), 3u);
  EXPECT_EQ(r.objectClasses[0].name, "User");
  EXPECT_EQ(r.objectClasses[1].name, "Group");
  EXPECT_EQ(r.objectClasses[2].name, "EnterpriseUser");
  EXPECT_EQ(r.objectClasses[2].superclass, "User");
  const ObjectClass* user = r.findClass("User");
  // §3.1 common attributes are present (the reference missed them).
  EXPECT_EQ(names(user->attributes).front(), "id");
  EXPECT_NE(attr(user, "externalId"), nullptr);
  EXPECT_NE(attr(user, "meta"), nullptr);
  const Attribute* userName = attr(user, "userName");
  EXPECT_EQ(userName->type, "string");
  EXPECT_EQ(userName->format, std::nullopt);
  EXPECT_EQ(userName->mandatory, true);
  EXPECT_EQ(userName->creatable, true);
  EXPECT_EQ(userName->updatable, true);
  EXPECT_EQ(userName->readable, true);
  EXPECT_EQ(userName->multivalue, false);
  EXPECT_EQ(userName->returnedByDefault, true);
  EXPECT_EQ(userName->scimAttribute, "userName");
  EXPECT_EQ(userName->extra["uniqueness"], "server");
  const Attribute* id = attr(user, "id");
  EXPECT_EQ(id->creatable, false);
  EXPECT_EQ(id->updatable, false);
  EXPECT_EQ(id->mandatory, false);
  const Attribute* password = attr(user, "password");
  EXPECT_EQ(password->readable, false);
  EXPECT_EQ(password->returnedByDefault, false);
  const Attribute* phones = attr(user, "phoneNumbers");
  EXPECT_EQ(phones->type, "UserPhoneNumbers");
  EXPECT_EQ(phones->format, "embedded");
  EXPECT_EQ(phones->multivalue, true);
  EXPECT_EQ(attr(user, "profileUrl")->format, "uri");
  // Embedded classes: names, flags, sub-attribute paths; no endpoints.
  for (const char* n : {"UserName", "UserEmails", "UserPhoneNumbers", "UserIms", "UserPhotos", "UserAddresses", "UserGroups",
                        "UserEntitlements", "UserRoles", "UserX509Certificates", "GroupMembers", "EnterpriseUserManager"}) {
    const ObjectClass* c = r.findClass(n);
    ASSERT_NE(c, nullptr) << n;
    EXPECT_EQ(c->embedded, true) << n;
    EXPECT_EQ(c->superclass, std::nullopt) << n;
    EXPECT_TRUE(c->endpoints.empty()) << n;
  }
  const ObjectClass* phoneClass = r.findClass("UserPhoneNumbers");
  EXPECT_EQ(names(phoneClass->attributes), (std::vector<std::string>{"value", "display", "type", "primary"}));
  EXPECT_EQ(attr(phoneClass, "value")->scimAttribute, "phoneNumbers.value");
  const ObjectClass* groupsClass = r.findClass("UserGroups");
  EXPECT_EQ(attr(groupsClass, "value")->updatable, false);
  EXPECT_EQ(attr(groupsClass, "value")->creatable, false);
  EXPECT_EQ(attr(groupsClass, "$ref")->format, "reference");
  EXPECT_EQ(attr(groupsClass, "$ref")->scimAttribute, "groups.$ref");
  const ObjectClass* members = r.findClass("GroupMembers");
  EXPECT_EQ(attr(members, "value")->creatable, true);  // immutable
  EXPECT_EQ(attr(members, "value")->updatable, false);
  EXPECT_EQ(attr(r.findClass("UserEmails"), "value")->format, "email");
  // Extension attributes carry URN paths.
  const ObjectClass* ent = r.findClass("EnterpriseUser");
  EXPECT_EQ(attr(ent, "employeeNumber")->scimAttribute, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber");
  EXPECT_EQ(attr(r.findClass("EnterpriseUserManager"), "value")->scimAttribute,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
  EXPECT_TRUE(ent->endpoints.empty());
  EXPECT_EQ(r.info->apiType, std::vector<std::string>{"SCIM"});
}

TEST(ScimDigester, StandardEndpointsAndRelations) {
  DigestResult r = digestScim(std::vector<ScimDocument>{});
  const ObjectClass* user = r.findClass("User");
  ASSERT_EQ(user->endpoints.size(), 6u);
  const Endpoint* list = endpoint(user, "GET", "/Users");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->suggestedUse, (std::vector<std::string>{"getAll", "search"}));
  EXPECT_EQ(list->pagination.style, "offset");
  EXPECT_EQ(list->pagination.offsetParam, "startIndex");
  EXPECT_EQ(list->pagination.sizeParam, "count");
  EXPECT_EQ(list->responseItemsField, "Resources");
  EXPECT_EQ(endpoint(user, "POST", "/Users")->suggestedUse, std::vector<std::string>{"create"});
  EXPECT_EQ(endpoint(user, "POST", "/Users")->requestContentType, "application/scim+json");
  EXPECT_EQ(endpoint(user, "GET", "/Users/{id}")->suggestedUse, std::vector<std::string>{"getById"});
  EXPECT_EQ(endpoint(user, "PATCH", "/Users/{id}")->suggestedUse, std::vector<std::string>{"update"});
  EXPECT_EQ(endpoint(user, "DELETE", "/Users/{id}")->responseContentType, std::nullopt);
  EXPECT_NE(endpoint(r.findClass("Group"), "PUT", "/Groups/{id}"), nullptr);
  bool userToGroup = false;
  for (const auto& rel : r.relations) {
    if (rel.subject == "user" && rel.object == "group") {
      userToGroup = true;
      EXPECT_EQ(rel.subjectAttribute, "groups");
      EXPECT_EQ(rel.objectAttribute, "members");
      EXPECT_EQ(rel.name, "user_to_group");
    }
    EXPECT_NE(rel.subject, rel.object);
  }
  EXPECT_TRUE(userToGroup);
  ASSERT_FALSE(r.connectivityEndpoints.empty());
  EXPECT_EQ(r.connectivityEndpoints[0].path, "/Users");
  EXPECT_EQ(r.connectivityEndpoints[0].requiresAuth, true);
  EXPECT_TRUE(r.auth.empty());  // nothing documented
}

TEST(ScimDigester, ServerDocumentsCustomResourceExtensionAndConfig) {
  auto schemas = OrderedJson::parse(R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [
    {"id": "urn:acme:Device", "name": "Device", "description": "A device",
     "meta": {"location": "https://scim.acme.io/v2/Schemas/urn:acme:Device"},
     "attributes": [
      {"name": "serial", "type": "string", "required": true, "mutability": "immutable", "uniqueness": "global"},
      {"name": "owner", "type": "complex", "subAttributes": [
         {"name": "value", "type": "string"}, {"name": "$ref", "type": "reference", "referenceTypes": ["User"]}]},
      {"name": "lastSeen", "type": "dateTime", "mutability": "READ_ONLY", "returned": "request"},
      {"name": "weight", "type": "decimal"},
      {"name": "nested", "type": "complex", "subAttributes": [
         {"name": "deep", "type": "complex", "subAttributes": [{"name": "x", "type": "string"}]}]}]},
    {"id": "urn:ietf:params:scim:schemas:extension:acme:2.0:User", "name": "AcmeUser",
     "attributes": [{"name": "badge", "type": "integer"}]}]})");
  auto types = OrderedJson::parse(R"([
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User",
     "endpoint": "https://scim.acme.io/v2/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
     "schemaExtensions": [{"schema": "urn:ietf:params:scim:schemas:extension:acme:2.0:User", "required": true}]},
    {"id": "Device", "name": "Device", "endpoint": "/Devices", "schema": "urn:acme:Device"}])");
  auto config = OrderedJson::parse(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    "patch": {"supported": false}, "filter": {"supported": true, "maxResults": 100}, "bulk": {"supported": false},
    "authenticationSchemes": [{"type": "oauthbearertoken", "name": "OAuth Bearer Token", "description": "Use a token."},
                              {"type": "httpbasic", "name": "HTTP Basic"}]})");
  openapi::EvidenceIndex evidence;
  evidence.add("schemas", scimEvidencePointer("urn:acme:Device"), "chunk-device");
  evidence.add("types", scimEvidencePointer("Device"), "chunk-rt");
  DigestResult r = digestScim({{"schemas", &schemas}, {"types", &types}, {"config", &config}}, evidence);
  // Declared resource types only: no Group.
  EXPECT_EQ(r.findClass("Group"), nullptr);
  const ObjectClass* device = r.findClass("Device");
  ASSERT_NE(device, nullptr);
  EXPECT_EQ(device->confidence, Confidence::High);
  EXPECT_EQ(device->extra["endpoint"], "/Devices");
  EXPECT_EQ(device->relevantDocumentations.size(), 2u);
  EXPECT_EQ(attr(device, "serial")->mandatory, true);
  EXPECT_EQ(attr(device, "serial")->updatable, false);
  EXPECT_EQ(attr(device, "serial")->extra["uniqueness"], "global");
  EXPECT_EQ(attr(device, "lastSeen")->format, "date-time");
  EXPECT_EQ(attr(device, "lastSeen")->creatable, false);
  EXPECT_EQ(attr(device, "lastSeen")->returnedByDefault, false);
  EXPECT_EQ(attr(device, "weight")->type, "number");
  EXPECT_EQ(attr(device, "owner")->type, "DeviceOwner");
  EXPECT_EQ(attr(device, "id")->scimAttribute, "id");  // common attribute added
  EXPECT_TRUE(r.findClass("DeviceNested")->attributes.size() == 1u);  // deeper nesting dropped
  // PATCH is not supported → not offered; absolute endpoint → base URL + relative path.
  EXPECT_EQ(endpoint(device, "PATCH", "/Devices/{id}"), nullptr);
  const ObjectClass* user = r.findClass("User");
  EXPECT_NE(endpoint(user, "GET", "/Users"), nullptr);
  const ObjectClass* ext = r.findClass("AcmeUser");
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(ext->superclass, "User");
  EXPECT_EQ(ext->extra["required"], true);
  EXPECT_EQ(attr(ext, "badge")->type, "integer");
  EXPECT_EQ(attr(ext, "badge")->scimAttribute, "urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge");
  ASSERT_TRUE(r.info.has_value());
  ASSERT_EQ(r.info->baseApiEndpoint.size(), 1u);
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "https://scim.acme.io/v2");
  EXPECT_EQ(r.info->baseApiEndpoint[0].type, "constant");
  ASSERT_EQ(r.auth.size(), 2u);
  EXPECT_EQ(r.auth[0].type, "bearer");
  EXPECT_EQ(r.auth[1].type, "basic");
  bool deviceToUser = false;
  for (const auto& rel : r.relations) deviceToUser = deviceToUser || (rel.subject == "device" && rel.object == "user" && rel.subjectAttribute == "owner");
  EXPECT_TRUE(deviceToUser);
  bool warned = false;
  for (const auto& d : r.diagnostics) warned = warned || d.message.find("one level") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(ScimDigester, HostileDocuments) {
  for (const char* text : {"", "{", "[]", "null", "{\"Resources\": 5}", "{\"attributes\": [1, 2, {}], \"id\": \"x\"}",
                           "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:ResourceType\"], \"name\": \"X\"}"}) {
    DigestResult r = digestScimText(text, "d");
    EXPECT_TRUE(r.info.has_value() || !r.diagnostics.empty()) << text;
  }
  std::string deep(10000, '[');
  DigestResult r = digestScimText(deep, "d");
  EXPECT_TRUE(r.objectClasses.empty());
  EXPECT_FALSE(r.diagnostics.empty());
}

TEST(ScimDigester, Deterministic) {
  DigestResult a = digestScim(std::vector<ScimDocument>{});
  DigestResult b = digestScim(std::vector<ScimDocument>{});
  EXPECT_EQ(objectClassesResponse(a.objectClasses).dump(), objectClassesResponse(b.objectClasses).dump());
  for (size_t i = 0; i < a.objectClasses.size(); ++i) {
    EXPECT_EQ(attributesResponse(a.objectClasses[i].attributes).dump(), attributesResponse(b.objectClasses[i].attributes).dump());
  }
}

TEST(ScimCorpus, SchemaAndResourceTypeDocuments) {
  std::vector<std::string> files = {"users.json", "groups.json", "enterprise-user.json", "resourcetype-user.json",
                                    "resourcetype-group.json"};
  std::vector<OrderedJson> roots;
  for (const auto& f : files) {
    auto text = readCorpus("scim/" + f);
    if (!text) GTEST_SKIP() << "corpus file scim/" << f << " not found (CG_SHARED_DIR)";
    roots.push_back(OrderedJson::parse(*text));
  }
  std::vector<ScimDocument> docs;
  for (size_t i = 0; i < files.size(); ++i) docs.push_back({files[i], &roots[i]});
  DigestResult r = digestScim(docs);
  ASSERT_GE(r.objectClasses.size(), 3u);
  EXPECT_EQ(r.objectClasses[0].name, "User");
  EXPECT_EQ(r.objectClasses[1].name, "Group");
  EXPECT_EQ(r.objectClasses[2].name, "EnterpriseUser");
  const ObjectClass* user = r.findClass("User");
  EXPECT_EQ(user->description, "User Account");
  EXPECT_EQ(attr(user, "id")->returnedByDefault, true);
  EXPECT_EQ(attr(user, "id")->mandatory, false);  // required but readOnly: the server assigns it
  EXPECT_EQ(attr(user, "userName")->mandatory, true);
  EXPECT_EQ(attr(user, "emails")->type, "UserEmails");
  EXPECT_EQ(attr(user, "groups")->creatable, false);
  EXPECT_NE(endpoint(user, "GET", "/Users/{id}"), nullptr);
  EXPECT_EQ(attr(r.findClass("UserName"), "givenName")->scimAttribute, "name.givenName");
  EXPECT_EQ(attr(r.findClass("Group"), "displayName")->mandatory, true);
  EXPECT_EQ(attr(r.findClass("EnterpriseUser"), "costCenter")->scimAttribute,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter");
  EXPECT_NE(r.findClass("EnterpriseUserManager"), nullptr);
  EXPECT_EQ(r.findClass("EnterpriseUser")->superclass, "User");
}

TEST(ScimCorpus, ScimDevSchemasListResponse) {
  auto text = readCorpus("scim/scim.dev-Schemas.json");
  if (!text) GTEST_SKIP() << "corpus file scim/scim.dev-Schemas.json not found (CG_SHARED_DIR)";
  DigestResult r = digestScimText(*text, "scimdev");
  const ObjectClass* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  // The server's own User schema replaces the RFC one: only its attributes (+ id/meta).
  EXPECT_EQ(names(user->attributes), (std::vector<std::string>{"id", "userName", "externalId", "name", "active", "password",
                                                                "emails", "groups", "roles", "meta"}));
  EXPECT_EQ(attr(user, "password")->returnedByDefault, false);
  EXPECT_EQ(attr(user, "groups")->type, "UserGroups");  // type "string" with sub-attributes → complex
  // Enterprise extension (named "User" by the server) keeps the EnterpriseUser name.
  const ObjectClass* ent = r.findClass("EnterpriseUser");
  ASSERT_NE(ent, nullptr);
  EXPECT_EQ(names(ent->attributes), std::vector<std::string>{"employeeNumber"});
  // Custom resource without a ResourceType document: inferred endpoint, medium confidence.
  const ObjectClass* office = r.findClass("Office");
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(office->confidence, Confidence::Medium);
  EXPECT_NE(endpoint(office, "GET", "/Offices"), nullptr);
  EXPECT_EQ(attr(office, "name")->mandatory, true);
  EXPECT_EQ(r.findClass("OfficeEmployees")->embedded, true);
  ASSERT_EQ(r.info->baseApiEndpoint.size(), 1u);
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "https://api.scim.dev/scim/v2");
  bool userToGroup = false;
  for (const auto& rel : r.relations) userToGroup = userToGroup || (rel.subject == "user" && rel.object == "group");
  EXPECT_TRUE(userToGroup);
}

TEST(ScimCorpus, PagerDutyOpenApiMarkedScim) {
  auto text = readCorpus("scim/pagerduty-scim-openapiv3.json");
  if (!text) GTEST_SKIP() << "corpus file scim/pagerduty-scim-openapiv3.json not found (CG_SHARED_DIR)";
  auto detection = detectProtocol(*text);
  EXPECT_EQ(detection.apiType, "REST");
  EXPECT_TRUE(detection.describesScim);
  std::vector<Diagnostic> diags;
  auto root = openapi::parseSpecText(*text, "pd", diags);
  ASSERT_TRUE(root.has_value());
  DigestResult r = openapi::digestOpenApi(*root, "pd");
  size_t filled = applyScimSemantics(r);
  EXPECT_GT(filled, 3u);
  EXPECT_EQ(r.info->apiType.front(), "SCIM");
  const ObjectClass* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  ASSERT_NE(attr(user, "userName"), nullptr);
  EXPECT_EQ(attr(user, "userName")->scimAttribute, "userName");
  if (const Attribute* id = attr(user, "id")) {
    EXPECT_EQ(id->scimAttribute, "id");
  }
  if (const Attribute* name = attr(user, "name"); name && name->type) {
    if (const ObjectClass* nameClass = r.findClass(*name->type)) {
      if (const Attribute* given = attr(nameClass, "givenName")) {
        EXPECT_EQ(given->scimAttribute, "name.givenName");
      }
    }
  }
  EXPECT_EQ(applyScimSemantics(r), 0u);  // idempotent
}

TEST(ScimOpenApiOverlay, FillsCoreExtensionAndNestedPaths) {
  DigestResult r;
  ObjectClass user;
  user.name = "User";
  Attribute a;
  a.name = "userName";
  user.attributes.push_back(a);
  a.name = "name";
  a.type = "UserNameObject";
  user.attributes.push_back(a);
  a.name = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  a.type = "EnterpriseExt";
  user.attributes.push_back(a);
  a.name = "nickname_custom";
  a.type = std::nullopt;
  user.attributes.push_back(a);
  ObjectClass nameClass;
  nameClass.name = "UserNameObject";
  Attribute g;
  g.name = "givenName";
  nameClass.attributes.push_back(g);
  ObjectClass ext;
  ext.name = "EnterpriseExt";
  Attribute e;
  e.name = "department";
  ext.attributes.push_back(e);
  r.objectClasses = {user, nameClass, ext};
  EXPECT_EQ(applyScimSemantics(r), 5u);
  EXPECT_EQ(r.objectClasses[0].attributes[0].scimAttribute, "userName");
  EXPECT_EQ(r.objectClasses[0].attributes[3].scimAttribute, std::nullopt);
  EXPECT_EQ(r.objectClasses[1].attributes[0].scimAttribute, "name.givenName");
  EXPECT_EQ(r.objectClasses[2].attributes[0].scimAttribute,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
  EXPECT_EQ(r.info->apiType, std::vector<std::string>{"SCIM"});
}

TEST(ScimSemantics, DiscoveryResourcesAreNotIdentities) {
  DigestResult r;
  for (const char* n : {"User", "Group", "Schema", "ServiceProviderConfig", "ResourceType", "Device"}) {
    ObjectClass c;
    c.name = n;
    r.objectClasses.push_back(c);
  }
  applyScimSemantics(r);
  for (const auto& c : r.objectClasses) {
    bool meta = c.name == "Schema" || c.name == "ServiceProviderConfig" || c.name == "ResourceType";
    EXPECT_EQ(c.relevant, meta ? "false" : "true") << c.name;
  }
}
