// Built-in tolerant parser of the Groovy DSL subset the connector scripts use (builder calls in
// paren and command syntax, closures with parameters, strings/GStrings, numbers, identifiers,
// property and method chains, simple operators). It needs no JVM: it is the pre-parser (brace,
// paren and string balance with line/column) and the call-tree source for the conformance check
// when the Groovy 4 checker is unavailable. Statements it does not model (def, if, loops, …)
// become DslNode::Kind::Other nodes and are skipped by the conformance check.
//
// Contract: never throws; bounded (input size × constant); errors carry 1-based line/column.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "codegen/dsl_tree.h"

namespace cg::codegen {

struct ScriptIssue {
  int line = 0;
  int column = 0;
  std::string message;
};

struct DslParseResult {
  std::vector<DslNode> tree;
  std::vector<ScriptIssue> errors;  // syntax problems found (empty = balanced and parsable)
};

DslParseResult parseDsl(std::string_view source);

}  // namespace cg::codegen
