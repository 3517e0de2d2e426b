// Per-job limits on LLM use (HTTP calls and tokens) and the usage a job reports in its result.
//
// Contract:
//  - Thread-safe: one LlmBudget is shared by all LLM calls of one job (possibly from several threads).
//  - Tokens are counted with the injected TokenCounter (the app passes the exact cl100k counter,
//    ingest::Tokenizer::cl100k()->count); without one, an approximation (bytes/4, rounded up) is used
//    and usage().exactCounts is false.
//  - reserveCall() is asked before every HTTP request: it fails (with a clear message, nothing
//    reserved) when the call limit is reached or when the prompt would push the token total over the
//    limit. Limits of 0 mean unlimited. Once a reservation fails, exhausted() stays true.
//  - recordUsage() adds what a reply cost (the server's `usage` when present, else our counts).
#pragma once
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace cg::llm {

struct ChatMessage {
  std::string role;  // system | developer | user | assistant
  std::string content;
};

using TokenCounter = std::function<std::size_t(std::string_view)>;

struct LlmUsage {
  long long calls = 0;            // HTTP requests sent
  long long promptTokens = 0;
  long long completionTokens = 0;
  long long failedCalls = 0;      // requests that did not yield a usable reply (errors, 429, ...)
  bool exactCounts = true;        // false when an approximate counter was used for any figure
  long long totalTokens() const { return promptTokens + completionTokens; }
  void add(const LlmUsage& other);
  // {"calls":…,"failedCalls":…,"promptTokens":…,"completionTokens":…,"totalTokens":…,"exactTokenCounts":…}
  OrderedJson toJson() const;
};

class LlmBudget {
 public:
  LlmBudget(long long maxCalls, long long maxTokens, TokenCounter counter = {});

  std::size_t countTokens(std::string_view text) const;
  // OpenAI's chat accounting: per message 3 tokens + role + content, plus 3 for the reply priming.
  std::size_t countChatTokens(const std::vector<ChatMessage>& messages) const;
  bool countsAreExact() const { return static_cast<bool>(counter_); }

  // nullopt = reserved (one call counted); otherwise why the job's budget does not allow the call.
  std::optional<std::string> reserveCall(long long promptTokens);
  void recordUsage(long long promptTokens, long long completionTokens, bool exact);
  void recordFailedCall();

  bool exhausted() const;
  LlmUsage usage() const;
  long long maxCalls() const { return maxCalls_; }
  long long maxTokens() const { return maxTokens_; }

 private:
  long long maxCalls_;
  long long maxTokens_;
  TokenCounter counter_;
  mutable std::mutex mu_;
  LlmUsage usage_;
  bool exhausted_ = false;
};

}  // namespace cg::llm
