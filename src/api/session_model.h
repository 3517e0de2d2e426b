// The identity model of a session as later steps see it: the digest of its stored documents
// (computed once per set of documents and cached in the process), and the model assembled from the
// session's digester outputs — which include the user's PUT overrides — for code generation.
#pragma once
#include <memory>
#include <string>

#include "digest/session_digest.h"
#include "jobs/job_engine.h"
#include "store/store.h"

namespace cg {
// A copy of a digester output without relevance fields (relevantDocumentations, relevantSequences
// and their snake_case forms): session outputs are stored this way (contract D.4).
OrderedJson stripRelevance(const OrderedJson& value);

std::shared_ptr<const digest::SessionDigest> sessionDigest(Store& store, const std::string& sessionId);

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
SessionModel loadSessionModel(Store& store, const std::string& sessionId, bool fillFromDigest, bool persistFilled);
}  // namespace cg
