#include "digest/openapi/naming.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace cg::digest::openapi {
bool endsWithStr(std::string_view s, std::string_view suffix);

namespace {

bool isUpper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool isLower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct WordSpan {
  size_t begin;
  size_t end;
};

// Word spans in the original string (camelCase, digits and non-alphanumerics split words).
std::vector<WordSpan> wordSpans(std::string_view s) {
  std::vector<WordSpan> spans;
  size_t i = 0;
  while (i < s.size()) {
    if (!isAlnum(s[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    ++i;
    while (i < s.size() && isAlnum(s[i])) {
      char prev = s[i - 1], cur = s[i];
      bool boundary = (isLower(prev) && isUpper(cur)) ||
                      (isUpper(prev) && isUpper(cur) && i + 1 < s.size() && isLower(s[i + 1])) ||
                      (isDigit(prev) != isDigit(cur) && !(isUpper(prev) && isDigit(cur)) && isDigit(prev));
      if (boundary) break;
      ++i;
    }
    spans.push_back({start, i});
  }
  return spans;
}

const std::set<std::string>& variantWords() {
  static const std::set<std::string> words = {
      "representation", "compact", "mini", "full", "summary", "details", "detail", "response", "base", "dto",
      "model", "entity", "resource", "object", "info", "data", "extended", "simple", "short", "basic",
      "brief", "light", "lite", "view", "record", "normal", "read", "output", "minimal", "expanded",
      "complete", "public", "private", "get", "with", "ex"};
  return words;
}
const std::set<std::string>& leadingVariantWords() {
  static const std::set<std::string> words = {"full", "mini", "compact", "simple", "basic", "public", "extended",
                                              "short", "brief", "minimal", "expanded", "complete"};
  return words;
}
const std::set<std::string>& createWords() {
  static const std::set<std::string> words = {"create", "new", "add", "post", "insert", "creation"};
  return words;
}
const std::set<std::string>& updateWords() {
  static const std::set<std::string> words = {"edit", "update", "patch", "modify", "put", "replace", "change"};
  return words;
}
const std::set<std::string>& requestWords() {
  static const std::set<std::string> words = {"option", "options", "request", "input", "body",   "payload",
                                              "params", "parameters", "command", "form", "args", "arguments"};
  return words;
}

std::string spanText(std::string_view s, const std::vector<WordSpan>& spans, size_t first, size_t last) {
  return std::string(s.substr(spans[first].begin, spans[last].end - spans[first].begin));
}

}  // namespace

std::vector<std::string> splitWords(std::string_view identifier) {
  std::vector<std::string> words;
  for (const auto& span : wordSpans(identifier)) words.push_back(lower(identifier.substr(span.begin, span.end - span.begin)));
  return words;
}

std::string singularize(std::string_view word) {
  std::string w = lower(word);
  if (w == "people") return "person";
  if (w == "children") return "child";
  if (w == "data" || w == "status" || w == "address" || w == "access") return w;
  if (w.size() > 4 && endsWithStr(w, "ies")) return w.substr(0, w.size() - 3) + "y";
  if (w.size() > 4 && (endsWithStr(w, "sses") || endsWithStr(w, "shes") || endsWithStr(w, "ches") || endsWithStr(w, "xes"))) {
    return w.substr(0, w.size() - 2);
  }
  if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's' && w[w.size() - 2] != 'u' && w[w.size() - 2] != 'i') {
    return w.substr(0, w.size() - 1);
  }
  return w;
}

std::string pluralize(std::string_view word) {
  std::string w = lower(word);
  if (w.empty()) return w;
  if (w == "person") return "people";
  if (w.size() > 1 && w.back() == 'y' && std::string("aeiou").find(w[w.size() - 2]) == std::string::npos) {
    return w.substr(0, w.size() - 1) + "ies";
  }
  if (w.back() == 's' || w.back() == 'x' || endsWithStr(w, "ch") || endsWithStr(w, "sh")) return w + "es";
  return w + "s";
}

bool endsWithStr(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string compactKey(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (isAlnum(c)) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

RequestShape requestShapeOf(std::string_view schemaName) {
  std::string_view name = schemaName;
  if (auto dot = name.rfind('.'); dot != std::string_view::npos && dot + 1 < name.size()) name = name.substr(dot + 1);
  auto spans = wordSpans(name);
  if (spans.empty()) return {};
  std::vector<std::string> words;
  for (const auto& sp : spans) words.push_back(lower(name.substr(sp.begin, sp.end - sp.begin)));
  bool hasRequestWord = requestWords().count(words.back()) > 0;
  bool create = false, update = false;
  size_t first = 0, last = spans.size();  // [first, last)
  if (hasRequestWord) --last;
  while (first < last && (createWords().count(words[first]) || updateWords().count(words[first]))) {
    create = create || createWords().count(words[first]);
    update = update || updateWords().count(words[first]);
    ++first;
  }
  while (last > first && (createWords().count(words[last - 1]) || updateWords().count(words[last - 1]))) {
    create = create || createWords().count(words[last - 1]);
    update = update || updateWords().count(words[last - 1]);
    --last;
  }
  if (!hasRequestWord && !create && !update) return {};
  if (!hasRequestWord && spans.size() < 2) return {};
  if (first >= last) return {};
  RequestShape shape;
  shape.kind = create && !update ? RequestKind::Create : (update && !create ? RequestKind::Update : RequestKind::Any);
  shape.resource = resourceBaseName(spanText(name, spans, first, last - 1));
  return shape;
}

std::string resourceBaseName(std::string_view schemaName) {
  std::string_view name = schemaName;
  if (auto dd = name.find("--"); dd != std::string_view::npos && dd > 0) name = name.substr(0, dd);
  if (auto dot = name.rfind('.'); dot != std::string_view::npos && dot + 1 < name.size()) name = name.substr(dot + 1);
  auto spans = wordSpans(name);
  if (spans.empty()) return std::string(schemaName);
  size_t first = 0, last = spans.size() - 1;
  auto word = [&](size_t i) { return lower(name.substr(spans[i].begin, spans[i].end - spans[i].begin)); };
  while (last > first && variantWords().count(word(last))) --last;
  while (first < last && leadingVariantWords().count(word(first))) ++first;
  return spanText(name, spans, first, last);
}

bool isNoiseName(std::string_view schemaName) {
  static const std::set<std::string> anyWord = {"error", "errors", "problem", "exception", "fault", "envelope",
                                                "wrapper", "pagination", "paging", "paginated", "links", "hal",
                                                "ocs", "empty", "success", "failure"};
  static const std::set<std::string> lastWord = {"list", "lists", "collection", "results", "result", "page",
                                                 "paged", "meta", "metadata", "link", "count", "enum", "type"};
  const std::string base = resourceBaseName(schemaName);
  for (std::string_view candidate : {schemaName, std::string_view(base)}) {
    auto words = splitWords(candidate);
    if (words.empty()) return true;
    for (const auto& w : words) {
      if (anyWord.count(w)) return true;
    }
    if (lastWord.count(words.back())) return true;
  }
  return false;
}

int igaPriority(std::string_view className) {
  std::string key = compactKey(className);
  static const std::vector<std::pair<std::string, int>> compound = {
      {"serviceaccount", 6}, {"serviceprincipal", 6}, {"roleassignment", 4}, {"groupmembership", 4},
      {"teammembership", 4}, {"usergroup", 1},        {"organizationalunit", 3}};
  for (const auto& [k, p] : compound) {
    if (endsWithStr(key, k)) return p;
  }
  auto words = splitWords(className);
  if (words.empty()) return kNotIga;
  std::string w = singularize(words.back());
  static const std::vector<std::pair<std::vector<std::string>, int>> table = {
      {{"user", "account", "person", "identity", "employee", "principal"}, 0},
      {{"group", "team"}, 1},
      {{"role"}, 2},
      {{"organization", "organisation", "org", "tenant", "workspace", "company", "department", "division"}, 3},
      {{"membership", "assignment", "grant", "member"}, 4},
      {{"entitlement", "permission", "privilege", "policy", "license", "licence", "scope", "right"}, 5},
      {{"application", "app", "client"}, 6},
      {{"project"}, 7},
      {{"credential", "key", "token", "factor", "device", "session", "authenticator", "certificate"}, 8}};
  for (const auto& [keys, p] : table) {
    if (std::find(keys.begin(), keys.end(), w) != keys.end()) return p;
  }
  return kNotIga;
}

bool segmentNamesClass(std::string_view segment, std::string_view className) {
  std::string seg = compactKey(singularize(segment));
  std::string cls = compactKey(className);
  if (seg.empty() || cls.empty()) return false;
  if (seg == cls || seg == compactKey(singularize(cls))) return true;
  return seg.size() >= 3 && cls.size() > seg.size() && cls.compare(0, seg.size(), seg) == 0;
}

std::string snakeCase(std::string_view identifier) {
  auto words = splitWords(identifier);
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back('_');
    out += w;
  }
  return out;
}

}  // namespace cg::digest::openapi
