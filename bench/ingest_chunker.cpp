// Benchmarks the chunker alone (bytes/4 token counter) on the two large OpenAPI specs of the
// corpus, plus the YAML parse it includes, so the chunking share can be told apart.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "ingest/chunker.h"
#include "util/yaml_json.h"

namespace {
std::string readCorpus(const char* rel) {
  std::ifstream in(std::string(CG_SHARED_DIR) + "/corpus/" + rel, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t quarterBytes(std::string_view s) { return (s.size() + 3) / 4; }

void chunkFile(benchmark::State& state, const char* rel, cg::ingest::ChunkSourceKind kind) {
  std::string text = readCorpus(rel);
  if (text.empty()) {
    state.SkipWithError("corpus file missing");
    return;
  }
  size_t chunks = 0;
  for (auto _ : state) {
    auto result = cg::ingest::chunkDocument(text, kind, quarterBytes);
    chunks = result.chunks.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["chunks"] = static_cast<double>(chunks);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void parseYaml(benchmark::State& state, const char* rel) {
  std::string text = readCorpus(rel);
  for (auto _ : state) benchmark::DoNotOptimize(cg::yamlToJson(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
}  // namespace

BENCHMARK_CAPTURE(chunkFile, okta_yaml, "okta/management-minimal.yaml", cg::ingest::ChunkSourceKind::OpenApiYaml)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(chunkFile, asana_yaml, "asana/asana_oas.yaml", cg::ingest::ChunkSourceKind::OpenApiYaml)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(chunkFile, forgejo_json, "forgejo/swagger.v1.json", cg::ingest::ChunkSourceKind::OpenApiJson)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(chunkFile, okta_as_text, "okta/management-minimal.yaml", cg::ingest::ChunkSourceKind::PlainText)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(parseYaml, okta_yaml_parse_only, "okta/management-minimal.yaml")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(parseYaml, asana_yaml_parse_only, "asana/asana_oas.yaml")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
