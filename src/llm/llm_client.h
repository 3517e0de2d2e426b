// Client for OpenAI-compatible chat completions (POST {base}/chat/completions) with structured
// output, retries and per-job budgets.
//
// Contract:
//  - Thread-safe. One client per process: its concurrency limit (LLM__MAX_CONCURRENCY) bounds the
//    in-flight HTTP requests of every caller together. Backoff sleeps do not hold a slot.
//  - complete() never throws and never blocks longer than attempts × request timeout + backoff;
//    `shouldStop` (checked while waiting and during transfers) aborts promptly with Failure::Cancelled.
//  - Structured output (request.schema set): the schema is described in the system message and sent
//    as response_format {"type":"json_schema"}; when the server rejects that (HTTP 400/422 whose body
//    mentions response_format / json_schema), the client falls back to {"type":"json_object"}, then to
//    plain text (first fenced ```json block or first balanced JSON value). The working mode is
//    remembered for later calls. The reply is validated against the schema; on failure ONE corrective
//    request is made with the errors appended; if that fails too → Failure::Schema.
//  - Retries: transport errors, timeouts, 408/409/429/5xx, and replies that are not a chat completion
//    are retried up to settings.maxAttempts with exponential backoff (base × 2^(n-1)) plus up to 50%
//    jitter, capped at maxRetryDelaySeconds. A Retry-After header (seconds or HTTP date) replaces the
//    computed wait; when it exceeds the cap the call fails at once with a clear message.
//  - Budget: every HTTP request is reserved in the job's LlmBudget first (calls + prompt tokens); if the
//    budget refuses, complete() returns Failure::Budget without sending. Usage from the reply's `usage`
//    (or our own counts) is recorded in the budget and in the result.
//  - The API key is sent only in the Authorization header and never appears in results, errors or
//    debug output (see redactSecrets).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/llm_budget.h"
#include "llm/llm_settings.h"
#include "util/json.h"

namespace cg::llm {

enum class OutputMode { JsonSchema = 0, JsonObject = 1, Text = 2 };
std::string_view outputModeName(OutputMode mode);  // "json_schema" | "json_object" | "text"

struct LlmRequest {
  std::string purpose;                // prompt id (+version) for errors and debug output
  std::vector<ChatMessage> messages;  // system/developer first, then user
  OrderedJson schema;                 // JSON schema of the reply; null → free text reply
  std::string schemaName = "reply";   // [A-Za-z0-9_-], sent as json_schema.name
  bool strictSchema = true;           // json_schema.strict
  std::optional<int> maxCompletionTokens;
};

struct LlmCallOptions {
  std::function<bool()> shouldStop;                  // cancellation (job cancelled / shutting down)
  std::function<void(std::string_view)> debugLog;    // receives redacted request/response summaries
};

struct LlmResult {
  enum class Failure { None, Disabled, Budget, Cancelled, Transport, Http, Malformed, Schema, Refused };
  bool ok = false;
  Failure failure = Failure::None;
  std::string error;    // set when !ok; never contains the API key
  OrderedJson value;    // the validated JSON reply (schema requests)
  std::string text;     // content of the last reply
  OutputMode mode = OutputMode::JsonSchema;  // output mode that produced the reply
  bool corrected = false;                    // the corrective retry was needed
  int httpRequests = 0;
  LlmUsage usage;  // this call only (also recorded in the budget)
};
std::string_view failureName(LlmResult::Failure failure);

// Retry-After: delta seconds or an HTTP date; returns the wait in milliseconds (>= 0) or nullopt.
std::optional<std::int64_t> parseRetryAfterMillis(std::string_view value, std::int64_t nowUnixSeconds);
// Replaces the credentials in "Authorization: ..." headers and "Bearer ..." tokens, and every
// occurrence of `secret` (when non-empty), with "***".
std::string redactSecrets(std::string_view text, std::string_view secret = {});
// Appends the schema description the model sees (also used in json_object/text modes).
std::string schemaInstructions(const OrderedJson& schema);

class LlmClient {
 public:
  explicit LlmClient(LlmSettings settings);
  ~LlmClient();
  LlmClient(const LlmClient&) = delete;
  LlmClient& operator=(const LlmClient&) = delete;

  const LlmSettings& settings() const { return settings_; }
  bool enabled() const { return settings_.enabled(); }
  OutputMode preferredMode() const { return static_cast<OutputMode>(mode_.load()); }
  // Number of requests currently holding a concurrency slot (for tests/metrics).
  int inFlight() const;

  LlmResult complete(const LlmRequest& request, LlmBudget& budget, const LlmCallOptions& options = {});

  // One raw exchange with the server (exposed for the implementation; not for callers).
  struct Exchange {
    int curlCode = 0;  // CURLcode; 0 = a response arrived
    bool timedOut = false;
    bool cancelled = false;
    long status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string transportError;
  };

 private:
  struct Reply;
  Reply sendWithRetries(const OrderedJson& body, long long promptTokens, LlmBudget& budget,
                        const LlmCallOptions& options, const std::string& purpose, LlmResult& result);
  Exchange post(const std::string& body, const LlmCallOptions& options);
  bool acquireSlot(const LlmCallOptions& options);
  void releaseSlot();
  bool sleepInterruptibly(std::int64_t millis, const LlmCallOptions& options);
  void* takeHandle();
  void returnHandle(void* handle);

  LlmSettings settings_;
  std::atomic<int> mode_{0};
  mutable std::mutex slotMu_;
  std::condition_variable slotCv_;
  int slotsInUse_ = 0;
  std::mutex handleMu_;
  std::vector<void*> handles_;  // idle CURL easy handles (connection reuse)
};

}  // namespace cg::llm
