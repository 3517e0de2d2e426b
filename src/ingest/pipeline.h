// Ingestion pipeline: uploaded bytes → detected type → normalized text → structure-aware chunks
// with exact cl100k token counts and the contract's chunk metadata (E.1). Pure apart from the
// out-of-process PDF extraction; used by the documentation.processUpload job and by the crawler.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/detect.h"
#include "ingest/extract.h"
#include "util/json.h"

namespace cg::ingest {
struct IngestOptions {
  ChunkOptions chunking;
  ExtractLimits extract;
};

struct IngestedChunk {
  std::string content;
  std::string summary;
  OrderedJson metadata;
};

struct IngestResult {
  std::optional<ExtractError> error;  // status + detail; error->jobMessage() is the job error line
  DocumentType type;
  std::string text;                   // normalized whole document (stored as the original)
  std::string title;
  std::vector<IngestedChunk> chunks;
  std::vector<std::string> warnings;  // non-fatal notes (approximate token counts, fallbacks)
  bool exactTokenCounts = true;
  bool ok() const { return !error; }
};

ChunkSourceKind chunkKindFor(const DocumentType& type);
IngestResult ingestDocument(std::string_view bytes, std::string_view declaredContentType, std::string_view filename,
                            const IngestOptions& options = {});
}  // namespace cg::ingest
