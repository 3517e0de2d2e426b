// Heading-based chunking of Markdown (ATX and setext), RST (underlined / over- and underlined
// titles, levels in order of first use) and AsciiDoc (`=` titles, also `#`), and paragraph
// chunking of everything else. Units are whole heading subtrees when they fit, otherwise a
// section's own text followed by its children; consecutive units are packed up to the budget
// with the first unit's ancestor headings repeated as a context prefix.
#include <algorithm>
#include <utility>

#include "ingest/chunk_strategies.h"
#include "util/strings.h"

namespace cg::ingest::chunking {
namespace {

constexpr size_t npos = std::string::npos;

struct Heading {
  size_t level = 0;
  std::string title;
  size_t begin = 0;  // first byte of the heading lines (overline included)
  size_t end = 0;    // byte after the heading lines
};

struct Line {
  size_t begin;
  size_t end;  // without the line break
  size_t next;
};

std::vector<Line> splitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    size_t contentEnd = end > pos && text[end - 1] == '\r' ? end - 1 : end;
    lines.push_back({pos, contentEnd, nl == std::string_view::npos ? text.size() : nl + 1});
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  return lines;
}

bool isAdornment(std::string_view line, size_t minLen) {
  std::string_view t = line;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.size() < minLen) return false;
  char c = t[0];
  static const std::string_view kChars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  if (kChars.find(c) == std::string_view::npos) return false;
  return std::all_of(t.begin(), t.end(), [c](char x) { return x == c; });
}

// Markdown/AsciiDoc fence state: ``` and ~~~ fences; AsciiDoc also ----, ...., ++++, ____, ****.
struct FenceTracker {
  bool asciidoc = false;
  std::string open;

  // Returns true if the line is inside (or delimits) a fenced block.
  bool consume(std::string_view line) {
    std::string_view t = line;
    size_t lead = 0;
    while (lead < t.size() && lead < 3 && t[lead] == ' ') ++lead;
    t.remove_prefix(lead);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    auto run = [&](char c) {
      size_t n = 0;
      while (n < t.size() && t[n] == c) ++n;
      return n;
    };
    if (!open.empty()) {
      if (open[0] == '`' || open[0] == '~') {
        size_t n = run(open[0]);
        if (n >= open.size() && n == t.size()) open.clear();
      } else if (t == open) {
        open.clear();
      }
      return true;
    }
    for (char c : {'`', '~'}) {
      size_t n = run(c);
      if (n >= 3) {
        open.assign(n, c);
        return true;
      }
    }
    if (asciidoc && t.size() >= 4 && isAdornment(t, 4) && std::string_view("-.+_*").find(t[0]) != std::string_view::npos) {
      open = std::string(t);
      return true;
    }
    return false;
  }
};

std::string cleanTitle(std::string_view s) {
  std::string t = trim(s);
  while (!t.empty() && t.back() == '#') t.pop_back();
  t = trim(t);
  if (t.size() > 200) t = t.substr(0, codePointFloor(t, 200));
  return t;
}

// ATX heading level (1-6) of a line, 0 if none; fills title.
size_t atxLevel(std::string_view line, char mark, std::string& title) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  size_t n = 0;
  while (i + n < line.size() && line[i + n] == mark) ++n;
  if (n == 0 || n > 6) return 0;
  size_t after = i + n;
  if (after < line.size() && line[after] != ' ' && line[after] != '\t') return 0;
  title = cleanTitle(line.substr(after));
  return n;
}

std::vector<Heading> findHeadings(std::string_view text, ChunkSourceKind kind) {
  std::vector<Heading> out;
  auto lines = splitLines(text);
  auto lineText = [&](size_t k) { return text.substr(lines[k].begin, lines[k].end - lines[k].begin); };
  auto blankAt = [&](size_t k) { return k >= lines.size() || isBlank(lineText(k)); };
  bool markdown = kind == ChunkSourceKind::Markdown || kind == ChunkSourceKind::HtmlMarkdown;
  bool asciidoc = kind == ChunkSourceKind::AsciiDoc;
  if (markdown || asciidoc) {
    FenceTracker fence{asciidoc, {}};
    for (size_t k = 0; k < lines.size(); ++k) {
      std::string_view line = lineText(k);
      if (fence.consume(line)) continue;
      std::string title;
      size_t level = atxLevel(line, '#', title);
      if (!level && asciidoc) level = atxLevel(line, '=', title);
      if (level && !title.empty()) {
        out.push_back({level, title, lines[k].begin, lines[k].next});
        continue;
      }
      // Setext: a one-line paragraph underlined with === or ---.
      if (markdown && k + 1 < lines.size() && !blankAt(k) && (k == 0 || blankAt(k - 1)) && line[0] != ' ' &&
          line[0] != '\t' && line[0] != '>' && line[0] != '|' && !line.starts_with("- ") && !line.starts_with("* ")) {
        std::string_view under = lineText(k + 1);
        size_t lead = 0;
        while (lead < under.size() && lead < 3 && under[lead] == ' ') ++lead;
        under.remove_prefix(lead);
        if (isAdornment(under, 2) && (under[0] == '=' || (under[0] == '-' && under.size() >= 3))) {
          out.push_back({under[0] == '=' ? 1u : 2u, cleanTitle(line), lines[k].begin, lines[k + 1].next});
          ++k;
        }
      }
    }
    return out;
  }
  if (kind == ChunkSourceKind::Rst) {
    std::vector<std::pair<char, bool>> styles;
    for (size_t k = 0; k + 1 < lines.size(); ++k) {
      std::string_view title = lineText(k);
      if (blankAt(k) || title[0] == ' ' || title[0] == '\t' || isAdornment(title, 1)) continue;
      std::string_view under = lineText(k + 1);
      if (!isAdornment(under, 3)) continue;
      std::string t = trim(title);
      if (codePointCount(trim(under)) < std::min<size_t>(codePointCount(t), 3)) continue;
      bool over = k > 0 && isAdornment(lineText(k - 1), 3) && trim(lineText(k - 1)) == trim(under);
      size_t first = over ? k - 1 : k;
      if (first > 0 && !blankAt(first - 1)) continue;
      std::pair<char, bool> style{trim(under)[0], over};
      size_t level = std::find(styles.begin(), styles.end(), style) - styles.begin();
      if (level == styles.size()) styles.push_back(style);
      out.push_back({level + 1, cleanTitle(t), lines[first].begin, lines[k + 1].next});
      ++k;
    }
  }
  return out;
}

struct Unit {
  size_t begin;
  size_t end;
  size_t tokens;
  std::vector<size_t> ancestors;  // heading indices, outermost first
  size_t heading = npos;          // the unit's own heading (npos for text before the first one)
};

bool containsAny(const std::string& lower, std::initializer_list<std::string_view> words) {
  for (auto w : words)
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

class SectionChunker {
 public:
  SectionChunker(const StrategyContext& ctx, ChunkSourceKind kind) : ctx_(ctx), kind_(kind), text_(ctx.text) {}

  void run() {
    headings_ = findHeadings(text_, kind_);
    buildUnits();
    pack();
  }

 private:
  const StrategyContext& ctx_;
  ChunkSourceKind kind_;
  std::string_view text_;
  std::vector<Heading> headings_;
  std::vector<size_t> ownTokens_;
  std::vector<Unit> units_;

  size_t count(std::string_view s) const { return s.empty() ? 0 : ctx_.budget.count(s); }
  size_t limit() const { return ctx_.budget.maxTokens * 9 / 10; }

  size_t sectionEnd(size_t k) const { return k + 1 < headings_.size() ? headings_[k + 1].begin : text_.size(); }
  size_t subtreeEndIndex(size_t k) const {
    size_t e = k + 1;
    while (e < headings_.size() && headings_[e].level > headings_[k].level) ++e;
    return e;
  }

  std::string prefixOf(const std::vector<size_t>& ancestors) const {
    std::string p;
    for (size_t a : ancestors) {
      std::string_view h = text_.substr(headings_[a].begin, headings_[a].end - headings_[a].begin);
      while (!h.empty() && (h.back() == '\n' || h.back() == '\r')) h.remove_suffix(1);
      p.append(h);
      p += '\n';
    }
    if (!p.empty()) p += '\n';
    return p;
  }

  void buildUnits() {
    size_t firstHeading = headings_.empty() ? text_.size() : headings_[0].begin;
    if (firstHeading > 0) units_.push_back({0, firstHeading, count(text_.substr(0, firstHeading)), {}, npos});
    ownTokens_.resize(headings_.size());
    for (size_t k = 0; k < headings_.size(); ++k)
      ownTokens_[k] = count(text_.substr(headings_[k].begin, sectionEnd(k) - headings_[k].begin));
    std::vector<size_t> ancestors;
    for (size_t k = 0; k < headings_.size();) k = emitNode(k, ancestors);
  }

  // Emits units for heading k's subtree; returns the index after the subtree.
  size_t emitNode(size_t k, std::vector<size_t>& ancestors) {
    size_t endIdx = subtreeEndIndex(k);
    size_t subtreeTokens = 0;
    for (size_t d = k; d < endIdx; ++d) subtreeTokens += ownTokens_[d];
    size_t spanEnd = endIdx < headings_.size() ? headings_[endIdx].begin : text_.size();
    size_t prefixTokens = count(prefixOf(ancestors));
    if (prefixTokens + subtreeTokens <= limit() || endIdx == k + 1) {
      units_.push_back({headings_[k].begin, spanEnd, subtreeTokens, ancestors, k});
      return endIdx;
    }
    units_.push_back({headings_[k].begin, sectionEnd(k), ownTokens_[k], ancestors, k});
    ancestors.push_back(k);
    for (size_t c = k + 1; c < endIdx;) c = emitNode(c, ancestors);
    ancestors.pop_back();
    return endIdx;
  }

  std::vector<std::string> pathTitles(const Unit& u) const {
    std::vector<std::string> titles;
    for (size_t a : u.ancestors) titles.push_back(headings_[a].title);
    return titles;
  }

  std::vector<size_t> headingsIn(size_t begin, size_t end) const {
    std::vector<size_t> out;
    auto it = std::lower_bound(headings_.begin(), headings_.end(), begin,
                               [](const Heading& h, size_t pos) { return h.begin < pos; });
    for (; it != headings_.end() && it->begin < end; ++it) out.push_back(static_cast<size_t>(it - headings_.begin()));
    return out;
  }

  void describe(Chunk& c, size_t i, size_t j, size_t bodyBegin, size_t bodyEnd) const {
    const Unit& first = units_[i];
    auto path = pathTitles(first);
    c.sectionPath = path;
    if (first.heading != npos) c.sectionPath.push_back(headings_[first.heading].title);
    std::string where = join(path, " > ");
    auto inBody = headingsIn(bodyBegin, bodyEnd);
    std::vector<std::string> titles;
    for (size_t h : inBody) titles.push_back("'" + headings_[h].title + "'");
    if (headings_.empty()) {
      std::string_view body = text_.substr(bodyBegin, bodyEnd - bodyBegin);
      std::string firstLine = trim(body.substr(0, body.find('\n')));
      if (firstLine.size() > 80) firstLine = firstLine.substr(0, codePointFloor(firstLine, 80)) + "…";
      c.summary = "Text: " + firstLine;
    } else if (titles.empty()) {
      c.summary = first.heading == npos ? "Text before the first heading"
                                        : "Section '" + headings_[first.heading].title + "' (continued)";
      if (!where.empty()) c.summary += " (" + where + ")";
    } else {
      c.summary = (titles.size() == 1 ? "Section " : "Sections ") + shortList(titles, 3);
      if (!where.empty()) c.summary += " (" + where + ")";
    }
    (void)j;
    // Structure-derived tags and category.
    std::string_view body = std::string_view(c.content).substr(c.bodyOffset);
    auto endpoints = findEndpointMentions(body);
    c.numEndpoints = endpoints.count;
    for (const auto& r : endpoints.resources) addUnique(c.tags, r, 40);
    std::string titleText = toLower(join(c.sectionPath, " ") + " " + join(titles, " "));
    std::string lowerBody = toLower(body.substr(0, std::min<size_t>(body.size(), 20000)));
    if (containsAny(titleText, {"auth", "oauth", "token", "security", "login", "credential"}) ||
        containsAny(lowerBody, {"authentication", "authorization:", "oauth", "api key", "bearer "}))
      addUnique(c.tags, "authentication");
    if (lowerBody.find("scim") != std::string::npos) addUnique(c.tags, "SCIM");
    if (c.numEndpoints > 0) {
      addUnique(c.tags, "endpoints");
      addUnique(c.tags, "REST");
    }
    if (c.numEndpoints > 0)
      c.category = "reference_api";
    else if (containsAny(titleText, {"tutorial", "getting started", "quickstart", "quick start", "how to", "walkthrough",
                                     "step by step", "guide"}))
      c.category = "tutorial";
    else if (containsAny(titleText, {"overview", "introduction", "about", "concepts", "authentication", "authorization"}))
      c.category = "overview";
    else if (kind_ == ChunkSourceKind::Csv || kind_ == ChunkSourceKind::Xml ||
             containsAny(lowerBody, {"```", "parameter", "attribute", "status code", "response", "request", "::\n"}))
      c.category = "reference_other";
    else
      c.category = "other";
  }

  void pack() {
    const size_t maxTokens = ctx_.budget.maxTokens;
    std::string strategy = headings_.empty() ? "paragraphs" : "sections";
    size_t i = 0;
    while (i < units_.size()) {
      std::string prefix = prefixOf(units_[i].ancestors);
      size_t prefixTokens = count(prefix);
      if (prefixTokens > maxTokens / 3) prefix.clear(), prefixTokens = 0;
      size_t estimate = prefixTokens + units_[i].tokens;
      size_t j = i + 1;
      while (j < units_.size() && estimate + units_[j].tokens <= limit()) estimate += units_[j++].tokens;
      while (true) {
        size_t b = units_[i].begin;
        size_t e = units_[j - 1].end;
        trimRange(text_, b, e);
        if (b >= e) break;  // whitespace only
        if (estimate <= maxTokens || j - i > 1) {
          Chunk c;
          c.content.reserve(prefix.size() + (e - b));
          c.content = prefix;
          c.bodyOffset = c.content.size();
          c.content.append(text_.substr(b, e - b));
          measure(c, ctx_.budget.count);
          if (c.tokenCount <= maxTokens) {
            describe(c, i, j, b, e);
            c.chunkingStrategy = strategy;
            ctx_.out.chunks.push_back(std::move(c));
            break;
          }
          if (j - i > 1) {
            j = i + std::max<size_t>(1, (j - i) * 3 / 4);
            estimate = 0;  // re-checked exactly
            continue;
          }
        }
        splitUnit(i, prefix, strategy);
        break;
      }
      i = j;
    }
  }

  void splitUnit(size_t i, const std::string& prefix, const std::string& strategy) {
    const Unit& u = units_[i];
    std::string later = prefix;
    if (u.heading != npos) {
      std::vector<size_t> withOwn = u.ancestors;
      withOwn.push_back(u.heading);
      later = prefixOf(withOwn);
    } else if (kind_ == ChunkSourceKind::Csv) {
      size_t b = u.begin, e = u.end;
      trimRange(text_, b, e);
      std::string_view rest = text_.substr(b, e - b);
      later = std::string(rest.substr(0, rest.find('\n'))) + "\n";
    }
    auto pieces = splitTextRange(text_, u.begin, u.end, prefix, later, ctx_.budget);
    for (size_t k = 0; k < pieces.size(); ++k) {
      Chunk c;
      c.content = std::move(pieces[k].content);
      c.bodyOffset = pieces[k].bodyOffset;
      c.tokenCount = pieces[k].tokenCount;
      c.characterCount = codePointCount(c.content);
      c.cutMidUnit = pieces.size() > 1;
      describe(c, i, i + 1, pieces[k].begin, pieces[k].end);
      if (pieces.size() > 1) c.summary += ", part " + std::to_string(k + 1) + " of " + std::to_string(pieces.size());
      c.chunkingStrategy = strategy + (pieces.size() > 1 ? "+text_split" : "");
      ctx_.out.chunks.push_back(std::move(c));
    }
  }
};

}  // namespace

void chunkSections(const StrategyContext& ctx, ChunkSourceKind kind) { SectionChunker(ctx, kind).run(); }

}  // namespace cg::ingest::chunking
