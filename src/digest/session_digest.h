// Session digest: runs the deterministic engines (OpenAPI, SCIM, SQL) over every stored whole
// document of a session and merges their results into one DigestResult, with chunk evidence
// (relevantDocumentations) taken from the chunk metadata the chunker wrote (covered OpenAPI paths
// and schemas, SCIM schema ids, SQL tables). Documents no structured engine understands go to the
// deterministic prose extractor (digest/prose), whose evidence matches lines against chunk content.
// Pure: documents and chunk metadata in, model out.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "digest/model.h"
#include "digest/protocol.h"
#include "util/json.h"

namespace cg::digest {
struct DocumentInput {
  std::string docId;
  std::string text;
  std::string contentType;
};

struct ChunkEvidence {
  std::string docId;
  std::string chunkId;
  OrderedJson metadata;  // the chunk's metadata (paths, schemas, scim_schemas, tables, chunking_strategy)
  std::string content = {};  // the chunk's text (optional; prose evidence matches lines against it)
};

struct SessionDigest {
  DigestResult result;
  // SQL sessions: E.6b table records per lower-case class name (their "endpoints").
  std::map<std::string, std::vector<OrderedJson>> sqlEndpoints;
  std::vector<std::string> protocols;  // apiType of each digested document, in order (REST/SCIM/SQL)
  size_t documentsUsed = 0;            // documents an engine understood
  size_t documentsSkipped = 0;         // documents no engine (structured or prose) got anything from
  size_t proseDocuments = 0;           // documents only the prose engines read (an LLM would read them too)
};

SessionDigest digestDocuments(const std::vector<DocumentInput>& documents, const std::vector<ChunkEvidence>& chunks);
}  // namespace cg::digest
