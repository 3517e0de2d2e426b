#include "llm/llm_budget.h"

namespace cg::llm {

void LlmUsage::add(const LlmUsage& other) {
  calls += other.calls;
  promptTokens += other.promptTokens;
  completionTokens += other.completionTokens;
  failedCalls += other.failedCalls;
  exactCounts = exactCounts && other.exactCounts;
}

OrderedJson LlmUsage::toJson() const {
  OrderedJson j = OrderedJson::object();
  j["calls"] = calls;
  j["failedCalls"] = failedCalls;
  j["promptTokens"] = promptTokens;
  j["completionTokens"] = completionTokens;
  j["totalTokens"] = totalTokens();
  j["exactTokenCounts"] = exactCounts;
  return j;
}

LlmBudget::LlmBudget(long long maxCalls, long long maxTokens, TokenCounter counter)
    : maxCalls_(maxCalls < 0 ? 0 : maxCalls), maxTokens_(maxTokens < 0 ? 0 : maxTokens), counter_(std::move(counter)) {}

std::size_t LlmBudget::countTokens(std::string_view text) const {
  if (counter_) return counter_(text);
  return (text.size() + 3) / 4;
}

std::size_t LlmBudget::countChatTokens(const std::vector<ChatMessage>& messages) const {
  std::size_t total = 3;
  for (const auto& m : messages) total += 3 + countTokens(m.role) + countTokens(m.content);
  return total;
}

std::optional<std::string> LlmBudget::reserveCall(long long promptTokens) {
  std::lock_guard<std::mutex> lock(mu_);
  if (maxCalls_ > 0 && usage_.calls + 1 > maxCalls_) {
    exhausted_ = true;
    return "LLM budget exhausted: the job already made " + std::to_string(usage_.calls) + " of at most " +
           std::to_string(maxCalls_) + " LLM calls (LLM__MAX_CALLS_PER_JOB)";
  }
  if (maxTokens_ > 0 && usage_.totalTokens() + promptTokens > maxTokens_) {
    exhausted_ = true;
    return "LLM budget exhausted: " + std::to_string(usage_.totalTokens()) + " tokens used, the next prompt needs " +
           std::to_string(promptTokens) + ", the job limit is " + std::to_string(maxTokens_) +
           " (LLM__MAX_TOKENS_PER_JOB)";
  }
  ++usage_.calls;
  return std::nullopt;
}

void LlmBudget::recordUsage(long long promptTokens, long long completionTokens, bool exact) {
  std::lock_guard<std::mutex> lock(mu_);
  usage_.promptTokens += promptTokens < 0 ? 0 : promptTokens;
  usage_.completionTokens += completionTokens < 0 ? 0 : completionTokens;
  if (!exact) usage_.exactCounts = false;
}

void LlmBudget::recordFailedCall() {
  std::lock_guard<std::mutex> lock(mu_);
  ++usage_.failedCalls;
}

bool LlmBudget::exhausted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return exhausted_;
}

LlmUsage LlmBudget::usage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return usage_;
}

}  // namespace cg::llm
