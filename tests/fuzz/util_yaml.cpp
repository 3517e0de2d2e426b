// Fuzz target: YAML -> JSON conversion on arbitrary bytes. Only cg::YamlError may escape, and the
// limits must hold; small limits make alias bombs and deep nesting cheap to reach.
#include <cstddef>
#include <cstdint>
#include <string>

#include "util/yaml_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  cg::YamlLimits limits;
  limits.maxNodes = 20000;
  limits.maxDepth = 64;
  try {
    cg::OrderedJson value = cg::yamlToJson(text, limits);
    (void)cg::dumpJson(value);
  } catch (const cg::YamlError&) {
  }
  return 0;
}
