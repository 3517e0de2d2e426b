#include "digest/prose/prose_scan.h"

#include <algorithm>

#include "util/strings.h"

namespace cg::digest::prose {
namespace {

bool isBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::size_t indentOf(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && (s[n] == ' ' || s[n] == '\t')) ++n;
  return n;
}

bool isAdornmentChar(char c) {
  static const std::string_view kChars = "=-~^\"'`#*+_:.";
  return kChars.find(c) != std::string_view::npos;
}

// A line made of one repeated punctuation character, at least 3 long, no spaces.
bool isAdornment(std::string_view s, char& ch) {
  std::string t = trim(s);
  if (t.size() < 3 || !isAdornmentChar(t[0])) return false;
  if (!std::all_of(t.begin(), t.end(), [&](char c) { return c == t[0]; })) return false;
  ch = t[0];
  return true;
}

bool isFence(std::string_view t, std::string& lang, std::string& fence) {
  if (!(startsWith(t, "```") || startsWith(t, "~~~"))) return false;
  std::size_t n = 0;
  while (n < t.size() && t[n] == t[0]) ++n;
  fence.assign(n, t[0]);
  std::string rest = trim(t.substr(n));
  std::size_t sp = rest.find_first_of(" {");
  lang = toLower(rest.substr(0, sp));
  return true;
}

std::vector<std::string> splitPipeRow(std::string_view line) {
  std::string t = trim(line);
  if (startsWith(t, "|")) t.erase(0, 1);
  if (endsWith(t, "|") && !endsWith(t, "\\|")) t.pop_back();
  std::vector<std::string> cells;
  std::string cur;
  bool inCode = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\\' && i + 1 < t.size() && t[i + 1] == '|') {
      cur.push_back('|');
      ++i;
      continue;
    }
    if (c == '`') inCode = !inCode;
    if (c == '|' && !inCode) {
      cells.push_back(trim(cur));
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  cells.push_back(trim(cur));
  return cells;
}

bool isPipeSeparator(std::string_view line) {
  std::string t = trim(line);
  if (t.find('-') == std::string::npos || t.find('|') == std::string::npos) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return c == '|' || c == '-' || c == ':' || c == ' '; });
}

bool isGridBorder(std::string_view t, char fill) {
  if (t.size() < 3 || t.front() != '+' || t.back() != '+') return false;
  return std::all_of(t.begin(), t.end(), [&](char c) { return c == '+' || c == fill; });
}

bool isSimpleTableBorder(std::string_view t) {
  if (t.size() < 3 || t.front() != '=' || t.find(' ') == std::string_view::npos) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return c == '=' || c == ' '; });
}

struct Scanner {
  ScannedDocument doc;
  std::vector<std::pair<char, bool>> rstStyles;  // adornment char, overline?
  std::vector<int> openSections;                 // stack of section indices

  int levelForStyle(char ch, bool overline) {
    for (std::size_t i = 0; i < rstStyles.size(); ++i)
      if (rstStyles[i].first == ch && rstStyles[i].second == overline) return static_cast<int>(i) + 1;
    rstStyles.emplace_back(ch, overline);
    return static_cast<int>(rstStyles.size());
  }

  int currentSection() const { return openSections.empty() ? -1 : openSections.back(); }

  void openSection(std::string title, int level, std::size_t line) {
    while (!openSections.empty() && doc.sections[openSections.back()].level >= level) openSections.pop_back();
    Section s;
    s.title = stripInlineMarkup(title);
    s.level = level;
    s.parent = currentSection();
    s.line = line;
    doc.sections.push_back(std::move(s));
    openSections.push_back(static_cast<int>(doc.sections.size()) - 1);
  }

  void addCode(std::size_t first, std::size_t end, std::string lang, bool deindent) {
    if (doc.codeBlocks.size() >= kMaxCodeBlocks || first >= end) return;
    CodeBlock b;
    b.firstLine = first;
    b.endLine = end;
    b.language = std::move(lang);
    b.section = currentSection();
    std::size_t common = std::string::npos;
    if (deindent)
      for (std::size_t i = first; i < end; ++i)
        if (!isBlank(doc.lines[i])) common = std::min(common, indentOf(doc.lines[i]));
    if (common == std::string::npos) common = 0;
    for (std::size_t i = first; i < end; ++i) {
      const std::string& l = doc.lines[i];
      b.text += l.size() > common ? l.substr(common) : std::string();
      b.text.push_back('\n');
      doc.codeBlockOfLine[i] = static_cast<int>(doc.codeBlocks.size());
    }
    doc.codeBlocks.push_back(std::move(b));
  }

  void addTable(Table t) {
    if (doc.tables.size() >= kMaxTables) return;
    t.section = currentSection();
    doc.tables.push_back(std::move(t));
  }

  // Returns the index after the RST literal block that starts after `i` (the `::` line).
  std::size_t rstLiteral(std::size_t i, std::string lang) {
    std::size_t base = indentOf(doc.lines[i]);
    std::size_t j = i + 1;
    // directive options (":linenos:") and blank lines
    while (j < doc.lines.size() && (isBlank(doc.lines[j]) ||
                                    (indentOf(doc.lines[j]) > base && startsWith(trim(doc.lines[j]), ":") &&
                                     endsWith(trim(doc.lines[j]), ":") && j == i + 1)))
      ++j;
    std::size_t first = j;
    std::size_t last = j;
    while (j < doc.lines.size()) {
      if (!isBlank(doc.lines[j])) {
        if (indentOf(doc.lines[j]) <= base) break;
        last = j + 1;
      }
      ++j;
    }
    if (last > first) addCode(first, last, std::move(lang), true);
    return std::max(last, i + 1);
  }

  std::size_t pipeTable(std::size_t i) {
    Table t;
    t.firstLine = i;
    t.header = splitPipeRow(doc.lines[i]);
    std::size_t j = i + 2;
    while (j < doc.lines.size() && trim(doc.lines[j]).find('|') != std::string::npos && !isBlank(doc.lines[j])) {
      t.rows.push_back({splitPipeRow(doc.lines[j]), j});
      ++j;
    }
    t.endLine = j;
    addTable(std::move(t));
    return j;
  }

  std::size_t gridTable(std::size_t i) {
    const std::string border = trim(doc.lines[i]);
    std::size_t indent = indentOf(doc.lines[i]);
    std::vector<std::size_t> cols;
    for (std::size_t k = 0; k < border.size(); ++k)
      if (border[k] == '+') cols.push_back(k);
    Table t;
    t.firstLine = i;
    std::vector<std::string> cur(cols.size() > 1 ? cols.size() - 1 : 0);
    std::size_t rowLine = i + 1;
    bool any = false;
    std::vector<TableRow> rows;
    bool headerDone = false;
    std::size_t j = i + 1;
    for (; j < doc.lines.size(); ++j) {
      const std::string& raw = doc.lines[j];
      std::string_view l = raw.size() > indent ? std::string_view(raw).substr(indent) : std::string_view();
      std::string tl = trim(l);
      if (tl.empty()) break;
      if (isGridBorder(tl, '-') || isGridBorder(tl, '=')) {
        if (any) {
          TableRow r;
          for (auto& c : cur) r.cells.push_back(trim(c));
          r.line = rowLine;
          if (isGridBorder(tl, '=') && !headerDone) {
            t.header = r.cells;
            headerDone = true;
          } else {
            rows.push_back(std::move(r));
          }
        }
        for (auto& c : cur) c.clear();
        any = false;
        rowLine = j + 1;
        continue;
      }
      if (tl.front() != '|') break;
      for (std::size_t c = 0; c + 1 < cols.size(); ++c) {
        std::size_t a = cols[c] + 1, b = cols[c + 1];
        if (a >= l.size()) continue;
        std::string piece = trim(l.substr(a, std::min(b, l.size()) - a));
        if (!piece.empty() && piece.back() == '|') piece = trim(std::string_view(piece).substr(0, piece.size() - 1));
        if (!piece.empty()) {
          if (!cur[c].empty()) cur[c].push_back(' ');
          cur[c] += piece;
        }
      }
      any = true;
    }
    if (!headerDone && !rows.empty()) {
      t.header = rows.front().cells;
      rows.erase(rows.begin());
    }
    t.rows = std::move(rows);
    t.endLine = j;
    addTable(std::move(t));
    return std::max(j, i + 1);
  }

  std::size_t simpleTable(std::size_t i) {
    const std::string& border = doc.lines[i];
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (std::size_t k = 0; k < border.size();) {
      if (border[k] == '=') {
        std::size_t s = k;
        while (k < border.size() && border[k] == '=') ++k;
        spans.emplace_back(s, k);
      } else {
        ++k;
      }
    }
    auto cellsOf = [&](const std::string& l) {
      std::vector<std::string> cells;
      for (std::size_t c = 0; c < spans.size(); ++c) {
        std::size_t a = spans[c].first;
        std::size_t b = c + 1 < spans.size() ? spans[c + 1].first : l.size();
        cells.push_back(a < l.size() ? trim(std::string_view(l).substr(a, std::min(b, l.size()) - a)) : std::string());
      }
      return cells;
    };
    Table t;
    t.firstLine = i;
    std::size_t j = i + 1;
    int borders = 1;
    std::vector<TableRow> body;
    for (; j < doc.lines.size() && borders < 3; ++j) {
      std::string tl = trim(doc.lines[j]);
      if (isSimpleTableBorder(tl) || (spans.size() == 1 && tl.size() >= 3 && std::all_of(tl.begin(), tl.end(), [](char c) { return c == '='; }))) {
        ++borders;
        if (borders == 2 && t.header.empty() && !body.empty()) {
          t.header = body.front().cells;
          body.clear();
        }
        continue;
      }
      if (tl.empty()) continue;
      if (indentOf(doc.lines[j]) > spans.front().first && !body.empty()) {  // continuation
        auto extra = cellsOf(doc.lines[j]);
        for (std::size_t c = 0; c < extra.size() && c < body.back().cells.size(); ++c)
          if (!extra[c].empty()) body.back().cells[c] += " " + extra[c];
        continue;
      }
      body.push_back({cellsOf(doc.lines[j]), j});
    }
    t.rows = std::move(body);
    t.endLine = j;
    addTable(std::move(t));
    return std::max(j, i + 1);
  }

  std::size_t asciidocTable(std::size_t i) {
    Table t;
    t.firstLine = i;
    std::size_t j = i + 1;
    std::vector<std::pair<std::string, std::size_t>> cells;
    std::size_t width = 0;
    for (; j < doc.lines.size(); ++j) {
      std::string tl = trim(doc.lines[j]);
      if (tl == "|===") {
        ++j;
        break;
      }
      if (tl.empty() || tl.front() != '|') {
        if (!tl.empty() && !cells.empty()) cells.back().first += " " + tl;
        continue;
      }
      auto parts = splitPipeRow(tl + "|");
      if (width == 0) width = parts.size();
      for (auto& p : parts) cells.emplace_back(std::move(p), j);
    }
    if (width > 0) {
      for (std::size_t k = 0; k + width <= cells.size(); k += width) {
        TableRow r;
        r.line = cells[k].second;
        for (std::size_t c = 0; c < width; ++c) r.cells.push_back(trim(cells[k + c].first));
        if (t.header.empty() && k == 0)
          t.header = r.cells;
        else
          t.rows.push_back(std::move(r));
      }
    }
    t.endLine = j;
    addTable(std::move(t));
    return std::max(j, i + 1);
  }

  void run(std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
      if (doc.lines.size() >= kMaxScanLines) {
        doc.truncated = true;
        break;
      }
      std::size_t nl = text.find('\n', start);
      std::string_view l = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      doc.lines.emplace_back(l);
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
    const std::size_t n = doc.lines.size();
    doc.sectionOfLine.assign(n, -1);
    doc.codeBlockOfLine.assign(n, -1);
    doc.isHeadingLine.assign(n, 0);
    std::string pendingSourceLang;
    bool pendingSource = false;
    for (std::size_t i = 0; i < n;) {
      const std::string& line = doc.lines[i];
      std::string t = trim(line);
      std::string lang, fence;
      char ch = 0, ch2 = 0;
      if (doc.codeBlockOfLine[i] >= 0) {  // already assigned (should not happen), move on
        doc.sectionOfLine[i] = currentSection();
        ++i;
        continue;
      }
      // Fenced code
      if (isFence(t, lang, fence)) {
        std::size_t j = i + 1;
        while (j < n && !startsWith(trim(doc.lines[j]), fence)) ++j;
        addCode(i + 1, j, lang, false);
        for (std::size_t k = i; k < std::min(j + 1, n); ++k) doc.sectionOfLine[k] = currentSection();
        i = std::min(j + 1, n);
        continue;
      }
      // AsciiDoc [source,lang] marker
      if (startsWith(t, "[source") || startsWith(t, "[listing") || startsWith(t, "[literal")) {
        pendingSource = true;
        std::size_t comma = t.find(',');
        pendingSourceLang = comma == std::string::npos ? "" : toLower(trim(t.substr(comma + 1, t.find_first_of(",]", comma + 1) - comma - 1)));
        doc.sectionOfLine[i] = currentSection();
        ++i;
        continue;
      }
      bool prevBlank = i == 0 || isBlank(doc.lines[i - 1]);
      bool listingDelimiter = (t.size() >= 4 && isAdornment(t, ch) && (ch == '-' || ch == '.') && pendingSource) ||
                              ((t == "----" || t == "....") && prevBlank && i + 1 < n && !isBlank(doc.lines[i + 1]));
      if (listingDelimiter) {
        std::size_t j = i + 1;
        while (j < n && trim(doc.lines[j]) != t) ++j;
        if (j < n) {
          addCode(i + 1, j, pendingSource ? pendingSourceLang : "", false);
          for (std::size_t k = i; k <= j; ++k) doc.sectionOfLine[k] = currentSection();
          pendingSource = false;
          i = j + 1;
          continue;
        }
      }
      pendingSource = false;
      // RST code directives / literal blocks
      if (startsWith(t, ".. code-block::") || startsWith(t, ".. code::") || startsWith(t, ".. sourcecode::")) {
        std::string l2 = toLower(trim(t.substr(t.find("::") + 2)));
        doc.sectionOfLine[i] = currentSection();
        std::size_t next = rstLiteral(i, l2);
        for (std::size_t k = i; k < next; ++k) doc.sectionOfLine[k] = currentSection();
        i = next;
        continue;
      }
      if (endsWith(t, "::") && !startsWith(t, "..")) {
        doc.sectionOfLine[i] = currentSection();
        std::size_t next = rstLiteral(i, "");
        for (std::size_t k = i; k < next; ++k) doc.sectionOfLine[k] = currentSection();
        i = next;
        continue;
      }
      // Headings
      if (startsWith(t, "#") && indentOf(line) == 0) {
        std::size_t k = 0;
        while (k < t.size() && t[k] == '#') ++k;
        if (k <= 6 && k < t.size() && t[k] == ' ') {
          std::string title = trim(t.substr(k));
          while (!title.empty() && title.back() == '#') title.pop_back();
          openSection(trim(title), static_cast<int>(k), i);
          doc.isHeadingLine[i] = 1;
          doc.sectionOfLine[i] = currentSection();
          ++i;
          continue;
        }
      }
      if (startsWith(t, "=") && indentOf(line) == 0) {
        std::size_t k = 0;
        while (k < t.size() && t[k] == '=') ++k;
        if (k <= 6 && k < t.size() && t[k] == ' ') {
          openSection(trim(t.substr(k)), static_cast<int>(k), i);
          doc.isHeadingLine[i] = 1;
          doc.sectionOfLine[i] = currentSection();
          ++i;
          continue;
        }
      }
      // Over+underlined title
      if (isAdornment(t, ch) && i + 2 < n && !isBlank(doc.lines[i + 1]) && isAdornment(doc.lines[i + 2], ch2) && ch == ch2 &&
          !isAdornment(doc.lines[i + 1], ch2)) {
        openSection(trim(doc.lines[i + 1]), levelForStyle(ch, true), i + 1);
        for (std::size_t k = i; k < i + 3; ++k) {
          doc.isHeadingLine[k] = 1;
          doc.sectionOfLine[k] = currentSection();
        }
        i += 3;
        continue;
      }
      // Underlined title
      if (!t.empty() && !isAdornment(t, ch) && i + 1 < n && isAdornment(doc.lines[i + 1], ch2) && indentOf(line) == 0 &&
          trim(doc.lines[i + 1]).size() + 1 >= std::min<std::size_t>(t.size(), 3) && t.front() != '|' && t.front() != '+' &&
          prevBlank) {
        openSection(t, levelForStyle(ch2, false), i);
        doc.isHeadingLine[i] = doc.isHeadingLine[i + 1] = 1;
        doc.sectionOfLine[i] = doc.sectionOfLine[i + 1] = currentSection();
        i += 2;
        continue;
      }
      // Tables
      if (t.find('|') != std::string::npos && i + 1 < n && isPipeSeparator(doc.lines[i + 1]) && !isPipeSeparator(t)) {
        std::size_t next = pipeTable(i);
        for (std::size_t k = i; k < next; ++k) doc.sectionOfLine[k] = currentSection();
        i = next;
        continue;
      }
      if (isGridBorder(t, '-')) {
        std::size_t next = gridTable(i);
        for (std::size_t k = i; k < next; ++k) doc.sectionOfLine[k] = currentSection();
        i = next;
        continue;
      }
      if (isSimpleTableBorder(t)) {
        std::size_t next = simpleTable(i);
        for (std::size_t k = i; k < next; ++k) doc.sectionOfLine[k] = currentSection();
        i = next;
        continue;
      }
      if (t == "|===") {
        std::size_t next = asciidocTable(i);
        for (std::size_t k = i; k < next; ++k) doc.sectionOfLine[k] = currentSection();
        i = next;
        continue;
      }
      doc.sectionOfLine[i] = currentSection();
      ++i;
    }
  }
};
}  // namespace

std::string stripInlineMarkup(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '*' || c == '`' || (c == '_' && (i == 0 || i + 1 == s.size() || s[i - 1] == ' ' || s[i + 1] == ' ')))
      continue;
    out.push_back(c);
  }
  return trim(out);
}

ScannedDocument scanDocument(std::string_view text) {
  Scanner s;
  s.run(text);
  return std::move(s.doc);
}

}  // namespace cg::digest::prose
