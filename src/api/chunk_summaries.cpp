#include "api/chunk_summaries.h"

#include <set>

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
  std::size_t summarized = 0;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (ctx_.cancelled()) break;
    if (budget_->exhausted()) {
      skipped_ += chunks.size() - i;
      break;
    }
    auto& chunk = chunks[i];
    llm::ChunkSummaryInput input;
    input.applicationName = applicationName_;
    input.applicationVersion = applicationVersion_;
    input.url = url;
    input.content = chunk.content;
    llm::ChunkSummary s = llm::summarizeChunk(processLlmClient(), *budget_, input, options);
    if (!s.ok && budget_->exhausted()) {  // refused by the budget: no request was sent for it
      if (budgetReason_.empty()) {
        static const std::string prefix = "LLM budget exhausted: ";
        auto at = s.error.find(prefix);
        budgetReason_ = at == std::string::npos ? s.error : s.error.substr(at + prefix.size());
      }
      skipped_ += chunks.size() - i;
      break;
    }
    if (!s.ok || s.summary.empty()) {
      if (ctx_.cancelled()) break;
      ++failures_;
      if (failureLines_.size() < kMaxFailureLines)
        failureLines_.push_back("LLM chunk summary " + std::to_string(i + 1) + " of " + url.substr(0, 300) +
                                " failed (deterministic summary kept): " + (s.ok ? std::string("empty summary") : s.error));
      continue;
    }
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
