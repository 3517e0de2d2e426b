#include "llm/llm_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <random>
#include <thread>

#include "llm/structured_output.h"
#include "util/strings.h"

namespace cg::llm {
namespace {

void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t writeBody(char* data, size_t size, size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  constexpr size_t kMaxBody = 64u << 20;  // a chat reply beyond 64 MiB is not a reply
  if (out->size() + size * count > kMaxBody) return 0;
  out->append(data, size * count);
  return size * count;
}

size_t writeHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * count);
  if (startsWith(line, "HTTP/")) headers->clear();  // a new response (after 100-continue, redirects)
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    (*headers)[toLower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return size * count;
}

struct ProgressContext {
  const LlmCallOptions* options;
  bool cancelled = false;
};

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* ctx = static_cast<ProgressContext*>(user);
  if (ctx->options->shouldStop && ctx->options->shouldStop()) {
    ctx->cancelled = true;
    return 1;
  }
  return 0;
}

bool isTransientStatus(long status) {
  return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

bool mentionsResponseFormat(const std::string& body) {
  std::string lower = toLower(body);
  return lower.find("response_format") != std::string::npos || lower.find("json_schema") != std::string::npos ||
         lower.find("json_object") != std::string::npos || lower.find("response format") != std::string::npos ||
         lower.find("structured output") != std::string::npos;
}

std::string excerpt(std::string_view text, std::size_t max = 300) {
  std::string s = sanitizeUtf8(text.substr(0, std::min(text.size(), max)));
  if (text.size() > max) s += "...";
  return s;
}

std::int64_t jitteredBackoff(int attempt, int baseMillis, int capSeconds) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  double base = static_cast<double>(baseMillis) * std::pow(2.0, attempt - 1);
  std::uniform_real_distribution<double> jitter(0.0, 0.5);
  double wait = base * (1.0 + jitter(rng));
  double cap = static_cast<double>(capSeconds) * 1000.0;
  return static_cast<std::int64_t>(std::min(wait, cap));
}

}  // namespace

std::string_view outputModeName(OutputMode mode) {
  switch (mode) {
    case OutputMode::JsonSchema: return "json_schema";
    case OutputMode::JsonObject: return "json_object";
    case OutputMode::Text: return "text";
  }
  return "text";
}

std::string_view failureName(LlmResult::Failure failure) {
  switch (failure) {
    case LlmResult::Failure::None: return "none";
    case LlmResult::Failure::Disabled: return "disabled";
    case LlmResult::Failure::Budget: return "budget";
    case LlmResult::Failure::Cancelled: return "cancelled";
    case LlmResult::Failure::Transport: return "transport";
    case LlmResult::Failure::Http: return "http";
    case LlmResult::Failure::Malformed: return "malformed";
    case LlmResult::Failure::Schema: return "schema";
    case LlmResult::Failure::Refused: return "refused";
  }
  return "unknown";
}

std::optional<std::int64_t> parseRetryAfterMillis(std::string_view value, std::int64_t nowUnixSeconds) {
  std::string v = trim(value);
  if (v.empty()) return std::nullopt;
  bool digits = std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    if (v.size() > 9) return std::int64_t{999'999'999} * 1000;
    return std::stoll(v) * 1000;
  }
  // Fractional seconds are not in RFC 9110 but some servers send them.
  char* end = nullptr;
  double seconds = std::strtod(v.c_str(), &end);
  if (end && *end == '\0' && seconds >= 0 && seconds < 1e9) return static_cast<std::int64_t>(seconds * 1000);
  initCurlOnce();
  time_t when = curl_getdate(v.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  std::int64_t delta = static_cast<std::int64_t>(when) - nowUnixSeconds;
  return std::max<std::int64_t>(0, delta) * 1000;
}

std::string redactSecrets(std::string_view text, std::string_view secret) {
  std::string out(text);
  if (!secret.empty()) {
    std::size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), "***");
      pos += 3;
    }
  }
  std::string lower = toLower(out);
  // "authorization: <anything up to end of line>"
  for (std::string_view marker : {std::string_view("authorization:"), std::string_view("bearer ")}) {
    std::size_t pos = 0;
    while ((pos = lower.find(marker, pos)) != std::string::npos) {
      std::size_t start = pos + marker.size();
      while (start < out.size() && out[start] == ' ') ++start;
      std::size_t end = start;
      while (end < out.size() && out[end] != '\r' && out[end] != '\n' && out[end] != '"' &&
             !(marker == "bearer " && out[end] == ' '))
        ++end;
      if (end > start && out.compare(start, end - start, "***") != 0) {
        out.replace(start, end - start, "***");
        lower.replace(start, end - start, "***");
      }
      pos = start + 3;
    }
  }
  return out;
}

std::string schemaInstructions(const OrderedJson& schema) {
  return "\n\nReply with one JSON value only (no prose, no code fences) that conforms to this JSON schema:\n" +
         dumpJson(schema);
}

struct LlmClient::Reply {
  bool ok = false;
  std::string content;
  bool fallback = false;  // the server rejected the response_format of this mode
};

LlmClient::LlmClient(LlmSettings settings) : settings_(std::move(settings)) { initCurlOnce(); }

LlmClient::~LlmClient() {
  for (void* h : handles_) curl_easy_cleanup(static_cast<CURL*>(h));
}

int LlmClient::inFlight() const {
  std::lock_guard<std::mutex> lock(slotMu_);
  return slotsInUse_;
}

bool LlmClient::acquireSlot(const LlmCallOptions& options) {
  std::unique_lock<std::mutex> lock(slotMu_);
  int limit = std::max(1, settings_.maxConcurrency);
  while (slotsInUse_ >= limit) {
    if (options.shouldStop && options.shouldStop()) return false;
    slotCv_.wait_for(lock, std::chrono::milliseconds(50));
  }
  ++slotsInUse_;
  return true;
}

void LlmClient::releaseSlot() {
  {
    std::lock_guard<std::mutex> lock(slotMu_);
    --slotsInUse_;
  }
  slotCv_.notify_one();
}

bool LlmClient::sleepInterruptibly(std::int64_t millis, const LlmCallOptions& options) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(millis);
  while (std::chrono::steady_clock::now() < deadline) {
    if (options.shouldStop && options.shouldStop()) return false;
    auto left = deadline - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(25)));
  }
  return !(options.shouldStop && options.shouldStop());
}

void* LlmClient::takeHandle() {
  {
    std::lock_guard<std::mutex> lock(handleMu_);
    if (!handles_.empty()) {
      void* h = handles_.back();
      handles_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void LlmClient::returnHandle(void* handle) {
  std::lock_guard<std::mutex> lock(handleMu_);
  if (handles_.size() < 16) handles_.push_back(handle);
  else curl_easy_cleanup(static_cast<CURL*>(handle));
}

LlmClient::Exchange LlmClient::post(const std::string& body, const LlmCallOptions& options) {
  Exchange ex;
  CURL* curl = static_cast<CURL*>(takeHandle());
  if (!curl) {
    ex.curlCode = CURLE_FAILED_INIT;
    ex.transportError = "could not create an HTTP handle";
    return ex;
  }
  curl_easy_reset(curl);
  std::string url = settings_.chatCompletionsUrl();
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  std::string auth;
  if (!settings_.apiKey.empty()) {
    auth = "Authorization: Bearer " + settings_.apiKey;
    headers = curl_slist_append(headers, auth.c_str());
  }
  ProgressContext progress{&options};
  char errorBuffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "connector-gen");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max(1.0, settings_.requestTimeoutSeconds * 1000)));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connectTimeoutSeconds));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, writeBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ex.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, writeHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &ex.headers);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &progress);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
  if (!settings_.caCertFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.caCertFile.c_str());
  CURLcode rc = curl_easy_perform(curl);
  ex.curlCode = static_cast<int>(rc);
  ex.cancelled = progress.cancelled;
  ex.timedOut = rc == CURLE_OPERATION_TIMEDOUT;
  if (rc != CURLE_OK) {
    ex.transportError = errorBuffer[0] ? std::string(errorBuffer) : std::string(curl_easy_strerror(rc));
    ex.transportError = redactSecrets(ex.transportError, settings_.apiKey);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &ex.status);
  }
  // The handle keeps pointers to our locals; clear them before it goes back to the pool.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);
  std::fill(auth.begin(), auth.end(), '\0');
  returnHandle(curl);
  return ex;
}

LlmClient::Reply LlmClient::sendWithRetries(const OrderedJson& body, long long promptTokens, LlmBudget& budget,
                                             const LlmCallOptions& options, const std::string& purpose,
                                             LlmResult& result) {
  Reply reply;
  std::string payload = dumpJson(body);
  int maxAttempts = std::max(1, settings_.maxAttempts);
  for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
    if (options.shouldStop && options.shouldStop()) {
      result.failure = LlmResult::Failure::Cancelled;
      result.error = purpose + ": cancelled";
      return reply;
    }
    if (auto refusal = budget.reserveCall(promptTokens)) {
      result.failure = LlmResult::Failure::Budget;
      result.error = purpose + ": " + *refusal;
      return reply;
    }
    ++result.usage.calls;
    ++result.httpRequests;
    if (options.debugLog) {
      options.debugLog(redactSecrets("POST " + settings_.chatCompletionsUrl() + " (" + purpose + ", attempt " +
                                         std::to_string(attempt) + ") " + excerpt(payload, 2000),
                                     settings_.apiKey));
    }
    if (!acquireSlot(options)) {
      budget.recordFailedCall();
      result.failure = LlmResult::Failure::Cancelled;
      result.error = purpose + ": cancelled while waiting for an LLM slot";
      return reply;
    }
    Exchange ex = post(payload, options);
    releaseSlot();
    if (options.debugLog) {
      options.debugLog(redactSecrets("LLM reply (" + purpose + "): status " + std::to_string(ex.status) + " " +
                                         (ex.transportError.empty() ? excerpt(ex.body, 2000) : ex.transportError),
                                     settings_.apiKey));
    }
    if (ex.cancelled) {
      budget.recordFailedCall();
      result.failure = LlmResult::Failure::Cancelled;
      result.error = purpose + ": cancelled";
      return reply;
    }
    std::string problem;
    std::optional<std::int64_t> retryAfter;
    bool retryable = false;
    if (ex.curlCode != 0) {
      retryable = true;
      result.failure = LlmResult::Failure::Transport;
      problem = ex.timedOut ? "LLM request timed out after " +
                                  std::to_string(static_cast<long long>(settings_.requestTimeoutSeconds * 1000)) + " ms"
                            : "LLM request failed: " + ex.transportError;
    } else if (ex.status < 200 || ex.status >= 300) {
      result.failure = LlmResult::Failure::Http;
      problem = "LLM endpoint answered HTTP " + std::to_string(ex.status) + ": " +
                redactSecrets(excerpt(ex.body), settings_.apiKey);
      if ((ex.status == 400 || ex.status == 422) && body.contains("response_format") && mentionsResponseFormat(ex.body)) {
        budget.recordFailedCall();
        ++result.usage.failedCalls;
        reply.fallback = true;
        result.error = purpose + ": " + problem;
        return reply;
      }
      retryable = isTransientStatus(ex.status);
      if (auto h = ex.headers.find("retry-after"); h != ex.headers.end()) {
        retryAfter = parseRetryAfterMillis(h->second, static_cast<std::int64_t>(std::time(nullptr)));
      }
    } else {
      OrderedJson parsed = OrderedJson::parse(ex.body, nullptr, false);
      const OrderedJson* message = nullptr;
      if (parsed.is_object() && parsed.contains("choices") && parsed["choices"].is_array() &&
          !parsed["choices"].empty() && parsed["choices"][0].is_object() && parsed["choices"][0].contains("message") &&
          parsed["choices"][0]["message"].is_object())
        message = &parsed["choices"][0]["message"];
      if (!message) {
        retryable = true;
        result.failure = LlmResult::Failure::Malformed;
        problem = "LLM reply is not a chat completion: " + redactSecrets(excerpt(ex.body), settings_.apiKey);
      } else {
        long long prompt = -1, completion = -1;
        if (parsed.contains("usage") && parsed["usage"].is_object()) {
          const auto& u = parsed["usage"];
          if (u.contains("prompt_tokens") && u["prompt_tokens"].is_number_integer()) prompt = u["prompt_tokens"].get<long long>();
          if (u.contains("completion_tokens") && u["completion_tokens"].is_number_integer())
            completion = u["completion_tokens"].get<long long>();
        }
        std::string content;
        if (message->contains("content") && (*message)["content"].is_string()) content = (*message)["content"].get<std::string>();
        bool exact = budget.countsAreExact();
        if (prompt < 0) prompt = promptTokens;
        else exact = true;
        if (completion < 0) {
          completion = static_cast<long long>(budget.countTokens(content));
          exact = budget.countsAreExact();
        }
        budget.recordUsage(prompt, completion, exact);
        result.usage.promptTokens += prompt;
        result.usage.completionTokens += completion;
        if (!exact) result.usage.exactCounts = false;
        if (content.empty() && message->contains("refusal") && (*message)["refusal"].is_string()) {
          result.failure = LlmResult::Failure::Refused;
          result.error = purpose + ": the model refused: " + excerpt((*message)["refusal"].get<std::string>());
          return reply;
        }
        reply.ok = true;
        reply.content = std::move(content);
        result.failure = LlmResult::Failure::None;
        result.error.clear();
        return reply;
      }
    }
    budget.recordFailedCall();
    ++result.usage.failedCalls;
    result.error = purpose + ": " + problem;
    if (!retryable) return reply;
    if (attempt == maxAttempts) {
      result.error += " (gave up after " + std::to_string(maxAttempts) + " attempts)";
      return reply;
    }
    std::int64_t wait = jitteredBackoff(attempt, settings_.retryBaseDelayMilliseconds, settings_.maxRetryDelaySeconds);
    if (retryAfter) {
      if (*retryAfter > static_cast<std::int64_t>(settings_.maxRetryDelaySeconds) * 1000) {
        result.error += " (Retry-After " + std::to_string(*retryAfter / 1000) +
                        " s exceeds LLM__MAX_RETRY_DELAY_SECONDS; not waiting)";
        return reply;
      }
      wait = *retryAfter;
    }
    if (!sleepInterruptibly(wait, options)) {
      result.failure = LlmResult::Failure::Cancelled;
      result.error = purpose + ": cancelled";
      return reply;
    }
  }
  return reply;
}

LlmResult LlmClient::complete(const LlmRequest& request, LlmBudget& budget, const LlmCallOptions& options) {
  LlmResult result;
  if (!enabled()) {
    result.failure = LlmResult::Failure::Disabled;
    result.error = request.purpose + ": no LLM configured (LLM__OPENAI_API_BASE / LLM__MODEL_NAME)";
    return result;
  }
  bool structured = !request.schema.is_null();
  std::vector<ChatMessage> messages = request.messages;
  if (structured) {
    std::string instructions = schemaInstructions(request.schema);
    auto sys = std::find_if(messages.begin(), messages.end(),
                            [](const ChatMessage& m) { return m.role == "system" || m.role == "developer"; });
    if (sys != messages.end()) sys->content += instructions;
    else messages.insert(messages.begin(), ChatMessage{"system", instructions.substr(2)});
  }
  std::string schemaName;
  for (char c : request.schemaName)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') schemaName += c;
  if (schemaName.empty()) schemaName = "reply";

  for (int round = 0; round < 2; ++round) {
    Reply reply;
    OutputMode mode = structured ? preferredMode() : OutputMode::Text;
    while (true) {
      OrderedJson body = OrderedJson::object();
      body["model"] = settings_.model;
      OrderedJson msgs = OrderedJson::array();
      for (const auto& m : messages) msgs.push_back({{"role", m.role}, {"content", m.content}});
      body["messages"] = std::move(msgs);
      body["temperature"] = settings_.temperature;
      if (!settings_.reasoningEffort.empty()) body["reasoning_effort"] = settings_.reasoningEffort;
      if (request.maxCompletionTokens) body["max_tokens"] = *request.maxCompletionTokens;
      if (structured && mode == OutputMode::JsonSchema) {
        body["response_format"] = {{"type", "json_schema"},
                                   {"json_schema",
                                    {{"name", schemaName}, {"schema", request.schema}, {"strict", request.strictSchema}}}};
      } else if (structured && mode == OutputMode::JsonObject) {
        body["response_format"] = {{"type", "json_object"}};
      }
      long long promptTokens = static_cast<long long>(budget.countChatTokens(messages));
      reply = sendWithRetries(body, promptTokens, budget, options, request.purpose, result);
      result.mode = mode;
      if (reply.fallback && mode != OutputMode::Text) {
        mode = static_cast<OutputMode>(static_cast<int>(mode) + 1);
        int expected = static_cast<int>(mode) - 1;
        mode_.compare_exchange_strong(expected, static_cast<int>(mode));
        continue;
      }
      break;
    }
    if (!reply.ok) {
      if (reply.fallback) result.failure = LlmResult::Failure::Http;
      result.ok = false;
      return result;
    }
    result.text = reply.content;
    if (!structured) {
      result.ok = true;
      return result;
    }
    std::vector<std::string> problems;
    std::optional<OrderedJson> value = extractJsonValue(reply.content);
    if (!value) {
      problems.push_back("the reply is not valid JSON");
    } else {
      problems = validateAgainstSchema(request.schema, *value);
    }
    if (problems.empty()) {
      result.ok = true;
      result.value = std::move(*value);
      result.failure = LlmResult::Failure::None;
      result.error.clear();
      return result;
    }
    if (round == 0) {
      result.corrected = true;
      messages.push_back(ChatMessage{"assistant", reply.content});
      std::string fix = "Your previous reply was rejected because it does not conform to the JSON schema:\n";
      for (const auto& p : problems) fix += "- " + p + "\n";
      fix += "Reply again with only the corrected JSON value. Do not add facts that are not in the documentation.";
      messages.push_back(ChatMessage{"user", fix});
      continue;
    }
    result.ok = false;
    result.failure = LlmResult::Failure::Schema;
    result.error = request.purpose + ": the reply does not conform to the schema after one corrective retry: " +
                   join(problems, "; ");
  }
  return result;
}

}  // namespace cg::llm
