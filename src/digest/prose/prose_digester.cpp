#include "digest/prose/prose_digester.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "digest/openapi/naming.h"
#include "digest/prose/prose_scan.h"
#include "util/strings.h"

namespace cg::digest::prose {
namespace {
using openapi::compactKey;
using openapi::igaPriority;
using openapi::kNotIga;
using openapi::singularize;
using openapi::splitWords;

constexpr std::size_t kMaxEvidencePerItem = 3;
constexpr std::size_t kEvidenceScanBudget = 256u << 20;  // bytes of chunk text searched, all items
constexpr std::size_t kMaxCurlContinuation = 30;
constexpr std::size_t kMaxJsonBlockBytes = 256u << 10;

const std::set<std::string, std::less<>> kActivateWords = {"enable", "activate", "unlock", "unblock", "unsuspend",
                                                            "reactivate", "resume"};
const std::set<std::string, std::less<>> kDeactivateWords = {"disable", "deactivate", "lock", "block", "suspend"};
const std::set<std::string, std::less<>> kSearchWords = {"search", "query", "find", "filter"};
// Verb-like trailing segments that act on the parent resource instead of naming one.
const std::set<std::string, std::less<>> kActionWords = {
    "rename", "reset", "resend", "transfer", "sync", "test", "run", "rerun", "merge", "approve", "reject", "verify",
    "confirm", "invite", "revoke", "refresh", "expire", "restore", "archive", "unarchive", "move", "copy", "clone",
    "start", "stop", "cancel", "retry", "count", "check", "validate", "login", "logout", "welcome", "export", "import",
    "batch", "bulk", "all", "details", "info", "status", "me", "self", "current", "mine"};
const std::set<std::string, std::less<>> kCurrentWords = {"me", "self", "current", "mine"};
const std::set<std::string, std::less<>> kQueryOnlyNames = {
    "limit", "offset", "page", "per_page", "perpage", "page_size", "pagesize", "size", "sort", "order", "orderby",
    "order_by", "q", "search", "cursor", "fields", "filter", "expand", "start", "count", "skip", "top"};

bool isBlankText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

bool isMethod(std::string_view s) {
  return s == "GET" || s == "POST" || s == "PUT" || s == "PATCH" || s == "DELETE";
}

bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::vector<std::string> tokensOf(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Removes a leading list marker ("- ", "* ", "+ ", "1. ", "#. ").
std::string stripListMarker(std::string_view s) {
  std::string t = trim(s);
  if (t.size() >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') return trim(t.substr(2));
  std::size_t k = 0;
  while (k < t.size() && (std::isdigit(static_cast<unsigned char>(t[k])) || t[k] == '#')) ++k;
  if (k > 0 && k + 1 < t.size() && (t[k] == '.' || t[k] == ')') && t[k + 1] == ' ') return trim(t.substr(k + 2));
  return t;
}

// ------------------------------------------------------------------ paths

bool isParamSegment(std::string_view s) { return s.size() >= 2 && s.front() == '{' && s.back() == '}'; }

// One path segment with parameter spellings normalised to {name}; "" when not a valid segment.
std::string normalizeSegment(std::string_view seg) {
  auto paramName = [](std::string_view inner, bool nameFirst) -> std::string {
    std::size_t colon = inner.find(':');
    std::string_view name = inner;
    if (colon != std::string_view::npos) name = nameFirst ? inner.substr(0, colon) : inner.substr(colon + 1);
    while (!name.empty() && (name.front() == '+' || name.front() == '*' || name.front() == '?')) name.remove_prefix(1);
    std::string out;
    for (char c : name)
      if (isIdentChar(c)) out.push_back(c);
    return out.empty() ? std::string() : "{" + out + "}";
  };
  if (seg.size() >= 3 && seg.front() == '{' && seg.back() == '}') return paramName(seg.substr(1, seg.size() - 2), true);
  if (seg.size() >= 4 && seg.substr(0, 2) == "${" && seg.back() == '}') return paramName(seg.substr(2, seg.size() - 3), true);
  if (seg.size() >= 3 && ((seg.front() == '(' && seg.back() == ')') || (seg.front() == '<' && seg.back() == '>') ||
                          (seg.front() == '[' && seg.back() == ']')))
    return paramName(seg.substr(1, seg.size() - 2), false);
  if (seg.size() >= 2 && seg.front() == ':') return paramName(seg.substr(1), true);
  for (char c : seg)
    if (!(isIdentChar(c) || c == '~' || c == '@' || c == '+' || c == ',' || c == '=' || c == '$' || c == '!' || c == '*' || c == '%'))
      return "";
  return std::string(seg);
}

// Normalised absolute path ("/users/{id}") or "" when `raw` is not a plausible API path.
std::string normalizePath(std::string_view raw) {
  std::string t = trim(raw);
  while (!t.empty() && (t.front() == '"' || t.front() == '\'' || t.front() == '`')) t.erase(0, 1);
  while (!t.empty() && (t.back() == '"' || t.back() == '\'' || t.back() == '`' || t.back() == ',' || t.back() == ';' ||
                        t.back() == '.' || (t.back() == ':' && t.size() > 1)))
    t.pop_back();
  std::size_t cut = t.find_first_of("?# \t");
  if (cut != std::string::npos) t.resize(cut);
  if (t.empty() || t.size() > 300) return "";
  auto segs = split(t, '/', true);
  if (segs.empty() || segs.size() > 24) return "";
  std::string out;
  bool alpha = false;
  for (const auto& s : segs) {
    std::string n = normalizeSegment(s);
    if (n.empty()) return "";
    for (char c : n)
      if (std::isalpha(static_cast<unsigned char>(c))) alpha = true;
    out += "/" + n;
  }
  if (!alpha) return "";
  static const char* kFileExt[] = {".html", ".htm", ".md", ".rst", ".adoc", ".png", ".jpg", ".gif", ".svg",
                                   ".css",  ".js",  ".txt", ".pdf", ".py", ".java", ".go"};
  std::string lower = toLower(out);
  for (const char* e : kFileExt)
    if (endsWith(lower, e)) return "";
  return out;
}

struct UrlParts {
  std::string origin;  // scheme://host[:port]
  std::string path;    // raw path (may be empty)
  bool userinfo = false;
};

bool parseUrl(std::string_view raw, UrlParts& out) {
  std::string t = trim(raw);
  while (!t.empty() && (t.front() == '"' || t.front() == '\'' || t.front() == '<')) t.erase(0, 1);
  while (!t.empty() && (t.back() == '"' || t.back() == '\'' || t.back() == '>')) t.pop_back();
  std::size_t scheme = t.find("://");
  if (scheme == std::string::npos) return false;
  std::string s = toLower(t.substr(0, scheme));
  if (s != "http" && s != "https") return false;
  std::size_t hostStart = scheme + 3;
  std::size_t pathStart = t.find_first_of("/?#", hostStart);
  std::string host = t.substr(hostStart, pathStart == std::string::npos ? std::string::npos : pathStart - hostStart);
  std::size_t at = host.rfind('@');
  if (at != std::string::npos) {
    host = host.substr(at + 1);
    out.userinfo = true;
  }
  if (host.empty()) return false;
  out.origin = s + "://" + host;
  out.path = pathStart == std::string::npos ? "" : t.substr(pathStart);
  std::size_t q = out.path.find_first_of("?#");
  if (q != std::string::npos) out.path.resize(q);
  return true;
}

bool isDynamicOrigin(std::string_view origin) {
  std::string l = toLower(origin);
  if (l.find_first_of("{<$%[") != std::string::npos) return true;
  std::size_t hs = l.find("://");
  std::string host = hs == std::string::npos ? l : l.substr(hs + 3);
  std::size_t colon = host.find(':');
  if (colon != std::string::npos) host.resize(colon);
  for (const char* p : {"example.com", "example.org", "example.net", "localhost", "127.0.0.1", "your", "myserver",
                        "my-server", "mydomain", "hostname", "server", "domain", "instance", "tenant", "company"})
    if (host.find(p) != std::string::npos) return true;
  if (endsWith(host, ".example") || endsWith(host, ".test") || endsWith(host, ".local") || host == "host") return true;
  return false;
}

// ------------------------------------------------------------------ collected facts

struct FoundEndpoint {
  std::string method;
  std::string path;  // absolute, before the base path is removed
  std::string description;
  std::size_t doc = 0;
  std::size_t line = 0;
  int section = -1;
  bool fromCurl = false;
  std::vector<std::string> evidenceLines;
  std::vector<EndpointParameter> params;
};

struct CurlCall {
  std::size_t doc = 0;
  std::size_t line = 0;
  int section = -1;
  std::string method;
  UrlParts url;
  std::string path;  // normalised
  std::vector<std::pair<std::string, std::string>> headers;
  bool basicUser = false;
  std::string lineText;
};

enum class AttrContext { Unknown, Create, Update, Response };

struct FoundAttribute {
  std::size_t doc = 0;
  std::size_t line = 0;
  int section = -1;
  Attribute attr;
  std::string evidenceLine;
  AttrContext context = AttrContext::Unknown;
  std::string className;  // forced class (JSON wrapper key), "" = by section
};

struct FoundAuth {
  std::string key;
  AuthMethod method;
  std::vector<std::pair<std::size_t, std::string>> evidence;  // doc, line text
};

// ------------------------------------------------------------------ types and flags

void applyTypeText(Attribute& a, std::string_view typeText) {
  std::string t = toLower(stripInlineMarkup(typeText));
  if (t.empty()) return;
  bool array = false;
  if (endsWith(t, "[]")) {
    array = true;
    t.resize(t.size() - 2);
  }
  for (const char* p : {"array of ", "list of ", "array<", "list<", "list[", "array["}) {
    if (startsWith(t, p)) {
      array = true;
      t = t.substr(std::string_view(p).size());
      while (!t.empty() && (t.back() == '>' || t.back() == ']')) t.pop_back();
    }
  }
  if (t == "array" || t == "list") array = true;
  if (array) a.multivalue = true;
  t = trim(t);
  if (t.size() > 1 && t.back() == 's' && (t == "strings" || t == "integers" || t == "booleans" || t == "numbers")) t.pop_back();
  if (t == "string" || t == "str" || t == "text" || t == "varchar" || t == "char" || t == "uuid" || t == "email" ||
      t == "url" || t == "uri") {
    a.type = "string";
    if (t == "uuid" || t == "email" || t == "uri") a.format = t;
  } else if (t == "int" || t == "integer" || t == "long" || t == "int32" || t == "int64" || t == "short") {
    a.type = "integer";
    if (t == "int32" || t == "int64") a.format = t;
  } else if (t == "number" || t == "float" || t == "double" || t == "decimal" || t == "numeric") {
    a.type = "number";
  } else if (t == "bool" || t == "boolean") {
    a.type = "boolean";
  } else if (t == "date" || t == "datetime" || t == "date-time" || t == "timestamp") {
    a.type = "string";
    a.format = t == "date" ? "date" : "date-time";
  }
}

bool isKnownTypeWord(std::string_view s) {
  Attribute probe;
  applyTypeText(probe, s);
  return probe.type.has_value() || probe.multivalue.has_value() || toLower(s) == "object";
}

void applyFlagText(Attribute& a, std::string_view text, bool wholeCellIsFlag) {
  std::string l = toLower(stripInlineMarkup(text));
  if (l.empty()) return;
  if (wholeCellIsFlag) {
    if (l == "yes" || l == "true" || l == "required" || l == "x" || l == "y" || l == "mandatory" || l == "\xE2\x9C\x93" ||
        l == "\xE2\x9C\x94")
      a.mandatory = true;
    else if (l == "no" || l == "false" || l == "optional" || l == "n" || l == "-")
      a.mandatory = false;
    return;
  }
  auto w = words(l);
  if (!w.empty() && (w[0] == "required" || w[0] == "mandatory")) a.mandatory = true;
  if (!w.empty() && w[0] == "optional") a.mandatory = false;
  if (l.find("(required)") != std::string::npos) a.mandatory = true;
  if (l.find("(optional)") != std::string::npos) a.mandatory = false;
  if (l.find("read-only") != std::string::npos || l.find("read only") != std::string::npos ||
      l.find("readonly") != std::string::npos) {
    a.creatable = false;
    a.updatable = false;
  }
}

bool isAttributeName(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  char f = n.front();
  if (!(std::isalpha(static_cast<unsigned char>(f)) || f == '_' || f == '@' || f == '$')) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '@' || c == '$' ||
           c == '[' || c == ']' || c == ':';
  });
}

std::string jsonTypeOf(const Json& v) {
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number_float()) return "number";
  if (v.is_string()) return "string";
  return "";
}

// ------------------------------------------------------------------ the digester

class ProseDigester {
 public:
  ProseDigester(const std::vector<ProseDocument>& docs, const std::vector<ChunkEvidence>& chunks) : docs_(docs) {
    for (const auto& c : chunks)
      if (!c.content.empty()) chunksByDoc_[c.docId].push_back(&c);
  }

  DigestResult run() {
    scans_.reserve(docs_.size());
    for (const auto& d : docs_) {
      std::string_view text = d.text;
      if (text.size() > kMaxProseTextBytes) {
        text = text.substr(0, kMaxProseTextBytes);
        result_.diagnostics.push_back({Diagnostic::Severity::Warning, d.docId, "",
                                       "Prose document larger than " + std::to_string(kMaxProseTextBytes) +
                                           " bytes; the rest was not digested."});
      }
      scans_.push_back(scanDocument(text));
      if (scans_.back().truncated)
        result_.diagnostics.push_back({Diagnostic::Severity::Warning, d.docId, "",
                                       "Prose document has more than " + std::to_string(kMaxScanLines) +
                                           " lines; the rest was not digested."});
    }
    for (std::size_t i = 0; i < docs_.size(); ++i) scanLines(i);
    for (std::size_t i = 0; i < docs_.size(); ++i) scanTables(i);
    for (std::size_t i = 0; i < docs_.size(); ++i) scanCodeBlocks(i);
    reconcileCurls();
    computeBase();
    buildClasses();
    assignAttributes();
    buildAuth();
    buildInfo();
    rankClasses();
    return std::move(result_);
  }

 private:
  const std::vector<ProseDocument>& docs_;
  std::map<std::string, std::vector<const ChunkEvidence*>> chunksByDoc_;
  std::map<std::pair<std::string, std::string>, std::vector<ChunkReference>> evidenceCache_;
  std::size_t evidenceScanned_ = 0;
  bool evidenceBudgetReported_ = false;
  std::vector<ScannedDocument> scans_;
  std::vector<FoundEndpoint> endpoints_;
  std::vector<CurlCall> curls_;
  std::vector<FoundAttribute> attributes_;
  std::vector<FoundAuth> auths_;
  std::vector<std::pair<std::string, std::string>> customHeaders_;  // name, value
  std::string baseOrigin_;
  std::string basePath_;
  // class key → index in result_.objectClasses; per-endpoint class key
  std::map<std::string, std::size_t> classIndex_;
  std::vector<std::string> endpointClass_;
  DigestResult result_;

  // ---------------------------------------------------------------- evidence

  std::vector<ChunkReference> evidenceFor(std::size_t doc, const std::string& needleRaw) {
    std::vector<ChunkReference> refs;
    std::string needle = trim(needleRaw);
    if (needle.size() < 3) return refs;
    if (needle.size() > 200) needle.resize(200);
    const std::string& docId = docs_[doc].docId;
    auto key = std::make_pair(docId, needle);
    auto cached = evidenceCache_.find(key);
    if (cached != evidenceCache_.end()) return cached->second;
    auto it = chunksByDoc_.find(docId);
    if (it != chunksByDoc_.end()) {
      std::string alt = stripInlineMarkup(needle);
      for (const ChunkEvidence* c : it->second) {
        if (evidenceScanned_ > kEvidenceScanBudget) {
          if (!evidenceBudgetReported_)
            result_.diagnostics.push_back({Diagnostic::Severity::Info, docId, "",
                                           "Evidence search budget exhausted; later prose items carry no chunk references."});
          evidenceBudgetReported_ = true;
          break;
        }
        evidenceScanned_ += c->content.size();
        if (c->content.find(needle) != std::string::npos ||
            (alt.size() >= 3 && alt != needle && c->content.find(alt) != std::string::npos)) {
          refs.push_back({c->docId, c->chunkId});
          if (refs.size() >= kMaxEvidencePerItem) break;
        }
      }
    }
    evidenceCache_.emplace(std::move(key), refs);
    return refs;
  }

  static void addRefs(std::vector<ChunkReference>& into, const std::vector<ChunkReference>& more) {
    for (const auto& r : more)
      if (std::find(into.begin(), into.end(), r) == into.end()) into.push_back(r);
  }

  // ---------------------------------------------------------------- lines

  void addEndpoint(std::size_t doc, std::size_t line, const std::string& method, const std::string& path,
                   std::string description, const std::string& evidenceLine) {
    if (endpoints_.size() >= kMaxProseEndpoints) return;
    FoundEndpoint e;
    e.method = method;
    e.path = path;
    e.description = trim(description);
    if (e.description.size() > 300) e.description.resize(300);
    e.doc = doc;
    e.line = line;
    e.section = scans_[doc].sectionOfLine[line];
    e.evidenceLines.push_back(trim(evidenceLine));
    endpoints_.push_back(std::move(e));
  }

  // "GET /users/{id}", "GET admin/cron", ".. http:get:: /users/(int:id)", "GET /x HTTP/1.1".
  bool parseEndpointText(std::string_view text, std::string& method, std::string& path, std::string& rest) const {
    std::string t = stripListMarker(text);
    if (startsWith(t, ".. http:")) {
      std::size_t dc = t.find("::");
      if (dc == std::string::npos) return false;
      method = toUpperAscii(t.substr(8, dc - 8));
      if (!isMethod(method)) return false;
      path = normalizePath(trim(t.substr(dc + 2)));
      rest.clear();
      return !path.empty();
    }
    t = stripInlineMarkup(t);
    auto toks = tokensOf(t);
    if (toks.size() < 2 || !isMethod(toks[0])) return false;
    std::string raw = toks[1];
    UrlParts url;
    if (parseUrl(raw, url)) raw = url.path.empty() ? "/" : url.path;
    bool hasSlash = raw.find('/') != std::string::npos;
    if (!hasSlash) {
      static const std::set<std::string, std::less<>> kStop = {"request", "requests", "method", "methods", "and", "or",
                                                                "the", "a", "an", "to", "with", "call", "calls", "on"};
      if (toks.size() != 2 || kStop.count(toLower(raw)) || raw.size() < 3 ||
          !std::all_of(raw.begin(), raw.end(), [](char c) {
            return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                   c == '-' || c == '_' || c == '.';
          }))
        return false;
    }
    path = normalizePath(raw);
    if (path.empty()) return false;
    method = toks[0];
    rest.clear();
    std::size_t k = 2;
    if (k < toks.size() && startsWith(toks[k], "HTTP/")) ++k;
    for (; k < toks.size(); ++k) rest += (rest.empty() ? "" : " ") + toks[k];
    rest = trim(rest);
    while (!rest.empty() && (rest.front() == '-' || rest.front() == ':' || rest.front() == '|'))
      rest = trim(rest.substr(1));
    if (startsWith(rest, "\xE2\x80\x94") || startsWith(rest, "\xE2\x80\x93")) rest = trim(rest.substr(3));
    return true;
  }

  // Next non-blank line after `line` (within `window`), or npos.
  std::size_t nextNonBlank(const ScannedDocument& s, std::size_t line, std::size_t window) const {
    for (std::size_t j = line + 1; j < s.lines.size() && j <= line + window; ++j)
      if (!isBlankText(s.lines[j])) return j;
    return std::string::npos;
  }

  // A plain prose line usable as a description (not markup, not a label, not an endpoint).
  bool isDescriptionLine(const ScannedDocument& s, std::size_t j) const {
    if (j == std::string::npos || s.isHeadingLine[j] || s.codeBlockOfLine[j] >= 0) return false;
    std::string t = trim(s.lines[j]);
    if (t.empty() || t.size() > 300) return false;
    if (!std::isalpha(static_cast<unsigned char>(t[0]))) return false;
    std::string m, p, r;
    if (parseEndpointText(t, m, p, r)) return false;
    auto toks = tokensOf(t);
    if (toks.size() == 1 && isMethod(toks[0])) return false;
    std::size_t colon = t.find(':');
    if (colon != std::string::npos && colon < 25 && colon + 1 < t.size() && t[colon + 1] == ' ') return false;
    return true;
  }

  std::string sectionTitle(std::size_t doc, int section) const {
    return section >= 0 ? scans_[doc].sections[section].title : std::string();
  }

  // "HTTP method: POST" → "POST".
  static std::string methodStatement(std::string_view line) {
    std::string t = stripInlineMarkup(stripListMarker(line));
    std::string l = toLower(t);
    std::size_t m = l.find("method");
    if (m == std::string::npos) return "";
    auto toks = tokensOf(t.substr(m + 6));
    for (std::size_t i = 0; i < toks.size() && i < 3; ++i) {
      std::string w = toks[i];
      while (!w.empty() && (w.front() == ':' || w.front() == '=')) w.erase(0, 1);
      while (!w.empty() && (w.back() == ',' || w.back() == '.' || w.back() == ';')) w.pop_back();
      if (isMethod(w)) return w;
    }
    return "";
  }

  static bool labelledPath(std::string_view line, std::string& raw) {
    std::string t = stripInlineMarkup(stripListMarker(line));
    std::string l = toLower(t);
    for (const char* label : {"syntax:", "endpoint:", "url:", "path:", "resource:", "request:", "uri:", "route:",
                              "resource url:", "request url:", "endpoint url:"}) {
      if (startsWith(l, label)) {
        raw = trim(t.substr(std::string_view(label).size()));
        return !raw.empty();
      }
    }
    return false;
  }

  void scanLines(std::size_t doc) {
    const ScannedDocument& s = scans_[doc];
    std::vector<char> inTable(s.lines.size(), 0);
    for (const auto& t : s.tables)
      for (std::size_t k = t.firstLine; k < t.endLine && k < inTable.size(); ++k) inTable[k] = 1;
    std::size_t lastArgumentWithFields = std::string::npos;  // "key, the field to edit:" list
    std::string lastArgumentMethod;
    for (std::size_t i = 0; i < s.lines.size(); ++i) {
      const std::string& line = s.lines[i];
      if (isBlankText(line)) continue;
      std::string lower = toLower(line);
      scanAuthLine(doc, line, lower);
      if (lower.find("curl") != std::string::npos) {
        std::size_t consumed = scanCurl(doc, i);
        if (consumed > 0) {
          i += consumed - 1;
          continue;
        }
      }
      if (inTable[i]) continue;
      bool inCode = s.codeBlockOfLine[i] >= 0;
      std::string method, path, rest;
      std::string text = s.isHeadingLine[i] ? sectionTitle(doc, s.sectionOfLine[i]) : line;
      if (s.isHeadingLine[i] && (i + 1 < s.lines.size() && s.isHeadingLine[i + 1]) && i > 0 && s.isHeadingLine[i - 1])
        continue;  // middle of an over+underlined title handled on its own line
      if (parseEndpointText(text, method, path, rest)) {
        std::string description = rest;
        if (description.empty() && !inCode) {
          std::size_t j = nextNonBlank(s, i, 3);
          if (isDescriptionLine(s, j)) description = trim(s.lines[j]);
        }
        if (description.empty() && !s.isHeadingLine[i]) description = sectionTitle(doc, s.sectionOfLine[i]);
        addEndpoint(doc, i, method, path, description, line);
        continue;
      }
      if (inCode) continue;
      std::string t = stripInlineMarkup(stripListMarker(line));
      // Method alone, path on the next line.
      if (isMethod(t)) {
        std::size_t j = nextNonBlank(s, i, 2);
        if (j != std::string::npos && s.codeBlockOfLine[j] < 0 && tokensOf(s.lines[j]).size() == 1 &&
            parseEndpointText(t + " " + stripInlineMarkup(trim(s.lines[j])), method, path, rest)) {
          std::string description;
          std::size_t k = nextNonBlank(s, j, 3);
          if (isDescriptionLine(s, k)) description = trim(s.lines[k]);
          if (description.empty()) description = sectionTitle(doc, s.sectionOfLine[i]);
          addEndpoint(doc, j, method, path, description, s.lines[j]);
          i = j;
          continue;
        }
      }
      // "Syntax: ocs/v1.php/cloud/users" with a nearby "HTTP method: POST".
      std::string raw;
      if (labelledPath(line, raw)) {
        if (parseEndpointText(raw, method, path, rest)) {
          addEndpoint(doc, i, method, path, sectionTitle(doc, s.sectionOfLine[i]), line);
          continue;
        }
        std::string p = normalizePath(tokensOf(raw).empty() ? raw : tokensOf(raw)[0]);
        if (p.empty()) continue;
        std::string m;
        for (std::size_t j = i + 1; j < s.lines.size() && j <= i + 15 && m.empty(); ++j) {
          if (s.isHeadingLine[j] || s.sectionOfLine[j] != s.sectionOfLine[i]) break;
          std::string other;
          if (labelledPath(s.lines[j], other)) break;
          m = methodStatement(s.lines[j]);
        }
        for (std::size_t j = i; j > 0 && j + 5 > i && m.empty(); --j) {
          if (s.isHeadingLine[j - 1]) break;
          m = methodStatement(s.lines[j - 1]);
        }
        if (!m.empty()) addEndpoint(doc, i, m, p, sectionTitle(doc, s.sectionOfLine[i]), line);
        continue;
      }
      // Field lists, argument lines, definition lists.
      if (scanHttpdomainField(doc, i, t)) continue;
      std::string argMethod;
      if (scanArgumentLine(doc, i, t, argMethod)) {
        lastArgumentWithFields = toLower(t).find("field") != std::string::npos ? i : std::string::npos;
        lastArgumentMethod = argMethod;
        continue;
      }
      if (lastArgumentWithFields != std::string::npos && i > lastArgumentWithFields && i < lastArgumentWithFields + 30) {
        std::string item = trim(line);
        if (item.size() > 2 && (item[0] == '+' || item[0] == '-' || item[0] == '*') && item[1] == ' ') {
          std::string name = tokensOf(stripInlineMarkup(item.substr(2))).empty() ? ""
                                                                                  : tokensOf(stripInlineMarkup(item.substr(2)))[0];
          if (isAttributeName(name)) {
            FoundAttribute fa = makeAttribute(doc, i, name, line);
            fa.context = lastArgumentMethod == "POST" ? AttrContext::Create : AttrContext::Update;
            if (item.find("deprecated") != std::string::npos) fa.attr.description = "Deprecated.";
            attributes_.push_back(std::move(fa));
            continue;
          }
        } else if (s.isHeadingLine[i] || (indentOf(line) == 0 && !startsWith(item, "+"))) {
          lastArgumentWithFields = std::string::npos;
        }
      }
      scanDefinitionLine(doc, i, t);
    }
  }

  static std::size_t indentOf(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && (s[n] == ' ' || s[n] == '\t')) ++n;
    return n;
  }

  FoundAttribute makeAttribute(std::size_t doc, std::size_t line, const std::string& name, const std::string& evidence) {
    FoundAttribute fa;
    fa.doc = doc;
    fa.line = line;
    fa.section = scans_[doc].sectionOfLine[line];
    fa.attr.name = name;
    fa.evidenceLine = trim(evidence);
    return fa;
  }

  // ":<json string email: the e-mail" / ":>json int id:" / ":query limit:" (sphinxcontrib-httpdomain).
  bool scanHttpdomainField(std::size_t doc, std::size_t line, const std::string& t) {
    if (t.size() < 4 || t[0] != ':') return false;
    std::size_t close = t.find(':', 1);
    if (close == std::string::npos) return false;
    auto toks = tokensOf(t.substr(1, close - 1));
    if (toks.size() < 2) return false;
    std::string kind = toLower(toks[0]);
    std::string name = toks.back();
    std::string type = toks.size() >= 3 ? toks[1] : "";
    std::string desc = trim(t.substr(close + 1));
    bool request = kind == "<json" || kind == "reqjson" || kind == "<jsonarr" || kind == "reqjsonarr";
    bool response = kind == ">json" || kind == "resjson" || kind == ">jsonarr" || kind == "resjsonarr";
    bool query = kind == "query" || kind == "queryparam" || kind == "qparam" || kind == "param" || kind == "parameter";
    if (!(request || response || query) || !isAttributeName(name)) return false;
    if (query) {
      addParameter(doc, line, name, kind == "query" || kind == "queryparam" || kind == "qparam" ? "query" : "path", type, desc);
      return true;
    }
    FoundAttribute fa = makeAttribute(doc, line, name, t);
    applyTypeText(fa.attr, type);
    if (!desc.empty()) fa.attr.description = desc;
    applyFlagText(fa.attr, desc, false);
    fa.context = request ? AttrContext::Unknown : AttrContext::Response;
    attributes_.push_back(std::move(fa));
    return true;
  }

  // Last endpoint in the same section at or before `line`.
  FoundEndpoint* endpointInSection(std::size_t doc, std::size_t line) {
    int section = scans_[doc].sectionOfLine[line];
    for (auto it = endpoints_.rbegin(); it != endpoints_.rend(); ++it) {
      if (it->doc != doc || it->fromCurl) continue;
      if (it->line > line) continue;
      if (it->section != section) return nullptr;
      return &*it;
    }
    return nullptr;
  }

  void addParameter(std::size_t doc, std::size_t line, const std::string& name, const std::string& in,
                    const std::string& type, const std::string& desc) {
    FoundEndpoint* e = endpointInSection(doc, line);
    if (!e || e->params.size() >= 50) return;
    for (const auto& p : e->params)
      if (p.name == name) return;
    EndpointParameter p;
    p.name = name;
    p.in = in;
    Attribute probe;
    applyTypeText(probe, type);
    p.type = probe.type.value_or("");
    p.description = desc;
    applyFlagText(probe, desc, false);
    p.required = probe.mandatory.value_or(false);
    e->params.push_back(std::move(p));
  }

  // "POST argument: userid - string, the username" / "url arguments: limit - int, optional limit".
  bool scanArgumentLine(std::size_t doc, std::size_t line, const std::string& t, std::string& method) {
    std::string l = toLower(t);
    std::size_t colon = l.find(':');
    if (colon == std::string::npos || colon > 40) return false;
    auto label = words(l.substr(0, colon));
    if (label.size() < 2 || label.size() > 4) return false;
    const std::string& last = label.back();
    if (last != "argument" && last != "arguments" && last != "parameter" && last != "parameters") return false;
    std::string first = toUpperAscii(label[0]);
    bool query = label[0] == "url" || label[0] == "query" || label[0] == "get";
    bool body = label[0] == "post" || label[0] == "put" || label[0] == "patch" || label[0] == "body" || label[0] == "form";
    if (!query && !body) return false;
    std::string rest = trim(t.substr(colon + 1));
    std::size_t k = 0;
    while (k < rest.size() && (isIdentChar(rest[k]) || rest[k] == '[' || rest[k] == ']')) ++k;
    std::string name = rest.substr(0, k);
    if (!isAttributeName(name)) return false;
    std::string remainder = trim(rest.substr(k));
    while (!remainder.empty() && (remainder[0] == '-' || remainder[0] == ',' || remainder[0] == ':'))
      remainder = trim(remainder.substr(1));
    std::string type;
    std::size_t tk = 0;
    while (tk < remainder.size() && std::isalpha(static_cast<unsigned char>(remainder[tk]))) ++tk;
    if (tk > 0 && isKnownTypeWord(remainder.substr(0, tk))) {
      type = remainder.substr(0, tk);
      remainder = trim(remainder.substr(tk));
      while (!remainder.empty() && (remainder[0] == '-' || remainder[0] == ',' || remainder[0] == ':'))
        remainder = trim(remainder.substr(1));
    }
    method = body ? (label[0] == "post" || label[0] == "put" || label[0] == "patch" ? first : "") : "GET";
    if (query) {
      addParameter(doc, line, name, "query", type, remainder);
      return true;
    }
    // Generic key/value edit arguments describe the request shape, not attributes.
    if (name == "key" || name == "value") return true;
    FoundAttribute fa = makeAttribute(doc, line, name, t);
    applyTypeText(fa.attr, type);
    if (!remainder.empty()) fa.attr.description = remainder;
    applyFlagText(fa.attr, remainder, false);
    fa.context = method == "POST" ? AttrContext::Create : (method.empty() ? AttrContext::Unknown : AttrContext::Update);
    attributes_.push_back(std::move(fa));
    return true;
  }

  // "email (string, required): The e-mail" / "`id` (integer) - identifier".
  void scanDefinitionLine(std::size_t doc, std::size_t line, const std::string& t) {
    std::size_t open = t.find('(');
    if (open == std::string::npos || open == 0 || open > 64) return;
    std::string name = trim(t.substr(0, open));
    if (!isAttributeName(name)) return;
    std::size_t close = t.find(')', open);
    if (close == std::string::npos) return;
    std::string inner = t.substr(open + 1, close - open - 1);
    std::string after = trim(t.substr(close + 1));
    if (!(after.empty() || after[0] == ':' || after[0] == '-' || startsWith(after, "\xE2\x80\x93") ||
          startsWith(after, "\xE2\x80\x94")))
      return;
    auto parts = split(inner, ',', true);
    if (parts.empty()) return;
    Attribute probe;
    bool typed = isKnownTypeWord(trim(parts[0]));
    std::string firstLower = toLower(trim(parts[0]));
    if (!typed && firstLower != "required" && firstLower != "optional" && firstLower != "read-only") return;
    FoundAttribute fa = makeAttribute(doc, line, name, t);
    if (typed) applyTypeText(fa.attr, trim(parts[0]));
    for (std::size_t k = typed ? 1 : 0; k < parts.size(); ++k) {
      std::string p = toLower(trim(parts[k]));
      if (p == "required" || p == "mandatory") fa.attr.mandatory = true;
      if (p == "optional") fa.attr.mandatory = false;
      if (p == "read-only" || p == "readonly" || p == "read only") {
        fa.attr.creatable = false;
        fa.attr.updatable = false;
      }
      if (p == "array" || p == "list" || p == "multi-valued" || p == "multivalued") fa.attr.multivalue = true;
    }
    while (!after.empty() && (after[0] == ':' || after[0] == '-')) after = trim(after.substr(1));
    if (startsWith(after, "\xE2\x80\x93") || startsWith(after, "\xE2\x80\x94")) after = trim(after.substr(3));
    if (!after.empty()) fa.attr.description = after;
    attributes_.push_back(std::move(fa));
  }

  // ---------------------------------------------------------------- curl

  // Parses a curl command starting at `line` (with `\` continuations); returns lines consumed (0 = none).
  std::size_t scanCurl(std::size_t doc, std::size_t line) {
    const ScannedDocument& s = scans_[doc];
    std::string cmd;
    std::size_t j = line;
    for (; j < s.lines.size() && j < line + kMaxCurlContinuation; ++j) {
      std::string l = s.lines[j];
      std::string tl = trim(l);
      bool cont = endsWith(tl, "\\") || endsWith(tl, "^") || endsWith(tl, "`");
      if (cont) tl.pop_back();
      cmd += tl + " ";
      if (!cont) break;
    }
    std::size_t consumed = std::min(j, s.lines.size() - 1) - line + 1;
    std::size_t pos = cmd.find("curl ");
    if (pos == std::string::npos) return 0;
    if (pos > 0 && (std::isalnum(static_cast<unsigned char>(cmd[pos - 1])) || cmd[pos - 1] == '-')) return 0;
    // Shell-like tokens.
    std::vector<std::string> toks;
    std::string cur;
    char quote = 0;
    bool have = false;
    for (std::size_t k = pos + 5; k < cmd.size(); ++k) {
      char c = cmd[k];
      if (quote) {
        if (c == quote)
          quote = 0;
        else
          cur.push_back(c);
        continue;
      }
      if (c == '"' || c == '\'') {
        quote = c;
        have = true;
        continue;
      }
      if (c == ' ' || c == '\t') {
        if (have || !cur.empty()) toks.push_back(cur);
        cur.clear();
        have = false;
        continue;
      }
      if ((c == '|' || c == ';' || c == '`') && cur.empty()) break;
      cur.push_back(c);
    }
    if (have || !cur.empty()) toks.push_back(cur);
    CurlCall call;
    call.doc = doc;
    call.line = line;
    call.section = s.sectionOfLine[line];
    call.lineText = trim(s.lines[line]);
    bool hasData = false, haveUrl = false;
    for (std::size_t k = 0; k < toks.size() && k < 200; ++k) {
      const std::string& tk = toks[k];
      auto next = [&]() -> std::string { return k + 1 < toks.size() ? toks[++k] : std::string(); };
      if (tk == "-X" || tk == "--request") {
        call.method = toUpperAscii(next());
      } else if (startsWith(tk, "-X") && tk.size() > 2 && tk[2] != '-') {
        call.method = toUpperAscii(tk.substr(2));
      } else if (tk == "-H" || tk == "--header") {
        std::string h = next();
        std::size_t c = h.find(':');
        if (c != std::string::npos && c > 0) call.headers.emplace_back(trim(h.substr(0, c)), trim(h.substr(c + 1)));
      } else if (tk == "-u" || tk == "--user") {
        next();
        call.basicUser = true;
      } else if (tk == "-d" || startsWith(tk, "--data") || tk == "-F" || tk == "--form" || tk == "--json") {
        next();
        hasData = true;
      } else if (tk == "-o" || tk == "--output" || tk == "-A" || tk == "--user-agent" || tk == "-e" || tk == "-b" ||
                 tk == "--cookie" || tk == "--url-query" || tk == "-T" || tk == "--upload-file" || tk == "--cacert" ||
                 tk == "--cert" || tk == "--key" || tk == "-w" || tk == "--max-time" || tk == "-m") {
        next();
      } else if (!haveUrl && (startsWith(toLower(tk), "http://") || startsWith(toLower(tk), "https://") || tk == "--url")) {
        std::string u = tk == "--url" ? next() : tk;
        if (parseUrl(u, call.url)) haveUrl = true;
      }
    }
    if (!haveUrl) return consumed;
    if (call.method.empty()) call.method = hasData ? "POST" : "GET";
    if (!isMethod(call.method)) return consumed;
    call.path = call.url.path.empty() ? std::string() : normalizePath(call.url.path);
    curls_.push_back(std::move(call));
    return consumed;
  }

  // ---------------------------------------------------------------- tables

  static int columnOf(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::string h = toLower(stripInlineMarkup(header[c]));
      for (const char* n : names)
        if (h == n) return static_cast<int>(c);
    }
    return -1;
  }

  void scanTables(std::size_t doc) {
    const ScannedDocument& s = scans_[doc];
    for (const auto& table : s.tables) {
      const auto& h = table.header;
      int methodCol = columnOf(h, {"method", "http method", "verb"});
      int pathCol = columnOf(h, {"path", "endpoint", "url", "uri", "resource", "route", "request"});
      int descCol = columnOf(h, {"description", "desc", "details", "meaning", "notes", "comment", "comments",
                                 "summary", "purpose", "explanation"});
      // Endpoint rows: a method cell and a path cell, or one "METHOD /path" cell.
      bool endpointTable = false;
      for (const auto& row : table.rows) {
        std::string method, path, rest;
        std::string description = descCol >= 0 && descCol < static_cast<int>(row.cells.size()) ? stripInlineMarkup(row.cells[descCol]) : "";
        bool found = false;
        if (methodCol >= 0 && pathCol >= 0 && methodCol < static_cast<int>(row.cells.size()) &&
            pathCol < static_cast<int>(row.cells.size())) {
          std::string m = toUpperAscii(stripInlineMarkup(row.cells[methodCol]));
          std::string p = stripInlineMarkup(row.cells[pathCol]);
          found = parseEndpointText(m + " " + p, method, path, rest);
        }
        for (std::size_t c = 0; !found && c < row.cells.size(); ++c) found = parseEndpointText(row.cells[c], method, path, rest);
        if (found) {
          endpointTable = true;
          if (row.line < s.lines.size()) addEndpoint(doc, row.line, method, path, description, s.lines[row.line]);
        }
      }
      if (endpointTable || methodCol >= 0 || pathCol >= 0) continue;
      int nameCol = columnOf(h, {"name", "field", "attribute", "parameter", "property", "key", "field name",
                                 "attribute name", "parameter name", "property name", "element", "column", "param"});
      if (nameCol < 0) continue;
      int typeCol = columnOf(h, {"type", "data type", "datatype", "value type", "format"});
      int requiredCol = columnOf(h, {"required", "mandatory", "required?", "optional"});
      int inCol = columnOf(h, {"in", "location", "parameter type", "param type"});
      bool optionalHeader = requiredCol >= 0 && toLower(stripInlineMarkup(h[requiredCol])) == "optional";
      for (const auto& row : table.rows) {
        if (nameCol >= static_cast<int>(row.cells.size()) || row.line >= s.lines.size()) continue;
        auto nameToks = tokensOf(stripInlineMarkup(row.cells[nameCol]));
        if (nameToks.empty()) continue;
        std::string name = nameToks[0];
        if (!isAttributeName(name)) continue;
        std::string in = inCol >= 0 && inCol < static_cast<int>(row.cells.size()) ? toLower(stripInlineMarkup(row.cells[inCol])) : "";
        std::string type = typeCol >= 0 && typeCol < static_cast<int>(row.cells.size()) ? row.cells[typeCol] : "";
        std::string desc = descCol >= 0 && descCol < static_cast<int>(row.cells.size()) ? stripInlineMarkup(row.cells[descCol]) : "";
        if (in == "query" || in == "path" || in == "header" || in == "cookie") {
          addParameter(doc, row.line, name, in, type, desc);
          continue;
        }
        FoundAttribute fa = makeAttribute(doc, row.line, name, s.lines[row.line]);
        applyTypeText(fa.attr, type);
        if (!desc.empty()) fa.attr.description = desc;
        applyFlagText(fa.attr, desc, false);
        if (nameToks.size() > 1) applyFlagText(fa.attr, row.cells[nameCol].substr(row.cells[nameCol].find(' ') + 1), false);
        if (requiredCol >= 0 && requiredCol < static_cast<int>(row.cells.size())) {
          Attribute probe;
          applyFlagText(probe, row.cells[requiredCol], true);
          if (probe.mandatory) fa.attr.mandatory = optionalHeader ? !*probe.mandatory : *probe.mandatory;
        }
        for (const auto& cell : row.cells) {
          std::string cl = toLower(cell);
          if (cl.find("read-only") != std::string::npos || cl.find("read only") != std::string::npos ||
              cl.find("readonly") != std::string::npos) {
            fa.attr.creatable = false;
            fa.attr.updatable = false;
          }
        }
        attributes_.push_back(std::move(fa));
      }
    }
  }

  // ---------------------------------------------------------------- code blocks (JSON / XML examples)

  void scanCodeBlocks(std::size_t doc) {
    const ScannedDocument& s = scans_[doc];
    for (const auto& block : s.codeBlocks) {
      if (block.text.size() > kMaxJsonBlockBytes) continue;
      std::string body = trim(block.text);
      if (body.empty()) continue;
      const std::string& lang = block.language;
      if (lang == "xml" || startsWith(body, "<?xml") || (lang.empty() && startsWith(body, "<"))) {
        scanXmlExample(doc, block);
        continue;
      }
      if (!(lang.empty() || lang == "json" || lang == "javascript" || lang == "js" || lang == "json5" || lang == "http" ||
            lang == "text"))
        continue;
      std::size_t start = body.find_first_of("{[");
      if (start == std::string::npos) continue;
      if (start > 0 && lang != "http" && !startsWith(body, "HTTP/")) {
        // Only accept leading text when it is an HTTP status/header preamble.
        bool preamble = startsWith(body, "HTTP/") || isMethod(tokensOf(body).empty() ? "" : tokensOf(body)[0]);
        if (!preamble) continue;
      }
      Json j = Json::parse(body.substr(start), nullptr, false);
      if (j.is_discarded()) continue;
      std::string forcedClass;
      const Json* obj = unwrapExample(j, forcedClass);
      if (!obj) continue;
      std::size_t count = 0;
      for (auto it = obj->begin(); it != obj->end() && count < kMaxProseAttributesPerClass; ++it, ++count) {
        const std::string& key = it.key();
        if (!isAttributeName(key)) continue;
        std::size_t lineNo = block.firstLine;
        std::string needle = "\"" + key + "\"";
        for (std::size_t k = block.firstLine; k < block.endLine && k < s.lines.size(); ++k)
          if (s.lines[k].find(needle) != std::string::npos) {
            lineNo = k;
            break;
          }
        FoundAttribute fa = makeAttribute(doc, lineNo, key, s.lines[lineNo]);
        fa.section = block.section;
        const Json& v = it.value();
        if (v.is_array()) {
          fa.attr.multivalue = true;
          if (!v.empty()) {
            std::string t = jsonTypeOf(v.front());
            if (!t.empty()) fa.attr.type = t;
          }
        } else {
          std::string t = jsonTypeOf(v);
          if (!t.empty()) fa.attr.type = t;
          if (!v.is_null()) fa.attr.multivalue = false;
        }
        fa.context = AttrContext::Response;
        fa.className = forcedClass;
        attributes_.push_back(std::move(fa));
      }
    }
  }

  // The resource object inside an example: unwraps {"data": …}, {"users": [ … ]}, arrays.
  static const Json* unwrapExample(const Json& j, std::string& forcedClass) {
    static const std::set<std::string, std::less<>> kEnvelope = {
        "data", "result", "results", "items", "value", "values", "records", "resources", "entries",
        "content", "response", "ocs", "elements", "list", "objects", "rows"};
    static const std::set<std::string, std::less<>> kMeta = {
        "meta", "metadata", "links", "_links", "paging", "pagination", "page", "total", "count", "totalcount",
        "total_count", "totalresults", "itemsperpage", "startindex", "next", "previous", "cursor", "status",
        "schemas", "success", "offset", "limit", "per_page", "has_more", "hasmore", "nextpagetoken"};
    const Json* cur = &j;
    for (int depth = 0; depth < 4; ++depth) {
      if (cur->is_array()) {
        if (cur->empty() || !cur->front().is_object()) return nullptr;
        cur = &cur->front();
        continue;
      }
      if (!cur->is_object() || cur->empty()) return nullptr;
      const Json* inner = nullptr;
      std::string innerKey;
      std::size_t nonMeta = 0;
      for (auto it = cur->begin(); it != cur->end(); ++it) {
        std::string k = toLower(it.key());
        if (kMeta.count(k)) continue;
        ++nonMeta;
        bool container = it.value().is_object() || (it.value().is_array() && !it.value().empty() && it.value().front().is_object());
        if (container && !inner) {
          inner = &it.value();
          innerKey = it.key();
        }
      }
      if (nonMeta == 1 && inner) {
        std::string k = toLower(innerKey);
        if (!kEnvelope.count(k) && igaPriority(singularize(k)) != kNotIga) forcedClass = singularize(k);
        cur = inner;
        continue;
      }
      return cur;
    }
    return cur->is_object() ? cur : nullptr;
  }

  // Simple XML response examples: direct children of <data> become attribute names (no types: XML
  // text carries none); repeated child elements mark a multi-valued attribute.
  void scanXmlExample(std::size_t doc, const CodeBlock& block) {
    const std::string& x = block.text;
    struct Node {
      std::string name;
      int parent;
      int children = 0;
      std::size_t line;
    };
    std::vector<Node> nodes;
    std::vector<int> stack;
    std::size_t lineNo = block.firstLine;
    for (std::size_t k = 0; k < x.size() && nodes.size() < 2000; ++k) {
      if (x[k] == '\n') ++lineNo;
      if (x[k] != '<') continue;
      std::size_t end = x.find('>', k);
      if (end == std::string::npos) break;
      std::string tag = x.substr(k + 1, end - k - 1);
      for (std::size_t q = k; q < end; ++q)
        if (x[q] == '\n') ++lineNo;
      k = end;
      if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
      if (tag[0] == '/') {
        if (!stack.empty()) stack.pop_back();
        continue;
      }
      bool selfClosing = tag.back() == '/';
      if (selfClosing) tag.pop_back();
      std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
      int parent = stack.empty() ? -1 : stack.back();
      if (parent >= 0) nodes[parent].children++;
      nodes.push_back({name, parent, 0, lineNo});
      if (!selfClosing) stack.push_back(static_cast<int>(nodes.size()) - 1);
    }
    int data = -1;
    for (std::size_t k = 0; k < nodes.size(); ++k)
      if (nodes[k].name == "data" && nodes[k].children > 0) {
        data = static_cast<int>(k);
        break;
      }
    if (data < 0) return;
    std::vector<int> kids;
    for (std::size_t k = 0; k < nodes.size(); ++k)
      if (nodes[k].parent == data) kids.push_back(static_cast<int>(k));
    if (kids.size() == 1 && nodes[kids[0]].children > 0) return;  // a list response (<users><element>…)
    if (kids.size() >= 2 && std::all_of(kids.begin(), kids.end(), [&](int k) { return nodes[k].name == nodes[kids[0]].name; }))
      return;  // repeated items: a list of values
    const ScannedDocument& s = scans_[doc];
    for (int k : kids) {
      const std::string& name = nodes[k].name;
      if (!isAttributeName(name)) continue;
      std::size_t ln = std::min(nodes[k].line, s.lines.size() - 1);
      FoundAttribute fa = makeAttribute(doc, ln, name, s.lines[ln]);
      fa.section = block.section;
      if (nodes[k].children > 0) {
        std::set<std::string> childNames;
        for (std::size_t c = 0; c < nodes.size(); ++c)
          if (nodes[c].parent == k) childNames.insert(nodes[c].name);
        if (childNames.size() == 1 && (nodes[k].children > 1 || *childNames.begin() == "element")) fa.attr.multivalue = true;
      }
      fa.context = AttrContext::Response;
      attributes_.push_back(std::move(fa));
    }
  }

  // ---------------------------------------------------------------- curl ↔ documented endpoints

  static bool templateMatches(const std::string& templ, const std::string& concrete) {
    auto a = split(templ, '/', true), b = split(concrete, '/', true);
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!isParamSegment(a[i]) && a[i] != b[i]) return false;
    return true;
  }

  // True when `full` ends with the segments of `suffix` (a documented path may omit the base).
  static bool suffixMatches(const std::string& templ, const std::string& concrete) {
    auto a = split(templ, '/', true), b = split(concrete, '/', true);
    if (a.size() > b.size() || a.empty()) return false;
    std::size_t off = b.size() - a.size();
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!isParamSegment(a[i]) && a[i] != b[off + i]) return false;
    return true;
  }

  static bool looksLikeValue(const std::string& seg) {
    if (seg.empty()) return false;
    bool digits = std::all_of(seg.begin(), seg.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (digits) return true;
    bool hex = seg.size() >= 16 && std::all_of(seg.begin(), seg.end(), [](char c) {
                 return std::isxdigit(static_cast<unsigned char>(c)) || c == '-';
               });
    return hex;
  }

  void reconcileCurls() {
    for (auto& c : curls_) {
      if (c.path.empty()) continue;
      bool matched = false;
      for (auto& e : endpoints_) {
        if (e.fromCurl || e.method != c.method) continue;
        if (e.path == c.path || templateMatches(e.path, c.path) || suffixMatches(e.path, c.path)) {
          if (e.doc == c.doc) e.evidenceLines.push_back(c.lineText);
          matched = true;
          break;
        }
      }
      if (matched) continue;
      bool documentedInSection = std::any_of(endpoints_.begin(), endpoints_.end(), [&](const FoundEndpoint& e) {
        return !e.fromCurl && e.doc == c.doc && e.section == c.section;
      });
      if (documentedInSection) continue;
      std::string path;
      for (const auto& seg : split(c.path, '/', true)) path += "/" + (looksLikeValue(seg) ? std::string("{id}") : seg);
      if (endpoints_.size() >= kMaxProseEndpoints) break;
      FoundEndpoint e;
      e.method = c.method;
      e.path = path;
      e.description = sectionTitle(c.doc, c.section);
      e.doc = c.doc;
      e.line = c.line;
      e.section = c.section;
      e.fromCurl = true;
      e.evidenceLines.push_back(c.lineText);
      endpoints_.push_back(std::move(e));
    }
    for (const auto& c : curls_)
      for (const auto& [name, value] : c.headers) {
        std::string l = toLower(name);
        static const std::set<std::string, std::less<>> kStandard = {
            "authorization", "content-type", "accept", "content-length", "host", "user-agent", "cookie",
            "accept-encoding", "accept-language", "cache-control", "connection", "if-match", "if-none-match",
            "x-requested-with", "origin", "referer"};
        if (kStandard.count(l) || l.find("key") != std::string::npos || l.find("token") != std::string::npos ||
            l.find("auth") != std::string::npos)
          continue;
        if (customHeaders_.size() < 5 &&
            std::none_of(customHeaders_.begin(), customHeaders_.end(), [&](const auto& h) { return toLower(h.first) == l; }))
          customHeaders_.emplace_back(name, value);
      }
  }

  // ---------------------------------------------------------------- base URL

  void computeBase() {
    std::map<std::string, std::size_t> originCount;
    std::vector<std::string> originOrder;
    for (const auto& c : curls_) {
      if (originCount[c.url.origin]++ == 0) originOrder.push_back(c.url.origin);
    }
    std::size_t best = 0;
    for (const auto& o : originOrder)
      if (originCount[o] > best) {
        best = originCount[o];
        baseOrigin_ = o;
      }
    if (baseOrigin_.empty()) return;
    // Common segment prefix of the curl paths of that origin.
    std::vector<std::string> prefix;
    bool firstPath = true;
    for (const auto& c : curls_) {
      if (c.url.origin != baseOrigin_) continue;
      auto segs = split(c.path, '/', true);
      if (firstPath) {
        prefix = segs;
        firstPath = false;
      } else {
        std::size_t k = 0;
        while (k < prefix.size() && k < segs.size() && prefix[k] == segs[k]) ++k;
        prefix.resize(k);
      }
    }
    // Every endpoint keeps at least one segment; parameters never belong to the base.
    for (std::size_t k = 0; k < prefix.size(); ++k)
      if (isParamSegment(prefix[k])) prefix.resize(k);
    for (const auto& e : endpoints_) {
      auto segs = split(e.path, '/', true);
      std::size_t k = 0;
      while (k < prefix.size() && k < segs.size() && prefix[k] == segs[k]) ++k;
      if (k == prefix.size() && segs.size() <= prefix.size()) prefix.resize(segs.empty() ? 0 : segs.size() - 1);
    }
    for (const auto& c : curls_) {
      auto segs = split(c.path, '/', true);
      if (c.url.origin == baseOrigin_ && !segs.empty() && segs.size() <= prefix.size()) prefix.resize(segs.size() - 1);
    }
    for (const auto& p : prefix) basePath_ += "/" + p;
    for (auto& e : endpoints_)
      if (!basePath_.empty() && startsWith(e.path, basePath_ + "/")) e.path = e.path.substr(basePath_.size());
  }

  // ---------------------------------------------------------------- classes and endpoints

  struct PathShape {
    std::string classSegment;
    bool endsWithParam = false;
    bool nested = false;  // a parameter precedes the class segment
    bool current = false;
    int paramCount = 0;
    std::vector<std::string> actions;
  };

  static bool isResourceSegment(const std::string& s) {
    if (s.size() < 2 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    if (s.find('.') != std::string::npos) return false;
    std::string l = toLower(s);
    if (l == "api" || l == "rest" || l == "ocs" || l == "cloud" || l == "admin" || l == "v" || l == "public" ||
        l == "internal" || l == "service" || l == "services")
      return false;
    if (l.size() >= 2 && l[0] == 'v' && std::all_of(l.begin() + 1, l.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }))
      return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
  }

  static PathShape shapeOf(const std::string& path) {
    PathShape p;
    auto segs = split(path, '/', true);
    p.endsWithParam = !segs.empty() && isParamSegment(segs.back());
    int idx = -1;
    for (int i = static_cast<int>(segs.size()) - 1; i >= 0; --i) {
      const std::string& s = segs[i];
      if (isParamSegment(s)) {
        ++p.paramCount;
        continue;
      }
      std::string l = toLower(s);
      if (idx < 0 && (kActivateWords.count(l) || kDeactivateWords.count(l) || kSearchWords.count(l) || kActionWords.count(l))) {
        p.actions.push_back(l);
        if (kCurrentWords.count(l)) p.current = true;
        continue;
      }
      if (idx < 0 && isResourceSegment(s)) {
        idx = i;
        p.classSegment = s;
        for (int k = 0; k < i; ++k)
          if (isParamSegment(segs[k])) p.nested = true;
      }
    }
    if (idx < 0) p.paramCount = 0;
    // count only parameters (all of them) for getAll vs list decisions
    p.paramCount = static_cast<int>(std::count_if(segs.begin(), segs.end(), [](const std::string& s) { return isParamSegment(s); }));
    return p;
  }

  static std::string className(const std::string& segment) {
    auto w = splitWords(segment);
    if (w.empty()) return "";
    w.back() = singularize(w.back());
    std::string out;
    for (auto& x : w) {
      if (x.empty()) continue;
      x[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(x[0])));
      out += x;
    }
    return out;
  }

  static std::vector<std::string> usesOf(const std::string& method, const PathShape& p) {
    std::vector<std::string> uses;
    bool write = method != "GET";
    for (const auto& a : p.actions) {
      if (write && kActivateWords.count(a)) uses.push_back("activate");
      if (write && kDeactivateWords.count(a)) uses.push_back("deactivate");
    }
    if (!uses.empty()) return uses;
    bool search = std::any_of(p.actions.begin(), p.actions.end(), [](const std::string& a) { return kSearchWords.count(a) > 0; });
    if (search) {
      if (method == "GET" || method == "POST") uses.push_back("search");
      return uses;
    }
    if (!p.actions.empty()) return uses;
    if (method == "GET") {
      if (p.endsWithParam)
        uses.push_back("getById");
      else
        uses.push_back(p.paramCount == 0 ? "getAll" : "list");
    } else if (method == "POST") {
      if (!p.endsWithParam && !p.nested) uses.push_back("create");
    } else if (method == "PUT" || method == "PATCH") {
      if (p.endsWithParam) uses.push_back("update");
    } else if (method == "DELETE") {
      if (p.endsWithParam) uses.push_back("delete");
    }
    return uses;
  }

  struct ClassFacts {
    bool getAll = false, getById = false, create = false;
  };

  void buildClasses() {
    // Merge endpoints with the same method and path.
    std::vector<FoundEndpoint> merged;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    for (auto& e : endpoints_) {
      auto key = std::make_pair(e.method, e.path);
      auto it = seen.find(key);
      if (it == seen.end()) {
        seen.emplace(key, merged.size());
        merged.push_back(std::move(e));
      } else {
        FoundEndpoint& into = merged[it->second];
        if (into.description.empty()) into.description = e.description;
        for (auto& l : e.evidenceLines)
          if (into.evidenceLines.size() < 6) into.evidenceLines.push_back(l);
        for (auto& p : e.params) into.params.push_back(std::move(p));
        // keep the earliest documented (non-curl) position for section lookups
      }
    }
    endpoints_ = std::move(merged);
    std::map<std::string, ClassFacts> facts;
    endpointClass_.assign(endpoints_.size(), "");
    for (std::size_t i = 0; i < endpoints_.size(); ++i) {
      FoundEndpoint& fe = endpoints_[i];
      PathShape shape = shapeOf(fe.path);
      if (shape.classSegment.empty()) continue;
      std::string name = className(shape.classSegment);
      if (name.empty()) continue;
      std::string key = compactKey(name);
      auto ci = classIndex_.find(key);
      if (ci == classIndex_.end()) {
        if (result_.objectClasses.size() >= kMaxProseClasses) continue;
        ObjectClass oc;
        oc.name = name;
        oc.relevant = igaPriority(name) != kNotIga ? "true" : "maybe";
        oc.confidence = Confidence::Low;
        ci = classIndex_.emplace(key, result_.objectClasses.size()).first;
        result_.objectClasses.push_back(std::move(oc));
      }
      endpointClass_[i] = key;
      ObjectClass& oc = result_.objectClasses[ci->second];
      Endpoint e;
      e.path = fe.path;
      e.method = fe.method;
      e.description = fe.description;
      e.suggestedUse = usesOf(fe.method, shape);
      e.parameters = fe.params;
      for (const auto& l : fe.evidenceLines) addRefs(e.relevantDocumentations, evidenceFor(fe.doc, l));
      addRefs(oc.relevantDocumentations, e.relevantDocumentations);
      ClassFacts& f = facts[key];
      for (const auto& u : e.suggestedUse) {
        if (u == "getAll") f.getAll = true;
        if (u == "getById") f.getById = true;
        if (u == "create") f.create = true;
      }
      if (fe.fromCurl) e.extra["source"] = "curl example";
      oc.endpoints.push_back(std::move(e));
    }
    for (auto& [key, f] : facts)
      if (f.getAll && f.getById && f.create) result_.objectClasses[classIndex_[key]].confidence = Confidence::Medium;
  }

  // ---------------------------------------------------------------- attributes → classes

  // The class an attribute found at (doc, section, line) belongs to, or "" when unknown.
  std::string classForPosition(std::size_t doc, int section, std::size_t line) const {
    if (section < 0) return "";
    // 1. Endpoints in the same section: the nearest one before the line, else the first after it.
    const std::string* before = nullptr;
    const std::string* after = nullptr;
    std::size_t beforeLine = 0;
    for (std::size_t i = 0; i < endpoints_.size(); ++i) {
      const FoundEndpoint& e = endpoints_[i];
      if (e.doc != doc || e.section != section || endpointClass_[i].empty()) continue;
      if (e.line <= line && (!before || e.line >= beforeLine)) {
        before = &endpointClass_[i];
        beforeLine = e.line;
      } else if (e.line > line && !after) {
        after = &endpointClass_[i];
      }
    }
    if (before) return *before;
    if (after) return *after;
    // 2. A class named in the section title or its parents' titles.
    for (int s = section; s >= 0; s = scans_[doc].sections[s].parent) {
      auto titleWords = words(scans_[doc].sections[s].title);
      for (const auto& w : titleWords) {
        std::string key = compactKey(singularize(w));
        if (classIndex_.count(key)) return key;
      }
    }
    return "";
  }

  void assignAttributes() {
    std::size_t dropped = 0;
    for (auto& fa : attributes_) {
      std::string key = fa.className.empty() ? classForPosition(fa.doc, fa.section, fa.line) : compactKey(fa.className);
      auto ci = classIndex_.find(key);
      if (ci == classIndex_.end()) {
        ++dropped;
        continue;
      }
      ObjectClass& oc = result_.objectClasses[ci->second];
      if (fa.context == AttrContext::Create && !fa.attr.creatable) fa.attr.creatable = true;
      if (fa.context == AttrContext::Update && !fa.attr.updatable) fa.attr.updatable = true;
      auto refs = evidenceFor(fa.doc, fa.evidenceLine);
      auto existing = std::find_if(oc.attributes.begin(), oc.attributes.end(), [&](const Attribute& a) { return a.name == fa.attr.name; });
      if (existing == oc.attributes.end()) {
        if (oc.attributes.size() >= kMaxProseAttributesPerClass) continue;
        fa.attr.relevantDocumentations = refs;
        oc.attributes.push_back(std::move(fa.attr));
        continue;
      }
      Attribute& a = *existing;
      auto fill = [](auto& into, const auto& from) {
        if (!into && from) into = from;
      };
      fill(a.type, fa.attr.type);
      fill(a.format, fa.attr.format);
      fill(a.description, fa.attr.description);
      fill(a.mandatory, fa.attr.mandatory);
      fill(a.updatable, fa.attr.updatable);
      fill(a.creatable, fa.attr.creatable);
      fill(a.readable, fa.attr.readable);
      fill(a.multivalue, fa.attr.multivalue);
      addRefs(a.relevantDocumentations, refs);
    }
    if (dropped > 0)
      result_.diagnostics.push_back({Diagnostic::Severity::Info, "", "",
                                     std::to_string(dropped) +
                                         " attribute mention(s) in prose could not be tied to a class and were skipped."});
  }

  // ---------------------------------------------------------------- auth

  FoundAuth& auth(const std::string& key, const std::string& name, const std::string& type) {
    for (auto& a : auths_)
      if (a.key == key) return a;
    FoundAuth a;
    a.key = key;
    a.method.name = name;
    a.method.type = normalizeAuthType(type);
    auths_.push_back(std::move(a));
    return auths_.back();
  }

  void noteAuth(const std::string& key, const std::string& name, const std::string& type, std::size_t doc,
                const std::string& line) {
    FoundAuth& a = auth(key, name, type);
    if (a.evidence.size() < 3) a.evidence.emplace_back(doc, trim(line));
  }

  void scanAuthLine(std::size_t doc, const std::string& line, const std::string& lower) {
    if (line.size() > 2000) return;
    if (lower.find("authorization: basic") != std::string::npos || lower.find("basic auth") != std::string::npos ||
        lower.find("basic http auth") != std::string::npos || lower.find("http basic") != std::string::npos ||
        lower.find("basic authentication") != std::string::npos) {
      noteAuth("basic", "Basic authentication", "basic", doc, line);
      FoundAuth& a = auth("basic", "", "basic");
      a.method.details.in = "header";
      a.method.details.parameterName = "Authorization";
      a.method.details.scheme = "Basic";
    }
    if (lower.find("authorization: bearer") != std::string::npos || lower.find("bearer token") != std::string::npos) {
      noteAuth("bearer", "Bearer token", "bearer", doc, line);
      FoundAuth& a = auth("bearer", "", "bearer");
      a.method.details.in = "header";
      a.method.details.parameterName = "Authorization";
      a.method.details.scheme = "Bearer";
    }
    if (lower.find("authorization: token ") != std::string::npos) {
      noteAuth("token", "Token in Authorization header", "apiKey", doc, line);
      FoundAuth& a = auth("token", "", "apiKey");
      a.method.details.in = "header";
      a.method.details.parameterName = "Authorization";
      a.method.details.scheme = "token";
    }
    for (const char* o : {"oauth 2", "oauth2", "oauth2.0"}) {
      if (lower.find(o) == std::string::npos) continue;
      bool client = lower.find("client credentials") != std::string::npos || lower.find("client_credentials") != std::string::npos;
      if (client)
        noteAuth("oauth2cc", "OAuth 2.0 client credentials", "oauth2ClientCredentials", doc, line);
      else
        noteAuth("oauth2", "OAuth 2.0", "oauth2", doc, line);
      break;
    }
    // X-...-Key / X-...-Token headers.
    for (std::size_t p = lower.find("x-"); p != std::string::npos && p < lower.size(); p = lower.find("x-", p + 2)) {
      if (p > 0 && (std::isalnum(static_cast<unsigned char>(lower[p - 1])) || lower[p - 1] == '-')) continue;
      std::size_t e = p;
      while (e < lower.size() && (std::isalnum(static_cast<unsigned char>(lower[e])) || lower[e] == '-' || lower[e] == '_')) ++e;
      if (e >= lower.size() || lower[e] != ':') continue;
      std::string header = line.substr(p, e - p);
      std::string hl = toLower(header);
      if (!(endsWith(hl, "key") || endsWith(hl, "token") || hl.find("api-key") != std::string::npos)) continue;
      noteAuth("apikey:" + hl, "API key (" + header + " header)", "apiKey", doc, line);
      FoundAuth& a = auth("apikey:" + hl, "", "apiKey");
      a.method.details.in = "header";
      a.method.details.parameterName = header;
      break;
    }
  }

  void buildAuth() {
    for (const auto& c : curls_)
      if (c.basicUser || c.url.userinfo) noteAuth("basic", "Basic authentication", "basic", c.doc, c.lineText);
    std::string headerQuirk;
    for (const auto& [n, v] : customHeaders_)
      headerQuirk += (headerQuirk.empty() ? "" : ", ") + n + (v.empty() ? "" : ": " + v);
    for (auto& a : auths_) {
      AuthMethod& m = a.method;
      if (m.type == "basic") {
        m.details.in = "header";
        m.details.parameterName = "Authorization";
        m.details.scheme = "Basic";
        m.quirks = "HTTP Basic authentication: Authorization: Basic <base64(username:password)> header.";
      } else if (a.key == "bearer") {
        m.quirks = "Authorization: Bearer <token> header.";
      } else if (a.key == "token") {
        m.quirks = "Authorization: token <token> header.";
      } else if (startsWith(a.key, "apikey:")) {
        m.quirks = "API key sent in the " + m.details.parameterName + " header.";
      } else {
        m.quirks = "OAuth 2.0 is mentioned by the documentation; grant details were not stated.";
      }
      if (!headerQuirk.empty()) m.quirks += " Documented example requests also send the header(s) " + headerQuirk + ".";
      for (const auto& [doc, line] : a.evidence) {
        auto refs = evidenceFor(doc, line);
        addRefs(m.relevantDocumentations, refs);
        std::string seq = line.size() > 160 ? line.substr(0, 160) : line;
        for (const auto& r : refs)
          if (m.relevantSequences.size() < 5) m.relevantSequences.push_back({r.chunkId, seq, seq});
      }
      result_.auth.push_back(std::move(m));
    }
    if (auths_.empty() && !customHeaders_.empty())
      result_.diagnostics.push_back({Diagnostic::Severity::Info, "", "",
                                     "Example requests send the header(s) " + headerQuirk +
                                         " but no authentication method is stated."});
  }

  // ---------------------------------------------------------------- metadata and ranking

  void buildInfo() {
    InfoMetadata info;
    for (std::size_t d = 0; d < scans_.size() && info.name.empty(); ++d)
      if (!scans_[d].sections.empty()) info.name = scans_[d].sections.front().title;
    if (!endpoints_.empty()) info.apiType.push_back("REST");
    if (!baseOrigin_.empty())
      info.baseApiEndpoint.push_back({baseOrigin_ + basePath_, isDynamicOrigin(baseOrigin_) ? "dynamic" : "constant"});
    normalizeInfoMetadata(info);
    if (!info.empty()) result_.info = std::move(info);
  }

  void rankClasses() {
    std::stable_sort(result_.objectClasses.begin(), result_.objectClasses.end(), [](const ObjectClass& a, const ObjectClass& b) {
      int pa = igaPriority(a.name), pb = igaPriority(b.name);
      if (pa != pb) return pa < pb;
      if (a.confidence != b.confidence) return confidenceRank(a.confidence) < confidenceRank(b.confidence);
      return toLower(a.name) < toLower(b.name);
    });
  }
};
}  // namespace

DigestResult digestProse(const std::vector<ProseDocument>& docs, const std::vector<ChunkEvidence>& chunks) {
  try {
    return ProseDigester(docs, chunks).run();
  } catch (const std::exception& e) {
    DigestResult r;
    r.diagnostics.push_back({Diagnostic::Severity::Error, "", "", std::string("Prose extraction failed: ") + e.what()});
    return r;
  }
}

}  // namespace cg::digest::prose
