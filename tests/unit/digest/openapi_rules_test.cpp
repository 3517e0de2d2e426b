// Rule-by-rule tests of the OpenAPI digester on small hand-made specifications.
#include <gtest/gtest.h>

#include "digest/model.h"
#include "digest/openapi/naming.h"
#include "digest/openapi/openapi_digester.h"
#include "digest/openapi/schema_resolver.h"

using namespace cg;
using namespace cg::digest;
using namespace cg::digest::openapi;

namespace {
DigestResult digestText(const std::string& text, const EvidenceIndex& evidence = {}) {
  std::vector<Diagnostic> diags;
  auto doc = parseSpecText(text, "doc1", diags);
  EXPECT_TRUE(doc.has_value());
  if (!doc) return {};
  return digestOpenApi(*doc, "doc1", evidence);
}
const Attribute* attr(const ObjectClass* c, const std::string& name) {
  if (!c) return nullptr;
  for (const auto& a : c->attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}
const Endpoint* endpoint(const ObjectClass* c, const std::string& method, const std::string& path) {
  if (!c) return nullptr;
  for (const auto& e : c->endpoints) {
    if (e.method == method && e.path == path) return &e;
  }
  return nullptr;
}

// A small user/group API in OpenAPI 3.0 YAML.
const char* kUsersApi = R"(openapi: 3.0.3
info: {title: Example IdM, version: 2.1.0}
servers:
  - url: https://{tenant}.example.com/api/v2
    variables: {tenant: {default: acme}}
security: [{bearerAuth: []}]
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
    basicAuth: {type: http, scheme: basic}
    apiKeyQuery: {type: apiKey, in: query, name: api_key}
    cc:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /oauth/token, scopes: {read: Read}}
  schemas:
    Entity:
      type: object
      properties:
        id: {type: string, readOnly: true}
    User:
      allOf:
        - $ref: '#/components/schemas/Entity'
        - type: object
          required: [userName]
          properties:
            userName: {type: string, description: Login name.}
            password: {type: string, writeOnly: true}
            emails: {type: array, items: {type: string, format: email}}
            manager: {$ref: '#/components/schemas/User'}
            groupIds: {type: array, items: {type: string}}
    UserMini:
      type: object
      properties:
        id: {type: string}
        nickName: {type: string}
    Group:
      type: object
      properties:
        id: {type: string}
        displayName: {type: string}
    CreateUserRequest:
      type: object
      required: [userName, password]
      properties:
        userName: {type: string}
        password: {type: string}
        emails: {type: array, items: {type: string}}
    UserPatch:
      type: object
      properties:
        emails: {type: array, items: {type: string}}
    Error:
      type: object
      properties:
        code: {type: integer}
        message: {type: string}
    UserPage:
      type: object
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/UserMini'}}
        next: {type: string}
paths:
  /users:
    get:
      summary: List users
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: filter, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/UserPage'}}}
        default:
          description: error
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
    post:
      summary: Create a user
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/CreateUserRequest'}}}
      responses:
        '201':
          description: created
          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
  /users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      summary: Get a user
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
    patch:
      summary: Update a user
      requestBody:
        content: {application/merge-patch+json: {schema: {$ref: '#/components/schemas/UserPatch'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
    delete:
      summary: Delete a user
      responses: {'204': {description: gone}}
  /users/{id}/lifecycle/deactivate:
    post:
      summary: Deactivate a user
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /users/{id}/groups:
    get:
      summary: Groups of a user
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Group'}}}}
  /groups:
    get:
      summary: List groups
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/Group'}}}}}}
  /groups/{groupId}:
    get:
      summary: Get a group
      parameters: [{name: groupId, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Group'}}}}
  /groups/{groupId}/members:
    get:
      summary: Members of a group
      parameters: [{name: groupId, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/User'}}}}
  /groups/{groupId}/members/{userId}:
    put:
      summary: Add a member
      responses: {'204': {description: ok}}
  /me:
    get:
      summary: The authenticated user
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
  /status:
    get:
      summary: Service status
      security: []
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}}
)";
}  // namespace

TEST(OpenApiNaming, VariantsRequestShapesAndNoise) {
  EXPECT_EQ(resourceBaseName("User--Full"), "User");
  EXPECT_EQ(resourceBaseName("UserMini"), "User");
  EXPECT_EQ(resourceBaseName("UserRepresentation"), "User");
  EXPECT_EQ(resourceBaseName("UserBaseResponse"), "User");
  EXPECT_EQ(resourceBaseName("GroupDetails"), "Group");
  EXPECT_EQ(resourceBaseName("RoleAssignment"), "RoleAssignment");
  EXPECT_EQ(requestShapeOf("CreateUserOption").kind, RequestKind::Create);
  EXPECT_EQ(requestShapeOf("CreateUserOption").resource, "User");
  EXPECT_EQ(requestShapeOf("EditUserOption").kind, RequestKind::Update);
  EXPECT_EQ(requestShapeOf("UserUpdateRequest").resource, "User");
  EXPECT_EQ(requestShapeOf("UserRequest").kind, RequestKind::Any);
  EXPECT_EQ(requestShapeOf("User").kind, RequestKind::None);
  EXPECT_TRUE(isNoiseName("Error"));
  EXPECT_TRUE(isNoiseName("UserListResponse"));
  EXPECT_TRUE(isNoiseName("PaginationLinks"));
  EXPECT_FALSE(isNoiseName("UserDetails"));
  EXPECT_LT(igaPriority("User"), igaPriority("Group"));
  EXPECT_LT(igaPriority("Team"), igaPriority("Organization"));
  EXPECT_EQ(igaPriority("Repository"), kNotIga);
  EXPECT_TRUE(segmentNamesClass("orgs", "Organization"));
  EXPECT_FALSE(segmentNamesClass("members", "User"));
  EXPECT_EQ(singularize("policies"), "policy");
  EXPECT_EQ(pluralize("policy"), "policies");
}

TEST(OpenApiRules, ClassesVariantsMergedAndWrappersExcluded) {
  auto r = digestText(kUsersApi);
  std::vector<std::string> names;
  for (const auto& c : r.objectClasses) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"User", "Group"}));  // no UserMini, Error, UserPage, CreateUserRequest
  const auto* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->confidence, Confidence::High);
  EXPECT_EQ(user->relevant, "true");
  EXPECT_NE(attr(user, "nickName"), nullptr);  // from the UserMini variant
}

TEST(OpenApiRules, AllOfMergeAndFlags) {
  auto r = digestText(kUsersApi);
  const auto* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  const auto* id = attr(user, "id");  // inherited through allOf
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->creatable, false);  // readOnly
  EXPECT_EQ(id->updatable, false);
  EXPECT_EQ(id->readable, true);
  const auto* userName = attr(user, "userName");
  ASSERT_NE(userName, nullptr);
  EXPECT_EQ(userName->mandatory, true);
  EXPECT_EQ(userName->creatable, true);   // in CreateUserRequest
  EXPECT_EQ(userName->updatable, false);  // not in UserPatch
  EXPECT_EQ(userName->description, "Login name.");
  const auto* password = attr(user, "password");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->readable, false);  // writeOnly
  EXPECT_EQ(password->returnedByDefault, false);
  const auto* emails = attr(user, "emails");
  ASSERT_NE(emails, nullptr);
  EXPECT_EQ(emails->multivalue, true);
  EXPECT_EQ(emails->type, "string");
  EXPECT_EQ(emails->format, "email");
  EXPECT_EQ(emails->updatable, true);
  const auto* manager = attr(user, "manager");  // self reference, cycle-safe
  ASSERT_NE(manager, nullptr);
  EXPECT_EQ(manager->type, "User");
  EXPECT_EQ(manager->format, "reference");
}

TEST(OpenApiRules, DecoratedAliasIsTheResourceItself) {
  auto r = digestText(R"(openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /users:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/UserWithLinks"}}}}
  /users/{id}/card:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/UserCard"}}}}
components:
  schemas:
    User: {type: object, properties: {id: {type: string}, login: {type: string}}}
    UserWithLinks:
      allOf:
        - $ref: "#/components/schemas/User"
        - {type: object, properties: {_links: {type: object}, _embedded: {type: object}}}
    UserCard:
      allOf:
        - $ref: "#/components/schemas/User"
        - {type: object, properties: {title: {type: string}}}
)");
  const auto* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_NE(endpoint(user, "GET", "/users/{id}"), nullptr);
  EXPECT_EQ(r.findClass("UserWithLinks"), nullptr);
  // Counter-case: a real extension (a property of its own) stays a schema of its own.
  EXPECT_EQ(endpoint(user, "GET", "/users/{id}/card"), nullptr);
}

TEST(OpenApiRules, OffsetTokenIsACursor) {
  auto r = digestText(R"(openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /users:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, description: "Offset token returned by the previous page.", schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
  /groups:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, description: "Number of items to skip.", schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Group"}}}}}
components:
  schemas:
    User: {type: object, properties: {id: {type: string}, login: {type: string}}}
    Group: {type: object, properties: {id: {type: string}, name: {type: string}}}
)");
  const auto* users = endpoint(r.findClass("User"), "GET", "/users");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->pagination.style, "cursor");
  EXPECT_EQ(users->pagination.cursorParam, "offset");
  const auto* groups = endpoint(r.findClass("Group"), "GET", "/groups");
  ASSERT_NE(groups, nullptr);
  EXPECT_EQ(groups->pagination.style, "offset");  // counter-case: a numeric offset
}

TEST(OpenApiRules, MapKeyedByIdIsAList) {
  auto r = digestText(R"(openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /users/details:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  ocs:
                    type: object
                    properties:
                      meta: {type: object, properties: {status: {type: string}}}
                      data:
                        type: object
                        properties:
                          users:
                            type: object
                            additionalProperties:
                              anyOf: [{$ref: "#/components/schemas/UserDetails"}, {type: object, properties: {id: {type: string}}}]
components:
  schemas:
    UserDetails: {type: object, properties: {id: {type: string}, email: {type: string}}}
)");
  ASSERT_FALSE(r.objectClasses.empty());
  const auto& c = r.objectClasses[0];
  const Endpoint* e = endpoint(&c, "GET", "/users/details");
  ASSERT_NE(e, nullptr) << c.name;
  EXPECT_EQ(e->responseItemsField, "ocs.data.users");
  ASSERT_TRUE(e->extra.contains("responseItemsMap"));
  EXPECT_EQ(e->extra["responseItemsMap"], true);
}

TEST(OpenApiRules, EndpointsSuggestedUseAndPagination) {
  auto r = digestText(kUsersApi);
  const auto* user = r.findClass("User");
  const auto* list = endpoint(user, "GET", "/users");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->suggestedUse, (std::vector<std::string>{"getAll", "search"}));
  EXPECT_EQ(list->pagination.style, "offset");
  EXPECT_EQ(list->pagination.offsetParam, "offset");
  EXPECT_EQ(list->pagination.sizeParam, "limit");
  EXPECT_EQ(list->responseItemsField, "items");
  ASSERT_NE(endpoint(user, "POST", "/users"), nullptr);
  EXPECT_EQ(endpoint(user, "POST", "/users")->suggestedUse, std::vector<std::string>{"create"});
  EXPECT_EQ(endpoint(user, "GET", "/users/{id}")->suggestedUse, std::vector<std::string>{"getById"});
  EXPECT_EQ(endpoint(user, "PATCH", "/users/{id}")->suggestedUse, std::vector<std::string>{"update"});
  EXPECT_EQ(endpoint(user, "PATCH", "/users/{id}")->requestContentType, "application/merge-patch+json");
  EXPECT_EQ(endpoint(user, "DELETE", "/users/{id}")->suggestedUse, std::vector<std::string>{"delete"});
  const auto* deactivate = endpoint(user, "POST", "/users/{id}/lifecycle/deactivate");
  ASSERT_NE(deactivate, nullptr);
  EXPECT_EQ(deactivate->suggestedUse, std::vector<std::string>{"deactivate"});
  const auto* group = r.findClass("Group");
  const auto* groups = endpoint(group, "GET", "/groups");
  ASSERT_NE(groups, nullptr);
  EXPECT_EQ(groups->pagination.style, "cursor");
  EXPECT_EQ(groups->responseItemsField, "data");
  const auto* members = endpoint(user, "GET", "/groups/{groupId}/members");
  ASSERT_NE(members, nullptr);
  EXPECT_EQ(members->suggestedUse, std::vector<std::string>{"list"});
  EXPECT_TRUE(members->pagination.linkHeader);
  const auto* add = endpoint(group, "PUT", "/groups/{groupId}/members/{userId}");  // membership → parent class
  ASSERT_NE(add, nullptr);
  EXPECT_TRUE(add->suggestedUse.empty());
}

TEST(OpenApiRules, RelationsFromNestedPathsAndIdProperties) {
  auto r = digestText(kUsersApi);
  ASSERT_FALSE(r.relations.empty());
  const Relation& rel = r.relations[0];
  EXPECT_EQ(rel.subject, "user");
  EXPECT_EQ(rel.object, "group");
  EXPECT_EQ(rel.name, "user_to_group");
  EXPECT_EQ(rel.displayName, "User to Group");
  EXPECT_EQ(rel.objectAttribute, "members");
  // User has both groupIds (property) and groups (from /users/{id}/groups): property preferred.
  EXPECT_EQ(rel.subjectAttribute, "groupIds");
  for (const auto& x : r.relations) {
    EXPECT_NE(r.findClass(x.subject), nullptr);
    EXPECT_NE(r.findClass(x.object), nullptr);
  }
  const auto* members = attr(r.findClass("Group"), "members");
  ASSERT_NE(members, nullptr);
  EXPECT_EQ(members->type, "User");
  EXPECT_EQ(members->multivalue, true);
  EXPECT_EQ(members->updatable, true);  // PUT /groups/{groupId}/members/{userId}
  EXPECT_EQ(members->returnedByDefault, false);
}

TEST(OpenApiRules, AuthAliasesAndQuirks) {
  auto r = digestText(kUsersApi);
  ASSERT_EQ(r.auth.size(), 4u);
  EXPECT_EQ(r.auth[0].type, "jwtBearer");  // globally required first
  std::vector<std::string> types;
  for (const auto& a : r.auth) types.push_back(a.type);
  EXPECT_EQ(types, (std::vector<std::string>{"jwtBearer", "basic", "apiKey", "oauth2ClientCredentials"}));
  EXPECT_NE(r.auth[2].quirks.find("query parameter `api_key`"), std::string::npos);
  EXPECT_EQ(r.auth[2].details.in, "query");
  EXPECT_EQ(r.auth[3].details.tokenUrl, "/oauth/token");
}

TEST(OpenApiRules, Swagger2ApiKeyPrefixAndHostBasePath) {
  auto r = digestText(R"({"swagger":"2.0","info":{"title":"T","version":"v3"},"host":"api.Example.com","basePath":"/V3",
    "schemes":["http","https"],
    "securityDefinitions":{"tok":{"type":"apiKey","in":"header","name":"Authorization",
      "description":"Tokens must be prefixed with SSWS"},
      "o":{"type":"oauth2","flow":"password","tokenUrl":"https://x/token"}},
    "paths":{}})");
  ASSERT_TRUE(r.info.has_value());
  ASSERT_EQ(r.info->baseApiEndpoint.size(), 1u);
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "https://api.Example.com/V3");  // case kept
  EXPECT_EQ(r.info->baseApiEndpoint[0].type, "constant");
  EXPECT_EQ(r.info->apiVersion, "3");
  ASSERT_EQ(r.auth.size(), 2u);
  EXPECT_EQ(r.auth[0].details.scheme, "SSWS");
  EXPECT_NE(r.auth[0].quirks.find("SSWS"), std::string::npos);
  EXPECT_EQ(r.auth[1].type, "oauth2Password");
}

TEST(OpenApiRules, ServersWithVariablesAreDynamic) {
  auto r = digestText(kUsersApi);
  ASSERT_TRUE(r.info.has_value());
  EXPECT_EQ(r.info->name, "Example IdM");
  EXPECT_EQ(r.info->apiVersion, "2");
  EXPECT_EQ(r.info->applicationVersion, "2.1.0");
  EXPECT_EQ(r.info->apiType, std::vector<std::string>{"REST"});
  ASSERT_EQ(r.info->baseApiEndpoint.size(), 1u);
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "https://{tenant}.example.com/api/v2");
  EXPECT_EQ(r.info->baseApiEndpoint[0].type, "dynamic");
}

TEST(OpenApiRules, ConnectivityPrefersCurrentUserAndSkipsPublic) {
  auto r = digestText(kUsersApi);
  ASSERT_GE(r.connectivityEndpoints.size(), 2u);
  EXPECT_EQ(r.connectivityEndpoints[0].path, "/me");
  EXPECT_EQ(r.connectivityEndpoints[0].requiresAuth, true);
  EXPECT_EQ(r.connectivityEndpoints[1].path, "/users");
  for (const auto& e : r.connectivityEndpoints) EXPECT_NE(e.path, "/status");
}

TEST(OpenApiRules, CyclicRefsTerminateWithPartialResult) {
  auto r = digestText(R"({"openapi":"3.0.0","info":{"title":"c","version":"1"},
    "components":{"schemas":{
      "A":{"$ref":"#/components/schemas/B"},"B":{"$ref":"#/components/schemas/A"},
      "Node":{"type":"object","properties":{"id":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/components/schemas/Node"}},
        "loop":{"$ref":"#/components/schemas/A"},"ext":{"$ref":"other.yaml#/Thing"},"bad":{"$ref":"#/nowhere"}}},
      "Deep":{"allOf":[{"$ref":"#/components/schemas/Deep"},{"properties":{"x":{"type":"integer"}}}]}}},
    "paths":{"/nodes":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":
      {"type":"array","items":{"$ref":"#/components/schemas/Node"}}}}}}}},
      "/deep/{id}":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Deep"}}}}}}}}})");
  const auto* node = r.findClass("Node");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(attr(node, "children")->type, "Node");
  EXPECT_EQ(attr(node, "children")->multivalue, true);
  EXPECT_NE(attr(node, "ext"), nullptr);
  EXPECT_FALSE(r.diagnostics.empty());  // unresolved #/nowhere is reported
  const auto* deep = r.findClass("Deep");
  ASSERT_NE(deep, nullptr);
  EXPECT_NE(attr(deep, "x"), nullptr);
}

TEST(OpenApiRules, DiscriminatorAndSuperclass) {
  auto r = digestText(R"({"openapi":"3.1.0","info":{"title":"d","version":"1"},
    "components":{"schemas":{
      "Principal":{"type":"object","discriminator":{"propertyName":"kind"},
        "oneOf":[{"$ref":"#/components/schemas/Account"}],
        "properties":{"kind":{"type":"string"},"id":{"type":["string","null"]}}},
      "Account":{"allOf":[{"$ref":"#/components/schemas/Principal"},{"type":"object","properties":{"login":{"type":"string"}}}]}}},
    "paths":{"/principals":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/Principal"}}}}}}}},
             "/accounts/{id}":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Account"}}}}}}}}})");
  const auto* account = r.findClass("Account");
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->superclass, "Principal");
  EXPECT_NE(attr(account, "kind"), nullptr);
  EXPECT_EQ(attr(account, "id")->type, "string");  // 3.1 type array with null
  const auto* principal = r.findClass("Principal");
  ASSERT_NE(principal, nullptr);
  EXPECT_EQ(principal->abstract, true);
}

TEST(OpenApiRules, EvidenceIndexGivesRelevantDocumentations) {
  EvidenceIndex evidence;
  evidence.add("doc1", "/components/schemas/User", "chunk-user");
  evidence.add("doc1", "/paths/~1users", "chunk-paths");
  evidence.add("doc1", "/components/securitySchemes", "chunk-auth");
  auto r = digestText(kUsersApi, evidence);
  const auto* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_NE(std::find(user->relevantDocumentations.begin(), user->relevantDocumentations.end(),
                      ChunkReference{"doc1", "chunk-user"}),
            user->relevantDocumentations.end());
  EXPECT_EQ(endpoint(user, "GET", "/users")->relevantDocumentations,
            (std::vector<ChunkReference>{{"doc1", "chunk-paths"}}));
  EXPECT_TRUE(endpoint(user, "GET", "/users/{id}")->relevantDocumentations.empty());
  EXPECT_EQ(attr(user, "userName")->relevantDocumentations, (std::vector<ChunkReference>{{"doc1", "chunk-user"}}));
  EXPECT_EQ(r.auth[0].relevantDocumentations, (std::vector<ChunkReference>{{"doc1", "chunk-auth"}}));
}

TEST(OpenApiRules, DeterministicJson) {
  auto a = digestText(kUsersApi);
  auto b = digestText(kUsersApi);
  EXPECT_EQ(dumpJson(objectClassesResponse(a.objectClasses)), dumpJson(objectClassesResponse(b.objectClasses)));
  EXPECT_EQ(dumpJson(attributesResponse(a.objectClasses[0].attributes)),
            dumpJson(attributesResponse(b.objectClasses[0].attributes)));
  EXPECT_EQ(dumpJson(relationsResponse(a.relations)), dumpJson(relationsResponse(b.relations)));
}

TEST(OpenApiRules, BadInputNeverThrows) {
  std::vector<Diagnostic> diags;
  EXPECT_FALSE(parseSpecText("{\"openapi\": \"3.0.0\", \"paths\": {", "d", diags).has_value());
  EXPECT_FALSE(diags.empty());
  for (const char* text : {"[]", "42", R"({"openapi":"3.0.0","paths":[]})", R"({"openapi":"3.0.0","paths":{"/x":{"get":7}}})",
                           R"({"swagger":"2.0","definitions":{"A":{"properties":5}},"paths":{"/a":{"get":{"responses":{"200":{"schema":{"$ref":"#/definitions/A"}}}}}}})",
                           R"({"openapi":"3.0.0","components":{"securitySchemes":{"x":{"type":"oauth2","flows":7}}}})"}) {
    auto doc = OrderedJson::parse(text);
    EXPECT_NO_THROW(digestOpenApi(doc, "d")) << text;
  }
  EXPECT_FALSE(isOpenApiDocument(OrderedJson::parse("{\"a\":1}")));
}
