// Fuzz target for the SCIM digester: arbitrary bytes are parsed as (depth-bounded) JSON and, when
// they parse, digested as a SCIM discovery document, run through protocol detection and serialized.
// Also checks determinism: digesting the same input twice gives the same JSON. Must never crash,
// hang or throw.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "digest/model.h"
#include "digest/protocol.h"
#include "digest/scim/scim_digester.h"

namespace {
std::string serialize(const cg::digest::DigestResult& r) {
  std::string out = cg::dumpJson(cg::digest::objectClassesResponse(r.objectClasses));
  for (const auto& c : r.objectClasses) {
    out += cg::dumpJson(cg::digest::attributesResponse(c.attributes));
    out += cg::dumpJson(cg::digest::endpointsResponse(c.endpoints));
  }
  out += cg::dumpJson(cg::digest::relationsResponse(r.relations));
  out += cg::dumpJson(cg::digest::authResponse(r.auth));
  out += cg::dumpJson(cg::digest::infoResponse(r.info));
  out += cg::dumpJson(cg::digest::connectivityResponse(r.connectivityEndpoints));
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1'000'000) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cg::digest::detectProtocol(text);
  auto first = cg::digest::scim::digestScimText(text, "fuzz");
  auto second = cg::digest::scim::digestScimText(text, "fuzz");
  std::string a = serialize(first);
  if (a != serialize(second)) std::abort();  // nondeterminism is a bug
  cg::digest::scim::applyScimSemantics(first);
  return 0;
}
