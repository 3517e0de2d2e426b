// The YAML→JSON conversion used before the libyaml rewrite (yaml-cpp tree, std::regex per plain
// scalar). Kept only as the oracle of the corpus equivalence test (tests/unit/util/yaml_json_test.cpp)
// and the "before" of bench/util_yaml.cpp; the product uses cg::yamlToJson.
#pragma once
#include <yaml-cpp/yaml.h>

#include <exception>
#include <regex>
#include <string>

#include "util/json.h"

namespace cgtest {

struct LegacyYamlCppConverter {
  cg::OrderedJson scalar(const YAML::Node& n) {
    const std::string& v = n.Scalar();
    if (n.Tag() != "?") return v;
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
    }
    return v;
  }

  cg::OrderedJson convert(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return nullptr;
      case YAML::NodeType::Scalar:
        return scalar(n);
      case YAML::NodeType::Sequence: {
        cg::OrderedJson arr = cg::OrderedJson::array();
        for (const auto& item : n) arr.push_back(convert(item));
        return arr;
      }
      case YAML::NodeType::Map: {
        cg::OrderedJson obj = cg::OrderedJson::object();
        for (const auto& kv : n) {
          std::string key = kv.first.IsScalar() ? kv.first.Scalar() : YAML::Dump(kv.first);
          obj[key] = convert(kv.second);
        }
        return obj;
      }
    }
    return nullptr;
  }
};

}  // namespace cgtest
