// Validation of one DSL script (or a batch of them), used for generated code and for every PUT override: the real
// Groovy 4 compiler (when available) plus the DSL conformance check; the built-in parser supplies
// the call tree and a brace/string balance check when no JVM is available.
//
// Contract: never throws. `ok` means no validator that ran found an error; when Groovy could not
// run, `groovySkipped` says "Groovy compilation skipped: <reason>" and the built-in checks decide.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "codegen/dsl_conformance.h"
#include "codegen/generators.h"
#include "codegen/groovy_checker.h"

namespace cg::codegen {

struct ScriptValidation {
  bool ok = true;
  bool groovyCompiled = false;
  std::string groovySkipped;
  std::vector<ScriptIssue> errors;
  std::vector<ScriptIssue> warnings;
  // "line L, column C: <message>" of the first error ("" when ok) — the 422 text of a PUT.
  std::string message() const;
};

// Strips a surrounding Markdown fence (```groovy … ```) and trims, like the reference's PUT.
std::string normalizeGroovyCode(std::string_view code);

ScriptRole roleForArtifact(ArtifactKind kind);

// `checker` may be null (built-in checks only, reported as skipped).
ScriptValidation validateScript(std::string_view source, ScriptRole role, GroovyChecker* checker,
                                std::string_view name = "script.groovy");

struct ScriptToValidate {
  std::string name;    // file name, e.g. "user.search.groovy"
  std::string source;
  ScriptRole role = ScriptRole::Operation;
};

// Same verdicts as validateScript() for each script (in input order), but the Groovy compilation
// of all scripts goes through GroovyChecker::checkMany (few batched compilation units).
std::vector<ScriptValidation> validateScripts(const std::vector<ScriptToValidate>& scripts, GroovyChecker* checker);

std::string formatIssue(const ScriptIssue& issue);

}  // namespace cg::codegen
