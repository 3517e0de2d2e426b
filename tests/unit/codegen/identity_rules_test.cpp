// Rules that decide how objects are identified and found: addressable UID, NAME tiers, path keys,
// the empty-filter list endpoint, reference ("support") filter searches and the bearer alias of an
// Authorization-header API key. Models are small and hand-made; each case has a counter-case
// showing the rule does not fire where it should not.
#include <gtest/gtest.h>

#include <memory>

#include "codegen/dsl_conformance.h"
#include "codegen/dsl_parser.h"
#include "codegen/generators.h"
#include "codegen/model_rules.h"
#include "codegen/package_archive.h"
#include "codegen/package_generator.h"

using namespace cg;
using namespace cg::codegen;
using cg::digest::Attribute;
using cg::digest::Endpoint;
using cg::digest::EndpointParameter;

namespace {

Attribute attr(std::string name, std::string type = "string") {
  Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  return a;
}

Endpoint ep(std::string method, std::string path, std::vector<std::string> uses,
            std::vector<std::string> queryParams = {}) {
  Endpoint e;
  e.method = std::move(method);
  e.path = std::move(path);
  e.suggestedUse = std::move(uses);
  for (auto& q : queryParams) e.parameters.push_back(EndpointParameter{q, "query", "string", "", false});
  return e;
}

Endpoint paged(Endpoint e) {
  e.pagination.style = "page";
  e.pagination.pageParam = "page";
  e.pagination.sizeParam = "limit";
  e.parameters.push_back(EndpointParameter{"page", "query", "integer", "", false});
  e.parameters.push_back(EndpointParameter{"limit", "query", "integer", "", false});
  return e;
}

// Organization as Forgejo documents it: read only through orgs/{org} (keyed by name), with a
// deprecated alias "username" and an email.
ClassCodegenInput organization() {
  ClassCodegenInput in;
  in.className = "Organization";
  auto id = attr("id", "integer");
  id.creatable = false;
  auto username = attr("username");
  username.description = "deprecated";
  in.attributes = {id, attr("name"), username, attr("email")};
  in.endpoints = {paged(ep("GET", "/orgs", {"getAll"})), ep("GET", "/orgs/{org}", {"getById"}),
                  paged(ep("GET", "/users/{username}/orgs", {"list"}))};
  return in;
}

// User with a write-only "username" (only in the create body) next to the readable "login".
ClassCodegenInput user() {
  ClassCodegenInput in;
  in.className = "User";
  auto id = attr("id", "integer");
  id.creatable = false;
  auto username = attr("username");
  username.readable = false;
  in.attributes = {id, attr("login"), attr("login_name"), username, attr("email")};
  in.endpoints = {paged(ep("GET", "/admin/users", {"getAll"}, {"login_name"})),
                  paged(ep("GET", "/users/search", {"search"}, {"q", "uid"})),
                  ep("GET", "/users/{username}", {"getById"}),
                  paged(ep("GET", "/orgs/{org}/members", {"list"})),
                  paged(ep("GET", "/orgs/{org}/repos", {"list"}))};
  return in;
}

void expectConforms(const GeneratedScript& s) {
  auto parsed = parseDsl(s.code);
  ASSERT_TRUE(parsed.errors.empty()) << s.code;
  auto report = checkConformance(parsed.tree, ScriptRole::Operation);
  EXPECT_TRUE(report.errors.empty()) << s.code << report.errors.front().message;
}

}  // namespace

TEST(IdentityRules, UidMustBeAddressable) {
  auto org = organization();
  EXPECT_EQ(chooseUidAttribute(org)->name, "name");  // id cannot be read back; orgs/{org} is keyed by name
  // NAME never repeats the UID; the deprecated alias still beats a mail address (tiers).
  EXPECT_EQ(chooseNameAttribute(org)->name, "username");

  // Counter-case: an equality query parameter on the id makes the id addressable again.
  auto byQuery = organization();
  byQuery.endpoints.push_back(ep("GET", "/orgs/search", {"search"}, {"uid"}));
  EXPECT_EQ(chooseUidAttribute(byQuery)->name, "id");
  EXPECT_EQ(chooseNameAttribute(byQuery)->name, "name");  // the non-deprecated name wins within its tier

  // Counter-case: a get-by-id path keeps the id; SCIM never uses the rule.
  auto byPath = organization();
  byPath.endpoints.push_back(ep("GET", "/orgs/{id}/detail", {"getById"}));
  byPath.endpoints.push_back(ep("GET", "/organizations/{id}", {"getById"}));
  EXPECT_EQ(chooseUidAttribute(byPath)->name, "id");
  auto scim = organization();
  scim.protocol = Protocol::Scim;
  EXPECT_EQ(chooseUidAttribute(scim)->name, "id");
}

TEST(IdentityRules, PathKeysNameReadableAttributes) {
  auto u = user();
  EXPECT_EQ(attributeForPlaceholder(u, "username")->name, "login");  // "username" is write-only
  EXPECT_EQ(attributeForPlaceholder(u, "id")->name, "id");
  auto org = organization();
  EXPECT_EQ(attributeForPlaceholder(org, "org")->name, "name");  // abbreviation of the class name
  EXPECT_EQ(attributeForPlaceholder(org, "repo"), nullptr);
  ClassCodegenInput asanaUser;
  asanaUser.className = "User";
  asanaUser.attributes = {attr("gid"), attr("name")};
  EXPECT_EQ(attributeForPlaceholder(asanaUser, "user_gid")->name, "gid");  // <class>_<uid attribute>
  EXPECT_EQ(attributeForPlaceholder(asanaUser, "team_gid"), nullptr);
  EXPECT_TRUE(segmentNamesClass("orgs", "Organization"));
  EXPECT_TRUE(segmentNamesClass("users", "User"));
  EXPECT_TRUE(segmentNamesClass("policies", "Policy"));
  EXPECT_FALSE(segmentNamesClass("or", "Organization"));  // too short to be an abbreviation
  EXPECT_FALSE(segmentNamesClass("teams", "User"));

  auto id = generateSearch(u, SearchIntent::Id);
  EXPECT_NE(id.code.find("attribute(\"login\").eq().anySingleValue()) {\n                request.pathParameter(\"username\", value)"),
            std::string::npos)
      << id.code;
  auto orgId = generateSearch(org, SearchIntent::Id);
  EXPECT_NE(orgId.code.find("endpoint(\"orgs/{org}\")"), std::string::npos) << orgId.code;
  EXPECT_NE(orgId.code.find("attribute(\"name\")"), std::string::npos) << orgId.code;
  expectConforms(id);
  expectConforms(orgId);
}

TEST(IdentityRules, EmptyFilterEndpointAlsoFiltersOnIdentifiers) {
  auto u = user();
  auto all = generateSearch(u, SearchIntent::All);
  EXPECT_NE(all.code.find("endpoint(\"users/search\")"), std::string::npos) << all.code;
  EXPECT_EQ(all.code.find("admin/users"), std::string::npos) << all.code;
  expectConforms(all);

  // Counter-case: a required search term means the endpoint cannot list everything.
  auto required = user();
  for (auto& e : required.endpoints)
    for (auto& p : e.parameters)
      if (p.name == "q") p.required = true;
  auto all2 = generateSearch(required, SearchIntent::All);
  EXPECT_NE(all2.code.find("endpoint(\"admin/users\")"), std::string::npos) << all2.code;

  // Counter-case: without identifier filters anywhere the documented getAll wins as before.
  auto plain = user();
  plain.endpoints[1].parameters.clear();
  auto all3 = generateSearch(plain, SearchIntent::All);
  EXPECT_NE(all3.code.find("endpoint(\"admin/users\")"), std::string::npos) << all3.code;
}

TEST(IdentityRules, ReferenceAttributesGetSupportSearches) {
  auto u = user();
  auto org = organization();
  auto orgShared = std::make_shared<const ClassCodegenInput>(org);
  auto userShared = std::make_shared<const ClassCodegenInput>(u);
  u.references = {{"organizations", "user_to_organization", "members", orgShared},
                  {"organization", "user_to_organization_via_public_members", "public_members", orgShared}};
  org.references = {{"members", "user_to_organization", "organizations", userShared}};

  auto userFilter = generateSearch(u, SearchIntent::Filter);
  // orgs/{org}/members lists the members of one organization, keyed by the organization's UID.
  EXPECT_NE(userFilter.code.find("endpoint(\"orgs/{org}/members\")"), std::string::npos) << userFilter.code;
  EXPECT_NE(userFilter.code.find("attribute(\"organizations\").eq().anySingleValue()) {\n"
                                 "                request.pathParameter(\"org\", value.value.uid)"),
            std::string::npos)
      << userFilter.code;
  // No relation attribute is named by "repos", and public_members has no endpoint here.
  EXPECT_EQ(userFilter.code.find("orgs/{org}/repos"), std::string::npos) << userFilter.code;
  EXPECT_EQ(userFilter.code.find("attribute(\"organization\")"), std::string::npos) << userFilter.code;
  expectConforms(userFilter);

  // users/{username}/orgs: the user is named by its login (its NAME), so the reference's name fills it.
  auto orgFilter = generateSearch(org, SearchIntent::Filter);
  EXPECT_NE(orgFilter.code.find("attribute(\"members\").eq().anySingleValue()) {\n"
                                "                request.pathParameter(\"username\", value.value.name)"),
            std::string::npos)
      << orgFilter.code;
  expectConforms(orgFilter);

  // Without the relations nothing is invented.
  auto bare = user();
  EXPECT_EQ(generateSearch(bare, SearchIntent::Filter).code.find("orgs/{org}/members"), std::string::npos);
}

TEST(IdentityRules, AuthorizationHeaderKeyIsAlsoBearer) {
  AuthCodegenInput a;
  digest::AuthMethod key;
  key.name = "AuthorizationHeaderToken";
  key.type = "apiKey";
  key.details.in = "header";
  key.details.parameterName = "Authorization";
  key.details.scheme = "token";
  a.documented = {key};
  a.preferred = {{"AuthorizationHeaderToken", "apiKey", ""}};
  auto s = generateAuthentication(a);
  EXPECT_NE(s.code.find("bearer {"), std::string::npos) << s.code;
  EXPECT_NE(s.code.find("request.header(\"Authorization\", \"token \" + decrypt(configuration.restTokenValue))"),
            std::string::npos)
      << s.code;
  EXPECT_NE(s.code.find("preference apiKey, bearer"), std::string::npos) << s.code;
  auto parsed = parseDsl(s.code);
  ASSERT_TRUE(parsed.errors.empty());
  EXPECT_TRUE(checkConformance(parsed.tree, ScriptRole::Authentication).errors.empty()) << s.code;

  // Counter-cases: a key in another header is not a bearer token; a selected real bearer keeps its slot.
  auto other = a;
  other.documented[0].details.parameterName = "X-API-Key";
  EXPECT_EQ(generateAuthentication(other).code.find("bearer"), std::string::npos);
  auto withBearer = a;
  digest::AuthMethod bearer;
  bearer.name = "jwt";
  bearer.type = "bearer";
  withBearer.documented.push_back(bearer);
  withBearer.preferred.push_back({"jwt", "bearer", ""});
  auto s2 = generateAuthentication(withBearer).code;
  EXPECT_EQ(s2.find("\"token \" + decrypt(configuration.restTokenValue)"), std::string::npos) << s2;
  EXPECT_NE(s2.find("bearer {"), std::string::npos) << s2;
}

TEST(IdentityRules, CallerScopedListsComeLastAndAreFlagged) {
  ClassCodegenInput org = organization();
  org.endpoints.insert(org.endpoints.begin(), paged(ep("GET", "/user/orgs", {"getAll"}, {"uid"})));
  auto all = generateSearch(org, SearchIntent::All);
  EXPECT_NE(all.code.find("endpoint(\"orgs\")"), std::string::npos) << all.code;
  EXPECT_EQ(all.code.find("user/orgs"), std::string::npos) << all.code;
  EXPECT_TRUE(all.notes.empty());

  ClassCodegenInput team;
  team.className = "Team";
  team.attributes = {attr("id", "integer"), attr("name")};
  team.endpoints = {paged(ep("GET", "/user/teams", {"getAll"})), ep("GET", "/teams/{id}", {"getById"})};
  auto teamAll = generateSearch(team, SearchIntent::All);
  EXPECT_NE(teamAll.code.find("endpoint(\"user/teams\")"), std::string::npos) << teamAll.code;
  EXPECT_NE(teamAll.code.find("only the authenticated account's objects"), std::string::npos) << teamAll.code;
  ASSERT_EQ(teamAll.notes.size(), 1u);
  expectConforms(teamAll);
}

TEST(IdentityRules, TenantScopeIsLeftToTheBaseUrl) {
  digest::DigestResult d;
  d.info.emplace();
  d.info->baseApiEndpoint.push_back({"https://kc.example/admin/realms", "constant"});
  digest::ObjectClass u;
  u.name = "User";
  u.attributes = {attr("id"), attr("username")};
  u.endpoints = {paged(ep("GET", "/{realm}/users", {"list"})),
                 ep("GET", "/{realm}/attack-detection/brute-force/users/{userId}", {"getById"}),
                 ep("GET", "/{realm}/users/{id}", {"getById"}),
                 ep("DELETE", "/{realm}/attack-detection/brute-force/users/{id}", {"delete"}),
                 ep("DELETE", "/{realm}/users/{id}", {"delete"}),
                 ep("PUT", "/{realm}/users/{id}", {"update"}),
                 ep("GET", "/{realm}/users/count", {}),
                 ep("POST", "/{realm}/users", {"create"}),
                 ep("GET", "/{realm}/groups/{id}/members", {"list"})};
  digest::ObjectClass realm;
  realm.name = "Realm";
  realm.attributes = {attr("id"), attr("realm")};
  realm.endpoints = {ep("GET", "/", {"getAll"})};
  d.objectClasses = {u, realm};
  ASSERT_EQ(scopePlaceholder(d), "realm");  // 9 of 10 paths open with {realm}
  EXPECT_EQ(stripScope("/{realm}/users/{id}", "realm"), "/users/{id}");
  EXPECT_EQ(stripScope("/{realm}", "realm"), "/");
  EXPECT_EQ(stripScope("/{realmId}/x", "realm"), "/{realmId}/x");
  EXPECT_EQ(stripScope("/users", "realm"), "/users");

  auto in = classInputFromDigest(d, d.objectClasses[0]);
  EXPECT_EQ(in.scope, "realm");
  auto all = generateSearch(in, SearchIntent::All);
  EXPECT_NE(all.code.find("endpoint(\"users\")"), std::string::npos) << all.code;
  EXPECT_NE(all.code.find("base URL must end with the realm"), std::string::npos) << all.code;
  // The object's own path wins over a longer one with the same parent segment.
  auto id = generateSearch(in, SearchIntent::Id);
  EXPECT_NE(id.code.find("endpoint(\"users/{id}\")"), std::string::npos) << id.code;
  EXPECT_EQ(id.code.find("attack-detection"), std::string::npos) << id.code;
  auto del = generateDelete(in);
  EXPECT_NE(del.code.find("endpoint(DELETE, \"users/{id}\")"), std::string::npos) << del.code;
  expectConforms(all);
  expectConforms(id);
  expectConforms(del);
  auto readme = packageReadme(d, {}, "Keycloak");
  EXPECT_NE(readme.find("`https://kc.example/admin/realms/<realm>`"), std::string::npos) << readme;

  // Counter-case: 8 of 10 is not "nearly every path".
  d.objectClasses[1].endpoints.push_back(ep("GET", "/serverinfo", {}));
  d.objectClasses[1].endpoints.push_back(ep("GET", "/serverinfo/x", {}));
  d.objectClasses[0].endpoints.pop_back();
  EXPECT_EQ(scopePlaceholder(d), "");
  EXPECT_EQ(classInputFromDigest(d, d.objectClasses[0]).endpoints[0].path, "/{realm}/users");
}

TEST(IdentityRules, ParameterDescriptionsDecideTheOperator) {
  ClassCodegenInput in;
  in.className = "User";
  in.attributes = {attr("id"), attr("username"), attr("email")};
  Endpoint list = paged(ep("GET", "/users", {"list"}, {"q", "search", "username", "email"}));
  for (auto& p : list.parameters) {
    if (p.name == "q") p.description = "A query to search for custom attributes, in the format 'key1:value2'";
    if (p.name == "username") p.description = "A String contained in username, or the complete username if exact";
  }
  list.parameters.push_back(EndpointParameter{"exact", "query", "boolean", "Whether the params must match exactly", false});
  in.endpoints = {list};
  auto f = generateSearch(in, SearchIntent::Filter).code;
  // username: contains, and eq through exact=true; email (no description): eq; q: not a name search.
  EXPECT_NE(f.find("attribute(\"username\").contains().anySingleValue()) {\n                request.queryParameter(\"username\", value)\n"),
            std::string::npos) << f;
  EXPECT_NE(f.find("request.queryParameter(\"username\", value).queryParameter(\"exact\", \"true\")"), std::string::npos) << f;
  EXPECT_NE(f.find("attribute(\"email\").eq()"), std::string::npos) << f;
  EXPECT_EQ(f.find("\"q\""), std::string::npos) << f;
  EXPECT_EQ(f.find("\"search\""), std::string::npos) << f;  // username contains is covered by its own parameter
  EXPECT_EQ(f.find("attribute(\"exact\")"), std::string::npos) << f;

  // Counter-case: without the attribute-named parameter the generic one serves NAME contains.
  in.endpoints[0].parameters.erase(in.endpoints[0].parameters.begin() + 2);
  auto g = generateSearch(in, SearchIntent::Filter).code;
  EXPECT_NE(g.find("attribute(\"username\").contains().anySingleValue()) {\n                request.queryParameter(\"search\", value)"),
            std::string::npos) << g;
}

TEST(IdentityRules, NestedAndKeyedEnvelopesAreUnwrapped) {
  ClassCodegenInput in;
  in.className = "User";
  in.attributes = {attr("id"), attr("email")};
  Endpoint nested = paged(ep("GET", "/users", {"getAll"}));
  nested.responseItemsField = "ocs.data.users";
  in.endpoints = {nested};
  auto a = generateSearch(in, SearchIntent::All).code;
  EXPECT_NE(a.find("return response.body().get(\"ocs\").get(\"data\").get(\"users\")"), std::string::npos) << a;
  in.endpoints[0].extra["responseItemsMap"] = true;
  auto b = generateSearch(in, SearchIntent::All);
  EXPECT_NE(b.code.find("byId.elements().each { objects.add(it) }"), std::string::npos) << b.code;
  expectConforms(b);
  // A GET that is not documented as a list (it may answer ids only) serves no filter search.
  ClassCodegenInput ids;
  ids.className = "User";
  ids.attributes = {attr("id"), attr("email")};
  ids.endpoints = {ep("GET", "/users", {}, {"email"})};
  EXPECT_EQ(generateSearch(ids, SearchIntent::Filter).code.find("endpoint("), std::string::npos);
  ids.endpoints[0].suggestedUse = {"list"};
  EXPECT_NE(generateSearch(ids, SearchIntent::Filter).code.find("endpoint(\"users\")"), std::string::npos);
}

TEST(IdentityRules, ScimExtensionsFoldIntoTheirClass) {
  digest::DigestResult d;
  d.info.emplace();
  d.info->apiType = {"SCIM"};
  digest::ObjectClass user;
  user.name = "User";
  user.attributes = {attr("id"), attr("userName")};
  digest::ObjectClass ext;
  ext.name = "EnterpriseUser";
  ext.extra["extensionOf"] = "User";
  auto number = attr("employeeNumber");
  number.scimAttribute = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber";
  auto clash = attr("userName");
  ext.attributes = {number, clash};
  d.objectClasses = {user, ext};
  digest::Relation rel;
  rel.name = "enterprise_user_to_user_via_manager";
  rel.subject = "enterprise_user";
  rel.subjectAttribute = "manager";
  rel.object = "user";
  d.relations = {rel};

  EXPECT_TRUE(isFoldedExtension(d, d.objectClasses[1]));
  EXPECT_FALSE(isFoldedExtension(d, d.objectClasses[0]));
  auto scripts = generatePackage(d);
  bool extensionScripts = false, relationSkipped = false;
  std::string native;
  for (const auto& s : scripts) {
    if (s.name == "EnterpriseUser") extensionScripts = true;
    if (s.kind == ArtifactKind::NativeSchema && s.name == "User") native = s.script.code;
    if (s.kind == ArtifactKind::Relation) {
      relationSkipped = s.script.code.rfind("// relationship", 0) == 0 && !s.script.notes.empty();
      EXPECT_EQ(s.script.code.find("relationship("), std::string::npos) << s.script.code;
    }
  }
  EXPECT_FALSE(extensionScripts);
  EXPECT_TRUE(relationSkipped);
  EXPECT_NE(native.find("extension(\"enterprise\", \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\")"),
            std::string::npos) << native;
  EXPECT_NE(native.find("attribute(\"employeeNumber\")"), std::string::npos) << native;
  // The base class keeps its own userName (declared once).
  EXPECT_EQ(native.find("attribute(\"userName\")"), native.rfind("attribute(\"userName\")")) << native;

  // Counter-case: without its base class the extension keeps its own scripts.
  d.objectClasses[0].relevant = "false";
  EXPECT_FALSE(isFoldedExtension(d, d.objectClasses[1]));
}
