#include "ingest/extract_html.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "util/strings.h"

namespace cg::ingest {
namespace {

// Position of `needleLower` in `haystack` compared case-insensitively (ASCII), from `from`.
size_t findNoCase(std::string_view haystack, std::string_view needleLower, size_t from) {
  if (needleLower.empty() || haystack.size() < needleLower.size()) return std::string_view::npos;
  for (size_t i = from; i + needleLower.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needleLower.size() &&
           std::tolower(static_cast<unsigned char>(haystack[i + k])) == static_cast<unsigned char>(needleLower[k]))
      ++k;
    if (k == needleLower.size()) return i;
  }
  return std::string_view::npos;
}

bool isAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Calls onWord for each run of non-whitespace and onSpace for each whitespace run
// (U+00A0 no-break space counts as whitespace).
template <typename Word, typename Space>
void splitWords(std::string_view text, Word&& onWord, Space&& onSpace) {
  size_t i = 0;
  while (i < text.size()) {
    auto spaceLen = [&](size_t k) -> size_t {
      if (isAsciiSpace(text[k])) return 1;
      if (static_cast<unsigned char>(text[k]) == 0xC2 && k + 1 < text.size() &&
          static_cast<unsigned char>(text[k + 1]) == 0xA0)
        return 2;
      return 0;
    };
    if (size_t n = spaceLen(i)) {
      while (i < text.size() && (n = spaceLen(i))) i += n;
      onSpace();
      continue;
    }
    size_t start = i;
    while (i < text.size() && !spaceLen(i)) ++i;
    onWord(text.substr(start, i - start));
  }
}

std::string collapseWhitespace(std::string_view text, size_t maxBytes = std::string::npos) {
  std::string out;
  bool pending = false;
  splitWords(
      text,
      [&](std::string_view w) {
        if (out.size() >= maxBytes) return;
        if (pending && !out.empty()) out += ' ';
        out += w;
        pending = false;
      },
      [&] { pending = true; });
  if (out.size() > maxBytes) out.resize(maxBytes);
  return sanitizeUtf8(out);  // resizing may have cut a character
}

// ---------------------------------------------------------------------------------------------
// Output sinks

// Inline text being collected for a later decision (link text, heading, table cell, ...).
struct Capture {
  enum Kind { Link, Strong, Emphasis, Strike, Code, Heading, Cell, Caption, Term, Pre };
  Kind kind;
  std::string text;
  bool leadingSpace = false;
  bool pendingSpace = false;
  std::string href;  // Link
  int level = 0;     // Heading
  std::string language;  // Pre

  void word(std::string_view w) {
    if (pendingSpace && !text.empty()) text += ' ';
    text += w;
    pendingSpace = false;
  }
  void space() {
    if (text.empty()) leadingSpace = true;
    else pendingSpace = true;
  }
};

// The Markdown document: blocks separated by newlines, line prefixes for quotes and list items.
class BlockWriter {
 public:
  struct Container {
    bool quote;          // "> " prefix; otherwise a list item / definition
    std::string marker;  // list marker, e.g. "- " or "3. "
    bool markerWritten = false;
  };

  void word(std::string_view w) {
    beginContent();
    if (pendingSpace_) out_ += ' ';
    out_ += w;
    pendingSpace_ = false;
    lineHasText_ = true;
  }
  void space() {
    if (lineHasText_ && pendingNewlines_ == 0) pendingSpace_ = true;
  }
  void blockBreak(int newlines) {
    if (out_.empty()) return;
    // The first block of a list item starts on the marker's line, not after a blank line.
    if (!containers_.empty() && !containers_.back().quote && !containers_.back().markerWritten) newlines = 1;
    pendingNewlines_ = std::max(pendingNewlines_, newlines);
    pendingSpace_ = false;
  }
  void hardBreak() {
    if (out_.empty()) return;
    pendingNewlines_ = std::min(2, pendingNewlines_ + 1);
    pendingSpace_ = false;
  }
  // A line written as is (code fences, table rows), with container prefixes.
  void line(std::string_view text) {
    word(text);
    blockBreak(1);
  }
  void pushContainer(Container c) { containers_.push_back(std::move(c)); }
  void popContainer() {
    if (!containers_.empty()) containers_.pop_back();
  }
  std::string take() { return std::move(out_); }

 private:
  void beginContent() {
    if (pendingNewlines_ > 0 && !out_.empty()) {
      for (int i = 0; i < pendingNewlines_; ++i) {
        if (i > 0) writeBlankLinePrefix();
        out_ += '\n';
      }
      lineStarted_ = false;
      lineHasText_ = false;
      pendingSpace_ = false;
    }
    pendingNewlines_ = 0;
    if (!lineStarted_) {
      writePrefix();
      lineStarted_ = true;
      pendingSpace_ = false;
    }
  }
  void writePrefix() {
    for (auto& c : containers_) {
      if (c.quote) {
        out_ += "> ";
      } else if (!c.markerWritten) {
        out_ += c.marker;
        c.markerWritten = true;
      } else {
        out_.append(c.marker.size(), ' ');
      }
    }
  }
  void writeBlankLinePrefix() {
    std::string prefix;
    for (const auto& c : containers_)
      if (c.quote) prefix += "> ";
    while (!prefix.empty() && prefix.back() == ' ') prefix.pop_back();
    out_ += prefix;
  }

  std::string out_;
  std::vector<Container> containers_;
  int pendingNewlines_ = 0;
  bool pendingSpace_ = false;
  bool lineStarted_ = false;  // the prefix of the current line is written
  bool lineHasText_ = false;
};

// ---------------------------------------------------------------------------------------------
// Tables

struct TableBuilder {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  bool rowOpen = false;
  std::string caption;
  bool inlineMode = false;  // nested in a cell or other inline context

  void closeRow() {
    if (rowOpen && !row.empty()) rows.push_back(std::move(row));
    row.clear();
    rowOpen = false;
  }
};

std::string escapeCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Gumbo helpers

const char* attr(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? a->value : nullptr;
}

bool isElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

const GumboVector* childrenOf(const GumboNode* node) {
  if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
  if (isElement(node)) return &node->v.element.children;
  return nullptr;
}

// Visible text of a subtree (iterative), whitespace collapsed, up to maxBytes.
std::string gatherText(const GumboNode* root, size_t maxBytes) {
  std::string raw;
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty() && raw.size() < maxBytes * 2) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
      raw += n->v.text.text;
      raw += ' ';
      continue;
    }
    if (isElement(n)) {
      GumboTag tag = n->v.element.tag;
      if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE) continue;
      if (tag == GUMBO_TAG_IMG) {
        if (const char* alt = attr(n, "alt")) (raw += alt) += ' ';
        continue;
      }
    }
    if (const GumboVector* kids = childrenOf(n))
      for (unsigned i = kids->length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
  }
  return collapseWhitespace(raw, maxBytes);
}

bool hasClassToken(const char* classes, const std::set<std::string_view>& tokens) {
  if (!classes) return false;
  for (const auto& t : split(toLower(classes), ' ', true))
    if (tokens.count(t)) return true;
  return false;
}

// Page chrome identified by attributes (any tag).
bool isChromeByAttributes(const GumboNode* node) {
  static const std::set<std::string_view> kRoles = {"navigation", "banner", "contentinfo", "search", "menu",
                                                   "menubar", "toolbar", "complementary"};
  static const std::set<std::string_view> kTokens = {
      "navbar", "nav", "navigation", "sidebar", "side-bar", "breadcrumb", "breadcrumbs", "menu", "site-header",
      "site-footer", "skip-link", "cookie-banner", "cookie-consent", "visually-hidden", "sr-only"};
  if (const char* role = attr(node, "role"); role && kRoles.count(toLower(role))) return true;
  if (const char* hidden = attr(node, "aria-hidden"); hidden && iequals(hidden, "true")) return true;
  if (attr(node, "hidden")) return true;
  if (const char* style = attr(node, "style")) {
    std::string s = toLower(style);
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    if (s.find("display:none") != std::string::npos) return true;
  }
  return hasClassToken(attr(node, "class"), kTokens) || hasClassToken(attr(node, "id"), kTokens);
}

std::string codeLanguage(const GumboNode* pre) {
  static const std::set<std::string_view> kKnown = {
      "json", "yaml", "yml", "xml", "html", "bash", "sh", "shell", "http", "javascript", "js", "python", "java",
      "sql", "curl", "text", "groovy", "go", "ruby", "php", "csharp", "c", "cpp", "typescript", "ts", "graphql",
      "console", "powershell", "kotlin", "scala", "rust", "swift", "ini", "toml", "properties"};
  auto fromClasses = [&](const char* classes) -> std::string {
    if (!classes) return {};
    for (const auto& token : split(toLower(classes), ' ', true)) {
      for (std::string_view prefix : {"language-", "lang-", "highlight-source-", "highlight-"}) {
        if (startsWith(token, prefix) && token.size() > prefix.size()) return token.substr(prefix.size());
      }
    }
    for (const auto& token : split(toLower(classes), ' ', true))
      if (kKnown.count(token)) return token;
    return {};
  };
  auto fromNode = [&](const GumboNode* n) -> std::string {
    if (const char* lang = attr(n, "data-lang")) return toLower(lang);
    if (const char* lang = attr(n, "data-language")) return toLower(lang);
    return fromClasses(attr(n, "class"));
  };
  std::string lang = fromNode(pre);
  if (lang.empty()) {
    const GumboVector* kids = childrenOf(pre);
    for (unsigned i = 0; kids && i < kids->length && lang.empty(); ++i) {
      auto* child = static_cast<const GumboNode*>(kids->data[i]);
      if (isElement(child)) lang = fromNode(child);
    }
    // The wrapper of highlighters (e.g. <div class="highlight-json"><pre>) names it too.
    if (lang.empty() && pre->parent && isElement(pre->parent)) lang = fromNode(pre->parent);
  }
  // Keep it a plain word so the fence stays valid.
  lang.erase(std::remove_if(lang.begin(), lang.end(),
                            [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '_'); }),
             lang.end());
  return lang.substr(0, 32);
}

std::string backtickFence(std::string_view content, size_t minimum) {
  size_t longest = 0, run = 0;
  for (char c : content) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max(minimum, longest + 1), '`');
}

bool looksLikeSpecFile(std::string_view href) {
  std::string lower = toLower(href);
  size_t cut = lower.find_first_of("?#");
  if (cut != std::string::npos) lower.resize(cut);
  size_t slash = lower.rfind('/');
  std::string name = slash == std::string::npos ? lower : lower.substr(slash + 1);
  if (!(startsWith(name, "openapi") || startsWith(name, "swagger") || name.find("api-docs") != std::string::npos))
    return false;
  return endsWith(name, ".json") || endsWith(name, ".yaml") || endsWith(name, ".yml");
}

// Values of `url: "..."` (and `"url": "..."`) in a Swagger UI configuration script.
void scanScriptForSpecUrls(std::string_view script, std::vector<std::string>& out) {
  bool swaggerUi = script.find("SwaggerUI") != std::string_view::npos ||
                   script.find("swagger-ui") != std::string_view::npos;
  auto isIdent = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  auto readQuoted = [&](size_t pos, std::string& value) -> bool {
    if (pos >= script.size()) return false;
    char quote = script[pos];
    if (quote != '"' && quote != '\'' && quote != '`') return false;
    size_t end = script.find(quote, pos + 1);
    if (end == std::string_view::npos || end - pos > 2048) return false;
    value.assign(script.substr(pos + 1, end - pos - 1));
    return value.find('\n') == std::string::npos && !value.empty();
  };
  auto skipSpaces = [&](size_t pos) {
    while (pos < script.size() && isAsciiSpace(script[pos])) ++pos;
    return pos;
  };
  if (swaggerUi) {
    for (size_t pos = script.find("url"); pos != std::string_view::npos; pos = script.find("url", pos + 3)) {
      if (pos > 0 && isIdent(script[pos - 1])) continue;
      size_t after = pos + 3;
      if (after < script.size() && isIdent(script[after])) continue;
      if (pos > 0 && (script[pos - 1] == '"' || script[pos - 1] == '\'')) {
        if (after < script.size() && script[after] == script[pos - 1]) ++after;
        else continue;
      }
      after = skipSpaces(after);
      if (after >= script.size() || script[after] != ':') continue;
      std::string value;
      if (readQuoted(skipSpaces(after + 1), value)) out.push_back(value);
    }
  }
  for (size_t pos = script.find("Redoc.init"); pos != std::string_view::npos; pos = script.find("Redoc.init", pos + 10)) {
    size_t open = skipSpaces(pos + 10);
    if (open >= script.size() || script[open] != '(') continue;
    std::string value;
    if (readQuoted(skipSpaces(open + 1), value)) out.push_back(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Linear fallback for input gumbo should not see (too deep or too large).

size_t estimateNesting(std::string_view html) {
  static const std::unordered_set<std::string> kNoDepth = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
      "keygen", "p", "li", "td", "th", "tr", "option", "dt", "dd", "tbody", "thead", "tfoot", "colgroup", "rb", "rt",
      "rp", "optgroup", "!doctype"};
  size_t depth = 0, maxDepth = 0;
  size_t i = 0;
  std::string name;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 3;
      continue;
    }
    bool closing = i + 1 < html.size() && html[i + 1] == '/';
    size_t j = i + (closing ? 2 : 1);
    name.clear();
    while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-' || html[j] == '!'))
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[j++])));
    if (name.empty()) {
      ++i;
      continue;
    }
    size_t close = html.find('>', j);
    if (close == std::string_view::npos) break;
    bool selfClosing = close > 0 && html[close - 1] == '/';
    if (closing) {
      if (!kNoDepth.count(name) && depth > 0) --depth;
    } else if (!selfClosing && !kNoDepth.count(name)) {
      maxDepth = std::max(maxDepth, ++depth);
      if (name == "script" || name == "style" || name == "textarea" || name == "title") {
        size_t k = findNoCase(html, "</" + name, close);
        close = k == std::string_view::npos ? html.size() - 1 : k - 1;
      }
    }
    i = close + 1;
  }
  return maxDepth;
}

void decodeEntitiesInto(std::string_view s, std::string& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
      continue;
    }
    std::string_view name = s.substr(i + 1, semi - i - 1);
    std::string rep;
    if (name == "amp") rep = "&";
    else if (name == "lt") rep = "<";
    else if (name == "gt") rep = ">";
    else if (name == "quot") rep = "\"";
    else if (name == "apos" || name == "#39") rep = "'";
    else if (name == "nbsp") rep = " ";
    else if (name.size() > 1 && name[0] == '#') {
      unsigned long cp = 0;
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || *end || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
      if (cp < 0x80) rep = std::string(1, static_cast<char>(cp));
      else if (cp < 0x800) rep = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
      else if (cp < 0x10000)
        rep = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
               static_cast<char>(0x80 | (cp & 0x3F))};
      else
        rep = {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
               static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      out += '&';
      continue;
    }
    out += rep;
    i = semi;
  }
}

std::string stripTags(std::string_view html, HtmlConversion& result, size_t maxLinks) {
  static const std::unordered_set<std::string> kBlocks = {
      "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "pre", "ul",
      "ol", "blockquote", "hr", "dt", "dd", "header", "footer", "nav", "main", "body", "title"};
  static const std::unordered_set<std::string> kSkipContent = {"script", "style", "noscript", "template", "svg",
                                                              "title"};
  std::string text;
  std::set<std::string> seen;
  size_t i = 0;
  while (i < html.size()) {
    size_t lt = html.find('<', i);
    decodeEntitiesInto(html.substr(i, lt == std::string_view::npos ? std::string_view::npos : lt - i), text);
    if (lt == std::string_view::npos) break;
    if (html.substr(lt, 4) == "<!--") {
      size_t end = html.find("-->", lt + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    size_t gt = html.find('>', lt);
    if (gt == std::string_view::npos) break;
    std::string_view tag = html.substr(lt + 1, gt - lt - 1);
    bool closing = !tag.empty() && tag[0] == '/';
    std::string name;
    for (size_t k = closing ? 1 : 0; k < tag.size() && std::isalnum(static_cast<unsigned char>(tag[k])); ++k)
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(tag[k])));
    i = gt + 1;
    if (!closing && kSkipContent.count(name)) {
      size_t endPos = findNoCase(html, "</" + name, i);
      size_t end = endPos == std::string_view::npos ? std::string::npos : endPos - i;
      std::string_view inner = html.substr(i, end == std::string::npos ? std::string_view::npos : end);
      if (name == "title" && result.title.empty()) {
        std::string t;
        decodeEntitiesInto(inner, t);
        result.title = collapseWhitespace(t, 1000);
      }
      if (name == "script") scanScriptForSpecUrls(inner, result.specUrls);
      i = end == std::string::npos ? html.size() : i + end;
      continue;
    }
    if (!closing && name == "a" && result.links.size() < maxLinks) {
      std::string lower = toLower(tag);
      size_t h = lower.find("href=");
      if (h != std::string::npos) {
        size_t start = h + 5;
        char quote = start < tag.size() ? tag[start] : 0;
        size_t end;
        if (quote == '"' || quote == '\'') end = tag.find(quote, ++start);
        else end = tag.find_first_of(" \t\n>", start);
        std::string href;
        decodeEntitiesInto(tag.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), href);
        href = trim(href);
        if (!href.empty() && href[0] != '#' && !startsWith(toLower(href), "javascript:") && seen.insert(href).second)
          result.links.push_back({href, ""});
      }
    }
    text += kBlocks.count(name) ? "\n\n" : " ";
  }
  // Collapse spaces within lines and runs of blank lines.
  std::string out;
  for (const auto& line : split(text, '\n')) {
    std::string collapsed = collapseWhitespace(line);
    if (collapsed.empty()) {
      if (!out.empty() && !endsWith(out, "\n\n")) out += '\n';
      continue;
    }
    if (!out.empty() && !endsWith(out, "\n")) out += '\n';
    out += collapsed;
  }
  return trim(out);
}

// ---------------------------------------------------------------------------------------------
// The converter

class Converter {
 public:
  Converter(HtmlConversion& result, const HtmlOptions& options) : result_(result), options_(options) {}

  void run(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      unsigned next = 0;
      Action action{};
    };
    std::vector<Frame> stack;
    stack.push_back({root});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next == 0 && !f.action.entered) {
        f.action = enter(f.node);
        f.action.entered = true;
        if (f.action.skip) {
          stack.pop_back();
          continue;
        }
      }
      const GumboVector* kids = childrenOf(f.node);
      if (kids && f.next < kids->length) {
        const GumboNode* child = static_cast<const GumboNode*>(kids->data[f.next++]);
        stack.push_back({child});
        continue;
      }
      exit(f.node, f.action);
      stack.pop_back();
    }
  }

  std::string finish() {
    std::string md = writer_.take();
    if (!sawH1_ && !result_.title.empty()) md = "# " + result_.title + (md.empty() ? "" : "\n\n" + md);
    return md;
  }

 private:
  struct Action {
    enum Kind { None, Suppress, Block, Capture, List, Item, Quote, Pre, Table, Row, Definition } kind = None;
    bool skip = false;
    bool entered = false;
    bool inlineMode = false;  // inside an inline capture: blocks degrade to spaces
    bool contentRoot = false;
    static Action of(Kind k) {
      Action a;
      a.kind = k;
      return a;
    }
    static Action skipped() {
      Action a;
      a.skip = true;
      return a;
    }
  };

  // --- sinks ----------------------------------------------------------------------------------
  void word(std::string_view w) {
    if (suppress_ > 0) return;
    if (!captures_.empty()) captures_.back().word(w);
    else writer_.word(w);
  }
  void space() {
    if (suppress_ > 0) return;
    if (!captures_.empty()) captures_.back().space();
    else writer_.space();
  }
  void blockBreak(int newlines) {
    if (suppress_ > 0) return;
    if (!captures_.empty()) captures_.back().space();
    else writer_.blockBreak(newlines);
  }
  void text(std::string_view t) {
    if (suppress_ > 0) return;
    if (preDepth_ > 0 && !captures_.empty()) {
      captures_.back().text += t;
      return;
    }
    splitWords(t, [&](std::string_view w) { word(w); }, [&] { space(); });
  }
  // Emits a finished inline capture into the enclosing sink, keeping surrounding spaces.
  void emitInline(const Capture& c, std::string_view rendered) {
    if (c.leadingSpace) space();
    if (!rendered.empty()) word(rendered);
    if (c.pendingSpace) space();
  }
  void pushCapture(Capture::Kind kind) { captures_.push_back(Capture{kind, {}}); }

  // --- element handling -----------------------------------------------------------------------
  Action enter(const GumboNode* node) {
    switch (node->type) {
      case GUMBO_NODE_DOCUMENT: return Action::of(Action::None);
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
        text(node->v.text.text);
        return Action::skipped();
      case GUMBO_NODE_WHITESPACE:
        if (preDepth_ > 0) text(node->v.text.text);
        else space();
        return Action::skipped();
      case GUMBO_NODE_COMMENT:
      case GUMBO_NODE_TEMPLATE: return Action::skipped();
      case GUMBO_NODE_ELEMENT: break;
    }
    checkSpecAttributes(node);
    GumboTag tag = node->v.element.tag;
    bool inlineMode = !captures_.empty();
    auto block = [&](Action::Kind k) {
      Action a = Action::of(k);
      a.inlineMode = inlineMode;
      return a;
    };

    switch (tag) {
      case GUMBO_TAG_TITLE:
        if (result_.title.empty()) result_.title = gatherText(node, 1000);
        return Action::skipped();
      case GUMBO_TAG_BASE:
        if (const char* href = attr(node, "href"); href && result_.baseHref.empty()) result_.baseHref = trim(href);
        return Action::skipped();
      case GUMBO_TAG_SCRIPT: {
        std::string script;
        if (const GumboVector* kids = childrenOf(node))
          for (unsigned i = 0; i < kids->length; ++i) {
            auto* k = static_cast<const GumboNode*>(kids->data[i]);
            if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_CDATA || k->type == GUMBO_NODE_WHITESPACE)
              script += k->v.text.text;
          }
        scanScriptForSpecUrls(script, specCandidates_);
        return Action::skipped();
      }
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_NOSCRIPT:
      case GUMBO_TAG_TEMPLATE:
      case GUMBO_TAG_SVG:
      case GUMBO_TAG_MATH:
      case GUMBO_TAG_CANVAS:
      case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_OBJECT:
      case GUMBO_TAG_EMBED:
      case GUMBO_TAG_VIDEO:
      case GUMBO_TAG_AUDIO:
      case GUMBO_TAG_MAP:
      case GUMBO_TAG_META:
      case GUMBO_TAG_LINK:
      case GUMBO_TAG_INPUT:
        return Action::skipped();
      case GUMBO_TAG_HEAD:  // <title>, <base> and scripts inside are still examined
        ++suppress_;
        return Action::of(Action::Suppress);
      default: break;
    }

    if (tag == GUMBO_TAG_A) collectLink(node);
    // Inside a code block only text matters: no link or emphasis markup in the fence.
    if (preDepth_ > 0 && tag != GUMBO_TAG_BR) return Action::of(Action::None);

    // Page chrome: dropped from the text, links still collected.
    bool chromeTag = tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_FORM ||
                     tag == GUMBO_TAG_BUTTON || tag == GUMBO_TAG_SELECT || tag == GUMBO_TAG_TEXTAREA ||
                     tag == GUMBO_TAG_MENU;
    if ((tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER) && contentDepth_ == 0) chromeTag = true;
    if (chromeTag || isChromeByAttributes(node)) {
      ++suppress_;
      return Action::of(Action::Suppress);
    }

    switch (tag) {
      case GUMBO_TAG_ARTICLE:
      case GUMBO_TAG_MAIN: {
        ++contentDepth_;
        Action a = block(Action::Block);
        a.contentRoot = true;
        blockBreak(2);
        return a;
      }
      case GUMBO_TAG_P:
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_SECTION:
      case GUMBO_TAG_ADDRESS:
      case GUMBO_TAG_FIGURE:
      case GUMBO_TAG_FIGCAPTION:
      case GUMBO_TAG_DETAILS:
      case GUMBO_TAG_SUMMARY:
      case GUMBO_TAG_CENTER:
      case GUMBO_TAG_FIELDSET:
      case GUMBO_TAG_HGROUP:
      case GUMBO_TAG_HEADER:
      case GUMBO_TAG_FOOTER:
      case GUMBO_TAG_DL:
      case GUMBO_TAG_BODY:
        blockBreak(2);
        return block(Action::Block);
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6: {
        Action a = block(Action::Capture);
        blockBreak(2);
        pushCapture(Capture::Heading);
        captures_.back().level = 1 + static_cast<int>(tag - GUMBO_TAG_H1);
        return a;
      }
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL: {
        Action a = block(Action::List);
        blockBreak(lists_.empty() ? 2 : 1);
        int start = 1;
        if (const char* s = attr(node, "start")) start = std::atoi(s);
        lists_.push_back({tag == GUMBO_TAG_OL, start - 1});
        return a;
      }
      case GUMBO_TAG_LI: {
        Action a = block(Action::Item);
        if (inlineMode || suppress_ > 0) {
          space();
          return a;
        }
        writer_.blockBreak(1);
        std::string marker = "- ";
        if (!lists_.empty() && lists_.back().ordered) {
          if (const char* v = attr(node, "value")) lists_.back().counter = std::atoi(v) - 1;
          marker = std::to_string(++lists_.back().counter) + ". ";
        }
        writer_.pushContainer({false, marker});
        return a;
      }
      case GUMBO_TAG_DT: {
        Action a = block(Action::Capture);
        blockBreak(2);
        pushCapture(Capture::Term);
        return a;
      }
      case GUMBO_TAG_DD: {
        Action a = block(Action::Definition);
        if (inlineMode || suppress_ > 0) {
          space();
          return a;
        }
        writer_.blockBreak(1);
        writer_.pushContainer({false, ": "});
        return a;
      }
      case GUMBO_TAG_BLOCKQUOTE: {
        Action a = block(Action::Quote);
        if (inlineMode || suppress_ > 0) {
          space();
          return a;
        }
        writer_.blockBreak(2);
        writer_.pushContainer({true, ""});
        return a;
      }
      case GUMBO_TAG_PRE: {
        Action a = block(Action::Pre);
        blockBreak(2);
        pushCapture(Capture::Pre);
        captures_.back().language = codeLanguage(node);
        ++preDepth_;
        return a;
      }
      case GUMBO_TAG_CODE:
      case GUMBO_TAG_KBD:
      case GUMBO_TAG_SAMP:
      case GUMBO_TAG_TT:
        pushCapture(Capture::Code);
        return Action::of(Action::Capture);
      case GUMBO_TAG_A: {
        pushCapture(Capture::Link);
        const char* href = attr(node, "href");
        captures_.back().href = href ? trim(href) : "";
        return Action::of(Action::Capture);
      }
      case GUMBO_TAG_STRONG:
      case GUMBO_TAG_B:
        pushCapture(Capture::Strong);
        return Action::of(Action::Capture);
      case GUMBO_TAG_EM:
      case GUMBO_TAG_I:
      case GUMBO_TAG_CITE:
        pushCapture(Capture::Emphasis);
        return Action::of(Action::Capture);
      case GUMBO_TAG_DEL:
      case GUMBO_TAG_S:
      case GUMBO_TAG_STRIKE:
        pushCapture(Capture::Strike);
        return Action::of(Action::Capture);
      case GUMBO_TAG_BR:
        if (suppress_ > 0) return Action::skipped();
        if (preDepth_ > 0 && !captures_.empty()) captures_.back().text += '\n';
        else if (!captures_.empty()) captures_.back().kind == Capture::Cell ? captures_.back().word("<br>") : space();
        else writer_.hardBreak();
        return Action::skipped();
      case GUMBO_TAG_HR:
        if (!captures_.empty() || suppress_ > 0) return Action::skipped();
        writer_.blockBreak(2);
        writer_.line("---");
        writer_.blockBreak(2);
        return Action::skipped();
      case GUMBO_TAG_IMG:
        // Image alt text only labels links (icon links); elsewhere it is noise.
        if (!captures_.empty() && captures_.back().kind == Capture::Link)
          if (const char* alt = attr(node, "alt")) text(alt);
        return Action::skipped();
      case GUMBO_TAG_TABLE: {
        Action a = block(Action::Table);
        blockBreak(2);
        tables_.emplace_back();
        tables_.back().inlineMode = inlineMode;
        return a;
      }
      case GUMBO_TAG_TR:
        if (tables_.empty()) return block(Action::Block);
        tables_.back().closeRow();
        tables_.back().rowOpen = true;
        return Action::of(Action::Row);
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        if (tables_.empty()) return block(Action::Block);
        pushCapture(Capture::Cell);
        captures_.back().level = 1;
        if (const char* span = attr(node, "colspan")) captures_.back().level = std::clamp(std::atoi(span), 1, 64);
        return Action::of(Action::Capture);
      case GUMBO_TAG_CAPTION:
        if (tables_.empty()) return block(Action::Block);
        pushCapture(Capture::Caption);
        return Action::of(Action::Capture);
      default: return Action::of(Action::None);
    }
  }

  void exit(const GumboNode* node, const Action& a) {
    switch (a.kind) {
      case Action::None: return;
      case Action::Suppress:
        --suppress_;
        return;
      case Action::Block:
        if (a.contentRoot) --contentDepth_;
        blockBreak(2);
        return;
      case Action::List:
        if (!lists_.empty()) lists_.pop_back();
        blockBreak(lists_.empty() ? 2 : 1);
        return;
      case Action::Item:
      case Action::Definition:
        if (a.inlineMode || suppress_ > 0) {
          space();
          return;
        }
        writer_.popContainer();
        writer_.blockBreak(1);
        return;
      case Action::Quote:
        if (a.inlineMode || suppress_ > 0) return;
        writer_.popContainer();
        writer_.blockBreak(2);
        return;
      case Action::Pre: finishPre(); return;
      case Action::Table: finishTable(); return;
      case Action::Row:
        if (!tables_.empty()) tables_.back().closeRow();
        return;
      case Action::Capture: finishCapture(); return;
    }
  }

  void finishCapture() {
    if (captures_.empty()) return;
    Capture c = std::move(captures_.back());
    captures_.pop_back();
    std::string t = trim(c.text);
    switch (c.kind) {
      case Capture::Heading:
        if (t.empty()) return;
        if (c.level == 1 && suppress_ == 0) {
          sawH1_ = true;
          if (result_.title.empty()) result_.title = t;
        }
        if (!captures_.empty() || suppress_ > 0) {
          emitInline(c, t);
          return;
        }
        writer_.blockBreak(2);
        writer_.word(std::string(static_cast<size_t>(c.level), '#') + " " + t);
        writer_.blockBreak(2);
        return;
      case Capture::Term:
        if (t.empty()) return;
        if (!captures_.empty()) {
          emitInline(c, t);
          return;
        }
        writer_.blockBreak(2);
        writer_.word("**" + t + "**");
        writer_.blockBreak(1);
        return;
      case Capture::Link: {
        std::string lower = toLower(c.href);
        if (t.empty()) {
          if (c.leadingSpace || c.pendingSpace) space();
          return;
        }
        if (c.href.empty() || c.href[0] == '#' || startsWith(lower, "javascript:")) {
          emitInline(c, t);
          return;
        }
        std::string target = c.href;
        if (target.find_first_of(" ()") != std::string::npos) target = "<" + target + ">";
        emitInline(c, "[" + t + "](" + target + ")");
        return;
      }
      case Capture::Strong: emitInline(c, t.empty() ? t : "**" + t + "**"); return;
      case Capture::Emphasis: emitInline(c, t.empty() ? t : "_" + t + "_"); return;
      case Capture::Strike: emitInline(c, t.empty() ? t : "~~" + t + "~~"); return;
      case Capture::Code: {
        if (t.empty()) {
          emitInline(c, t);
          return;
        }
        std::string fence = backtickFence(t, 1);
        bool pad = t.front() == '`' || t.back() == '`';
        emitInline(c, fence + (pad ? " " : "") + t + (pad ? " " : "") + fence);
        return;
      }
      case Capture::Cell:
        if (!tables_.empty()) {
          auto& table = tables_.back();
          if (!table.rowOpen) table.rowOpen = true;
          table.row.push_back(t);
          for (int i = 1; i < c.level; ++i) table.row.emplace_back();
        }
        return;
      case Capture::Caption:
        if (!tables_.empty()) tables_.back().caption = t;
        return;
      case Capture::Pre: return;  // handled by finishPre
    }
  }

  void finishPre() {
    --preDepth_;
    if (captures_.empty() || captures_.back().kind != Capture::Pre) return;
    Capture c = std::move(captures_.back());
    captures_.pop_back();
    std::string code = c.text;
    if (!code.empty() && code.front() == '\n') code.erase(0, 1);
    while (!code.empty() && (code.back() == '\n' || code.back() == ' ' || code.back() == '\t')) code.pop_back();
    if (suppress_ > 0 || trim(code).empty()) return;
    if (!captures_.empty()) {  // a code block inside a table cell or link: inline code
      std::string flat = collapseWhitespace(code);
      std::string fence = backtickFence(flat, 1);
      captures_.back().word(fence + flat + fence);
      return;
    }
    std::string fence = backtickFence(code, 3);
    writer_.blockBreak(2);
    writer_.line(fence + c.language);
    for (const auto& l : split(code, '\n')) writer_.line(l);
    writer_.line(fence);
    writer_.blockBreak(2);
  }

  void finishTable() {
    if (tables_.empty()) return;
    TableBuilder table = std::move(tables_.back());
    tables_.pop_back();
    table.closeRow();
    if (suppress_ > 0) return;
    size_t columns = 0;
    for (const auto& r : table.rows) columns = std::max(columns, r.size());
    bool anyText = std::any_of(table.rows.begin(), table.rows.end(), [](const auto& r) {
      return std::any_of(r.begin(), r.end(), [](const std::string& c) { return !c.empty(); });
    });
    if (!anyText) return;
    if (table.inlineMode || !captures_.empty()) {
      std::vector<std::string> rows;
      for (const auto& r : table.rows) rows.push_back(join(r, ", "));
      text(join(rows, "; "));
      return;
    }
    writer_.blockBreak(2);
    if (!table.caption.empty()) {
      writer_.word("**" + table.caption + "**");
      writer_.blockBreak(2);
    }
    if (columns == 1 && table.rows.size() == 1) {  // layout wrapper around one cell
      writer_.word(table.rows[0][0]);
      writer_.blockBreak(2);
      return;
    }
    auto renderRow = [&](const std::vector<std::string>& r) {
      std::string line = "|";
      for (size_t i = 0; i < columns; ++i) line += " " + (i < r.size() ? escapeCell(r[i]) : std::string()) + " |";
      return line;
    };
    writer_.line(renderRow(table.rows[0]));
    std::string separator = "|";
    for (size_t i = 0; i < columns; ++i) separator += " --- |";
    writer_.line(separator);
    for (size_t i = 1; i < table.rows.size(); ++i) writer_.line(renderRow(table.rows[i]));
    writer_.blockBreak(2);
  }

  // --- links and spec URLs --------------------------------------------------------------------
  void collectLink(const GumboNode* node) {
    const char* hrefAttr = attr(node, "href");
    if (!hrefAttr) return;
    std::string href = trim(hrefAttr);
    std::string lower = toLower(href);
    if (href.empty() || href[0] == '#' || startsWith(lower, "javascript:") || startsWith(lower, "mailto:") ||
        startsWith(lower, "tel:") || startsWith(lower, "data:"))
      return;
    if (looksLikeSpecFile(href)) specCandidates_.push_back(href);
    if (result_.links.size() >= options_.maxLinks || !seenLinks_.insert(href).second) return;
    result_.links.push_back({href, gatherText(node, 200)});
  }

  void checkSpecAttributes(const GumboNode* node) {
    for (const char* name : {"spec-url", "data-spec-url", "specurl", "apidescriptionurl", "data-openapi-url"}) {
      if (const char* v = attr(node, name)) specCandidates_.push_back(trim(v));
    }
    // Scalar: <script id="api-reference" data-url="...">
    if (const char* id = attr(node, "id"); id && std::string_view(id) == "api-reference")
      if (const char* v = attr(node, "data-url")) specCandidates_.push_back(trim(v));
  }

 public:
  void publishSpecUrls() {
    std::set<std::string> seen;
    for (auto& url : specCandidates_)
      if (!url.empty() && seen.insert(url).second) result_.specUrls.push_back(url);
  }

 private:
  struct ListContext {
    bool ordered;
    int counter;
  };

  HtmlConversion& result_;
  const HtmlOptions& options_;
  BlockWriter writer_;
  std::vector<Capture> captures_;
  std::vector<ListContext> lists_;
  std::vector<TableBuilder> tables_;
  std::vector<std::string> specCandidates_;
  std::set<std::string> seenLinks_;
  int suppress_ = 0;
  int preDepth_ = 0;
  int contentDepth_ = 0;
  bool sawH1_ = false;
};

}  // namespace

HtmlConversion htmlToMarkdown(std::string_view html, const HtmlOptions& options) {
  HtmlConversion result;
  std::string input = isValidUtf8(html) ? std::string(html) : sanitizeUtf8(html);
  if (input.size() > options.maxParseBytes) {
    result.warnings.push_back("HTML input of " + std::to_string(input.size()) +
                              " bytes is above the parse limit; converted as plain text");
  } else if (size_t depth = estimateNesting(input); depth > options.maxNesting) {
    result.warnings.push_back("HTML nesting depth of about " + std::to_string(depth) +
                              " is above the limit; converted as plain text");
  } else {
    GumboOptions gumboOptions = kGumboDefaultOptions;
    gumboOptions.max_errors = 0;
    GumboOutput* output = gumbo_parse_with_options(&gumboOptions, input.data(), input.size());
    if (output) {
      Converter converter(result, options);
      converter.run(output->document);
      converter.publishSpecUrls();
      result.markdown = converter.finish();
      gumbo_destroy_output(&gumboOptions, output);
      return result;
    }
    result.warnings.push_back("the HTML parser failed; converted as plain text");
  }
  result.usedFallback = true;
  result.markdown = stripTags(input, result, options.maxLinks);
  std::vector<std::string> spec = std::move(result.specUrls);
  std::set<std::string> seen;
  for (auto& u : spec)
    if (seen.insert(u).second) result.specUrls.push_back(u);
  for (const auto& l : result.links)
    if (looksLikeSpecFile(l.href) && seen.insert(l.href).second) result.specUrls.push_back(l.href);
  return result;
}

}  // namespace cg::ingest
