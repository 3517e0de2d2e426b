// Fuzz target for the OpenAPI digester: arbitrary bytes are parsed as JSON/YAML spec text and,
// when they parse, digested and serialized. Must never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "digest/model.h"
#include "digest/openapi/openapi_digester.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1'000'000) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<cg::digest::Diagnostic> diagnostics;
  auto doc = cg::digest::openapi::parseSpecText(text, "fuzz", diagnostics);
  if (!doc) return 0;
  auto result = cg::digest::openapi::digestOpenApi(*doc, "fuzz");
  std::string out = cg::dumpJson(cg::digest::objectClassesResponse(result.objectClasses));
  for (const auto& c : result.objectClasses) {
    out += cg::dumpJson(cg::digest::attributesResponse(c.attributes));
    out += cg::dumpJson(cg::digest::endpointsResponse(c.endpoints));
  }
  out += cg::dumpJson(cg::digest::relationsResponse(result.relations));
  out += cg::dumpJson(cg::digest::authResponse(result.auth));
  out += cg::dumpJson(cg::digest::infoResponse(result.info));
  out += cg::dumpJson(cg::digest::connectivityResponse(result.connectivityEndpoints));
  return out.empty() ? 1 : 0;
}
