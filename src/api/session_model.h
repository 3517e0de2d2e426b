// The identity model of a session as later steps see it: the digest of its stored documents
// (computed once per set of documents and cached in the process), and the model assembled from the
// session's digester outputs — which include the user's PUT overrides — for code generation.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <vector>
#include <string>

#include "digest/session_digest.h"
#include "jobs/job_engine.h"
#include "store/store.h"

namespace cg {
// A copy of a digester output without relevance fields (relevantDocumentations, relevantSequences
// and their snake_case forms): session outputs are stored this way (contract D.4).
OrderedJson stripRelevance(const OrderedJson& value);

std::shared_ptr<const digest::SessionDigest> sessionDigest(Store& store, const std::string& sessionId);

// The digest a digester job works on. Without LLM settings (LLM__OPENAI_API_BASE + LLM__MODEL_NAME)
// this is exactly sessionDigest(). With them, the deterministic digest is augmented once per set of
// documents and model (cached like the deterministic one): llm::ProseExtractor runs over the chunks of
// documents no structured engine understands, and its verified claims are merged in (structured facts
// win: only missing classes, attributes, endpoints, auth types and empty info fields are added).
// Then, when some classes are ambiguous (relevant "maybe"), one llm::rerankClasses call judges those
// classes only, and its "true"/"false" verdicts replace their "maybe" (structured verdicts and the
// class order are never changed). Both steps share one job budget and are cached together.
// Never throws for LLM failures: they become `errors` lines and the deterministic values are used (a
// failed LLM step is cached too, and retried by a job whose input has "skipCache": true).
struct JobDigest {
  std::shared_ptr<const digest::SessionDigest> digest;
  std::optional<OrderedJson> llmUsage;  // set only for the job that made the LLM calls
  std::vector<std::string> errors;      // LLM step errors / dropped-claim summary (non-fatal)
};
JobDigest jobSessionDigest(JobContext& ctx, const std::string& sessionId);

// C.8: waits (bounded, cancellable) until the session's upload and scrape jobs have ended, so a
// job started right after an upload sees the document.
void awaitDocumentation(JobContext& ctx);

struct SessionModel {
  digest::DigestResult model;  // classes with attributes/endpoints, relations, auth, info
  std::map<std::string, std::vector<OrderedJson>> sqlEndpoints;  // SQL table records by lower-case class
  bool fromSession = false;    // at least one output came from the session data
};

// Builds the model from session outputs (metadataOutput, objectClassesOutput, {oc}AttributesOutput,
// {oc}EndpointsOutput, relationsOutput, authOutput). With `fillFromDigest`, outputs missing from the
// session are taken from the documents' digest (and, with `persistFilled`, written to the session
// under their contract keys, as if the digester steps had run).
// `digestSource` replaces sessionDigest() as the source of missing outputs (the package job passes
// jobSessionDigest, so prose extraction and class re-ranking apply there as in the digester jobs).
SessionModel loadSessionModel(Store& store, const std::string& sessionId, bool fillFromDigest, bool persistFilled,
                              const std::function<std::shared_ptr<const digest::SessionDigest>()>& digestSource = {});
}  // namespace cg
