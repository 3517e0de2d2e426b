#include "api/chunk_summaries.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "api/llm_support.h"
#include "llm/assistants.h"
#include "llm/llm_budget.h"

namespace cg {
namespace {
constexpr std::size_t kMaxFailureLines = 5;

std::string& summaryOf(ingest::IngestedChunk& c) { return c.summary; }
std::string& summaryOf(ChunkRow& c) {
  if (!c.summary) c.summary.emplace();
  return *c.summary;
}
}  // namespace

ChunkSummarizer::ChunkSummarizer(JobContext& ctx, std::string progressStage, std::string applicationName,
                                 std::string applicationVersion)
    : ctx_(ctx),
      progressStage_(std::move(progressStage)),
      applicationName_(std::move(applicationName)),
      applicationVersion_(std::move(applicationVersion)) {}

ChunkSummarizer::~ChunkSummarizer() = default;

bool ChunkSummarizer::isProseParser(const std::string& parser) {
  static const std::set<std::string> prose = {"text", "html", "pdf", "docx"};
  return prose.count(parser) > 0;
}

bool ChunkSummarizer::wants(const std::string& parser) const { return llmEnabled() && isProseParser(parser); }

bool ChunkSummarizer::exhausted() const { return budget_ && budget_->exhausted(); }

std::size_t ChunkSummarizer::summarize(const std::string& parser, const std::string& url,
                                       std::vector<ingest::IngestedChunk>& chunks) {
  return run(parser, url, chunks);
}

std::size_t ChunkSummarizer::summarize(const std::string& parser, const std::string& url, std::vector<ChunkRow>& chunks) {
  return run(parser, url, chunks);
}

void ChunkSummarizer::skip(std::size_t chunks) { skipped_ += chunks; }

template <class Chunk>
std::size_t ChunkSummarizer::run(const std::string& parser, const std::string& url, std::vector<Chunk>& chunks) {
  if (!wants(parser) || chunks.empty()) return 0;
  engaged_ = true;
  if (!budget_) budget_ = makeJobLlmBudget();
  if (budget_->exhausted()) {
    skipped_ += chunks.size();
    return 0;
  }
  if (!progressStage_.empty())
    ctx_.progress(progressStage_, "Summarizing " + std::to_string(chunks.size()) + " chunks with " +
                                      processLlmSettings().model);
  llm::LlmCallOptions options;
  options.shouldStop = [this] { return ctx_.cancelled(); };
  // The calls run in parallel (up to LLM__MAX_CONCURRENCY, the client's own limit); the answers are
  // applied in chunk order afterwards, so the result and the error lines do not depend on timing.
  struct PerChunk {
    bool attempted = false;
    llm::ChunkSummary summary;
  };
  std::vector<PerChunk> per(chunks.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < chunks.size(); i = next++) {
      if (ctx_.cancelled() || budget_->exhausted()) return;
      llm::ChunkSummaryInput input;
      input.applicationName = applicationName_;
      input.applicationVersion = applicationVersion_;
      input.url = url;
      input.content = chunks[i].content;
      per[i].attempted = true;
      per[i].summary = llm::summarizeChunk(processLlmClient(), *budget_, input, options);
    }
  };
  std::size_t workers = std::min<std::size_t>(
      chunks.size(), static_cast<std::size_t>(std::max(1, processLlmSettings().maxConcurrency)));
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();

  static const std::string kBudgetPrefix = "LLM budget exhausted: ";
  std::size_t summarized = 0;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const llm::ChunkSummary& s = per[i].summary;
    bool refused = per[i].attempted && !s.ok && s.error.find(kBudgetPrefix) != std::string::npos;
    if (!per[i].attempted || refused) {  // no request was sent for it
      if (ctx_.cancelled()) continue;
      if (refused && budgetReason_.empty()) budgetReason_ = s.error.substr(s.error.find(kBudgetPrefix) + kBudgetPrefix.size());
      ++skipped_;
      continue;
    }
    if (!s.ok || s.summary.empty()) {
      if (ctx_.cancelled()) continue;
      ++failures_;
      if (failureLines_.size() < kMaxFailureLines)
        failureLines_.push_back("LLM chunk summary " + std::to_string(i + 1) + " of " + url.substr(0, 300) +
                                " failed (deterministic summary kept): " + (s.ok ? std::string("empty summary") : s.error));
      continue;
    }
    auto& chunk = chunks[i];
    summaryOf(chunk) = s.summary;
    if (!chunk.metadata.is_object()) chunk.metadata = OrderedJson::object();
    if (!s.category.empty()) chunk.metadata["category"] = s.category;
    chunk.metadata["tags"] = s.tags;
    ++summarized;
  }
  return summarized;
}

std::vector<std::string> ChunkSummarizer::finish() const {
  std::vector<std::string> lines = failureLines_;
  if (failures_ > failureLines_.size())
    lines.push_back("LLM chunk summary: … " + std::to_string(failures_ - failureLines_.size()) + " more failures");
  if (skipped_ > 0)
    lines.push_back("LLM budget exhausted: " + std::to_string(skipped_) + " chunks keep their deterministic summary" +
                    (budgetReason_.empty() ? std::string(".") : " (" + budgetReason_ + ")."));
  return lines;
}

std::optional<OrderedJson> ChunkSummarizer::usage() const {
  if (!engaged_ || !budget_) return std::nullopt;
  return budget_->usage().toJson();
}

}  // namespace cg
