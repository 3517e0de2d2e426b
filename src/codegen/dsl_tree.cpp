#include "codegen/dsl_tree.h"

namespace cg::codegen {
namespace {

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
int num(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}

DslArg argFromJson(const Json& j);

std::vector<DslArg> argsFromJson(const Json& j) {
  std::vector<DslArg> out;
  if (j.is_array())
    for (const auto& a : j) out.push_back(argFromJson(a));
  return out;
}

DslNode nodeFromJson(const Json& j) {
  DslNode n;
  if (!j.is_object()) return n;
  std::string kind = str(j, "kind");
  n.line = num(j, "line");
  n.column = num(j, "column");
  if (kind == "call") {
    n.kind = DslNode::Kind::Call;
    n.name = str(j, "name");
    n.receiver = str(j, "receiver");
    if (j.contains("args")) n.args = argsFromJson(j["args"]);
  } else if (kind == "property") {
    n.kind = DslNode::Kind::Property;
    n.name = str(j, "name");
  } else {
    n.name = str(j, "type");
  }
  return n;
}

DslArg argFromJson(const Json& j) {
  DslArg a;
  if (!j.is_object()) return a;
  std::string kind = str(j, "kind");
  a.value = str(j, "value");
  a.line = num(j, "line");
  a.column = num(j, "column");
  if (kind == "string") a.kind = DslArg::Kind::String;
  else if (kind == "number") a.kind = DslArg::Kind::Number;
  else if (kind == "boolean") a.kind = DslArg::Kind::Boolean;
  else if (kind == "null") a.kind = DslArg::Kind::Null;
  else if (kind == "gstring") a.kind = DslArg::Kind::GString;
  else if (kind == "identifier") a.kind = DslArg::Kind::Identifier;
  else if (kind == "property") a.kind = DslArg::Kind::Property;
  else if (kind == "map") a.kind = DslArg::Kind::Map;
  else if (kind == "closure") {
    a.kind = DslArg::Kind::Closure;
    if (j.contains("params") && j["params"].is_array())
      for (const auto& p : j["params"])
        if (p.is_string()) a.params.push_back(p.get<std::string>());
    a.body = dslTreeFromJson(j.contains("body") ? j["body"] : Json::array());
  } else if (kind == "call") {
    a.kind = DslArg::Kind::Call;
    a.receiver = str(j, "receiver");
    if (j.contains("chain") && j["chain"].is_array())
      for (const auto& l : j["chain"]) {
        if (!l.is_object()) continue;
        a.chain.push_back({str(l, "name"), l.contains("args") ? argsFromJson(l["args"]) : std::vector<DslArg>{}});
      }
  }
  return a;
}

}  // namespace

std::vector<DslNode> dslTreeFromJson(const Json& tree) {
  std::vector<DslNode> out;
  if (tree.is_array())
    for (const auto& n : tree) out.push_back(nodeFromJson(n));
  return out;
}

const char* argKindName(DslArg::Kind k) {
  switch (k) {
    case DslArg::Kind::String: return "string";
    case DslArg::Kind::Number: return "number";
    case DslArg::Kind::Boolean: return "boolean";
    case DslArg::Kind::Null: return "null";
    case DslArg::Kind::GString: return "gstring";
    case DslArg::Kind::Closure: return "closure";
    case DslArg::Kind::Identifier: return "identifier";
    case DslArg::Kind::Property: return "property";
    case DslArg::Kind::Call: return "call";
    case DslArg::Kind::Map: return "map";
    case DslArg::Kind::Expression: return "expression";
  }
  return "expression";
}

}  // namespace cg::codegen
