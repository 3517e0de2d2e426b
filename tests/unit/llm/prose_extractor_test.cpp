#include "llm/prose_extractor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "unit/llm/fake_openai_server.h"

using cg::OrderedJson;
using namespace cg::llm;
using cgtest::chatReply;
using cgtest::FakeOpenAiServer;
using cgtest::FakeReply;
using cgtest::FakeRequest;

namespace {

std::string readCorpus(const std::string& relative) {
  const char* shared = std::getenv("CG_SHARED_DIR");
  if (!shared) return {};
  std::ifstream in(std::string(shared) + "/corpus/" + relative, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What a model might answer for the Nextcloud users page: mostly right, with hallucinations mixed in.
const char* kUsersReply = R"({
  "objectClasses":[
    {"name":"User","description":"A Nextcloud user account.","evidence":"Create a new user on the Nextcloud server"},
    {"name":"Tenant","description":"Invented.","evidence":"tenants"}],
  "attributes":[
    {"objectClass":"User","name":"userid","type":"string","description":"The user id","mandatory":true,"multivalue":false,"readOnly":null},
    {"objectClass":"User","name":"displayName","type":"string","description":null,"mandatory":null,"multivalue":null,"readOnly":null},
    {"objectClass":"User","name":"groups","type":"Group","description":null,"mandatory":null,"multivalue":true,"readOnly":null},
    {"objectClass":"User","name":"employeeNumber","type":"string","description":null,"mandatory":null,"multivalue":null,"readOnly":null}],
  "endpoints":[
    {"objectClass":"User","method":"POST","path":"/ocs/v1.php/cloud/users","description":"Create a user","suggestedUse":["create"],"parameters":["userid","password","managerId"]},
    {"objectClass":"User","method":"GET","path":"/ocs/v1.php/cloud/users/{userid}","description":"Get a user","suggestedUse":["getById"],"parameters":["userid"]},
    {"objectClass":"User","method":"PUT","path":"/ocs/v1.php/cloud/users/{userid}/disable","description":"Disable","suggestedUse":["deactivate"],"parameters":[]},
    {"objectClass":"User","method":"POST","path":"/ocs/v1.php/cloud/users/{userid}/lock","description":"Invented","suggestedUse":[],"parameters":[]},
    {"objectClass":null,"method":"GET","path":"/ocs/v1.php/cloud/user/fields","description":"Editable fields","suggestedUse":[],"parameters":[]}],
  "auth":[
    {"name":"HTTP Basic","type":"basic","quirks":"Send OCS-APIRequest: true.","evidence":"Authentication is done by sending a basic HTTP authentication header"},
    {"name":"SAML","type":"oauth2Saml","quirks":"","evidence":"SAML assertion"}],
  "metadata":{"name":"Nextcloud","applicationVersion":null,"apiVersion":"v1","apiType":["REST"],"baseApiEndpoints":["https://cloud.nextcloud.com/ocs"]}
})";

LlmSettings settingsFor(const FakeOpenAiServer& server) {
  LlmSettings s;
  s.apiBase = server.base();
  s.model = "test-model";
  s.requestTimeoutSeconds = 5;
  s.retryBaseDelayMilliseconds = 5;
  s.maxAttempts = 2;
  s.maxConcurrency = 2;
  return s;
}

std::string userContent(const FakeRequest& r) {
  OrderedJson body = r.json();
  return body["messages"][1]["content"].get<std::string>();
}

}  // namespace

TEST(ProseExtractor, NextcloudUsersPageKeepsOnlyVerifiedClaims) {
  std::string text = readCorpus("nextcloud/instruction_set_for_users.rst");
  if (text.empty()) GTEST_SKIP() << "corpus file nextcloud/instruction_set_for_users.rst not found under CG_SHARED_DIR";
  FakeOpenAiServer server([](const FakeRequest& r, int) {
    if (userContent(r).find("Instruction set for users") != std::string::npos) return chatReply(kUsersReply, 3000, 400);
    return chatReply(R"({"objectClasses":[],"attributes":[],"endpoints":[],"auth":[],"metadata":null})");
  });
  LlmClient client(settingsFor(server));
  LlmBudget budget(20, 0);
  ProseExtractor extractor(client, budget);
  ProseExtractionOptions options;
  options.applicationName = "Nextcloud";
  options.applicationVersion = "28";
  ProseExtractionResult result = extractor.extract({{"chunk-users", "doc-1", text}, {"chunk-empty", "doc-1", "Nothing here."}}, options);

  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.chunksProcessed, 2);
  EXPECT_EQ(result.promptVersion, "prose_extract@1");
  ASSERT_EQ(result.digest.objectClasses.size(), 1u);
  const auto& user = result.digest.objectClasses[0];
  EXPECT_EQ(user.name, "User");
  EXPECT_EQ(user.confidence, cg::digest::Confidence::Medium);
  ASSERT_EQ(user.relevantDocumentations.size(), 1u);
  EXPECT_EQ(user.relevantDocumentations[0].chunkId, "chunk-users");
  EXPECT_EQ(user.relevantDocumentations[0].docId, "doc-1");

  std::vector<std::string> attributes;
  for (const auto& a : user.attributes) attributes.push_back(a.name);
  EXPECT_EQ(attributes, (std::vector<std::string>{"userid", "displayName", "groups"}));
  EXPECT_EQ(user.attributes[0].type, std::optional<std::string>("string"));
  EXPECT_EQ(user.attributes[0].mandatory, std::optional<bool>(true));
  EXPECT_EQ(user.attributes[2].type, std::optional<std::string>("Group"));
  EXPECT_EQ(user.attributes[2].format, std::optional<std::string>("reference"));

  std::vector<std::string> endpoints;
  for (const auto& e : user.endpoints) endpoints.push_back(e.method + " " + e.path);
  EXPECT_EQ(endpoints, (std::vector<std::string>{"POST /ocs/v1.php/cloud/users", "GET /ocs/v1.php/cloud/users/{userid}",
                                                 "PUT /ocs/v1.php/cloud/users/{userid}/disable"}));
  ASSERT_EQ(user.endpoints[0].parameters.size(), 2u);  // managerId was invented
  EXPECT_EQ(user.endpoints[1].parameters.at(0).in, "path");
  EXPECT_EQ(user.endpoints[1].suggestedUse, (std::vector<std::string>{"getById"}));
  ASSERT_EQ(result.unassignedEndpoints.size(), 1u);
  EXPECT_EQ(result.unassignedEndpoints[0].path, "/ocs/v1.php/cloud/user/fields");  // the caller's own fields
  EXPECT_TRUE(std::any_of(result.digest.diagnostics.begin(), result.digest.diagnostics.end(), [](const auto& d) {
    return d.message.find("name no object class") != std::string::npos &&
           d.message.find("/ocs/v1.php/cloud/user/fields") != std::string::npos;
  }));

  ASSERT_EQ(result.digest.auth.size(), 1u);
  EXPECT_EQ(result.digest.auth[0].type, "basic");
  ASSERT_EQ(result.digest.auth[0].relevantSequences.size(), 1u);
  EXPECT_EQ(result.digest.auth[0].relevantSequences[0].chunkId, "chunk-users");
  EXPECT_EQ(result.digest.auth[0].relevantSequences[0].startSequence.rfind("Authentication is done", 0), 0u);

  ASSERT_TRUE(result.digest.info);
  EXPECT_EQ(result.digest.info->name, "Nextcloud");
  EXPECT_EQ(result.digest.info->apiVersion, "1");
  EXPECT_EQ(result.digest.info->apiType, (std::vector<std::string>{"REST"}));
  EXPECT_TRUE(result.digest.info->baseApiEndpoint.empty());  // invented host

  // Every hallucination is listed with its reason and as an info diagnostic.
  std::vector<std::string> dropped;
  for (const auto& d : result.dropped) dropped.push_back(d.kind + ":" + d.what);
  for (const char* expected : {"objectClass:Tenant", "attribute:User.employeeNumber",
                               "endpoint:POST /ocs/v1.php/cloud/users/{userid}/lock",
                               "parameter:POST /ocs/v1.php/cloud/users managerId", "auth:oauth2Saml (SAML)",
                               "metadata:baseApiEndpoint=https://cloud.nextcloud.com/ocs"})
    EXPECT_NE(std::find(dropped.begin(), dropped.end(), expected), dropped.end()) << expected;
  EXPECT_EQ(result.digest.diagnostics.size(), result.dropped.size() + 1);  // + the unassigned endpoint

  // Only the chunk with verified claims is relevant.
  ASSERT_EQ(result.relevantDocumentations.size(), 1u);
  EXPECT_EQ(result.relevantDocumentations[0].chunkId, "chunk-users");
  EXPECT_EQ(result.usage.calls, 2);
  EXPECT_EQ(result.usage.promptTokens, 3011);
}

TEST(ProseExtractor, EndpointsWithoutAClassAreAssignedByTheirCollection) {
  FakeOpenAiServer server({chatReply(R"({"objectClasses":[{"name":"Team","description":"t","evidence":"Teams"}],
    "attributes":[],"auth":[],"metadata":null,"endpoints":[
    {"objectClass":null,"method":"GET","path":"/teams/{id}/members","description":"m","suggestedUse":["list"],"parameters":[]},
    {"objectClass":null,"method":"GET","path":"/projects","description":"p","suggestedUse":["getAll"],"parameters":[]},
    {"objectClass":null,"method":"GET","path":"/status","description":"s","suggestedUse":[],"parameters":[]}]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(0, 0);
  ProseExtractor extractor(client, budget);
  ProseExtractionOptions options;
  options.knownObjectClasses = {"Project"};
  auto r = extractor.extract(
      {{"c1", "d", "Teams: GET /teams/{id}/members lists members. GET /projects lists projects. GET /status."}}, options);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  auto find = [&](const std::string& n) -> const cg::digest::ObjectClass* {
    for (const auto& c : r.digest.objectClasses)
      if (c.name == n) return &c;
    return nullptr;
  };
  ASSERT_NE(find("Team"), nullptr);
  ASSERT_EQ(find("Team")->endpoints.size(), 1u);
  EXPECT_EQ(find("Team")->endpoints[0].path, "/teams/{id}/members");
  ASSERT_NE(find("Project"), nullptr);  // a structured class gets the endpoint (merged later, structured wins)
  EXPECT_EQ(find("Project")->endpoints[0].path, "/projects");
  ASSERT_EQ(r.unassignedEndpoints.size(), 1u);
  EXPECT_EQ(r.unassignedEndpoints[0].path, "/status");
}

TEST(ProseExtractor, BudgetExhaustionStopsCleanlyWithOneError) {
  FakeOpenAiServer server({chatReply(R"({"objectClasses":[],"attributes":[],"endpoints":[],"auth":[],"metadata":null})")});
  auto settings = settingsFor(server);
  settings.maxConcurrency = 1;
  LlmClient client(settings);
  LlmBudget budget(2, 0);
  ProseExtractor extractor(client, budget);
  std::vector<ProseChunk> chunks;
  for (int i = 0; i < 5; ++i) chunks.push_back({"c" + std::to_string(i), "d", "text " + std::to_string(i)});
  ProseExtractionResult r = extractor.extract(chunks, {});
  EXPECT_EQ(r.chunksProcessed, 2);
  EXPECT_EQ(r.chunksSkipped, 3);
  EXPECT_EQ(server.requests().size(), 2u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("LLM budget exhausted"), std::string::npos) << r.errors[0];
}

TEST(ProseExtractor, FailingChunkIsReportedAndOthersContinue) {
  FakeOpenAiServer server([](const FakeRequest& r, int) {
    if (userContent(r).find("bad chunk") != std::string::npos) return FakeReply{500, R"({"error":"boom"})", {}, 0};
    return chatReply(R"({"objectClasses":[{"name":"Group","description":"g","evidence":"groups"}],"attributes":[],
                         "endpoints":[],"auth":[],"metadata":null})");
  });
  LlmClient client(settingsFor(server));
  LlmBudget budget(0, 0);
  ProseExtractor extractor(client, budget);
  ProseExtractionResult r = extractor.extract({{"c1", "d", "bad chunk"}, {"c2", "d", "All groups are listed."}}, {});
  EXPECT_EQ(r.chunksFailed, 1);
  EXPECT_EQ(r.chunksProcessed, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("chunk c1"), std::string::npos);
  EXPECT_NE(r.errors[0].find("HTTP 500"), std::string::npos);
  ASSERT_EQ(r.digest.objectClasses.size(), 1u);
  EXPECT_EQ(r.digest.objectClasses[0].confidence, cg::digest::Confidence::Low);  // no verified endpoint/attribute
}

TEST(ProseExtractor, WithoutAnLlmNothingIsCalledAndTheReasonIsGiven) {
  LlmClient client(LlmSettings{});
  LlmBudget budget(0, 0);
  ProseExtractor extractor(client, budget);
  ProseExtractionResult r = extractor.extract({{"c1", "d", "text"}}, {});
  EXPECT_EQ(r.chunksSkipped, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("no LLM configured"), std::string::npos);
  EXPECT_TRUE(r.digest.objectClasses.empty());
}
