#include "llm/assistants.h"

#include <gtest/gtest.h>

#include "unit/llm/fake_openai_server.h"

using namespace cg::llm;
using cgtest::chatReply;
using cgtest::FakeOpenAiServer;

namespace {
LlmSettings settingsFor(const FakeOpenAiServer& server) {
  LlmSettings s;
  s.apiBase = server.base();
  s.model = "m";
  s.retryBaseDelayMilliseconds = 5;
  return s;
}
}  // namespace

TEST(Assistants, ChunkSummaryIsValidatedAndCleaned) {
  FakeOpenAiServer server({chatReply(R"({"summary":" Users API. ","category":"reference_api","tags":["users","users","REST"],
                                         "numEndpoints":-3,"differentAppName":false})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(0, 0);
  ChunkSummary s = summarizeChunk(client, budget, {"Nextcloud", "28", "upload://u.rst", "text"});
  ASSERT_TRUE(s.ok) << s.error;
  EXPECT_EQ(s.summary, "Users API.");
  EXPECT_EQ(s.category, "reference_api");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"users", "REST"}));
  EXPECT_EQ(s.numEndpoints, 0);
  EXPECT_EQ(s.promptVersion, "chunk_summary@1");
}

TEST(Assistants, ScriptRepairUnfencesAndRejectsUnchangedScripts) {
  FakeOpenAiServer server({chatReply(R"({"code":"```groovy\nobjectClass(\"User\") {}\n```","explanation":"fixed"})"),
                           chatReply(R"({"code":"same","explanation":"nothing"})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(0, 0);
  auto first = proposeScriptRepair(client, budget, {"search User", "broken", {"err"}, "grammar", {}});
  ASSERT_TRUE(first.ok) << first.error;
  EXPECT_EQ(first.code, "objectClass(\"User\") {}\n");
  auto second = proposeScriptRepair(client, budget, {"search User", "same", {"err"}, "grammar", {}});
  EXPECT_FALSE(second.ok);
  EXPECT_NE(second.error.find("unchanged"), std::string::npos);
}

TEST(Assistants, LinkRerankIgnoresUnknownAndDuplicateIndexes) {
  FakeOpenAiServer server({chatReply(R"({"ranking":[{"index":2,"relevant":true,"reason":"api"},{"index":9,"relevant":true,"reason":"?"},
                                         {"index":2,"relevant":false,"reason":"dup"},{"index":0,"relevant":false,"reason":"blog"}]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(0, 0);
  Reranking r = rerankLinks(client, budget, {"App", "1", {{"a", "", ""}, {"b", "", ""}, {"c", "", ""}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.order, (std::vector<std::size_t>{2, 0, 1}));
  EXPECT_EQ(r.relevant, (std::vector<bool>{false, true, true}));
}

TEST(Assistants, ClassRerankOrdersRelevantByImportanceAndKeepsUnjudged) {
  FakeOpenAiServer server({chatReply(R"({"classes":[{"name":"share","relevant":"false","importance":4,"reason":"content"},
    {"name":"Group","relevant":"true","importance":2,"reason":""},{"name":"User","relevant":"true","importance":1,"reason":""},
    {"name":"Ghost","relevant":"true","importance":1,"reason":"invented"}]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(0, 0);
  Reranking r = rerankClasses(client, budget, {"App", {{"Share", ""}, {"Group", ""}, {"Quota", ""}, {"User", ""}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.order, (std::vector<std::size_t>{3, 1, 0, 2}));
  EXPECT_EQ(r.relevance, (std::vector<std::string>{"false", "true", "true", "true"}));
}

TEST(Assistants, FailureKeepsTheOriginalOrder) {
  LlmClient client(LlmSettings{});
  LlmBudget budget(0, 0);
  Reranking r = rerankLinks(client, budget, {"App", "1", {{"a", "", ""}, {"b", "", ""}}});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.order, (std::vector<std::size_t>{0, 1}));
  EXPECT_NE(r.error.find("no LLM configured"), std::string::npos);
}
