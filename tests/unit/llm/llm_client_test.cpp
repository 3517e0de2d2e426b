#include "llm/llm_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "unit/llm/fake_openai_server.h"

using cg::OrderedJson;
using namespace cg::llm;
using cgtest::chatReply;
using cgtest::FakeOpenAiServer;
using cgtest::FakeReply;
using cgtest::FakeRequest;

namespace {

LlmSettings settingsFor(const FakeOpenAiServer& server, std::string key = "sk-test-SECRET-42") {
  LlmSettings s;
  s.apiBase = server.base();
  s.model = "test-model";
  s.apiKey = std::move(key);
  s.requestTimeoutSeconds = 5;
  s.retryBaseDelayMilliseconds = 10;
  s.maxAttempts = 3;
  return s;
}

OrderedJson nameSchema() {
  return OrderedJson::parse(R"({"type":"object","additionalProperties":false,"required":["names"],
    "properties":{"names":{"type":"array","items":{"type":"string"}}}})");
}

LlmRequest nameRequest() {
  LlmRequest r;
  r.purpose = "test_names@v1";
  r.messages = {{"system", "You list names."}, {"user", "Alice and Bob"}};
  r.schema = nameSchema();
  r.schemaName = "names";
  return r;
}

FakeReply httpError(int status, const std::string& message, std::vector<std::pair<std::string, std::string>> headers = {}) {
  OrderedJson j = {{"error", {{"message", message}, {"type", "invalid_request_error"}}}};
  return FakeReply{status, j.dump(), std::move(headers), 0};
}

}  // namespace

TEST(LlmClient, SendsOpenAiRequestShapeAndParsesStructuredReply) {
  FakeOpenAiServer server({chatReply(R"({"names":["Alice","Bob"]})", 40, 9)});
  auto settings = settingsFor(server);
  settings.reasoningEffort = "low";
  LlmClient client(settings);
  LlmBudget budget(10, 100000);
  LlmResult r = client.complete(nameRequest(), budget);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value["names"][1], "Bob");
  EXPECT_EQ(r.mode, OutputMode::JsonSchema);
  EXPECT_FALSE(r.corrected);

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/v1/chat/completions");
  EXPECT_EQ(reqs[0].headers.at("authorization"), "Bearer sk-test-SECRET-42");
  EXPECT_EQ(reqs[0].headers.at("content-type"), "application/json");
  OrderedJson body = reqs[0].json();
  EXPECT_EQ(body["model"], "test-model");
  EXPECT_EQ(body["temperature"], 0.0);
  EXPECT_EQ(body["reasoning_effort"], "low");
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_NE(body["messages"][0]["content"].get<std::string>().find("JSON schema"), std::string::npos);
  EXPECT_EQ(body["messages"][1]["role"], "user");
  EXPECT_EQ(body["messages"][1]["content"], "Alice and Bob");
  EXPECT_EQ(body["response_format"]["type"], "json_schema");
  EXPECT_EQ(body["response_format"]["json_schema"]["name"], "names");
  EXPECT_EQ(body["response_format"]["json_schema"]["strict"], true);
  EXPECT_EQ(body["response_format"]["json_schema"]["schema"], nameSchema());

  // Usage from the reply's `usage` lands in the result and in the job budget.
  EXPECT_EQ(r.usage.calls, 1);
  EXPECT_EQ(r.usage.promptTokens, 40);
  EXPECT_EQ(r.usage.completionTokens, 9);
  EXPECT_EQ(budget.usage().totalTokens(), 49);
  EXPECT_EQ(budget.usage().toJson()["calls"], 1);
}

TEST(LlmClient, NoAuthorizationHeaderWithoutKeyAndNoReasoningEffortByDefault) {
  FakeOpenAiServer server({chatReply(R"({"names":[]})")});
  LlmClient client(settingsFor(server, ""));
  LlmBudget budget(0, 0);
  ASSERT_TRUE(client.complete(nameRequest(), budget).ok);
  auto req = server.requests().at(0);
  EXPECT_EQ(req.headers.count("authorization"), 0u);
  EXPECT_FALSE(req.json().contains("reasoning_effort"));
}

TEST(LlmClient, RetriesAfter429HonouringRetryAfterSeconds) {
  FakeOpenAiServer server({httpError(429, "Rate limit reached", {{"Retry-After", "1"}}), chatReply(R"({"names":["x"]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  auto start = std::chrono::steady_clock::now();
  LlmResult r = client.complete(nameRequest(), budget);
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_GE(waited, std::chrono::milliseconds(900));  // base delay is 10 ms: the wait came from Retry-After
  EXPECT_EQ(r.usage.calls, 2);
  EXPECT_EQ(r.usage.failedCalls, 1);
}

TEST(LlmClient, RetryAfterBeyondTheCapFailsAtOnce) {
  FakeOpenAiServer server({httpError(429, "slow down", {{"Retry-After", "3600"}}), chatReply(R"({"names":[]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, LlmResult::Failure::Http);
  EXPECT_NE(r.error.find("HTTP 429"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("Retry-After 3600"), std::string::npos) << r.error;
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(LlmClient, RetriesServerErrorsThenSucceeds) {
  FakeOpenAiServer server({httpError(500, "boom"), httpError(503, "overloaded"), chatReply(R"({"names":["ok"]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value["names"][0], "ok");
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(budget.usage().failedCalls, 2);
}

TEST(LlmClient, GivesUpAfterBoundedAttempts) {
  FakeOpenAiServer server({httpError(502, "bad gateway")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, LlmResult::Failure::Http);
  EXPECT_NE(r.error.find("gave up after 3 attempts"), std::string::npos) << r.error;
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(LlmClient, ClientErrorsAreNotRetried) {
  FakeOpenAiServer server({httpError(401, "Incorrect API key provided: sk-test-SECRET-42")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  std::vector<std::string> debug;
  LlmCallOptions options;
  options.debugLog = [&](std::string_view line) { debug.emplace_back(line); };
  LlmResult r = client.complete(nameRequest(), budget, options);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_NE(r.error.find("HTTP 401"), std::string::npos);
  // The key never leaks, even when the server echoes it.
  EXPECT_EQ(r.error.find("SECRET"), std::string::npos) << r.error;
  ASSERT_FALSE(debug.empty());
  for (const auto& line : debug) EXPECT_EQ(line.find("SECRET"), std::string::npos) << line;
}

TEST(LlmClient, TimeoutsAreRetriedThenReported) {
  FakeOpenAiServer server([](const FakeRequest&, int) {
    FakeReply r = chatReply(R"({"names":[]})");
    r.delayMs = 1500;
    return r;
  });
  auto settings = settingsFor(server);
  settings.requestTimeoutSeconds = 0.3;
  settings.maxAttempts = 2;
  LlmClient client(settings);
  LlmBudget budget(10, 0);
  auto start = std::chrono::steady_clock::now();
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, LlmResult::Failure::Transport);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1400));
}

TEST(LlmClient, MalformedCompletionIsRetriedAndReported) {
  FakeOpenAiServer server({FakeReply{200, "<html>proxy error</html>", {}, 0}, FakeReply{200, R"({"object":"x"})", {}, 0}});
  auto settings = settingsFor(server);
  settings.maxAttempts = 2;
  LlmClient client(settings);
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, LlmResult::Failure::Malformed);
  EXPECT_NE(r.error.find("not a chat completion"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(LlmClient, SchemaViolationGetsOneCorrectiveRetry) {
  FakeOpenAiServer server({chatReply(R"({"names":"Alice"})"), chatReply(R"({"names":["Alice"]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.corrected);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  OrderedJson second = reqs[1].json();
  ASSERT_EQ(second["messages"].size(), 4u);
  EXPECT_EQ(second["messages"][2]["role"], "assistant");
  EXPECT_EQ(second["messages"][2]["content"], R"({"names":"Alice"})");
  std::string fix = second["messages"][3]["content"];
  EXPECT_NE(fix.find("/names: expected array, got string"), std::string::npos) << fix;
}

TEST(LlmClient, SecondSchemaViolationFails) {
  FakeOpenAiServer server({chatReply("I cannot answer in JSON."), chatReply(R"({"names":[1]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, LlmResult::Failure::Schema);
  EXPECT_NE(r.error.find("/names/0: expected string"), std::string::npos) << r.error;
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(LlmClient, FallsBackFromJsonSchemaToJsonObjectAndRemembers) {
  FakeOpenAiServer server([](const FakeRequest& req, int) {
    OrderedJson body = req.json();
    if (body["response_format"]["type"] == "json_schema")
      return httpError(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.");
    return chatReply(R"({"names":["fallback"]})");
  });
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.mode, OutputMode::JsonObject);
  EXPECT_EQ(r.value["names"][0], "fallback");
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[1].json()["response_format"]["type"], "json_object");
  // The next call starts with the mode that worked.
  EXPECT_EQ(client.preferredMode(), OutputMode::JsonObject);
  ASSERT_TRUE(client.complete(nameRequest(), budget).ok);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(LlmClient, FallsBackToPlainTextAndParsesFencedJson) {
  FakeOpenAiServer server([](const FakeRequest& req, int) {
    if (req.json().contains("response_format")) return httpError(400, "response_format is not supported");
    return chatReply("Sure! Here it is:\n```json\n{\"names\": [\"Zed\"]}\n```");
  });
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.mode, OutputMode::Text);
  EXPECT_EQ(r.value["names"][0], "Zed");
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(LlmClient, BadRequestNotAboutResponseFormatDoesNotFallBack) {
  FakeOpenAiServer server({httpError(400, "messages: too long")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(10, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(client.preferredMode(), OutputMode::JsonSchema);
}

TEST(LlmClient, CallBudgetStopsCleanly) {
  FakeOpenAiServer server({chatReply(R"({"names":[]})")});
  LlmClient client(settingsFor(server));
  LlmBudget budget(1, 0);
  ASSERT_TRUE(client.complete(nameRequest(), budget).ok);
  LlmResult second = client.complete(nameRequest(), budget);
  EXPECT_FALSE(second.ok);
  EXPECT_EQ(second.failure, LlmResult::Failure::Budget);
  EXPECT_NE(second.error.find("LLM__MAX_CALLS_PER_JOB"), std::string::npos) << second.error;
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(budget.exhausted());
}

TEST(LlmClient, TokenBudgetUsesTheCounterAndRefusesBeforeSending) {
  FakeOpenAiServer server({chatReply(R"({"names":[]})")});
  LlmClient client(settingsFor(server));
  // A counter that counts words exactly, to make the arithmetic visible.
  auto words = [](std::string_view t) {
    std::size_t n = 0;
    bool in = false;
    for (char c : t) {
      bool w = c != ' ' && c != '\n';
      if (w && !in) ++n;
      in = w;
    }
    return n;
  };
  LlmBudget budget(0, 20, words);
  EXPECT_TRUE(budget.countsAreExact());
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, LlmResult::Failure::Budget);
  EXPECT_NE(r.error.find("LLM__MAX_TOKENS_PER_JOB"), std::string::npos);
  EXPECT_TRUE(server.requests().empty());
}

TEST(LlmClient, ConcurrencyLimitHoldsAcrossThreads) {
  FakeOpenAiServer server([](const FakeRequest&, int) {
    FakeReply r = chatReply(R"({"names":[]})");
    r.delayMs = 150;
    return r;
  });
  auto settings = settingsFor(server);
  settings.maxConcurrency = 2;
  LlmClient client(settings);
  LlmBudget budget(0, 0);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      if (client.complete(nameRequest(), budget).ok) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_LE(server.maxConcurrent(), 2);
  EXPECT_GE(server.maxConcurrent(), 1);
  EXPECT_EQ(budget.usage().calls, 6);
}

TEST(LlmClient, CancellationStopsAWaitingCall) {
  FakeOpenAiServer server([](const FakeRequest&, int) {
    FakeReply r = chatReply(R"({"names":[]})");
    r.delayMs = 1500;
    return r;
  });
  LlmClient client(settingsFor(server));
  LlmBudget budget(0, 0);
  auto start = std::chrono::steady_clock::now();
  LlmCallOptions options;
  options.shouldStop = [&] { return std::chrono::steady_clock::now() - start > std::chrono::milliseconds(200); };
  LlmResult r = client.complete(nameRequest(), budget, options);
  EXPECT_EQ(r.failure, LlmResult::Failure::Cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
}

TEST(LlmClient, DisabledClientSaysSo) {
  LlmClient client(LlmSettings{});
  LlmBudget budget(0, 0);
  LlmResult r = client.complete(nameRequest(), budget);
  EXPECT_EQ(r.failure, LlmResult::Failure::Disabled);
  EXPECT_NE(r.error.find("no LLM configured"), std::string::npos);
}

TEST(RetryAfter, SecondsAndHttpDates) {
  EXPECT_EQ(parseRetryAfterMillis("5", 0), 5000);
  EXPECT_EQ(parseRetryAfterMillis(" 0 ", 0), 0);
  EXPECT_EQ(parseRetryAfterMillis("1.5", 0), 1500);
  // Sun, 06 Nov 1994 08:49:37 GMT = 784111777
  EXPECT_EQ(parseRetryAfterMillis("Sun, 06 Nov 1994 08:49:37 GMT", 784111770), 7000);
  EXPECT_EQ(parseRetryAfterMillis("Sun, 06 Nov 1994 08:49:37 GMT", 784111790), 0);  // in the past
  EXPECT_FALSE(parseRetryAfterMillis("soon", 0));
  EXPECT_FALSE(parseRetryAfterMillis("", 0));
}

TEST(Redaction, AuthorizationHeadersBearerTokensAndTheKey) {
  EXPECT_EQ(redactSecrets("Authorization: Bearer abc.def\r\nHost: x"), "Authorization: ***\r\nHost: x");
  EXPECT_EQ(redactSecrets(R"({"authorization":"Bearer xyz"})"), R"({"authorization":"Bearer ***"})");
  EXPECT_EQ(redactSecrets("token bearer abc rest"), "token bearer *** rest");
  EXPECT_EQ(redactSecrets("key sk-1 and sk-1", "sk-1"), "key *** and ***");
}
