// Configuration of the optional OpenAI-compatible LLM, read from environment variables with the
// reference service's names (LLM__*). The LLM is used only when `enabled()`: a base URL and a model
// name are set (the API key may be empty, e.g. for a local server). Nothing here throws: malformed
// numbers keep their defaults and are reported in `warnings`. `describe()` never includes the key.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cg::llm {

struct LlmSettings {
  std::string apiKey;           // LLM__OPENAI_API_KEY (never logged)
  std::string apiBase;          // LLM__OPENAI_API_BASE, e.g. https://api.openai.com/v1 (no trailing slash)
  std::string model;            // LLM__MODEL_NAME
  double requestTimeoutSeconds = 600;  // LLM__REQUEST_TIMEOUT (whole HTTP exchange of one call; fractions allowed)
  std::string reasoningEffort;      // LLM__REASONING_EFFORT ("" = not sent; e.g. low|medium|high)
  std::string caCertFile;           // LLM__CA_CERT_FILE (extra CA bundle for the endpoint)
  int maxConcurrency = 4;           // LLM__MAX_CONCURRENCY (process-wide in-flight requests)
  int maxCallsPerJob = 200;         // LLM__MAX_CALLS_PER_JOB (HTTP requests; 0 = unlimited)
  long long maxTokensPerJob = 2'000'000;  // LLM__MAX_TOKENS_PER_JOB (prompt+completion; 0 = unlimited)
  double temperature = 0.0;         // LLM__TEMPERATURE
  int maxAttempts = 3;              // LLM__MAX_ATTEMPTS (per call, for 429/5xx/timeouts)
  int retryBaseDelayMilliseconds = 1000;   // LLM__RETRY_BASE_DELAY_MS (doubles each attempt, + jitter)
  int maxRetryDelaySeconds = 60;           // LLM__MAX_RETRY_DELAY_SECONDS (cap, also on Retry-After)
  int connectTimeoutSeconds = 15;          // LLM__CONNECT_TIMEOUT

  std::vector<std::string> warnings;

  bool enabled() const { return !apiBase.empty() && !model.empty(); }
  // "{base}/chat/completions".
  std::string chatCompletionsUrl() const;
  // One line for logs: base, model, limits; the key only as "set"/"not set".
  std::string describe() const;

  // Reads the process environment.
  static LlmSettings fromEnvironment();
  // Same, with an injectable lookup (tests).
  static LlmSettings fromLookup(const std::function<std::optional<std::string>(std::string_view)>& lookup);
};

}  // namespace cg::llm
