// Fuzz target for code generation from hostile documentation: arbitrary bytes are parsed as an
// OpenAPI spec, digested, and turned into a whole connector package; every generated script must
// then parse and pass the built-in DSL conformance check (the generators' contract: loadable output
// for any model). Must never crash, hang or throw; a non-conforming script aborts (a bug).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "codegen/dsl_conformance.h"
#include "codegen/dsl_parser.h"
#include "codegen/package_generator.h"
#include "codegen/script_validator.h"
#include "digest/openapi/openapi_digester.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 300'000) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<cg::digest::Diagnostic> diagnostics;
  auto doc = cg::digest::openapi::parseSpecText(text, "fuzz", diagnostics);
  if (!doc) return 0;
  auto result = cg::digest::openapi::digestOpenApi(*doc, "fuzz");
  cg::codegen::PackageOptions options;
  options.maxClasses = 40;
  for (const auto& s : cg::codegen::generatePackage(result, options)) {
    auto parsed = cg::codegen::parseDsl(s.script.code);
    auto report = parsed.errors.empty()
                      ? cg::codegen::checkConformance(parsed.tree, cg::codegen::roleForArtifact(s.kind))
                      : cg::codegen::ConformanceReport{};
    if (!parsed.errors.empty() || !report.errors.empty()) {
      std::fprintf(stderr, "%s does not conform: %s\n%s\n", s.fileName.c_str(),
                   (parsed.errors.empty() ? report.errors.front().message : parsed.errors.front().message).c_str(),
                   s.script.code.c_str());
      std::abort();
    }
  }
  return 0;
}
