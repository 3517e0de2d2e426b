#include "codegen/script_validator.h"

#include <algorithm>
#include <regex>

#include "util/strings.h"

namespace cg::codegen {

std::string formatIssue(const ScriptIssue& issue) {
  if (issue.line <= 0) return issue.message;
  return "line " + std::to_string(issue.line) + ", column " + std::to_string(issue.column) + ": " + issue.message;
}

std::string ScriptValidation::message() const { return errors.empty() ? "" : formatIssue(errors.front()); }

std::string normalizeGroovyCode(std::string_view code) {
  std::string s = trim(code);
  if (startsWith(s, "```")) {
    auto nl = s.find('\n');
    s = nl == std::string::npos ? "" : s.substr(nl + 1);
    std::string t = trim(s);
    if (endsWith(t, "```")) {
      auto lastNl = t.rfind('\n');
      std::string lastLine = trim(lastNl == std::string::npos ? t : t.substr(lastNl + 1));
      if (lastLine == "```") t = lastNl == std::string::npos ? "" : t.substr(0, lastNl);
    }
    s = trim(t);
  }
  return s;
}

ScriptRole roleForArtifact(ArtifactKind kind) {
  switch (kind) {
    case ArtifactKind::NativeSchema:
    case ArtifactKind::ConnId:
    case ArtifactKind::Relation: return ScriptRole::Schema;
    case ArtifactKind::Authentication: return ScriptRole::Authentication;
    default: return ScriptRole::Operation;
  }
}

namespace {

ScriptValidation emptyScriptValidation() {
  ScriptValidation v;
  v.ok = false;
  v.errors.push_back({0, 0, "Groovy code cannot be empty"});
  return v;
}

// The verdict for `source` given the Groovy checker's answer (null: no checker configured).
ScriptValidation validateWithGroovy(std::string_view source, ScriptRole role, const GroovyCheckResult* groovy) {
  ScriptValidation v;
  DslParseResult builtIn = parseDsl(source);
  std::vector<DslNode> tree;
  bool haveTree = false;
  if (groovy) {
    const GroovyCheckResult& g = *groovy;
    if (g.status == GroovyCheckResult::Status::Skipped) {
      v.groovySkipped = g.skippedReason;
    } else {
      v.groovyCompiled = g.ok();
      for (auto& e : g.errors) v.errors.push_back({e.line, e.column, "Groovy: " + e.message});
      for (auto& w : g.warnings) v.warnings.push_back({w.line, w.column, "Groovy: " + w.message});
      if (g.tree) {
        tree = dslTreeFromJson(*g.tree);
        haveTree = true;
      }
    }
  } else {
    v.groovySkipped = "Groovy compilation skipped: no checker configured";
  }
  if (!v.groovyCompiled) {
    // Without a compiler verdict the built-in parser's syntax findings count (only once if Groovy failed too).
    if (v.errors.empty())
      for (auto& e : builtIn.errors) v.errors.push_back({e.line, e.column, "syntax: " + e.message});
  }
  if (!haveTree && builtIn.errors.empty()) {
    tree = std::move(builtIn.tree);
    haveTree = true;
  }
  if (haveTree) {
    ConformanceReport c = checkConformance(tree, role);
    for (auto& e : c.errors) v.errors.push_back({e.line, e.column, "DSL: " + e.message});
    for (auto& w : c.warnings) v.warnings.push_back({w.line, w.column, "DSL: " + w.message});
  }
  // Names the reference teaches for custom searches that the runtime context lacks (B.4.4),
  // also when used as values (`def f = requestFilter`), which the call tree does not show.
  static const std::regex missingContext(R"re(\b(requestFilter)\b)re");
  std::string text(source);
  std::smatch m;
  if (std::regex_search(text, m, missingContext)) {
    bool already = false;
    for (const auto& e : v.errors) already = already || e.message.find(m[1].str()) != std::string::npos;
    if (!already) {
      int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + m.position(0), '\n'));
      v.errors.push_back({line, 0, "DSL: `requestFilter` does not exist in the runtime's script context; use filter (B.4.4)"});
    }
  }
  v.ok = v.errors.empty();
  return v;
}

}  // namespace

ScriptValidation validateScript(std::string_view source, ScriptRole role, GroovyChecker* checker, std::string_view name) {
  if (trim(source).empty()) return emptyScriptValidation();
  if (!checker) return validateWithGroovy(source, role, nullptr);
  GroovyCheckResult g = checker->check(name, source);
  return validateWithGroovy(source, role, &g);
}

std::vector<ScriptValidation> validateScripts(const std::vector<ScriptToValidate>& scripts, GroovyChecker* checker) {
  std::vector<ScriptValidation> out(scripts.size());
  std::vector<size_t> toCompile;
  std::vector<std::pair<std::string, std::string>> batch;
  for (size_t i = 0; i < scripts.size(); ++i) {
    if (trim(scripts[i].source).empty()) {
      out[i] = emptyScriptValidation();
    } else if (!checker) {
      out[i] = validateWithGroovy(scripts[i].source, scripts[i].role, nullptr);
    } else {
      toCompile.push_back(i);
      batch.emplace_back(scripts[i].name, scripts[i].source);
    }
  }
  if (batch.empty()) return out;
  std::vector<GroovyCheckResult> compiled = checker->checkMany(batch);
  for (size_t k = 0; k < toCompile.size(); ++k) {
    size_t i = toCompile[k];
    GroovyCheckResult fallback;
    const GroovyCheckResult* g = k < compiled.size() ? &compiled[k] : &fallback;
    if (k >= compiled.size()) fallback.skippedReason = "Groovy compilation skipped: no answer for this script";
    out[i] = validateWithGroovy(scripts[i].source, scripts[i].role, g);
  }
  return out;
}

}  // namespace cg::codegen
