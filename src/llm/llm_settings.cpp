#include "llm/llm_settings.h"

#include <cstdlib>
#include <stdexcept>
#include <type_traits>
#include <string>

#include "util/strings.h"

namespace cg::llm {
namespace {

template <typename T>
void readNumber(const std::function<std::optional<std::string>(std::string_view)>& lookup, std::string_view name,
                T& out, T minimum, std::vector<std::string>& warnings) {
  auto raw = lookup(name);
  if (!raw) return;
  std::string text = trim(*raw);
  if (text.empty()) return;
  try {
    size_t used = 0;
    T value;
    if constexpr (std::is_floating_point_v<T>) {
      value = static_cast<T>(std::stod(text, &used));
    } else {
      value = static_cast<T>(std::stoll(text, &used));
    }
    if (used != text.size()) throw std::invalid_argument("trailing");
    if (value < minimum) throw std::out_of_range("below minimum");
    out = value;
  } catch (const std::exception&) {
    warnings.push_back(std::string(name) + ": ignoring invalid value '" + text + "'");
  }
}

std::string readString(const std::function<std::optional<std::string>(std::string_view)>& lookup,
                       std::string_view name) {
  auto raw = lookup(name);
  return raw ? trim(*raw) : std::string();
}

}  // namespace

std::string LlmSettings::chatCompletionsUrl() const { return apiBase + "/chat/completions"; }

std::string LlmSettings::describe() const {
  if (!enabled()) return "llm: disabled (LLM__OPENAI_API_BASE and LLM__MODEL_NAME not both set)";
  std::string d = "llm: base=" + apiBase + " model=" + model + " key=" + (apiKey.empty() ? "not set" : "set") +
                  " timeout=" + std::to_string(static_cast<long long>(requestTimeoutSeconds * 1000)) + "ms concurrency=" +
                  std::to_string(maxConcurrency) + " calls/job=" + std::to_string(maxCallsPerJob) +
                  " tokens/job=" + std::to_string(maxTokensPerJob);
  if (!reasoningEffort.empty()) d += " reasoning_effort=" + reasoningEffort;
  return d;
}

LlmSettings LlmSettings::fromEnvironment() {
  return fromLookup([](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  });
}

LlmSettings LlmSettings::fromLookup(const std::function<std::optional<std::string>(std::string_view)>& lookup) {
  LlmSettings s;
  s.apiKey = readString(lookup, "LLM__OPENAI_API_KEY");
  s.apiBase = readString(lookup, "LLM__OPENAI_API_BASE");
  while (!s.apiBase.empty() && s.apiBase.back() == '/') s.apiBase.pop_back();
  if (endsWith(s.apiBase, "/chat/completions")) s.apiBase.resize(s.apiBase.size() - std::string("/chat/completions").size());
  s.model = readString(lookup, "LLM__MODEL_NAME");
  s.reasoningEffort = toLower(readString(lookup, "LLM__REASONING_EFFORT"));
  if (s.reasoningEffort == "none" || s.reasoningEffort == "null") s.reasoningEffort.clear();
  s.caCertFile = readString(lookup, "LLM__CA_CERT_FILE");
  readNumber<double>(lookup, "LLM__REQUEST_TIMEOUT", s.requestTimeoutSeconds, 0.001, s.warnings);
  readNumber<int>(lookup, "LLM__MAX_CONCURRENCY", s.maxConcurrency, 1, s.warnings);
  readNumber<int>(lookup, "LLM__MAX_CALLS_PER_JOB", s.maxCallsPerJob, 0, s.warnings);
  readNumber<long long>(lookup, "LLM__MAX_TOKENS_PER_JOB", s.maxTokensPerJob, 0, s.warnings);
  readNumber<double>(lookup, "LLM__TEMPERATURE", s.temperature, 0.0, s.warnings);
  readNumber<int>(lookup, "LLM__MAX_ATTEMPTS", s.maxAttempts, 1, s.warnings);
  readNumber<int>(lookup, "LLM__RETRY_BASE_DELAY_MS", s.retryBaseDelayMilliseconds, 0, s.warnings);
  readNumber<int>(lookup, "LLM__MAX_RETRY_DELAY_SECONDS", s.maxRetryDelaySeconds, 0, s.warnings);
  readNumber<int>(lookup, "LLM__CONNECT_TIMEOUT", s.connectTimeoutSeconds, 1, s.warnings);
  if (!s.apiBase.empty() && !startsWith(s.apiBase, "http://") && !startsWith(s.apiBase, "https://")) {
    s.warnings.push_back("LLM__OPENAI_API_BASE must start with http:// or https://; LLM disabled");
    s.apiBase.clear();
  }
  return s;
}

}  // namespace cg::llm
