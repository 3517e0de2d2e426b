// The OpenAPI digester on the real specifications of the shared corpus (skipped when absent).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "digest/model.h"
#include "digest/openapi/openapi_digester.h"

using namespace cg;
using namespace cg::digest;
using namespace cg::digest::openapi;

namespace {
std::string corpusPath(const std::string& rel) {
  const char* shared = std::getenv("CG_SHARED_DIR");
  return std::string(shared ? shared : "/work/shared") + "/corpus/" + rel;
}
std::optional<DigestResult> digestCorpus(const std::string& rel) {
  std::ifstream in(corpusPath(rel), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<Diagnostic> diags;
  auto doc = parseSpecText(ss.str(), rel, diags);
  EXPECT_TRUE(doc.has_value()) << rel;
  if (!doc) return std::nullopt;
  EXPECT_TRUE(isOpenApiDocument(*doc));
  return digestOpenApi(*doc, rel);
}
const Attribute* attr(const ObjectClass* c, const std::string& name) {
  if (!c) return nullptr;
  for (const auto& a : c->attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}
bool hasEndpoint(const ObjectClass* c, const std::string& method, const std::string& path, const std::string& use) {
  if (!c) return false;
  for (const auto& e : c->endpoints) {
    if (e.method == method && e.path == path) {
      return use.empty() || std::find(e.suggestedUse.begin(), e.suggestedUse.end(), use) != e.suggestedUse.end();
    }
  }
  return false;
}
bool hasRelation(const DigestResult& r, const std::string& s, const std::string& o) {
  for (const auto& x : r.relations) {
    if (x.subject == s && x.object == o) return true;
  }
  return false;
}
#define LOAD_OR_SKIP(var, rel)                                                   \
  auto var##Opt = digestCorpus(rel);                                             \
  if (!var##Opt) GTEST_SKIP() << "corpus file " << rel << " not found (CG_SHARED_DIR)"; \
  const DigestResult& var = *var##Opt
}  // namespace

TEST(OpenApiCorpus, Forgejo) {
  LOAD_OR_SKIP(r, "forgejo/swagger.v1.json");
  ASSERT_GE(r.objectClasses.size(), 3u);
  EXPECT_EQ(r.objectClasses[0].name, "User");
  const auto* user = r.findClass("User");
  const auto* org = r.findClass("Organization");
  const auto* team = r.findClass("Team");
  ASSERT_TRUE(user && org && team);
  EXPECT_EQ(user->confidence, Confidence::High);
  EXPECT_EQ(attr(user, "email")->format, "email");
  EXPECT_EQ(attr(user, "id")->type, "integer");
  EXPECT_EQ(attr(user, "password")->readable, false);       // only in Create/EditUserOption
  EXPECT_EQ(attr(user, "password")->creatable, true);
  EXPECT_EQ(attr(user, "full_name")->updatable, true);
  EXPECT_EQ(attr(user, "created_at")->creatable, true);
  EXPECT_EQ(attr(team, "organization")->type, "Organization");
  EXPECT_EQ(attr(org, "members")->type, "User");
  EXPECT_TRUE(hasEndpoint(user, "GET", "/users/search", "search"));
  EXPECT_TRUE(hasEndpoint(user, "POST", "/admin/users", "create"));
  EXPECT_TRUE(hasEndpoint(user, "PATCH", "/admin/users/{username}", "update"));
  EXPECT_TRUE(hasEndpoint(org, "GET", "/orgs/{org}", "getById"));
  EXPECT_TRUE(hasEndpoint(team, "POST", "/orgs/{org}/teams", "create"));
  for (const auto& e : user->endpoints) {
    if (e.path == "/users/search") {
      EXPECT_EQ(e.pagination.pageParam, "page");
      EXPECT_EQ(e.pagination.sizeParam, "limit");
      EXPECT_EQ(e.responseItemsField, "data");
    }
  }
  EXPECT_TRUE(hasRelation(r, "user", "organization"));
  EXPECT_TRUE(hasRelation(r, "user", "team"));
  EXPECT_TRUE(hasRelation(r, "team", "organization"));
  ASSERT_TRUE(r.info.has_value());
  EXPECT_EQ(r.info->name, "Forgejo API");
  ASSERT_EQ(r.info->baseApiEndpoint.size(), 1u);
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "/api/v1");
  ASSERT_FALSE(r.auth.empty());
  EXPECT_EQ(r.auth[0].details.parameterName, "Authorization");
  EXPECT_EQ(r.auth[0].details.scheme, "token");
  ASSERT_FALSE(r.connectivityEndpoints.empty());
  EXPECT_EQ(r.connectivityEndpoints[0].path, "/user");
}

TEST(OpenApiCorpus, OktaManagementMinimal) {
  LOAD_OR_SKIP(r, "okta/management-minimal.yaml");
  EXPECT_EQ(r.objectClasses[0].name, "User");
  const auto* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_NE(attr(user, "profile"), nullptr);
  EXPECT_NE(attr(user, "status"), nullptr);
  EXPECT_EQ(attr(user, "properties"), nullptr);  // UserSchema is not a User variant
  EXPECT_NE(r.findClass("Group"), nullptr);
  EXPECT_NE(r.findClass("Application"), nullptr);
  ASSERT_TRUE(r.info.has_value());
  EXPECT_EQ(r.info->baseApiEndpoint[0].type, "dynamic");
  EXPECT_EQ(r.auth[0].type, "apiKey");
  EXPECT_EQ(r.auth[0].details.scheme, "SSWS");
  // GET /users/{id} answers UserGetSingleton = allOf [User, {_embedded}]: the User itself.
  EXPECT_EQ(r.findClass("UserGetSingleton"), nullptr);
  bool getById = false;
  for (const auto& e : user->endpoints) getById = getById || (e.method == "GET" && e.path == "/api/v1/users/{id}");
  EXPECT_TRUE(getById);
}

TEST(OpenApiCorpus, Asana) {
  LOAD_OR_SKIP(r, "asana/asana_oas.yaml");
  const auto* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(r.objectClasses[0].name, "User");
  EXPECT_NE(attr(user, "gid"), nullptr);
  EXPECT_NE(attr(user, "email"), nullptr);
  EXPECT_EQ(r.findClass("UserCompact"), nullptr);  // variant merged
  EXPECT_NE(r.findClass("Team"), nullptr);
  EXPECT_NE(r.findClass("Workspace"), nullptr);
  EXPECT_TRUE(hasRelation(r, "user", "team"));
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "https://app.asana.com/api/1.0");
}

TEST(OpenApiCorpus, Keycloak) {
  LOAD_OR_SKIP(r, "keycloak/keycloak-23.0.7.yml");
  std::vector<std::string> top;
  for (size_t i = 0; i < 3 && i < r.objectClasses.size(); ++i) top.push_back(r.objectClasses[i].name);
  EXPECT_EQ(top, (std::vector<std::string>{"User", "Group", "Role"}));  // *Representation merged
  const auto* user = r.findClass("User");
  EXPECT_NE(attr(user, "username"), nullptr);
  EXPECT_TRUE(hasRelation(r, "user", "group"));
  EXPECT_EQ(r.auth.size(), 1u);
  EXPECT_EQ(r.auth[0].type, "bearer");
}

TEST(OpenApiCorpus, NextcloudProvisioning) {
  LOAD_OR_SKIP(r, "nextcloud/provisioning_api-openapi.json");
  const auto* user = r.findClass("User");  // UserDetails inside the OCS envelope
  const auto* group = r.findClass("Group");
  ASSERT_TRUE(user && group);
  EXPECT_NE(attr(user, "email"), nullptr);
  EXPECT_TRUE(hasEndpoint(user, "PUT", "/ocs/v2.php/cloud/users/{userId}/disable", "deactivate"));
  EXPECT_TRUE(hasEndpoint(user, "PUT", "/ocs/v2.php/cloud/users/{userId}/enable", "activate"));
  std::vector<std::string> types;
  for (const auto& a : r.auth) types.push_back(a.type);
  EXPECT_EQ(types, (std::vector<std::string>{"basic", "bearer"}));
}

TEST(OpenApiCorpus, PagerDutyScimInOpenApi) {
  LOAD_OR_SKIP(r, "scim/pagerduty-scim-openapiv3.json");
  ASSERT_TRUE(r.info.has_value());
  EXPECT_EQ(r.info->apiType, std::vector<std::string>{"SCIM"});
  const auto* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_NE(attr(user, "userName"), nullptr);
  EXPECT_EQ(attr(user, "Operations"), nullptr);  // PatchOp body is not an attribute list
  for (const auto& e : user->endpoints) {
    if (e.method == "GET" && e.path == "/Users") {
      EXPECT_EQ(e.pagination.style, "offset");
    }
  }
}
