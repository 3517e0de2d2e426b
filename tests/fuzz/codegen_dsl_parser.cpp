// Fuzz target: the built-in DSL parser, conformance check, validator and repair must never crash,
// hang or throw on arbitrary text; a generated string literal must always parse back to its value.
#include <cstddef>
#include <cstdint>
#include <string>

#include "codegen/dsl_conformance.h"
#include "codegen/dsl_parser.h"
#include "codegen/groovy_writer.h"
#include "codegen/repair.h"
#include "codegen/script_validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = cg::codegen::parseDsl(text);
  cg::codegen::checkConformance(parsed.tree, cg::codegen::ScriptRole::Any);
  cg::codegen::validateScript(text, cg::codegen::ScriptRole::Operation, nullptr);
  cg::codegen::repairScript(text, {"Unknown json schema type: " + text.substr(0, 16), "Attribute x not found in schema"},
                            cg::codegen::ScriptRole::Schema, nullptr);
  // Round trip: an escaped literal is one string argument with no syntax error.
  auto lit = cg::codegen::parseDsl("description " + cg::codegen::groovyString(text) + "\n");
  if (!lit.errors.empty() || lit.tree.size() != 1 || lit.tree[0].args.size() != 1 ||
      lit.tree[0].args[0].kind != cg::codegen::DslArg::Kind::String)
    __builtin_trap();
  return 0;
}
