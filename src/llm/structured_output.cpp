#include "llm/structured_output.h"

#include <cctype>
#include <string>

namespace cg::llm {
namespace {

constexpr int kMaxDepth = 64;

std::string typeOf(const OrderedJson& v) {
  switch (v.type()) {
    case OrderedJson::value_t::object: return "object";
    case OrderedJson::value_t::array: return "array";
    case OrderedJson::value_t::string: return "string";
    case OrderedJson::value_t::boolean: return "boolean";
    case OrderedJson::value_t::null: return "null";
    case OrderedJson::value_t::number_integer:
    case OrderedJson::value_t::number_unsigned: return "integer";
    case OrderedJson::value_t::number_float: return "number";
    default: return "unknown";
  }
}

bool matchesType(const OrderedJson& v, const std::string& type) {
  std::string actual = typeOf(v);
  if (type == actual) return true;
  if (type == "number" && actual == "integer") return true;
  // 3.0 is an integer for JSON Schema.
  if (type == "integer" && actual == "number") {
    double d = v.get<double>();
    return d == static_cast<double>(static_cast<long long>(d));
  }
  return false;
}

std::string escapePointer(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string shortDump(const OrderedJson& v) {
  std::string s = dumpJson(v);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

struct Validator {
  std::vector<std::string> errors;
  std::size_t maxErrors;

  bool full() const { return errors.size() >= maxErrors; }
  void add(const std::string& where, const std::string& what) {
    if (!full()) errors.push_back((where.empty() ? std::string("/") : where) + ": " + what);
  }

  void check(const OrderedJson& schema, const OrderedJson& value, const std::string& where, int depth) {
    if (full() || !schema.is_object()) return;
    if (depth > kMaxDepth) {
      add(where, "value nested too deeply");
      return;
    }
    if (auto t = schema.find("type"); t != schema.end()) {
      bool ok = false;
      std::string expected;
      if (t->is_string()) {
        ok = matchesType(value, t->get<std::string>());
        expected = t->get<std::string>();
      } else if (t->is_array()) {
        for (const auto& one : *t) {
          if (!one.is_string()) continue;
          if (!expected.empty()) expected += "|";
          expected += one.get<std::string>();
          if (matchesType(value, one.get<std::string>())) ok = true;
        }
      } else {
        ok = true;
      }
      if (!ok) {
        add(where, "expected " + expected + ", got " + typeOf(value));
        return;
      }
    }
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      bool found = false;
      for (const auto& option : *e) {
        if (option == value) {
          found = true;
          break;
        }
      }
      if (!found) add(where, "value " + shortDump(value) + " not in enum " + shortDump(*e));
    }
    if (value.is_object()) {
      auto props = schema.find("properties");
      if (auto r = schema.find("required"); r != schema.end() && r->is_array()) {
        for (const auto& name : *r) {
          if (name.is_string() && !value.contains(name.get<std::string>()))
            add(where, "missing required property \"" + name.get<std::string>() + "\"");
        }
      }
      auto additional = schema.find("additionalProperties");
      for (auto it = value.begin(); it != value.end() && !full(); ++it) {
        std::string child = where + "/" + escapePointer(it.key());
        if (props != schema.end() && props->is_object() && props->contains(it.key())) {
          check((*props)[it.key()], it.value(), child, depth + 1);
        } else if (additional != schema.end()) {
          if (additional->is_boolean() && !additional->get<bool>())
            add(where, "unexpected property \"" + it.key() + "\"");
          else if (additional->is_object())
            check(*additional, it.value(), child, depth + 1);
        }
      }
    }
    if (value.is_array()) {
      if (auto m = schema.find("minItems"); m != schema.end() && m->is_number_unsigned() &&
                                             value.size() < m->get<std::size_t>())
        add(where, "expected at least " + std::to_string(m->get<std::size_t>()) + " items");
      if (auto m = schema.find("maxItems"); m != schema.end() && m->is_number_unsigned() &&
                                             value.size() > m->get<std::size_t>())
        add(where, "expected at most " + std::to_string(m->get<std::size_t>()) + " items");
      if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
        for (std::size_t i = 0; i < value.size() && !full(); ++i)
          check(*items, value[i], where + "/" + std::to_string(i), depth + 1);
      }
    }
  }
};

std::optional<OrderedJson> parseQuiet(std::string_view text) {
  OrderedJson v = OrderedJson::parse(text.begin(), text.end(), nullptr, false);
  if (v.is_discarded()) return std::nullopt;
  return v;
}

// End (exclusive) of the balanced value starting at `start` ('{' or '['), honouring strings; npos if unbalanced.
std::size_t balancedEnd(std::string_view text, std::size_t start) {
  int depth = 0;
  bool inString = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '"') inString = true;
    else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth * 4) return std::string_view::npos;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<std::string> validateAgainstSchema(const OrderedJson& schema, const OrderedJson& value,
                                               std::size_t maxErrors) {
  Validator v{{}, maxErrors == 0 ? 1 : maxErrors};
  v.check(schema, value, "", 0);
  return v.errors;
}

std::optional<OrderedJson> extractJsonValue(std::string_view text) {
  // Whole text.
  {
    std::string_view t = text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    if (!t.empty() && (t.front() == '{' || t.front() == '[')) {
      if (auto v = parseQuiet(t)) return v;
    }
  }
  // Fenced blocks, ```json first, then any fence.
  for (int pass = 0; pass < 2; ++pass) {
    std::size_t pos = 0;
    while ((pos = text.find("```", pos)) != std::string_view::npos) {
      std::size_t lineEnd = text.find('\n', pos + 3);
      if (lineEnd == std::string_view::npos) break;
      std::string_view info = text.substr(pos + 3, lineEnd - pos - 3);
      std::size_t close = text.find("```", lineEnd + 1);
      if (close == std::string_view::npos) break;
      bool isJson = info.find("json") != std::string_view::npos || info.find("JSON") != std::string_view::npos;
      if (pass == 1 || isJson) {
        if (auto v = parseQuiet(text.substr(lineEnd + 1, close - lineEnd - 1))) return v;
      }
      pos = close + 3;
    }
  }
  // First balanced value that parses.
  // Bounded number of candidates so adversarial text stays linear-ish.
  int candidates = 0;
  for (std::size_t i = 0; i < text.size() && candidates < 32; ++i) {
    if (text[i] != '{' && text[i] != '[') continue;
    ++candidates;
    std::size_t end = balancedEnd(text, i);
    if (end == std::string_view::npos) continue;
    if (auto v = parseQuiet(text.substr(i, end - i))) return v;
  }
  return std::nullopt;
}

}  // namespace cg::llm
