// `connector-gen generate <files…> -o <dir>`: the whole pipeline in-process on a temporary SQLite
// database — ingestion, digester, codegen, package — through the same durable jobs the service
// runs. Prints progress and a summary table; writes the package (zip and unpacked files).
// Returns 0 when every step succeeded and every script passed validation, 1 otherwise.
#pragma once
#include <string>
#include <vector>

#include "app/config.h"

namespace cg {
struct GenerateOptions {
  std::vector<std::string> files;
  std::string outputDir;
  bool keepDatabase = false;
};
int runGenerate(const Config& config, const GenerateOptions& options);
}  // namespace cg
