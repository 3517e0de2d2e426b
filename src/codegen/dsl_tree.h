// The call tree of a DSL script: nested builder calls with their argument kinds, as produced by the
// Groovy 4 checker (tools/groovy/GroovyCheck.groovy, from the real AST) or by the built-in
// DslParser (a tolerant parser of the DSL subset, used when no JVM is available). The DSL
// conformance check runs on this tree.
//
// Contract: dslTreeFromJson() accepts exactly the checker's JSON node shape and never throws
// (unknown shapes become Kind::Other nodes).
#pragma once
#include <string>
#include <vector>

#include "util/json.h"

namespace cg::codegen {

struct DslNode;

struct DslArg {
  enum class Kind { String, Number, Boolean, Null, GString, Closure, Identifier, Property, Call, Map, Expression };
  Kind kind = Kind::Expression;
  std::string value;                 // literal value / identifier / source text
  std::vector<DslNode> body;         // Closure
  std::vector<std::string> params;   // Closure parameters
  struct Link {
    std::string name;
    std::vector<DslArg> args;
  };
  std::vector<Link> chain;  // Call: attribute("a").eq().anySingleValue() → 3 links
  std::string receiver;     // Call: explicit receiver of the first link ("" = implicit this)
  int line = 0, column = 0;
};

struct DslNode {
  enum class Kind { Call, Property, Other };
  Kind kind = Kind::Other;
  std::string name;      // method or property name; statement type for Other
  std::string receiver;  // "" when the call is on the implicit delegate (a builder call)
  std::vector<DslArg> args;
  int line = 0, column = 0;
};

std::vector<DslNode> dslTreeFromJson(const Json& tree);
const char* argKindName(DslArg::Kind k);

}  // namespace cg::codegen
