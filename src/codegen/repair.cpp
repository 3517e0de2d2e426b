#include "codegen/repair.h"

#include <regex>

#include "codegen/dsl_parser.h"
#include "util/strings.h"

namespace cg::codegen {
namespace {

std::vector<std::string> lines(std::string_view s) { return split(s, '\n'); }

std::string joinLines(const std::vector<std::string>& ls) {
  std::string out;
  for (size_t i = 0; i < ls.size(); ++i) {
    out += ls[i];
    if (i + 1 < ls.size()) out += '\n';
  }
  return out;
}

int braceDelta(const std::string& line) {
  int d = 0;
  bool inString = false;
  char q = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == q) inString = false;
    } else if (c == '"' || c == '\'') {
      inString = true, q = c;
    } else if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') {
      break;
    } else if (c == '{') {
      ++d;
    } else if (c == '}') {
      --d;
    }
  }
  return d;
}

// Removes every statement line matching `re` (and the block it opens). Returns how many.
int removeStatements(std::vector<std::string>& ls, const std::regex& re) {
  int removed = 0;
  for (size_t i = 0; i < ls.size();) {
    if (!std::regex_search(ls[i], re)) {
      ++i;
      continue;
    }
    int depth = braceDelta(ls[i]);
    size_t end = i + 1;
    while (depth > 0 && end < ls.size()) depth += braceDelta(ls[end++]);
    ls.erase(ls.begin() + static_cast<long>(i), ls.begin() + static_cast<long>(end));
    ++removed;
  }
  return removed;
}

std::string regexEscape(const std::string& s) {
  static const std::regex special(R"re([.^$|()\[\]{}*+?\\])re");
  return std::regex_replace(s, special, R"re(\$&)re");
}

std::string jsonTypeFor(const std::string& bad) {
  std::string t = toLower(bad);
  if (t == "int" || t == "long" || t == "short" || t == "int32" || t == "int64") return "integer";
  if (t == "float" || t == "double" || t == "decimal") return "number";
  if (t == "bool") return "boolean";
  return "string";
}

}  // namespace

RepairResult repairScript(std::string_view currentScript, const std::vector<std::string>& midpointErrors,
                          ScriptRole role, const std::function<GeneratedScript()>& regenerate) {
  RepairResult r;
  auto ls = lines(currentScript);
  bool needRegenerate = trim(currentScript).empty();
  std::smatch m;
  for (const auto& raw : midpointErrors) {
    std::string err = trim(raw);
    if (err.empty()) continue;
    if (std::regex_search(err, m, std::regex(R"re(Unknown json (?:schema )?type:?\s*"?([A-Za-z0-9_\-]+))re", std::regex::icase))) {
      std::string bad = m[1];
      std::string good = jsonTypeFor(bad);
      std::regex re("((?:\\btype|\\bjsonType)\\s*\\(?\\s*[\"'])" + regexEscape(bad) + "([\"'])");
      int n = 0;
      for (auto& l : ls)
        if (std::regex_search(l, re)) {
          l = std::regex_replace(l, re, "$1" + good + "$2");
          ++n;
        }
      if (n > 0) r.changes.push_back("JSON type \"" + bad + "\" replaced by \"" + good + "\" (" + std::to_string(n) + "x)");
      else needRegenerate = true;
    } else if (std::regex_search(err, m, std::regex(R"re(No such built-in ConnID attribute:?\s*"?([A-Za-z0-9_]+))re"))) {
      std::string bad = m[1];
      int n = removeStatements(ls, std::regex("connIdAttribute\\s*\\(?\\s*[\"']" + regexEscape(bad) + "[\"']"));
      if (n > 0) r.changes.push_back("removed connIdAttribute \"" + bad + "\" (only UID and NAME exist)");
      else needRegenerate = true;
    } else if (std::regex_search(err, m, std::regex(R"re(Attribute\s+"?([^"\s]+)"?\s+not found in schema)re")) ||
               std::regex_search(err, m, std::regex(R"re(Unknown attribute:?\s*"?([^"\s]+))re"))) {
      std::string attr = m[1];
      std::string q = regexEscape(attr);
      int n = removeStatements(ls, std::regex("supportedFilter\\s*\\(?\\s*attribute\\s*\\(\\s*[\"']" + q + "[\"']"));
      n += removeStatements(ls, std::regex("supportedAttribute\\s*\\(\\s*[\"']" + q + "[\"']\\s*\\)"));
      std::regex inList("(supportedAttributes\\b.*?)(,\\s*[\"']" + q + "[\"']|[\"']" + q + "[\"']\\s*,\\s*)");
      for (auto& l : ls)
        if (std::regex_search(l, inList)) {
          l = std::regex_replace(l, inList, "$1");
          ++n;
        }
      n += removeStatements(ls, std::regex("supportedAttributes\\s*\\(?\\s*[\"']" + q + "[\"']\\s*\\)?\\s*$"));
      if (n > 0) r.changes.push_back("removed uses of attribute \"" + attr + "\" that the schema does not declare");
      else needRegenerate = true;
    } else if (err.find("Multiple default endpoints") != std::string::npos ||
               err.find("Multiple emptyFilter") != std::string::npos) {
      int seen = 0, n = 0;
      for (size_t i = 0; i < ls.size();) {
        if (std::regex_search(ls[i], std::regex(R"re(^\s*emptyFilterSupported\s*\(?\s*true)re")) && seen++ > 0) {
          ls.erase(ls.begin() + static_cast<long>(i));
          ++n;
        } else {
          ++i;
        }
      }
      if (n > 0) r.changes.push_back("kept only the first emptyFilterSupported true (the runtime allows one)");
      else r.changes.push_back("another script also claims the empty filter; keep emptyFilterSupported only in the search.all script");
    } else if (err.find("Content type was specified, but missing implementation of body method") != std::string::npos) {
      std::regex re(R"re((\bcontentType\s*\(?\s*)[A-Za-z_"'/+.\-]+)re");
      int n = 0;
      for (auto& l : ls)
        if (std::regex_search(l, re) && l.find("APPLICATION_JSON") == std::string::npos) {
          l = std::regex_replace(l, re, "$1APPLICATION_JSON");
          ++n;
        }
      if (n > 0) r.changes.push_back("content type set to APPLICATION_JSON (the only type with a built-in body)");
      else needRegenerate = true;
    } else if (err.find("PER_SEARCH") != std::string::npos) {
      for (auto& l : ls) l = std::regex_replace(l, std::regex(R"re(\bPER_SEARCH\b)re"), "PER_OBJECT");
      r.changes.push_back("resolutionType PER_SEARCH replaced by PER_OBJECT");
    } else {
      // Duplicate declarations, missing methods/properties, anything unknown: regenerate.
      needRegenerate = true;
      r.changes.push_back("no local fix for: " + err);
    }
  }
  r.code = joinLines(ls);
  if (!needRegenerate) {
    DslParseResult parsed = parseDsl(r.code);
    ConformanceReport c = parsed.errors.empty() ? checkConformance(parsed.tree, role) : ConformanceReport{};
    if (!parsed.errors.empty() || !c.errors.empty()) {
      needRegenerate = true;
      r.changes.push_back("the repaired script still fails the DSL check (" +
                          (parsed.errors.empty() ? c.errors.front().message : parsed.errors.front().message) + ")");
    }
  }
  if (needRegenerate && regenerate) {
    GeneratedScript g = regenerate();
    r.code = g.code;
    r.regenerated = true;
    r.changes.push_back("script regenerated from the digested model");
    for (auto& n : g.notes) r.changes.push_back(n);
  } else {
    r.needsRegeneration = needRegenerate;
    if (!endsWith(r.code, "\n")) r.code += '\n';
  }
  return r;
}

}  // namespace cg::codegen
