// Codegen speed on the Forgejo fixture: digest shared/corpus/forgejo/swagger.v1.json once, then
// (1) generate the whole connector package (every script of every relevant class, relations, auth),
// best of N runs — target < 100 ms; (2) validate every script of that package in ONE Groovy 4 JVM
// (compile + conformance) with the batch API validateScripts(), timed after the JVM has started (a warm-up
// script is checked first) — target < 2 s; --single also times the old one-request-per-script path.
// Prints per-artifact counts and every validation finding.
// Usage: bench_codegen_forgejo [--runs N] [--print <fileName>] [--single]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "codegen/groovy_checker.h"
#include "codegen/package_generator.h"
#include "codegen/script_validator.h"
#include "digest/openapi/openapi_digester.h"

using namespace cg;
using namespace cg::codegen;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int runs = 20;
  std::string print;
  bool single = false;
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--single")) single = true;
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--print")) print = argv[i + 1];
  }
  std::string path = std::string(CG_SHARED_DIR) + "/corpus/forgejo/swagger.v1.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::printf("skipped: %s not found\n", path.c_str());
    return 0;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<digest::Diagnostic> diags;
  auto root = digest::openapi::parseSpecText(ss.str(), "forgejo", diags);
  if (!root) {
    std::printf("cannot parse %s\n", path.c_str());
    return 1;
  }
  auto digestResult = digest::openapi::digestOpenApi(*root, "forgejo");

  std::vector<PackageScript> package;
  double best = 1e18;
  for (int r = 0; r < runs; ++r) {
    auto t0 = Clock::now();
    package = generatePackage(digestResult);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    best = std::min(best, ms);
  }
  size_t bytes = 0, notes = 0;
  std::map<std::string, int> perKind;
  for (const auto& s : package) {
    bytes += s.script.code.size();
    notes += s.script.notes.size();
    if (s.fileName == print) std::printf("%s\n", s.script.code.c_str());
  }
  std::printf("forgejo package: %zu classes digested, %zu scripts, %zu bytes, %zu generator notes\n",
              digestResult.objectClasses.size(), package.size(), bytes, notes);
  std::printf("generation (excluding digest): best %.2f ms over %d runs (target < 100 ms)\n", best, runs);

  GroovyChecker checker;
  std::string why = checker.unavailableReason();
  if (!why.empty()) std::printf("Groovy compilation skipped: %s (built-in checks only)\n", why.c_str());
  auto t0 = Clock::now();
  checker.check("warmup.groovy", "objectClass(\"A\") { }\n");
  double startMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  // Before issue 5: one request (one CompilationUnit) per script — kept for comparison (--single).
  double singleMs = -1;
  if (single) {
    auto ts = Clock::now();
    for (const auto& s : package)
      validateScript(s.script.code, roleForArtifact(s.kind), why.empty() ? &checker : nullptr, s.fileName);
    singleMs = std::chrono::duration<double, std::milli>(Clock::now() - ts).count();
  }
  std::vector<ScriptToValidate> batch;
  for (const auto& s : package) batch.push_back({s.fileName, s.script.code, roleForArtifact(s.kind)});
  auto t1 = Clock::now();
  auto validations = validateScripts(batch, why.empty() ? &checker : nullptr);
  double validateMs = std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
  int failed = 0, compiled = 0, warnings = 0;
  for (size_t i = 0; i < validations.size(); ++i) {
    const auto& v = validations[i];
    compiled += v.groovyCompiled;
    warnings += static_cast<int>(v.warnings.size());
    if (!v.ok) {
      ++failed;
      std::printf("  FAIL %s: %s\n", package[i].fileName.c_str(), v.message().c_str());
    }
  }
  if (singleMs >= 0) std::printf("one request per script (validateScript): %.0f ms\n", singleMs);
  std::printf("JVM start + warm-up: %.0f ms; validating %zu scripts in batches (validateScripts): %.0f ms (target < 2000 ms), "
              "%d compiled by Groovy %s, %d failed, %d warnings, %d JVM start(s)\n",
              startMs, package.size(), validateMs, compiled, checker.groovyVersion().c_str(), failed, warnings,
              checker.starts());
  return failed == 0 ? 0 : 2;
}
