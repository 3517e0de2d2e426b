// SQL DDL: statements end at a top-level `;`. The lexer understands '…' and "…" and `…`
// quoting (doubled quotes; backslash escapes in E'…' strings and in MySQL-looking scripts),
// `--` and `#`-less line comments, nested /* */ comments and PostgreSQL dollar quoting
// ($$…$$, $tag$…$tag$). Comments before a statement belong to it. Statements are packed up to
// the budget; a statement too large alone is cut by text with overlap.
#include <algorithm>
#include <cctype>

#include "ingest/chunk_packer.h"
#include "ingest/chunk_strategies.h"
#include "util/strings.h"

namespace cg::ingest::chunking {
namespace {

bool identStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool looksLikeMySql(std::string_view text) {
  std::string lower = toLower(text.substr(0, std::min<size_t>(text.size(), 1 << 20)));
  return text.find('`') != std::string_view::npos || lower.find("auto_increment") != std::string::npos ||
         lower.find("engine=") != std::string::npos || lower.find("engine =") != std::string::npos;
}

struct Statement {
  size_t begin;
  size_t end;
};

std::vector<Statement> splitStatements(std::string_view s) {
  const bool backslashEscapes = looksLikeMySql(s);
  std::vector<Statement> out;
  size_t start = 0;
  size_t i = 0;
  const size_t n = s.size();
  auto skipQuoted = [&](char quote, bool escapes) {
    ++i;
    while (i < n) {
      if (escapes && s[i] == '\\') {
        i += 2;
        continue;
      }
      if (s[i] == quote) {
        if (i + 1 < n && s[i + 1] == quote) {
          i += 2;
          continue;
        }
        ++i;
        return;
      }
      ++i;
    }
  };
  while (i < n) {
    char c = s[i];
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      size_t nl = s.find('\n', i);
      i = nl == std::string_view::npos ? n : nl + 1;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else if (c == '\'') {
      bool escapeString = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !identChar(s[i - 2]));
      skipQuoted('\'', backslashEscapes || escapeString);
    } else if (c == '"' || c == '`') {
      skipQuoted(c, false);
    } else if (c == '$' && (i == 0 || !identChar(s[i - 1]))) {
      size_t j = i + 1;
      if (j < n && identStart(s[j]))
        while (j < n && identChar(s[j])) ++j;
      if (j < n && s[j] == '$') {
        std::string_view tag = s.substr(i, j - i + 1);
        size_t close = s.find(tag, j + 1);
        i = close == std::string_view::npos ? n : close + tag.size();
      } else {
        ++i;
      }
    } else if (c == ';') {
      out.push_back({start, i + 1});
      start = ++i;
    } else {
      ++i;
    }
  }
  if (start < n && !isBlank(s.substr(start))) out.push_back({start, n});
  return out;
}

// Words of a statement with comments removed (enough to recognise the DDL head).
std::vector<std::string> headWords(std::string_view s, size_t maxWords) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size() && words.size() < maxWords) {
    char c = s[i];
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      size_t nl = s.find('\n', i);
      i = nl == std::string_view::npos ? s.size() : nl + 1;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      size_t depth = 1;
      i += 2;
      while (i < s.size() && depth > 0) {
        if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else if (c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      size_t e = s.find(close, i + 1);
      if (e == std::string_view::npos) break;
      std::string w(s.substr(i + 1, e - i - 1));
      i = e + 1;
      // qualified names: schema.table
      while (i + 1 < s.size() && s[i] == '.') {
        ++i;
        size_t b = i;
        if (s[i] == '"' || s[i] == '`' || s[i] == '[') {
          char cl = s[i] == '[' ? ']' : s[i];
          size_t e2 = s.find(cl, i + 1);
          if (e2 == std::string_view::npos) break;
          w += "." + std::string(s.substr(i + 1, e2 - i - 1));
          i = e2 + 1;
        } else {
          while (i < s.size() && (identChar(s[i]) || s[i] == '$')) ++i;
          w += "." + std::string(s.substr(b, i - b));
        }
      }
      words.push_back("\x01" + w);  // marks a quoted identifier
    } else if (identStart(c)) {
      size_t b = i;
      while (i < s.size() && (identChar(s[i]) || s[i] == '.' || s[i] == '$')) ++i;
      words.emplace_back(s.substr(b, i - b));
    } else if (c == '(' || c == ';') {
      words.emplace_back(1, c);
      ++i;
    } else {
      ++i;
    }
  }
  return words;
}

struct StatementInfo {
  std::string kind;   // e.g. "CREATE TABLE"
  std::string table;  // table/view created or altered, if any
};

StatementInfo describeStatement(std::string_view stmt) {
  StatementInfo info;
  auto words = headWords(stmt, 14);
  auto upper = [](std::string w) {
    for (auto& ch : w) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return w;
  };
  std::vector<std::string> up;
  for (const auto& w : words) up.push_back(w.starts_with("\x01") ? std::string() : upper(w));
  size_t k = 0;
  auto at = [&](size_t idx) -> const std::string& {
    static const std::string empty;
    return idx < up.size() ? up[idx] : empty;
  };
  if (up.empty()) return info;
  info.kind = up[0];
  if (at(0) == "CREATE" || at(0) == "ALTER" || at(0) == "DROP") {
    k = 1;
    if (at(k) == "OR" && at(k + 1) == "REPLACE") k += 2;
    while (at(k) == "GLOBAL" || at(k) == "LOCAL" || at(k) == "TEMP" || at(k) == "TEMPORARY" || at(k) == "UNLOGGED" ||
           at(k) == "MATERIALIZED" || at(k) == "UNIQUE" || at(k) == "DEFINER" || at(k) == "SQL")
      ++k;
    info.kind = up[0] + " " + at(k);
    bool tableLike = at(k) == "TABLE" || at(k) == "VIEW";
    ++k;
    if (at(k) == "IF" && at(k + 1) == "NOT" && at(k + 2) == "EXISTS") k += 3;
    if (at(k) == "IF" && at(k + 1) == "EXISTS") k += 2;
    if (at(k) == "ONLY") ++k;
    if (tableLike && k < words.size() && words[k] != "(" && up[0] != "DROP") {
      std::string name = words[k].starts_with("\x01") ? words[k].substr(1) : words[k];
      info.table = name;
    }
  } else if (at(0) == "INSERT" && at(1) == "INTO") {
    info.kind = "INSERT";
  }
  return info;
}

}  // namespace

bool chunkSql(const StrategyContext& ctx) {
  std::string_view text = ctx.text;
  auto statements = splitStatements(text);
  if (statements.empty()) return false;
  std::vector<StatementInfo> infos;
  std::vector<PackUnit> units;
  for (const auto& st : statements) {
    infos.push_back(describeStatement(text.substr(st.begin, st.end - st.begin)));
    PackUnit u;
    u.tokens = ctx.budget.count(text.substr(st.begin, st.end - st.begin));
    units.push_back(u);
  }
  auto fill = [&](Chunk& c, size_t i, size_t j) {
    std::vector<std::string> kinds;
    for (size_t k = i; k < j; ++k) {
      if (!infos[k].table.empty()) {
        addUnique(c.tables, infos[k].table, 100000);
        addUnique(c.tags, infos[k].table, 40);
        addUnique(c.tags, toLower(infos[k].table), 40);
      }
      addUnique(kinds, infos[k].kind.empty() ? "statement" : infos[k].kind, 8);
    }
    addUnique(c.tags, "SQL");
    size_t count = j - i;
    c.summary = "SQL " + std::to_string(count) + (count == 1 ? " statement" : " statements") + " (" +
                shortList(kinds, 4) + ")";
    if (!c.tables.empty()) c.summary += ": tables " + shortList(c.tables, 5);
    c.category = "reference_api";
  };
  PackPlan plan;
  plan.limit = ctx.budget.maxTokens * 9 / 10;
  packUnits(
      units, plan,
      [&](size_t i, size_t j) {
        size_t b = statements[i].begin;
        size_t e = statements[j - 1].end;
        trimRange(text, b, e);
        if (b >= e) return true;
        Chunk c;
        c.content = std::string(text.substr(b, e - b));
        measure(c, ctx.budget.count);
        if (c.tokenCount > ctx.budget.maxTokens) return false;
        fill(c, i, j);
        c.chunkingStrategy = "sql_statements";
        ctx.out.chunks.push_back(std::move(c));
        return true;
      },
      [&](size_t i) {
        std::string head = infos[i].kind + (infos[i].table.empty() ? "" : " " + infos[i].table);
        auto pieces = splitTextRange(text, statements[i].begin, statements[i].end, "",
                                     "-- (continued) " + head + "\n", ctx.budget);
        for (size_t k = 0; k < pieces.size(); ++k) {
          Chunk c;
          c.content = std::move(pieces[k].content);
          c.bodyOffset = pieces[k].bodyOffset;
          c.tokenCount = pieces[k].tokenCount;
          c.characterCount = codePointCount(c.content);
          c.cutMidUnit = pieces.size() > 1;
          fill(c, i, i + 1);
          if (pieces.size() > 1)
            c.summary += ", part " + std::to_string(k + 1) + " of " + std::to_string(pieces.size());
          c.chunkingStrategy = pieces.size() > 1 ? "sql_statements+text_split" : "sql_statements";
          ctx.out.chunks.push_back(std::move(c));
        }
      });
  return true;
}

}  // namespace cg::ingest::chunking
