// Deterministic repair mode (no LLM): given the script midPoint ran (currentScript) and the errors
// it reported (midpointErrors), recognise the runtime's known messages and fix the script in place
// where a local edit suffices (keeping the user's other edits), otherwise regenerate from the model.
//
// Recognised (messages of conndev/connector-scimrest): "Unknown json schema type: X",
// "No such built-in ConnID attribute: X", "Multiple declarations for the same definition detected",
// "Attribute X not found in schema", "Unknown attribute: X", "Multiple default endpoints …" /
// "Multiple emptyFilter handlers …", "Content type was specified, but missing implementation of body
// method", PER_SEARCH / oauth2 / other / missing-method errors. After the edits the script must pass
// the built-in DSL checks, else it is regenerated.
//
// Contract: pure except for the `regenerate` callback (may be empty: see needsRegeneration); never throws; `changes` lists every edit
// in words (for the job's errors/result).
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/dsl_conformance.h"
#include "codegen/generated_script.h"

namespace cg::codegen {

struct RepairResult {
  std::string code;
  std::vector<std::string> changes;
  bool regenerated = false;
  // Some error had no local fix (or the edited script failed the DSL check) and no `regenerate`
  // callback was given: `code` holds the local edits only. The caller decides (LLM repair, then
  // regeneration).
  bool needsRegeneration = false;
};

RepairResult repairScript(std::string_view currentScript, const std::vector<std::string>& midpointErrors,
                          ScriptRole role, const std::function<GeneratedScript()>& regenerate);

}  // namespace cg::codegen
