#include "llm/structured_output.h"

#include <gtest/gtest.h>

#include "llm/llm_settings.h"

using cg::OrderedJson;
using namespace cg::llm;

namespace {
OrderedJson endpointSchema() {
  return OrderedJson::parse(R"({
    "type":"object","additionalProperties":false,"required":["endpoints"],
    "properties":{"endpoints":{"type":"array","maxItems":3,"items":{
      "type":"object","additionalProperties":false,"required":["method","path","note"],
      "properties":{"method":{"type":"string","enum":["GET","POST"]},"path":{"type":"string"},
                    "note":{"type":["string","null"]},"count":{"type":"integer"}}}}}})");
}
}  // namespace

TEST(SchemaValidator, AcceptsConformingValue) {
  auto v = OrderedJson::parse(R"({"endpoints":[{"method":"GET","path":"/users","note":null,"count":3.0}]})");
  EXPECT_TRUE(validateAgainstSchema(endpointSchema(), v).empty());
}

TEST(SchemaValidator, ReportsEveryKindOfViolationWithLocation) {
  auto v = OrderedJson::parse(
      R"({"endpoints":[{"method":"FETCH","path":7,"count":1.5,"extra":true}],"more":1})");
  auto errors = validateAgainstSchema(endpointSchema(), v);
  std::string all;
  for (auto& e : errors) all += e + "\n";
  EXPECT_NE(all.find("/endpoints/0/method: value \"FETCH\" not in enum"), std::string::npos) << all;
  EXPECT_NE(all.find("/endpoints/0/path: expected string, got integer"), std::string::npos) << all;
  EXPECT_NE(all.find("/endpoints/0: missing required property \"note\""), std::string::npos) << all;
  EXPECT_NE(all.find("/endpoints/0/count: expected integer, got number"), std::string::npos) << all;
  EXPECT_NE(all.find("unexpected property \"extra\""), std::string::npos) << all;
  EXPECT_NE(all.find("/: unexpected property \"more\""), std::string::npos) << all;
}

TEST(SchemaValidator, ArrayBoundsAndTopLevelType) {
  auto v = OrderedJson::parse(R"({"endpoints":[{"method":"GET","path":"/a","note":null},{"method":"GET","path":"/b","note":null},
    {"method":"GET","path":"/c","note":null},{"method":"GET","path":"/d","note":null}]})");
  auto errors = validateAgainstSchema(endpointSchema(), v);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("at most 3"), std::string::npos);
  EXPECT_EQ(validateAgainstSchema(endpointSchema(), OrderedJson::array()).size(), 1u);
}

TEST(SchemaValidator, ErrorCountIsBounded) {
  OrderedJson v = {{"endpoints", OrderedJson::array()}};
  OrderedJson schema = OrderedJson::parse(R"({"type":"object","properties":{"endpoints":{"type":"array","items":{"type":"string"}}}})");
  for (int i = 0; i < 100; ++i) v["endpoints"].push_back(i);
  EXPECT_EQ(validateAgainstSchema(schema, v, 5).size(), 5u);
}

TEST(JsonExtraction, WholeFencedAndEmbedded) {
  EXPECT_EQ((*extractJsonValue("  {\"a\":1}\n"))["a"], 1);
  auto fenced = extractJsonValue("Here you go:\n```json\n{\"a\": [1, 2]}\n```\nThanks");
  ASSERT_TRUE(fenced);
  EXPECT_EQ((*fenced)["a"].size(), 2u);
  auto plainFence = extractJsonValue("```\n[1,2,3]\n```");
  ASSERT_TRUE(plainFence);
  EXPECT_EQ(plainFence->size(), 3u);
  auto embedded = extractJsonValue("The answer is {\"s\": \"a } brace\", \"n\": {\"x\": 1}} and more {");
  ASSERT_TRUE(embedded);
  EXPECT_EQ((*embedded)["s"], "a } brace");
  // A fenced block that is not JSON is skipped in favour of a later valid value.
  auto skip = extractJsonValue("```json\n{not json}\n```\nthen {\"ok\": true}");
  ASSERT_TRUE(skip);
  EXPECT_EQ((*skip)["ok"], true);
}

TEST(JsonExtraction, NothingToFind) {
  EXPECT_FALSE(extractJsonValue(""));
  EXPECT_FALSE(extractJsonValue("no json here"));
  EXPECT_FALSE(extractJsonValue("{unbalanced"));
  EXPECT_FALSE(extractJsonValue(std::string(100000, '{')));
}

TEST(LlmSettings, DefaultsAndEnabled) {
  auto none = LlmSettings::fromLookup([](std::string_view) { return std::optional<std::string>(); });
  EXPECT_FALSE(none.enabled());
  EXPECT_EQ(none.temperature, 0.0);
  std::map<std::string, std::string> env = {{"LLM__OPENAI_API_BASE", "http://localhost:8000/v1/"},
                                            {"LLM__MODEL_NAME", "local-model"},
                                            {"LLM__REQUEST_TIMEOUT", "2.5"},
                                            {"LLM__REASONING_EFFORT", "Low"},
                                            {"LLM__MAX_CONCURRENCY", "3"},
                                            {"LLM__MAX_CALLS_PER_JOB", "abc"},
                                            {"LLM__MAX_TOKENS_PER_JOB", "5000"},
                                            {"LLM__TEMPERATURE", "0.2"},
                                            {"LLM__OPENAI_API_KEY", "sk-secret-value"}};
  auto s = LlmSettings::fromLookup([&](std::string_view n) -> std::optional<std::string> {
    auto it = env.find(std::string(n));
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
  EXPECT_TRUE(s.enabled());
  EXPECT_EQ(s.chatCompletionsUrl(), "http://localhost:8000/v1/chat/completions");
  EXPECT_DOUBLE_EQ(s.requestTimeoutSeconds, 2.5);
  EXPECT_EQ(s.reasoningEffort, "low");
  EXPECT_EQ(s.maxConcurrency, 3);
  EXPECT_EQ(s.maxCallsPerJob, 200);  // invalid value keeps the default...
  ASSERT_EQ(s.warnings.size(), 1u);  // ...and is reported
  EXPECT_NE(s.warnings[0].find("LLM__MAX_CALLS_PER_JOB"), std::string::npos);
  EXPECT_EQ(s.maxTokensPerJob, 5000);
  EXPECT_DOUBLE_EQ(s.temperature, 0.2);
  EXPECT_EQ(s.describe().find("sk-secret-value"), std::string::npos);
  EXPECT_NE(s.describe().find("key=set"), std::string::npos);
}

TEST(LlmSettings, KeyAloneDoesNotEnable) {
  auto s = LlmSettings::fromLookup([](std::string_view n) -> std::optional<std::string> {
    if (n == "LLM__OPENAI_API_KEY") return "k";
    if (n == "LLM__MODEL_NAME") return "m";
    return std::nullopt;
  });
  EXPECT_FALSE(s.enabled());
}
