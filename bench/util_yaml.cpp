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

namespace {

std::string readCorpus(const std::string& relative) {
  std::ifstream in(std::string(CG_SHARED_DIR) + "/corpus/" + relative, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The former implementation (yaml-cpp tree, std::regex per plain scalar), for comparison only.
struct LegacyYamlCppConverter {
  size_t nodes = 0;

  cg::OrderedJson scalar(const YAML::Node& n) {
    const std::string& v = n.Scalar();
    if (n.Tag() != "?") return v;
    if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return nullptr;
    if (v == "true" || v == "True" || v == "TRUE") return true;
    if (v == "false" || v == "False" || v == "FALSE") return false;
    static const std::regex intRe("[-+]?[0-9]+");
    static const std::regex octRe("0o[0-7]+");
    static const std::regex hexRe("0x[0-9a-fA-F]+");
    static const std::regex floatRe("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    if (v.size() < 40) {
      try {
        if (std::regex_match(v, intRe)) {
          if (v.size() < 19) return std::stoll(v);
          return std::stod(v);
        }
        if (std::regex_match(v, octRe)) return std::stoll(v.substr(2), nullptr, 8);
        if (std::regex_match(v, hexRe)) return std::stoll(v.substr(2), nullptr, 16);
        if (std::regex_match(v, floatRe)) return std::stod(v);
      } catch (const std::exception&) {
        return v;
      }
    }
    return v;
  }

  cg::OrderedJson convert(const YAML::Node& n) {
    ++nodes;
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return nullptr;
      case YAML::NodeType::Scalar:
        return scalar(n);
      case YAML::NodeType::Sequence: {
        cg::OrderedJson arr = cg::OrderedJson::array();
        for (const auto& item : n) arr.push_back(convert(item));
        return arr;
      }
      case YAML::NodeType::Map: {
        cg::OrderedJson obj = cg::OrderedJson::object();
        for (const auto& kv : n) {
          std::string key = kv.first.IsScalar() ? kv.first.Scalar() : YAML::Dump(kv.first);
          obj[key] = convert(kv.second);
        }
        return obj;
      }
    }
    return nullptr;
  }
};

void runConversion(benchmark::State& state, const std::string& relative, bool legacy) {
  std::string text = readCorpus(relative);
  if (text.empty()) {
    state.SkipWithError(("corpus file missing: " + relative).c_str());
    return;
  }
  for (auto _ : state) {
    if (legacy) {
      LegacyYamlCppConverter converter;
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
