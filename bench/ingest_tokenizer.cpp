// Throughput of the cl100k_base tokenizer on the corpus YAML/JSON files (encode and count), and the
// cost of loading the rank table. Run: bench_ingest_tokenizer --benchmark_repetitions=5
// --benchmark_report_aggregates_only=true and read the median bytes_per_second.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/tokenizer.h"

namespace {

std::string readCorpus(const std::string& relative) {
  std::ifstream in(std::string(CG_SHARED_DIR) + "/corpus/" + relative, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void runEncode(benchmark::State& state, const std::string& relative, bool countOnly) {
  auto tokenizer = cg::ingest::Tokenizer::cl100k();
  if (!tokenizer) {
    state.SkipWithError(cg::ingest::Tokenizer::cl100kLoadError().c_str());
    return;
  }
  std::string text = readCorpus(relative);
  if (text.empty()) {
    state.SkipWithError(("corpus file missing: " + relative).c_str());
    return;
  }
  std::size_t tokens = 0;
  for (auto _ : state) {
    if (countOnly) {
      tokens = tokenizer->count(text);
    } else {
      auto ids = tokenizer->encode(text);
      tokens = ids.size();
      benchmark::DoNotOptimize(ids.data());
    }
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = static_cast<double>(tokens);
}

void BM_EncodeOkta(benchmark::State& state) { runEncode(state, "okta/management-minimal.yaml", false); }
void BM_CountOkta(benchmark::State& state) { runEncode(state, "okta/management-minimal.yaml", true); }
void BM_EncodeAsana(benchmark::State& state) { runEncode(state, "asana/asana_oas.yaml", false); }
void BM_CountKeycloak(benchmark::State& state) { runEncode(state, "keycloak/keycloak-23.0.7.yml", true); }
void BM_CountForgejoJson(benchmark::State& state) { runEncode(state, "forgejo/swagger.v1.json", true); }

void BM_LoadRankTable(benchmark::State& state) {
  auto paths = cg::ingest::Tokenizer::cl100kCandidatePaths();
  std::string error;
  for (auto _ : state) {
    auto tokenizer = cg::ingest::Tokenizer::fromRankFile(paths.back(), &error);
    if (!tokenizer) {
      state.SkipWithError(error.c_str());
      return;
    }
    benchmark::DoNotOptimize(tokenizer.get());
  }
}

BENCHMARK(BM_EncodeOkta)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CountOkta)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EncodeAsana)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CountKeycloak)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CountForgejoJson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadRankTable)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
