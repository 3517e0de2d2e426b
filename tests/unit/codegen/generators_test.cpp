// Golden tests of every generator on small hand-made models, plus conformance of each output.
// Set CG_UPDATE_GOLDEN=1 to rewrite the expected files (then review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "codegen/dsl_conformance.h"
#include "codegen/dsl_parser.h"
#include "codegen/generators.h"
#include "codegen/groovy_writer.h"
#include "codegen/model_rules.h"
#include "codegen/script_validator.h"

using namespace cg;
using namespace cg::codegen;
using cg::digest::Attribute;
using cg::digest::Endpoint;

namespace {

Attribute attr(std::string name, std::optional<std::string> type, std::optional<std::string> format = std::nullopt) {
  Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.format = std::move(format);
  return a;
}

Endpoint ep(std::string method, std::string path, std::vector<std::string> uses) {
  Endpoint e;
  e.method = std::move(method);
  e.path = std::move(path);
  e.suggestedUse = std::move(uses);
  return e;
}

// A REST user class covering arrays, nested objects, references, `$` in descriptions, several update
// endpoints, activate/deactivate and a wrapped, paged list.
ClassCodegenInput restUser() {
  ClassCodegenInput in;
  in.className = "User";
  in.description = "A person with an account; costs $5 \"per\" seat\nsecond line";
  in.baseApiUrl = "https://example.com/api/v1";
  in.knownClasses = {"User", "Address", "Group"};
  auto id = attr("id", "integer", "int64");
  id.creatable = false;
  id.updatable = false;
  auto login = attr("login", "string");
  login.mandatory = true;
  login.description = "Login name, e.g. ${user}";
  auto email = attr("email", "string", "email");
  auto tags = attr("tags", "array");
  auto emails = attr("emails", "string");
  emails.multivalue = true;
  auto address = attr("address", "Address", "embedded");
  auto groups = attr("groups", "Group", "reference");
  groups.multivalue = true;
  auto meta = attr("metadata", "object");
  auto active = attr("active", "boolean");
  auto password = attr("password", "string", "password");
  password.readable = false;
  password.returnedByDefault = false;
  auto created = attr("created_at", "string", "date-time");
  created.creatable = false;
  created.updatable = false;
  auto weird = attr("score", "string", "x-custom");
  in.attributes = {login, id, email, tags, emails, address, groups, meta, active, password, created, weird};
  Endpoint list = ep("GET", "/api/v1/users", {"getAll"});
  list.responseItemsField = "data";
  list.pagination.style = "page";
  list.pagination.pageParam = "page";
  list.pagination.sizeParam = "limit";
  list.parameters = {{"q", "query", "string", "keyword", false},
                     {"email", "query", "string", "", false},
                     {"page", "query", "integer", "", false},
                     {"sort", "query", "string", "", false}};
  in.endpoints = {list,
                  ep("POST", "/api/v1/users", {"create"}),
                  ep("GET", "/api/v1/users/{userId}", {"getById"}),
                  ep("GET", "/api/v1/users/by-login/{login}", {"getById"}),
                  ep("PATCH", "/api/v1/users/{userId}", {"update"}),
                  ep("PUT", "/api/v1/users/{userId}", {"update"}),
                  ep("PUT", "/api/v1/users/{userId}/password", {"update"}),
                  ep("POST", "/api/v1/users/{userId}/activate", {"activate"}),
                  ep("POST", "/api/v1/users/{userId}/deactivate", {"deactivate"}),
                  ep("DELETE", "/api/v1/users/{userId}", {"delete"})};
  return in;
}

// No pagination, bare array list, only PUT update, a by-name path that is not the UID.
ClassCodegenInput restProject() {
  ClassCodegenInput in;
  in.className = "Project";
  auto key = attr("key", "string");
  auto name = attr("name", "string");
  in.attributes = {key, name, attr("lead", "string")};
  in.endpoints = {ep("GET", "/projects", {"getAll"}), ep("POST", "/projects", {"create"}),
                  ep("PUT", "/projects/{projectKey}", {"update"}), ep("DELETE", "/projects/{name}", {"delete"})};
  return in;
}

ClassCodegenInput scimUser() {
  ClassCodegenInput in;
  in.protocol = Protocol::Scim;
  in.className = "User";
  auto id = attr("id", "string");
  id.scimAttribute = "id";
  auto userName = attr("userName", "string");
  userName.scimAttribute = "userName";
  auto work = attr("workEmail", "string");
  work.scimAttribute = "emails.value";
  auto emp = attr("employeeNumber", "string");
  emp.scimAttribute = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber";
  auto mgr = attr("managerRef", "string");
  mgr.scimAttribute = "manager.$ref";
  in.attributes = {id, userName, work, emp, mgr};
  in.endpoints = {ep("GET", "/Users", {"getAll", "search"}), ep("PATCH", "/Users/{id}", {"update"})};
  return in;
}

ClassCodegenInput sqlEmployee() {
  ClassCodegenInput in;
  in.protocol = Protocol::Sql;
  in.className = "Employee";
  auto id = attr("emp_id", "integer");
  id.extra = {{"table", "employees"}, {"column", "emp_id"}, {"primaryKey", true}};
  id.updatable = false;
  auto name = attr("full_name", "string");
  name.extra = {{"table", "employees"}, {"column", "FULL_NAME"}, {"primaryKey", false}};
  in.attributes = {id, name};
  return in;
}

std::string goldenDir() { return std::string(CG_SOURCE_DIR) + "/tests/unit/codegen/golden/"; }

void expectGolden(const std::string& file, const std::string& actual, ScriptRole role) {
  std::string path = goldenDir() + file;
  const char* update = std::getenv("CG_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path << " (run with CG_UPDATE_GOLDEN=1)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(actual, ss.str()) << "golden mismatch: " << file;
  // Every generated script passes the built-in syntax and DSL checks.
  auto v = validateScript(actual, role, nullptr, file);
  EXPECT_TRUE(v.ok) << file << ": " << v.message();
}

}  // namespace

TEST(GroovyWriter, EscapesEverythingGroovyInterprets) {
  EXPECT_EQ(groovyString("a\"b\\c$d\ne"), R"("a\"b\\c\$d\ne")");
  EXPECT_EQ(groovyString("caf\xC3\xA9 \xF0\x9F\x98\x80"), R"("caf\u00e9 \ud83d\ude00")");
  EXPECT_EQ(groovyString(std::string("x\x01y", 3)), R"("x\u0001y")");
  EXPECT_EQ(groovyString("\xFF"), R"("\ufffd")");  // invalid UTF-8 replaced
  EXPECT_EQ(commentText("a\\u000a b\nc"), "a/u000a b c");
}

TEST(GroovyWriter, WriterIndentsAndBalances) {
  DslWriter w;
  w.open("a").line("b 1").open("c", "x").comment("hi\nthere");
  EXPECT_EQ(w.str(), "a {\n    b 1\n    c { x ->\n        // hi\n        // there\n    }\n}\n");
}

TEST(ModelRules, UidAndNameChoice) {
  auto in = restUser();
  EXPECT_EQ(chooseUidAttribute(in)->name, "id");
  EXPECT_EQ(chooseNameAttribute(in)->name, "login");
  auto p = restProject();
  EXPECT_EQ(chooseUidAttribute(p)->name, "key");
  EXPECT_EQ(chooseNameAttribute(p)->name, "name");
  auto s = sqlEmployee();
  EXPECT_EQ(chooseUidAttribute(s)->name, "emp_id");  // primary key wins
  ClassCodegenInput onlyId;
  onlyId.className = "Thing";
  onlyId.attributes = {attr("id", "string")};
  EXPECT_EQ(chooseNameAttribute(onlyId)->name, "id");  // falls back to UID
}

TEST(ModelRules, PathsAreConnectorRelative) {
  EXPECT_EQ(connectorPath("/api/v1/users/{id}", "https://h.example/api/v1/"), "users/{id}");
  EXPECT_EQ(connectorPath("https://h.example/api/v1/users", "https://h.example/api/v1"), "users");
  EXPECT_EQ(connectorPath("/api/v10/x", "/api/v1"), "api/v10/x");
  EXPECT_EQ(connectorPath("/users?x=1", ""), "users");
}

TEST(Generators, RestGolden) {
  auto in = restUser();
  expectGolden("rest_user.native.schema.groovy", generateNativeSchema(in).code, ScriptRole::Schema);
  expectGolden("rest_user.connid.schema.groovy", generateConnIdSchema(in).code, ScriptRole::Schema);
  expectGolden("rest_user.search.all.op.groovy", generateSearch(in, SearchIntent::All).code, ScriptRole::Operation);
  expectGolden("rest_user.search.filter.op.groovy", generateSearch(in, SearchIntent::Filter).code, ScriptRole::Operation);
  expectGolden("rest_user.search.id.op.groovy", generateSearch(in, SearchIntent::Id).code, ScriptRole::Operation);
  expectGolden("rest_user.create.op.groovy", generateCreate(in).code, ScriptRole::Operation);
  expectGolden("rest_user.update.op.groovy", generateUpdate(in).code, ScriptRole::Operation);
  expectGolden("rest_user.delete.op.groovy", generateDelete(in).code, ScriptRole::Operation);
  auto p = restProject();
  expectGolden("rest_project.search.all.op.groovy", generateSearch(p, SearchIntent::All).code, ScriptRole::Operation);
  expectGolden("rest_project.update.op.groovy", generateUpdate(p).code, ScriptRole::Operation);
  expectGolden("rest_project.delete.op.groovy", generateDelete(p).code, ScriptRole::Operation);
}

TEST(Generators, ScimAndSqlGolden) {
  auto s = scimUser();
  expectGolden("scim_user.native.schema.groovy", generateNativeSchema(s).code, ScriptRole::Schema);
  expectGolden("scim_user.search.id.op.groovy", generateSearch(s, SearchIntent::Id).code, ScriptRole::Operation);
  expectGolden("scim_user.update.op.groovy", generateUpdate(s).code, ScriptRole::Operation);
  auto q = sqlEmployee();
  expectGolden("sql_employee.native.schema.groovy", generateNativeSchema(q).code, ScriptRole::Schema);
  expectGolden("sql_employee.search.all.op.groovy", generateSearch(q, SearchIntent::All).code, ScriptRole::Operation);
  expectGolden("sql_employee.connid.schema.groovy", generateConnIdSchema(q).code, ScriptRole::Schema);
}

TEST(Generators, RelationAndAuthenticationGolden) {
  RelationCodegenInput r;
  r.relation = {"user_to_group", "User to group", "Group membership", "user", "groups", "group", "members"};
  r.knownClasses = {"User", "Group"};
  expectGolden("user_to_group.schema.groovy", generateRelation(r).code, ScriptRole::Schema);

  AuthCodegenInput a;
  a.preferred = {{"token", "bearer", ""}, {"AccessToken", "apiKey", ""}, {"oauth", "oauth2ClientCredentials", ""},
                 {"login", "session", "cookie after POST /login"}};
  digest::AuthMethod bearer;
  bearer.name = "token";
  bearer.type = "bearer";
  bearer.details.scheme = "token";
  digest::AuthMethod key;
  key.name = "AccessToken";
  key.type = "apiKey";
  key.details.in = "query";
  key.details.parameterName = "access_token";
  digest::AuthMethod oauth;
  oauth.name = "oauth";
  oauth.type = "oauth2ClientCredentials";
  oauth.details.tokenUrl = "https://example.com/oauth/token";
  a.documented = {bearer, key, oauth};
  auto g = generateAuthentication(a);
  expectGolden("authentication.op.groovy", g.code, ScriptRole::Authentication);
  ASSERT_EQ(g.notes.size(), 1u);
  EXPECT_NE(g.notes[0].find("session"), std::string::npos);
}

TEST(Generators, NotesExplainOmissions) {
  auto in = restUser();
  auto schema = generateNativeSchema(in);
  bool object = false, reference = false;
  for (const auto& n : schema.notes) {
    object = object || n.find("metadata") != std::string::npos;
    reference = reference || n.find("groups") != std::string::npos;
  }
  EXPECT_TRUE(object);
  EXPECT_TRUE(reference);
  auto p = generateDelete(restProject());
  ASSERT_FALSE(p.notes.empty());  // {name} is not the UID → endpoint skipped
  EXPECT_EQ(p.code.find("endpoint("), std::string::npos);
}

TEST(Generators, PreferredEndpointsWin) {
  auto in = restUser();
  in.preferredEndpoints = {{"GET", "/api/v1/users/by-login/{login}"}};
  in.endpoints.push_back(ep("GET", "/api/v1/admin/users", {"getAll"}));
  in.preferredEndpoints.push_back({"GET", "/api/v1/admin/users"});
  auto all = generateSearch(in, SearchIntent::All).code;
  EXPECT_NE(all.find("endpoint(\"admin/users\")"), std::string::npos) << all;
}

TEST(Generators, DeterministicAndEmptyModelsLoadable) {
  auto in = restUser();
  EXPECT_EQ(generateUpdate(in).code, generateUpdate(in).code);
  ClassCodegenInput empty;
  empty.className = "Thing";
  for (auto* fn : {&generateNativeSchema, &generateConnIdSchema, &generateCreate, &generateUpdate, &generateDelete}) {
    auto g = (*fn)(empty);
    EXPECT_TRUE(validateScript(g.code, ScriptRole::Any, nullptr).ok) << g.code;
    EXPECT_NE(g.code.find("objectClass(\"Thing\")"), std::string::npos);
  }
  EXPECT_EQ(artifactFileName(ArtifactKind::SearchAll, "User"), "User.search.all.op.groovy");
  EXPECT_EQ(artifactFileName(ArtifactKind::Authentication, "x"), "authentication.op.groovy");
  EXPECT_EQ(artifactFileName(ArtifactKind::Relation, "user_to_group"), "user_to_group.schema.groovy");
}
