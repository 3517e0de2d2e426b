// Converts YAML text to JSON values, resolving plain scalars with the YAML 1.2 core schema
// (null, true/false, integers, floats; everything else and every quoted scalar is a string).
// Guards against alias expansion bombs and deep nesting with explicit limits.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

#include "util/json.h"

namespace cg {
struct YamlLimits {
  size_t maxNodes = 20'000'000;  // total JSON nodes produced, aliases counted on each use
  size_t maxDepth = 512;
};

class YamlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws YamlError with a message naming the line/column on a syntax error or a limit.
OrderedJson yamlToJson(const std::string& text, const YamlLimits& limits = {});
}  // namespace cg
