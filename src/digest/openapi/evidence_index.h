// Which documentation chunks cover which part of a structured document, so extracted items can
// carry `relevantDocumentations` ({docId, chunkId}). The chunker (or a test) registers, per
// document, the JSON pointers each chunk covers ("" = the whole document, "/paths/~1users",
// "/components/schemas/User", ...). A lookup for a pointer returns every chunk registered at that
// pointer, at an ancestor of it, or at a descendant of it (a chunk that covers part of the item),
// sorted and de-duplicated. An empty index yields empty evidence. Pure value type.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"

namespace cg::digest::openapi {

class EvidenceIndex {
 public:
  void add(const std::string& docId, const std::string& pointer, const std::string& chunkId);
  std::vector<ChunkReference> lookup(const std::string& docId, const std::string& pointer) const;
  bool empty() const { return byDoc_.empty(); }

 private:
  // docId → pointer → chunk ids (sorted map gives descendant scans by prefix).
  std::map<std::string, std::map<std::string, std::vector<std::string>>> byDoc_;
};

}  // namespace cg::digest::openapi
