// Fuzz target for the prose digester (digest/prose): arbitrary bytes are digested as one prose
// document (with the same bytes as its only chunk, so evidence matching runs too) and serialized.
// Checks determinism. Must never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "digest/model.h"
#include "digest/prose/prose_digester.h"

namespace {
std::string serialize(const cg::digest::DigestResult& r) {
  std::string out = cg::dumpJson(cg::digest::objectClassesResponse(r.objectClasses));
  for (const auto& c : r.objectClasses) {
    out += cg::dumpJson(cg::digest::attributesResponse(c.attributes));
    out += cg::dumpJson(cg::digest::endpointsResponse(c.endpoints));
  }
  out += cg::dumpJson(cg::digest::authResponse(r.auth));
  out += cg::dumpJson(cg::digest::infoResponse(r.info));
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1'000'000) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<cg::digest::prose::ProseDocument> docs = {{"doc", text}};
  std::vector<cg::digest::ChunkEvidence> chunks = {{"doc", "chunk", cg::OrderedJson::object(), text}};
  std::string a = serialize(cg::digest::prose::digestProse(docs, chunks));
  std::string b = serialize(cg::digest::prose::digestProse(docs, chunks));
  if (a != b) std::abort();
  return 0;
}
