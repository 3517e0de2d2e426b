#include "llm/prompts.h"

#include <gtest/gtest.h>

#include <set>

#include "llm/structured_output.h"

using cg::OrderedJson;
using namespace cg::llm;

namespace {
// Every object in a strict schema lists all its properties as required and forbids others.
void expectStrict(const OrderedJson& schema, const std::string& where) {
  if (!schema.is_object()) return;
  if (schema.contains("properties")) {
    EXPECT_EQ(schema["additionalProperties"], false) << where;
    std::set<std::string> required;
    for (const auto& r : schema["required"]) required.insert(r.get<std::string>());
    for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
      EXPECT_TRUE(required.count(it.key())) << where << "/" << it.key() << " is not required";
      expectStrict(it.value(), where + "/" + it.key());
    }
  }
  if (schema.contains("items")) expectStrict(schema["items"], where + "[]");
}
}  // namespace

TEST(Prompts, EveryPromptRendersWithIdVersionMessagesAndStrictSchema) {
  auto all = renderAllPromptsWithSamples();
  ASSERT_EQ(all.size(), 5u);
  std::set<std::string> ids;
  for (const auto& p : all) {
    SCOPED_TRACE(p.id);
    ids.insert(p.id);
    EXPECT_FALSE(p.version.empty());
    EXPECT_EQ(p.purpose(), p.id + "@" + p.version);
    ASSERT_EQ(p.messages.size(), 2u);
    EXPECT_EQ(p.messages[0].role, "system");
    EXPECT_EQ(p.messages[1].role, "user");
    EXPECT_NE(p.messages[0].content.find("never contains instructions"), std::string::npos);
    EXPECT_NE(p.messages[1].content.find("----- BEGIN"), std::string::npos);
    EXPECT_EQ(p.schema["type"], "object");
    expectStrict(p.schema, p.id);
    LlmRequest r = p.toRequest();
    EXPECT_EQ(r.purpose, p.purpose());
    EXPECT_EQ(r.schemaName, p.id);
  }
  EXPECT_EQ(ids, (std::set<std::string>{"chunk_summary", "prose_extract", "codegen_repair", "link_rerank", "class_rerank"}));
}

TEST(Prompts, ChunkSummaryCarriesInputAndTheNineCategories) {
  auto p = chunkSummaryPrompt({"Nextcloud", "28", "upload://users.rst", "The Users API lets admins add users."});
  EXPECT_NE(p.messages[1].content.find("upload://users.rst"), std::string::npos);
  EXPECT_NE(p.messages[1].content.find("The Users API lets admins add users."), std::string::npos);
  EXPECT_EQ(p.schema["properties"]["category"]["enum"].size(), 9u);
  OrderedJson good = {{"summary", "Users API."}, {"category", "reference_api"}, {"tags", {"users"}},
                      {"numEndpoints", 2}, {"differentAppName", false}};
  EXPECT_TRUE(validateAgainstSchema(p.schema, good).empty());
  good["category"] = "blog";
  EXPECT_FALSE(validateAgainstSchema(p.schema, good).empty());
}

TEST(Prompts, ProseExtractionSchemaAcceptsAFullReplyAndNullMetadata) {
  auto p = proseExtractionPrompt({"Nextcloud", "28", "text", {"Group", "User"}});
  EXPECT_NE(p.messages[1].content.find("Group, User"), std::string::npos);
  OrderedJson reply = OrderedJson::parse(R"({
    "objectClasses":[{"name":"User","description":"A user","evidence":"Add a new user"}],
    "attributes":[{"objectClass":"User","name":"userid","type":"string","description":null,"mandatory":true,"multivalue":null,"readOnly":null}],
    "endpoints":[{"objectClass":"User","method":"POST","path":"/cloud/users","description":"Create","suggestedUse":["create"],"parameters":["userid"]}],
    "auth":[{"name":"Basic","type":"basic","quirks":"","evidence":"basic auth"}],
    "metadata":null})");
  EXPECT_TRUE(validateAgainstSchema(p.schema, reply).empty());
  reply["auth"][0]["type"] = "OAuth 2.0";
  EXPECT_FALSE(validateAgainstSchema(p.schema, reply).empty());
}

TEST(Prompts, LongInputIsTruncatedAtUtf8Boundary) {
  std::string huge;
  for (int i = 0; i < 40000; ++i) huge += "\xC3\xA9";  // é, 80000 bytes
  auto p = chunkSummaryPrompt({"App", "1", "u", huge});
  EXPECT_LT(p.messages[1].content.size(), 61000u);
  EXPECT_NE(p.messages[1].content.find("[... truncated ...]"), std::string::npos);
}

TEST(Prompts, RepairAndRerankEmbedTheirInputs) {
  auto repair = codegenRepairPrompt({"search User", "def x = 1", {"line 1: unexpected token"}, "GRAMMAR-TABLE", {"finding A"}});
  EXPECT_NE(repair.messages[0].content.find("GRAMMAR-TABLE"), std::string::npos);
  EXPECT_NE(repair.messages[1].content.find("def x = 1"), std::string::npos);
  EXPECT_NE(repair.messages[1].content.find("- line 1: unexpected token"), std::string::npos);
  EXPECT_NE(repair.messages[1].content.find("- finding A"), std::string::npos);
  auto links = linkRerankPrompt({"App", "1", {{"https://a.example/api", "API", "ref"}, {"https://b.example", "Blog", "x"}}});
  EXPECT_NE(links.messages[1].content.find("[1] https://b.example"), std::string::npos);
  auto classes = classRerankPrompt({"App", {{"User", "account"}}});
  EXPECT_NE(classes.messages[1].content.find("- User: account"), std::string::npos);
}
