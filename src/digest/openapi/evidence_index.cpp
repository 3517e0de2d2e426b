#include "digest/openapi/evidence_index.h"

#include <algorithm>

namespace cg::digest::openapi {

void EvidenceIndex::add(const std::string& docId, const std::string& pointer, const std::string& chunkId) {
  auto& ids = byDoc_[docId][pointer];
  if (std::find(ids.begin(), ids.end(), chunkId) == ids.end()) ids.push_back(chunkId);
}

std::vector<ChunkReference> EvidenceIndex::lookup(const std::string& docId, const std::string& pointer) const {
  std::vector<ChunkReference> refs;
  auto doc = byDoc_.find(docId);
  if (doc == byDoc_.end()) return refs;
  const auto& pointers = doc->second;
  auto addAll = [&](const std::vector<std::string>& ids) {
    for (const auto& id : ids) refs.push_back({docId, id});
  };
  // Ancestors (including the whole document "" and the pointer itself).
  for (size_t pos = 0;;) {
    size_t next = pointer.find('/', pos + 1);
    std::string prefix = pointer.substr(0, next == std::string::npos ? pointer.size() : next);
    if (pos == 0) {
      if (auto it = pointers.find(""); it != pointers.end()) addAll(it->second);
    }
    if (!prefix.empty()) {
      if (auto it = pointers.find(prefix); it != pointers.end()) addAll(it->second);
    }
    if (next == std::string::npos) break;
    pos = next;
  }
  // Descendants.
  std::string base = pointer + "/";
  for (auto it = pointers.lower_bound(base); it != pointers.end() && it->first.compare(0, base.size(), base) == 0; ++it) {
    addAll(it->second);
  }
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  return refs;
}

}  // namespace cg::digest::openapi
