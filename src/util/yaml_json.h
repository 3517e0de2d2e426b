// Converts YAML text to JSON values (libyaml event parser, built directly into OrderedJson).
// Contract:
// - Plain scalars resolve with the YAML 1.2 core schema: null/~/empty -> null, true/false (also True/TRUE)
//   -> bool, decimal/0o octal/0x hex -> integer (decimal beyond int64 -> uint64 or double), floats ->
//   double; .inf/.nan, out-of-range numbers and everything else -> string. Quoted and block scalars are
//   strings; explicit !!str/!!int/!!float/!!bool/!!null tags are honoured, other tags give strings.
// - Mapping keys keep their text and order; a duplicate key keeps its first position and last value;
//   a non-scalar key becomes its compact JSON text. Merge keys (`<<: *a`, `<<: [*a, *b]`) add the keys
//   the mapping does not define itself (earlier sources win) at the position of the first `<<`.
// - Aliases are copies of their anchored value; every use counts against maxNodes (alias bombs) and
//   the expanded depth against maxDepth.
// - Only the first document of a stream is read (later ones are not even parsed); an empty stream or
//   document is null.
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
