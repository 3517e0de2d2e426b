// LLM-assisted extraction of object classes, attributes, endpoints, auth methods and metadata from
// prose documentation chunks (HTML/Markdown/PDF text without a structured spec).
//
// Contract:
//  - One prose_extract call per chunk (parallel up to the client's concurrency limit); every reply is
//    verified against its own chunk (llm/verification.h) and only verified claims enter the result.
//  - Output uses the digester's model (digest/model.h): classes carry their attributes and endpoints;
//    relevantDocumentations = the chunks with at least one verified claim about the item; confidence is
//    Medium for classes backed by a verified endpoint or attribute, else Low (structured sources are
//    High; merging with deterministic results is the digester's job: structured facts win).
//  - Auth types come from the schema's enum (already normalized AuthType values); each auth method's
//    relevantSequences hold the verified evidence text as start/end sequences.
//  - Failures never throw: a chunk whose call fails is reported in `errors` (job errors) and skipped;
//    when the budget runs out the remaining chunks are skipped with one clear error. Dropped claims
//    are listed (and summarised as Info diagnostics) so users can see what was rejected and why.
//  - The merge is deterministic for a given set of replies (chunk order, first-seen names).
#pragma once
#include <string>
#include <vector>

#include "digest/model.h"
#include "llm/llm_budget.h"
#include "llm/llm_client.h"
#include "llm/verification.h"

namespace cg::llm {

struct ProseChunk {
  std::string chunkId;
  std::string docId;
  std::string text;
};

struct ProseExtractionOptions {
  std::string applicationName;
  std::string applicationVersion;
  std::vector<std::string> knownObjectClasses;  // from structured documents (sent as context)
  std::size_t maxChunks = 200;                  // further chunks are skipped (reported)
  LlmCallOptions call;
};

struct ProseExtractionResult {
  digest::DigestResult digest;  // objectClasses (+attributes, endpoints), auth, info, diagnostics
  std::vector<digest::Endpoint> unassignedEndpoints;  // verified endpoints without a verified class
  std::vector<digest::ChunkReference> relevantDocumentations;  // chunks with any verified claim
  std::vector<DroppedClaim> dropped;
  std::vector<std::string> errors;  // per-chunk LLM failures, budget exhaustion (for the job's errors)
  LlmUsage usage;                   // of this extraction
  int chunksProcessed = 0;
  int chunksFailed = 0;
  int chunksSkipped = 0;
  std::string promptVersion;  // "prose_extract@1"
};

class ProseExtractor {
 public:
  ProseExtractor(LlmClient& client, LlmBudget& budget) : client_(client), budget_(budget) {}
  ProseExtractionResult extract(const std::vector<ProseChunk>& chunks, const ProseExtractionOptions& options);

 private:
  LlmClient& client_;
  LlmBudget& budget_;
};

// Merges one chunk's verified claims into `result` (exposed for tests; used by extract()).
void mergeVerifiedClaims(ProseExtractionResult& result, const ProseChunk& chunk, const VerifiedClaims& claims);

}  // namespace cg::llm
