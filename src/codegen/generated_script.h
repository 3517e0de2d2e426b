// The result of one DSL generator: Groovy source plus human-readable notes about decisions the
// generator made (omitted attributes, endpoints it could not use, fallbacks). Notes go to the job's
// `errors`/README; the code alone is the `{"code": …}` result.
#pragma once
#include <string>
#include <vector>

namespace cg::codegen {

struct GeneratedScript {
  std::string code;
  std::vector<std::string> notes;
};

}  // namespace cg::codegen
