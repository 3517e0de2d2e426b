#include "util/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <regex>

namespace cg {
namespace {
struct Converter {
  const YamlLimits& limits;
  size_t nodes = 0;

  OrderedJson scalar(const YAML::Node& n) {
    const std::string& v = n.Scalar();
    if (n.Tag() != "?") return v;  // quoted or explicitly tagged "!" scalars are strings
    if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return nullptr;
    if (v == "true" || v == "True" || v == "TRUE") return true;
    if (v == "false" || v == "False" || v == "FALSE") return false;
    static const std::regex intRe("[-+]?[0-9]+");
    static const std::regex octRe("0o[0-7]+");
    static const std::regex hexRe("0x[0-9a-fA-F]+");
    static const std::regex floatRe("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    if (v.size() < 40) {
      try {
        if (std::regex_match(v, intRe)) {
          if (v.size() < 19) return std::stoll(v);
          return std::stod(v);
        }
        if (std::regex_match(v, octRe)) return std::stoll(v.substr(2), nullptr, 8);
        if (std::regex_match(v, hexRe)) return std::stoll(v.substr(2), nullptr, 16);
        if (std::regex_match(v, floatRe)) return std::stod(v);
      } catch (const std::exception&) {
        return v;
      }
      if (v == ".inf" || v == ".Inf" || v == ".INF" || v == "+.inf") return v;  // JSON has no infinity
      if (v == ".nan" || v == ".NaN" || v == ".NAN") return v;
    }
    return v;
  }

  OrderedJson convert(const YAML::Node& n, size_t depth) {
    if (++nodes > limits.maxNodes) throw YamlError("YAML document expands to too many nodes (alias bomb?)");
    if (depth > limits.maxDepth) throw YamlError("YAML document is nested too deeply");
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return nullptr;
      case YAML::NodeType::Scalar:
        return scalar(n);
      case YAML::NodeType::Sequence: {
        OrderedJson arr = OrderedJson::array();
        for (const auto& item : n) arr.push_back(convert(item, depth + 1));
        return arr;
      }
      case YAML::NodeType::Map: {
        OrderedJson obj = OrderedJson::object();
        for (const auto& kv : n) {
          std::string key = kv.first.IsScalar() ? kv.first.Scalar() : YAML::Dump(kv.first);
          obj[key] = convert(kv.second, depth + 1);
        }
        return obj;
      }
    }
    return nullptr;
  }
};
}  // namespace

OrderedJson yamlToJson(const std::string& text, const YamlLimits& limits) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw YamlError(std::string("invalid YAML: ") + e.what());
  }
  Converter c{limits};
  try {
    return c.convert(root, 0);
  } catch (const YAML::Exception& e) {
    throw YamlError(std::string("invalid YAML: ") + e.what());
  }
}
}  // namespace cg
