// Tests of the deterministic prose digester (digest/prose/prose_digester.h) on hand-made Markdown,
// RST and AsciiDoc snippets and on the Nextcloud/Forgejo prose corpus documents.
#include "digest/prose/prose_digester.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "digest/prose/prose_scan.h"

namespace cg::digest::prose {
namespace {

const Endpoint* findEndpoint(const ObjectClass& c, std::string_view method, std::string_view path) {
  for (const auto& e : c.endpoints)
    if (e.method == method && e.path == path) return &e;
  return nullptr;
}

const Attribute* findAttribute(const ObjectClass& c, std::string_view name) {
  for (const auto& a : c.attributes)
    if (a.name == name) return &a;
  return nullptr;
}

bool hasUse(const Endpoint& e, std::string_view use) {
  return std::find(e.suggestedUse.begin(), e.suggestedUse.end(), use) != e.suggestedUse.end();
}

std::string readCorpus(const std::string& rel) {
  const char* dir = std::getenv("CG_SHARED_DIR");
  if (!dir) return "";
  std::ifstream in(std::string(dir) + "/corpus/" + rel, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ProseDigester, MarkdownEndpointsTableAndJsonExample) {
  std::string md =
      "# Acme Directory API\n\n"
      "## Users\n\n"
      "**GET** `/api/v2/users`\n\nList all users.\n\n"
      "- `GET /api/v2/users/:id` - Get one user\n"
      "- `POST /api/v2/users` - Create a user\n"
      "- `DELETE /api/v2/users/<id>` - Delete a user\n"
      "- `POST /api/v2/users/{id}/deactivate` - Deactivate a user\n\n"
      "| Field | Type | Required | Description |\n"
      "|-------|------|----------|-------------|\n"
      "| `email` | string | yes | The e-mail address |\n"
      "| id | integer | no | Read-only identifier |\n"
      "| roles | array of strings | | Role names |\n\n"
      "```json\n{\"email\": \"a@b.c\", \"active\": true, \"score\": 1.5}\n```\n\n"
      "Send `Authorization: Bearer <token>` with every request.\n\n"
      "```\ncurl -X GET https://{tenant}.acme.io/api/v2/users -H \"X-Trace: on\"\n```\n";
  DigestResult r = digestProse({{"doc1", md}}, {{"doc1", "c1", OrderedJson::object(), md.substr(0, md.find("| Field"))},
                                               {"doc1", "c2", OrderedJson::object(), md.substr(md.find("| Field"))}});
  const ObjectClass* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->confidence, Confidence::Medium);  // list + get-by-id + create
  EXPECT_EQ(user->relevant, "true");
  const Endpoint* list = findEndpoint(*user, "GET", "/users");
  ASSERT_NE(list, nullptr) << "paths are relative to the curl base https://{tenant}.acme.io/api/v2";
  EXPECT_TRUE(hasUse(*list, "getAll"));
  EXPECT_EQ(list->description, "List all users.");
  const Endpoint* get = findEndpoint(*user, "GET", "/users/{id}");
  ASSERT_NE(get, nullptr);
  EXPECT_TRUE(hasUse(*get, "getById"));
  EXPECT_EQ(get->description, "Get one user");
  ASSERT_NE(findEndpoint(*user, "DELETE", "/users/{id}"), nullptr);
  EXPECT_TRUE(hasUse(*findEndpoint(*user, "DELETE", "/users/{id}"), "delete"));
  const Endpoint* deact = findEndpoint(*user, "POST", "/users/{id}/deactivate");
  ASSERT_NE(deact, nullptr);
  EXPECT_TRUE(hasUse(*deact, "deactivate"));
  EXPECT_TRUE(hasUse(*findEndpoint(*user, "POST", "/users"), "create"));

  const Attribute* email = findAttribute(*user, "email");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->type, "string");
  EXPECT_EQ(email->mandatory, true);
  EXPECT_EQ(email->description, "The e-mail address");
  ASSERT_EQ(email->relevantDocumentations.size(), 1u);
  EXPECT_EQ(email->relevantDocumentations[0].chunkId, "c2");
  const Attribute* id = findAttribute(*user, "id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->type, "integer");
  EXPECT_EQ(id->mandatory, false);
  EXPECT_EQ(id->updatable, false);
  const Attribute* roles = findAttribute(*user, "roles");
  ASSERT_NE(roles, nullptr);
  EXPECT_EQ(roles->multivalue, true);
  EXPECT_EQ(roles->type, "string");
  EXPECT_FALSE(roles->mandatory.has_value()) << "empty required cell states nothing";
  const Attribute* active = findAttribute(*user, "active");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->type, "boolean");
  EXPECT_EQ(findAttribute(*user, "score")->type, "number");

  ASSERT_EQ(r.auth.size(), 1u);
  EXPECT_EQ(r.auth[0].type, "bearer");
  EXPECT_NE(r.auth[0].quirks.find("X-Trace: on"), std::string::npos);
  ASSERT_TRUE(r.info.has_value());
  EXPECT_EQ(r.info->name, "Acme Directory API");
  ASSERT_EQ(r.info->apiType.size(), 1u);
  EXPECT_EQ(r.info->apiType[0], "REST");
  ASSERT_EQ(r.info->baseApiEndpoint.size(), 1u);
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "https://{tenant}.acme.io/api/v2");
  EXPECT_EQ(r.info->baseApiEndpoint[0].type, "dynamic");
  // Evidence of the list endpoint: the chunk holding its line.
  ASSERT_FALSE(list->relevantDocumentations.empty());
  EXPECT_EQ(list->relevantDocumentations[0].chunkId, "c1");
}

TEST(ProseDigester, RstHttpdomainAndDefinitionList) {
  std::string rst =
      "Groups API\n==========\n\n"
      "Groups\n------\n\n"
      ".. http:get:: /groups/(int:group_id)\n\n   Get a group.\n\n"
      "   :>json string name: The group name\n"
      "   :>json int id: Identifier\n"
      "   :query expand: related objects\n\n"
      ".. http:post:: /groups\n\n"
      "Fields\n~~~~~~\n\n"
      "* description (string, optional): Free text\n"
      "* owner (string, required, read-only): Owner login\n";
  DigestResult r = digestProse({{"d", rst}}, {});
  const ObjectClass* group = r.findClass("Group");
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->confidence, Confidence::Low);  // no list endpoint
  const Endpoint* get = findEndpoint(*group, "GET", "/groups/{group_id}");
  ASSERT_NE(get, nullptr);
  ASSERT_EQ(get->parameters.size(), 1u);
  EXPECT_EQ(get->parameters[0].name, "expand");
  EXPECT_EQ(get->parameters[0].in, "query");
  ASSERT_NE(findAttribute(*group, "name"), nullptr);
  EXPECT_EQ(findAttribute(*group, "id")->type, "integer");
  const Attribute* desc = findAttribute(*group, "description");
  ASSERT_NE(desc, nullptr) << "definition list under a sub-heading of the Groups section";
  EXPECT_EQ(desc->mandatory, false);
  const Attribute* owner = findAttribute(*group, "owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->mandatory, true);
  EXPECT_EQ(owner->creatable, false);
  EXPECT_TRUE(r.auth.empty()) << "no auth statement, no auth method";
  ASSERT_TRUE(r.info.has_value());
  EXPECT_EQ(r.info->name, "Groups API");
  EXPECT_TRUE(r.info->baseApiEndpoint.empty());
}

TEST(ProseDigester, AsciiDocTableAndApiKeyHeader) {
  std::string adoc =
      "= Widget Service\n\n"
      "== Roles\n\n"
      "GET /roles\n\n"
      "[cols=\"1,1,2\"]\n|===\n|Name |Type |Description\n\n|roleName\n|string\n|Unique name\n\n|level\n|int\n|Level\n|===\n\n"
      "[source,http]\n----\nGET /roles/42 HTTP/1.1\nX-API-Key: abc\n----\n";
  DigestResult r = digestProse({{"d", adoc}}, {});
  const ObjectClass* role = r.findClass("Role");
  ASSERT_NE(role, nullptr);
  EXPECT_NE(findEndpoint(*role, "GET", "/roles"), nullptr);
  ASSERT_NE(findAttribute(*role, "roleName"), nullptr);
  EXPECT_EQ(findAttribute(*role, "roleName")->description, "Unique name");
  EXPECT_EQ(findAttribute(*role, "level")->type, "integer");
  ASSERT_EQ(r.auth.size(), 1u);
  EXPECT_EQ(r.auth[0].type, "apiKey");
  EXPECT_EQ(r.auth[0].details.parameterName, "X-API-Key");
}

TEST(ProseDigester, ProseWithoutEndpointsGivesNothingInvented) {
  DigestResult r = digestProse({{"d", "Just some text about users and groups.\nNo API here.\n"}}, {});
  EXPECT_TRUE(r.objectClasses.empty());
  EXPECT_TRUE(r.auth.empty());
  EXPECT_FALSE(r.info.has_value());
}

TEST(ProseDigester, DeterministicAndBoundedOnGarbage) {
  std::string junk;
  for (int i = 0; i < 3000; ++i) junk += "| a | b |\n|---|\n```\n.. http:get:: (\ncurl -X \"\n+--+\n| x\n::\n  {\n";
  DigestResult a = digestProse({{"d", junk}}, {{"d", "c", OrderedJson::object(), junk}});
  DigestResult b = digestProse({{"d", junk}}, {{"d", "c", OrderedJson::object(), junk}});
  EXPECT_EQ(dumpJson(objectClassesResponse(a.objectClasses)), dumpJson(objectClassesResponse(b.objectClasses)));
}

class ProseCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    users_ = readCorpus("nextcloud/instruction_set_for_users.rst");
    groups_ = readCorpus("nextcloud/instruction_set_for_groups.rst");
    forgejo_ = readCorpus("forgejo/forgejo-api-endpoints.adoc");
    if (users_.empty() || groups_.empty() || forgejo_.empty())
      GTEST_SKIP() << "corpus not found under $CG_SHARED_DIR/corpus (nextcloud/*.rst, forgejo/*.adoc)";
  }
  std::string users_, groups_, forgejo_;
};

TEST_F(ProseCorpus, NextcloudUsersAndGroups) {
  DigestResult r = digestProse({{"u", users_}, {"g", groups_}},
                               {{"u", "u1", OrderedJson::object(), users_}, {"g", "g1", OrderedJson::object(), groups_}});
  const ObjectClass* user = r.findClass("User");
  const ObjectClass* group = r.findClass("Group");
  ASSERT_NE(user, nullptr);
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(r.objectClasses[0].name, "User");
  EXPECT_EQ(r.objectClasses[1].name, "Group");
  EXPECT_EQ(user->confidence, Confidence::Medium);
  EXPECT_EQ(group->confidence, Confidence::Medium);
  for (auto [m, p, use] : {std::tuple{"GET", "/users", "getAll"}, {"POST", "/users", "create"},
                           {"GET", "/users/{userid}", "getById"}, {"PUT", "/users/{userid}", "update"},
                           {"DELETE", "/users/{userid}", "delete"}, {"PUT", "/users/{userid}/disable", "deactivate"},
                           {"PUT", "/users/{userid}/enable", "activate"}}) {
    const Endpoint* e = findEndpoint(*user, m, p);
    ASSERT_NE(e, nullptr) << m << " " << p;
    EXPECT_TRUE(hasUse(*e, use)) << m << " " << p;
    EXPECT_FALSE(e->relevantDocumentations.empty()) << m << " " << p;
  }
  for (auto [m, p] : {std::pair{"GET", "/groups"}, {"POST", "/groups"}, {"GET", "/groups/{groupid}"},
                      {"PUT", "/groups/{groupid}"}, {"DELETE", "/groups/{groupid}"}})
    EXPECT_NE(findEndpoint(*group, m, p), nullptr) << m << " " << p;
  // Attributes: POST arguments (creatable), editable fields (updatable), XML example of a single user.
  const Attribute* userid = findAttribute(*user, "userid");
  ASSERT_NE(userid, nullptr);
  EXPECT_EQ(userid->creatable, true);
  EXPECT_EQ(userid->type, "string");
  const Attribute* groups = findAttribute(*user, "groups");
  ASSERT_NE(groups, nullptr);
  EXPECT_EQ(groups->multivalue, true);
  const Attribute* email = findAttribute(*user, "email");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->creatable, true);
  EXPECT_EQ(email->updatable, true);
  EXPECT_NE(findAttribute(*user, "enabled"), nullptr);
  EXPECT_EQ(findAttribute(*user, "key"), nullptr) << "generic key/value edit arguments are not attributes";
  EXPECT_NE(findAttribute(*group, "groupid"), nullptr);
  // GET /users url arguments become query parameters.
  const Endpoint* list = findEndpoint(*user, "GET", "/users");
  ASSERT_EQ(list->parameters.size(), 3u);
  EXPECT_EQ(list->parameters[0].name, "search");
  // Auth and quirks.
  ASSERT_EQ(r.auth.size(), 1u);
  EXPECT_EQ(r.auth[0].type, "basic");
  EXPECT_NE(r.auth[0].quirks.find("OCS-APIRequest: true"), std::string::npos);
  ASSERT_FALSE(r.auth[0].relevantDocumentations.empty());
  ASSERT_TRUE(r.info.has_value());
  EXPECT_EQ(r.info->name, "Instruction set for users");
  ASSERT_EQ(r.info->baseApiEndpoint.size(), 1u);
  EXPECT_EQ(r.info->baseApiEndpoint[0].uri, "http://example.com/ocs/v1.php/cloud");
  EXPECT_EQ(r.info->baseApiEndpoint[0].type, "dynamic");
  // Deterministic.
  DigestResult again = digestProse({{"u", users_}, {"g", groups_}},
                                   {{"u", "u1", OrderedJson::object(), users_}, {"g", "g1", OrderedJson::object(), groups_}});
  EXPECT_EQ(dumpJson(objectClassesResponse(r.objectClasses)), dumpJson(objectClassesResponse(again.objectClasses)));
  EXPECT_EQ(dumpJson(endpointsResponse(user->endpoints)), dumpJson(endpointsResponse(again.findClass("User")->endpoints)));
}

TEST_F(ProseCorpus, ForgejoEndpointList) {
  DigestResult r = digestProse({{"f", forgejo_}}, {});
  const ObjectClass* user = r.findClass("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(r.objectClasses[0].name, "User");
  EXPECT_NE(findEndpoint(*user, "GET", "/admin/users"), nullptr);
  EXPECT_NE(findEndpoint(*user, "POST", "/admin/users"), nullptr);
  EXPECT_NE(findEndpoint(*user, "PATCH", "/admin/users/{username}"), nullptr);
  EXPECT_NE(findEndpoint(*user, "DELETE", "/admin/users/{username}"), nullptr);
  const ObjectClass* repo = r.findClass("Repo");
  ASSERT_NE(repo, nullptr);
  const Endpoint* search = findEndpoint(*repo, "GET", "/repos/search");
  ASSERT_NE(search, nullptr);
  EXPECT_TRUE(hasUse(*search, "search"));
  const ObjectClass* team = r.findClass("Team");
  ASSERT_NE(team, nullptr);
  const Endpoint* teamGet = findEndpoint(*team, "GET", "/repos/{owner}/{repo}/teams/{team}");
  ASSERT_NE(teamGet, nullptr);
  EXPECT_EQ(teamGet->description, "Check if a team is assigned to a repository");
  EXPECT_NE(r.findClass("Org"), nullptr);
  EXPECT_NE(r.findClass("Repo"), nullptr);
  EXPECT_EQ(r.findClass("Repo")->relevant, "maybe");
  EXPECT_EQ(r.findClass("Rename"), nullptr) << "action segments are not classes";
  size_t endpoints = 0;
  for (const auto& c : r.objectClasses) endpoints += c.endpoints.size();
  EXPECT_GT(endpoints, 250u);
}

TEST(ProseScan, HeadingsCodeAndGridTable) {
  std::string rst =
      "=====\nTitle\n=====\n\nSection\n-------\n\n.. code-block:: json\n\n   {\"a\": 1}\n\n"
      "+------+--------+\n| Name | Type   |\n+======+========+\n| id   | int    |\n+------+--------+\n";
  ScannedDocument s = scanDocument(rst);
  ASSERT_EQ(s.sections.size(), 2u);
  EXPECT_EQ(s.sections[0].title, "Title");
  EXPECT_EQ(s.sections[1].title, "Section");
  EXPECT_EQ(s.sections[1].parent, 0);
  ASSERT_EQ(s.codeBlocks.size(), 1u);
  EXPECT_EQ(s.codeBlocks[0].language, "json");
  EXPECT_EQ(s.codeBlocks[0].text, "{\"a\": 1}\n");
  ASSERT_EQ(s.tables.size(), 1u);
  ASSERT_EQ(s.tables[0].header.size(), 2u);
  EXPECT_EQ(s.tables[0].header[0], "Name");
  ASSERT_EQ(s.tables[0].rows.size(), 1u);
  EXPECT_EQ(s.tables[0].rows[0].cells[1], "int");
}

}  // namespace
}  // namespace cg::digest::prose
