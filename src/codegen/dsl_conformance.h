// DSL conformance check: walks a script's call tree (dsl_tree.h) against a grammar table of the
// runtime's builder scopes — which method is allowed inside which block, with which argument
// kinds and constants — plus the semantic rules of codegen-dsl.md B.4 (UID/NAME only, JSON types,
// eq/contains only, closure-form supportedFilter on REST endpoints, {id}-only update/delete paths,
// no body closures, per-grant OAuth2, no `other`, no PER_SEARCH, no top-level scaffolds, …).
//
// Every table entry names the runtime interface it comes from (dsl_grammar.cpp); closures the
// runtime executes later (implementation, objectExtractor, pagingSupport, filter bodies, resolver
// search) are "runtime" scopes: ordinary Groovy, checked only for names the runtime lacks.
//
// Contract: pure, never throws. Errors = the runtime would reject or misbehave; warnings = legal
// but suspicious (leading "/", deprecated shortcuts, create without JSON content type).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "codegen/dsl_parser.h"
#include "codegen/dsl_tree.h"

namespace cg::codegen {

enum class ScriptRole {
  Any,             // top level may use every entry point
  Schema,          // native/connid/relationship scripts: objectClass, relationship
  Operation,       // search/create/update/delete: objectClass, test, authentication
  Authentication,  // authentication.op.groovy
};

struct ConformanceReport {
  std::vector<ScriptIssue> errors;
  std::vector<ScriptIssue> warnings;
};

ConformanceReport checkConformance(const std::vector<DslNode>& tree, ScriptRole role = ScriptRole::Any);

// Where each grammar scope comes from ("<scope>: <runtime interface>"), for documentation/tests.
std::vector<std::string> grammarSources();

}  // namespace cg::codegen
