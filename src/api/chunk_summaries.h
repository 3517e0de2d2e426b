// Issue 7 item 3: the model's summary, category and tags for prose chunks, at upload time
// (documentation.processUpload) and at scrape time (scrape.getRelevantDocumentation).
//
// Contract:
//  - One ChunkSummarizer per job. Every call of a job shares one LLM budget (LLM__MAX_CALLS_PER_JOB,
//    LLM__MAX_TOKENS_PER_JOB), so a large crawl stops asking the model once the budget is exhausted;
//    the remaining chunks keep their deterministic summaries.
//  - Without LLM settings nothing happens: wants() is false, summarize() changes nothing, usage() is
//    nullopt and finish() returns no lines.
//  - Only prose documents are summarized (parsers text, html, pdf, docx); machine-readable specs
//    (OpenAPI, SCIM, SQL, JSON/YAML) keep their deterministic summaries.
//  - A chunk whose call fails keeps its deterministic summary, category and tags; finish() reports
//    the failures (at most five lines plus a count) and the chunks left out by an exhausted budget.
//  - The chunks of one summarize() call are sent in parallel, up to LLM__MAX_CONCURRENCY; answers are
//    applied in chunk order, so results and error lines do not depend on timing.
//  - Never throws; stops early when the job is cancelled (the caller checks the job context).
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ingest/pipeline.h"
#include "jobs/job_engine.h"
#include "store/store.h"
#include "util/json.h"

namespace cg {
namespace llm {
class LlmBudget;
}

class ChunkSummarizer {
 public:
  // `progressStage`: when non-empty, summarize() reports "Summarizing N chunks with <model>" under
  // this stage before it calls the model. `applicationName`/`applicationVersion` go into the prompt.
  explicit ChunkSummarizer(JobContext& ctx, std::string progressStage = "", std::string applicationName = "",
                           std::string applicationVersion = "");
  ~ChunkSummarizer();
  ChunkSummarizer(const ChunkSummarizer&) = delete;
  ChunkSummarizer& operator=(const ChunkSummarizer&) = delete;

  static bool isProseParser(const std::string& parser);
  // True when the LLM is configured and documents of this parser are summarized.
  bool wants(const std::string& parser) const;
  // True once the job's budget refused a call: later chunks are only counted, not sent.
  bool exhausted() const;

  // Replaces the summary, metadata.category and metadata.tags of the chunks of one document in
  // place with the model's answer. `url` is the page URL or upload://filename. Returns how many
  // chunks got the model's summary.
  std::size_t summarize(const std::string& parser, const std::string& url, std::vector<ingest::IngestedChunk>& chunks);
  std::size_t summarize(const std::string& parser, const std::string& url, std::vector<ChunkRow>& chunks);
  // Counts chunks that were not offered to the model because the budget is exhausted.
  void skip(std::size_t chunks);

  // The job's error lines about this step (call once, at the end).
  std::vector<std::string> finish() const;
  // The job's LLM usage; nullopt when no prose chunk was offered to the model (or LLM disabled).
  std::optional<OrderedJson> usage() const;

 private:
  template <class Chunk>
  std::size_t run(const std::string& parser, const std::string& url, std::vector<Chunk>& chunks);

  JobContext& ctx_;
  std::string progressStage_;
  std::string applicationName_;
  std::string applicationVersion_;
  std::unique_ptr<llm::LlmBudget> budget_;  // created on first use
  bool engaged_ = false;
  std::size_t failures_ = 0;
  std::size_t skipped_ = 0;
  std::string budgetReason_;
  std::vector<std::string> failureLines_;
};

}  // namespace cg
