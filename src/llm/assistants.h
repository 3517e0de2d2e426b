// Small LLM-backed helpers for the other pipelines: chunk summaries (ingest), script repair
// (codegen) and re-ranking (discovery links, object classes). Each renders its prompt from
// llm/prompts.h, calls the client within the job's budget, and checks the reply before returning it.
//
// Contract: never throw; on any failure (`ok == false`) `error` says why and the caller keeps its
// deterministic result. Re-rankings only permute/annotate the given items: unknown indexes/names
// from the model are ignored, missing ones are appended in their original order.
#pragma once
#include <string>
#include <vector>

#include "llm/llm_budget.h"
#include "llm/llm_client.h"
#include "llm/prompts.h"

namespace cg::llm {

struct ChunkSummary {
  bool ok = false;
  std::string error;
  std::string summary;
  std::string category;  // one of chunkCategories()
  std::vector<std::string> tags;
  int numEndpoints = 0;
  bool differentAppName = false;
  std::string promptVersion;
};
ChunkSummary summarizeChunk(LlmClient& client, LlmBudget& budget, const ChunkSummaryInput& input,
                            const LlmCallOptions& options = {});

struct ScriptRepairProposal {
  bool ok = false;
  std::string error;
  std::string code;  // candidate script: the caller MUST run its Groovy/DSL checks before accepting it
  std::string explanation;
  std::string promptVersion;
};
ScriptRepairProposal proposeScriptRepair(LlmClient& client, LlmBudget& budget, const CodegenRepairInput& input,
                                         const LlmCallOptions& options = {});

struct Reranking {
  bool ok = false;
  std::string error;
  std::vector<std::size_t> order;     // permutation of the input indexes, best first
  std::vector<bool> relevant;         // per input index (true when the model did not judge it)
  std::vector<bool> judged;           // per input index: the model's reply named this item
  std::vector<int> importance;        // class re-rank only: per input index, 1..5 (3 when not judged)
  std::vector<std::string> relevance; // class re-rank only: "true"|"false"|"maybe" per input index
  std::string promptVersion;
};
Reranking rerankLinks(LlmClient& client, LlmBudget& budget, const LinkRerankInput& input,
                      const LlmCallOptions& options = {});
Reranking rerankClasses(LlmClient& client, LlmBudget& budget, const ClassRerankInput& input,
                        const LlmCallOptions& options = {});

}  // namespace cg::llm
