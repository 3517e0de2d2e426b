// Speed of cg::yamlToJson (libyaml event parser) on the large corpus specs, next to the previous
// yaml-cpp + std::regex conversion kept here only as the "before" reference.
// Run: bench_util_yaml --benchmark_repetitions=5 --benchmark_report_aggregates_only=true and read
// the median real time / bytes_per_second.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "util/yaml_json.h"
#include "../tests/unit/util/legacy_yaml_converter.h"

namespace {

std::string readCorpus(const std::string& relative) {
  std::ifstream in(std::string(CG_SHARED_DIR) + "/corpus/" + relative, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void runConversion(benchmark::State& state, const std::string& relative, bool legacy) {
  std::string text = readCorpus(relative);
  if (text.empty()) {
    state.SkipWithError(("corpus file missing: " + relative).c_str());
    return;
  }
  for (auto _ : state) {
    if (legacy) {
      cgtest::LegacyYamlCppConverter converter;
      auto value = converter.convert(YAML::Load(text));
      benchmark::DoNotOptimize(value);
    } else {
      auto value = cg::yamlToJson(text);
      benchmark::DoNotOptimize(value);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}

}  // namespace

BENCHMARK_CAPTURE(runConversion, okta_new, std::string("okta/management-minimal.yaml"), false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(runConversion, asana_new, std::string("asana/asana_oas.yaml"), false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(runConversion, keycloak_new, std::string("keycloak/keycloak-23.0.7.yml"), false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(runConversion, okta_legacy_yamlcpp, std::string("okta/management-minimal.yaml"), true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(runConversion, asana_legacy_yamlcpp, std::string("asana/asana_oas.yaml"), true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(runConversion, keycloak_legacy_yamlcpp, std::string("keycloak/keycloak-23.0.7.yml"), true)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
