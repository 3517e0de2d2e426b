#include "digest/sql/ddl_parser.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "digest/sql/ddl_lexer.h"
#include "util/strings.h"

namespace cg::digest::sql {
namespace {

struct QualifiedName {
  std::string schema;
  std::string name;
  bool valid() const { return !name.empty(); }
};

bool containsCi(const std::vector<std::string>& list, std::string_view value) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& x) { return iequals(x, value); });
}

void addUniqueCi(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && !containsCi(list, value)) list.push_back(value);
}

// Renders tokens back to normalised SQL text (for types and default expressions).
std::string renderTokens(const std::vector<Token>& t, size_t a, size_t b) {
  std::string out;
  const Token* prev = nullptr;
  for (size_t k = a; k < b && k < t.size(); ++k) {
    const Token& tok = t[k];
    std::string piece;
    switch (tok.kind) {
      case TokenKind::String: {
        piece = "'";
        for (char c : tok.text) {
          piece.push_back(c);
          if (c == '\'') piece.push_back('\'');
        }
        piece += "'";
        break;
      }
      case TokenKind::QuotedIdentifier:
        piece = "\"" + tok.text + "\"";
        break;
      default:
        piece = tok.text;
    }
    bool glue = prev && (tok.isSymbol("(") || tok.isSymbol(")") || tok.isSymbol(",") || tok.isSymbol(".") ||
                         tok.isSymbol("::") || tok.isSymbol("[") || tok.isSymbol("]") || prev->isSymbol("(") ||
                         prev->isSymbol(".") || prev->isSymbol("::") || prev->isSymbol("["));
    if (tok.isSymbol("(") && prev && (prev->isIdentifier())) glue = true;
    if (prev && prev->isSymbol(",")) glue = false;
    if (!out.empty() && !glue) out.push_back(' ');
    out += piece;
    prev = &tok;
    if (out.size() > 4096) break;
  }
  return out;
}

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, SqlSchema& out, const std::string& docId, const DdlParseOptions& options)
      : t_(tokens), out_(out), docId_(docId), opt_(options) {
    for (size_t i = 0; i < out_.tables.size(); ++i) indexTable(i);
  }

  void run() {
    size_t i = 0;
    while (i < t_.size() && t_[i].kind != TokenKind::End) {
      size_t j = i;
      while (j < t_.size() && t_[j].kind != TokenKind::Terminator && t_[j].kind != TokenKind::End) ++j;
      if (j > i) statement(i, j);
      i = (j < t_.size() && t_[j].kind == TokenKind::Terminator) ? j + 1 : j;
    }
  }

 private:
  // ------------------------------------------------------------------ token helpers
  const Token& tok(size_t k) const {
    static const Token end;
    return k < end_ ? t_[k] : end;
  }
  bool word(size_t k, std::string_view w) const { return tok(k).isWord(w); }
  bool sym(size_t k, std::string_view s) const { return tok(k).isSymbol(s); }

  // Index just past the balanced group opening at k ('(' or '['); end_ when unbalanced or too deep.
  size_t skipGroup(size_t k) const {
    if (!sym(k, "(") && !sym(k, "[")) return k + 1;
    size_t depth = 0;
    for (size_t p = k; p < end_; ++p) {
      if (t_[p].isSymbol("(") || t_[p].isSymbol("[")) {
        if (++depth > opt_.maxDepth) return end_;
      } else if (t_[p].isSymbol(")") || t_[p].isSymbol("]")) {
        if (depth == 0) return p + 1;
        if (--depth == 0) return p + 1;
      }
    }
    return end_;
  }

  // Splits [a, b) at commas of depth 0.
  std::vector<std::pair<size_t, size_t>> splitTopLevel(size_t a, size_t b) const {
    std::vector<std::pair<size_t, size_t>> parts;
    size_t start = a;
    size_t p = a;
    while (p < b) {
      if (sym(p, "(") || sym(p, "[")) {
        p = std::min(skipGroup(p), b);
        continue;
      }
      if (sym(p, ",")) {
        parts.emplace_back(start, p);
        start = p + 1;
      }
      ++p;
    }
    if (start < b) parts.emplace_back(start, b);
    return parts;
  }

  // ident ('.' ident)*; keeps the last two parts. Advances k.
  QualifiedName qualifiedName(size_t& k, size_t limit) const {
    QualifiedName q;
    std::vector<std::string> parts;
    while (k < limit && tok(k).isIdentifier()) {
      parts.push_back(tok(k).text);
      ++k;
      if (k < limit && sym(k, ".")) {
        ++k;
        while (k < limit && sym(k, ".")) {  // SQL Server db..table
          parts.emplace_back();
          ++k;
        }
        continue;
      }
      break;
    }
    if (parts.empty()) return q;
    q.name = parts.back();
    if (parts.size() >= 2) q.schema = parts[parts.size() - 2];
    return q;
  }

  // "(" col [ASC|DESC|(n)|COLLATE x] , ... ")" starting at k; returns names; k advanced past ')'.
  std::vector<std::string> columnList(size_t& k, size_t limit) const {
    std::vector<std::string> cols;
    if (!sym(k, "(")) return cols;
    size_t close = std::min(skipGroup(k), limit);
    size_t inner = close > 0 ? close - 1 : close;
    for (auto [a, b] : splitTopLevel(k + 1, inner)) {
      if (a < b && tok(a).isIdentifier()) cols.push_back(tok(a).text);
    }
    k = close;
    return cols;
  }

  void diag(Diagnostic::Severity severity, size_t k, std::string message) {
    if (out_.diagnostics.size() >= 500) return;
    Diagnostic d;
    d.severity = severity;
    d.docId = docId_;
    d.location = "line " + std::to_string(tok(k).line);
    d.message = std::move(message);
    out_.diagnostics.push_back(std::move(d));
  }

  // ------------------------------------------------------------------ statements
  void statement(size_t a, size_t b) {
    end_ = b;
    ++out_.statements;
    size_t k = a;
    if (word(k, "CREATE")) {
      ++k;
      createStatement(k);
      return;
    }
    if (word(k, "ALTER") && word(k + 1, "TABLE")) {
      alterTable(k + 2);
      return;
    }
    if (word(k, "ALTER") && word(k + 1, "SESSION") && word(k + 2, "SET") && word(k + 3, "CURRENT_SCHEMA")) {
      size_t p = k + 4;
      if (sym(p, "=")) ++p;
      if (tok(p).isIdentifier()) addUniqueCi(out_.searchPath, tok(p).text);
      return;
    }
    if (word(k, "USE") && tok(k + 1).isIdentifier()) {
      if (out_.databaseName.empty()) out_.databaseName = tok(k + 1).text;
      return;
    }
    if (word(k, "SET")) {
      setStatement(k + 1);
      return;
    }
    if (word(k, "COMMENT") && word(k + 1, "ON")) {
      commentOn(k + 2);
      return;
    }
    ++out_.skippedStatements;
  }

  void setStatement(size_t k) {
    if (word(k, "SESSION") || word(k, "LOCAL")) ++k;
    bool searchPath = word(k, "SEARCH_PATH");
    bool schema = word(k, "SCHEMA");
    if (!searchPath && !schema) {
      ++out_.skippedStatements;
      return;
    }
    ++k;
    if (word(k, "TO") || sym(k, "=")) ++k;
    for (; k < end_; ++k) {
      const Token& x = tok(k);
      if (x.kind == TokenKind::String) {
        for (auto& part : split(x.text, ',', true)) addUniqueCi(out_.searchPath, trim(part));
      } else if (x.isIdentifier()) {
        addUniqueCi(out_.searchPath, x.text);
      }
    }
  }

  void createStatement(size_t k) {
    bool temporary = false;
    // Modifiers between CREATE and the object kind.
    for (size_t guard = 0; guard < 32 && k < end_; ++guard) {
      if (word(k, "OR") && (word(k + 1, "REPLACE") || word(k + 1, "ALTER"))) {
        k += 2;
      } else if (word(k, "TEMPORARY") || word(k, "TEMP") || word(k, "VOLATILE")) {
        temporary = true;
        ++k;
      } else if (word(k, "GLOBAL") || word(k, "LOCAL") || word(k, "UNLOGGED") || word(k, "MULTISET") ||
                 word(k, "CACHED") || word(k, "MEMORY") || word(k, "FORCE") || word(k, "NOFORCE") ||
                 word(k, "EDITIONABLE") || word(k, "NONEDITIONABLE") || word(k, "MATERIALIZED") ||
                 word(k, "RECURSIVE") || word(k, "TRANSIENT") || word(k, "SHARDED") || word(k, "DUPLICATED") ||
                 word(k, "PRIVATE") || word(k, "BLOCKCHAIN") || word(k, "IMMUTABLE") || word(k, "TEXT")) {
        ++k;
      } else if ((word(k, "DEFINER") || word(k, "ALGORITHM")) && sym(k + 1, "=")) {
        k += 3;
        while (k < end_ && (sym(k, "@") || tok(k).kind == TokenKind::String || tok(k).isIdentifier()) &&
               !word(k, "VIEW") && !word(k, "SQL")) {
          ++k;
        }
      } else if (word(k, "SQL") && word(k + 1, "SECURITY")) {
        k += 3;
      } else {
        break;
      }
    }
    if (word(k, "TABLE")) {
      createTable(k + 1, temporary);
    } else if (word(k, "VIEW")) {
      createView(k + 1);
    } else if (word(k, "DATABASE")) {
      size_t p = k + 1;
      if (word(p, "IF") && word(p + 1, "NOT") && word(p + 2, "EXISTS")) p += 3;
      if (tok(p).isIdentifier() && out_.databaseName.empty()) out_.databaseName = tok(p).text;
    } else if (word(k, "SCHEMA")) {
      size_t p = k + 1;
      if (word(p, "IF") && word(p + 1, "NOT") && word(p + 2, "EXISTS")) p += 3;
      if (word(p, "AUTHORIZATION")) ++p;
      if (tok(p).isIdentifier()) addUniqueCi(out_.schemaNames, tok(p).text);
    } else {
      ++out_.skippedStatements;
    }
  }

  void createView(size_t k) {
    if (word(k, "IF") && word(k + 1, "NOT") && word(k + 2, "EXISTS")) k += 3;
    QualifiedName q = qualifiedName(k, end_);
    if (!q.valid()) return;
    SqlView v;
    v.schema = q.schema;
    v.name = q.name;
    v.docId = docId_;
    v.line = tok(k > 0 ? k - 1 : 0).line;
    out_.views.push_back(v);
    diag(Diagnostic::Severity::Info, k > 0 ? k - 1 : 0, "view '" + q.name + "' is not a table; it is not an object class");
  }

  static std::string exactKey(const std::string& schema, const std::string& name) {
    return toLower(schema) + '\x1f' + toLower(name);
  }
  void indexTable(size_t i) {
    exact_.emplace(exactKey(out_.tables[i].schema, out_.tables[i].name), i);
    byName_.emplace(toLower(out_.tables[i].name), i);  // first table of that name wins
  }

  SqlTable* tableFor(const QualifiedName& q, bool create, size_t statementToken) {
    // Exact (schema, name) first; an unqualified reference matches any schema.
    if (auto it = exact_.find(exactKey(q.schema, q.name)); it != exact_.end()) return &out_.tables[it->second];
    if (!create) {
      auto it = byName_.find(toLower(q.name));
      if (it == byName_.end()) return nullptr;
      SqlTable& candidate = out_.tables[it->second];
      if (q.schema.empty() || candidate.schema.empty()) return &candidate;
      return out_.findTable(q.schema, q.name) ? out_.findTable(q.schema, q.name) : &candidate;
    }
    if (out_.tables.size() >= opt_.maxTables) {
      diag(Diagnostic::Severity::Warning, statementToken, "table limit reached; table '" + q.name + "' ignored");
      return nullptr;
    }
    SqlTable table;
    table.schema = q.schema;
    table.name = q.name;
    table.docId = docId_;
    table.docIds.push_back(docId_);
    table.line = tok(statementToken).line;
    out_.tables.push_back(std::move(table));
    indexTable(out_.tables.size() - 1);
    return &out_.tables.back();
  }

  void createTable(size_t k, bool temporary) {
    size_t statementToken = k > 0 ? k - 1 : 0;
    if (word(k, "IF") && word(k + 1, "NOT") && word(k + 2, "EXISTS")) k += 3;
    QualifiedName q = qualifiedName(k, end_);
    if (!q.valid()) {
      diag(Diagnostic::Severity::Warning, statementToken, "CREATE TABLE without a readable table name skipped");
      return;
    }
    if (!sym(k, "(")) {
      diag(Diagnostic::Severity::Info, statementToken,
           "table '" + q.name + "' is defined without a column list (AS SELECT / LIKE / OF); its columns are unknown");
      SqlTable* table = tableFor(q, true, statementToken);
      if (table) table->temporary = temporary;
      return;
    }
    SqlTable* table = tableFor(q, true, statementToken);
    if (!table) return;
    table->temporary = table->temporary || temporary;
    if (!containsCi(table->docIds, docId_)) table->docIds.push_back(docId_);
    size_t close = skipGroup(k);
    size_t innerEnd = close > k && close <= end_ && sym(close - 1, ")") ? close - 1 : close;
    if (innerEnd == close) diag(Diagnostic::Severity::Warning, statementToken, "column list of table '" + q.name + "' is not closed");
    for (auto [a, b] : splitTopLevel(k + 1, innerEnd)) tableElement(*table, a, b);
    tableOptions(*table, close);
    finalize(*table);
  }

  void tableOptions(SqlTable& table, size_t k) {
    for (; k < end_; ++k) {
      if (word(k, "COMMENT")) {
        size_t p = k + 1;
        if (sym(p, "=")) ++p;
        if (tok(p).kind == TokenKind::String) table.comment = tok(p).text;
      }
    }
  }

  bool startsTableConstraint(size_t a, size_t b) const {
    if (word(a, "CONSTRAINT") || word(a, "EXCLUDE") || word(a, "FULLTEXT") || word(a, "SPATIAL") || word(a, "LIKE")) {
      return true;
    }
    if ((word(a, "PRIMARY") || word(a, "FOREIGN")) && word(a + 1, "KEY")) return true;
    if (word(a, "CHECK") && sym(a + 1, "(")) return true;
    if (word(a, "PERIOD") && word(a + 1, "FOR")) return true;
    if (word(a, "UNIQUE")) return true;
    if (word(a, "KEY") || word(a, "INDEX")) return a + 1 < b && (sym(a + 1, "(") || tok(a + 1).isIdentifier());
    return false;
  }

  void tableElement(SqlTable& table, size_t a, size_t b) {
    if (a >= b) return;
    if (startsTableConstraint(a, b)) {
      tableConstraint(table, a, b);
      return;
    }
    if (!tok(a).isIdentifier()) return;
    if (table.columns.size() >= opt_.maxColumnsPerTable) {
      if (table.columns.size() == opt_.maxColumnsPerTable) {
        diag(Diagnostic::Severity::Warning, a, "column limit reached in table '" + table.name + "'");
      }
      return;
    }
    SqlColumn column = columnDefinition(table, a, b);
    if (SqlColumn* existing = table.findColumn(column.name)) {
      (void)existing;  // a repeated definition (e.g. the same table in two documents): first wins
      return;
    }
    table.columns.push_back(std::move(column));
  }

  // ------------------------------------------------------------------ columns
  static bool isTypeContinuation(const std::string& prevUpper, const std::string& baseFirst, const Token& x) {
    if (x.kind != TokenKind::Word) return false;
    const std::string& w = x.upper;
    if (w == "PRECISION") return prevUpper == "DOUBLE";
    if (w == "VARYING") {
      return prevUpper == "CHARACTER" || prevUpper == "CHAR" || prevUpper == "BIT" || prevUpper == "NCHAR" ||
             prevUpper == "BINARY" || prevUpper == "VARCHAR";
    }
    if (w == "WITH" || w == "WITHOUT") return baseFirst == "TIMESTAMP" || baseFirst == "TIME";
    if (w == "LOCAL") return prevUpper == "WITH";
    if (w == "TIME") return prevUpper == "WITH" || prevUpper == "WITHOUT" || prevUpper == "LOCAL";
    if (w == "ZONE") return prevUpper == "TIME";
    if (w == "UNSIGNED" || w == "SIGNED" || w == "ZEROFILL") return true;
    if (w == "LARGE") return prevUpper == "CHARACTER" || prevUpper == "CHAR" || prevUpper == "BINARY" || prevUpper == "NATIONAL";
    if (w == "OBJECT") return prevUpper == "LARGE";
    if (w == "CHARACTER" || w == "CHAR") return prevUpper == "NATIONAL";
    if (w == "RAW" || w == "VARCHAR" || w == "VARBINARY") return prevUpper == "LONG";
    if (baseFirst == "INTERVAL") {
      return w == "YEAR" || w == "MONTH" || w == "DAY" || w == "HOUR" || w == "MINUTE" || w == "SECOND" || w == "TO";
    }
    return false;
  }

  // Parses the type at k (limit b) into column; returns the index after the type.
  size_t columnType(SqlColumn& column, size_t k, size_t b) {
    if (k >= b || !tok(k).isIdentifier()) return k;
    // A column without a type (SQLite) directly followed by a constraint keyword.
    static const char* kConstraintWords[] = {"NOT", "NULL", "PRIMARY", "UNIQUE", "REFERENCES", "DEFAULT", "CHECK",
                                             "CONSTRAINT", "GENERATED", "COLLATE", "AS", "IDENTITY", "COMMENT"};
    if (tok(k).kind == TokenKind::Word) {
      for (const char* w : kConstraintWords) {
        if (tok(k).upper == w) return k;
      }
    }
    size_t start = k;
    std::vector<std::string> words;
    std::string prev;
    std::string first = tok(k).kind == TokenKind::Word ? tok(k).upper : toUpperAscii(tok(k).text);
    words.push_back(first);
    prev = first;
    ++k;
    // Schema-qualified user types: public.my_enum.
    while (k + 1 < b && sym(k, ".") && tok(k + 1).isIdentifier()) {
      words.back() += "." + (tok(k + 1).kind == TokenKind::Word ? tok(k + 1).upper : tok(k + 1).text);
      k += 2;
    }
    while (k < b) {
      if (sym(k, "(")) {
        size_t close = std::min(skipGroup(k), b);
        size_t inner = close > 0 && sym(close - 1, ")") ? close - 1 : close;
        for (auto [pa, pb] : splitTopLevel(k + 1, inner)) column.typeParameters.push_back(renderTokens(t_, pa, pb));
        k = close;
        continue;
      }
      if (sym(k, "[")) {
        column.array = true;
        k = std::min(skipGroup(k), b);
        continue;
      }
      if (word(k, "ARRAY")) {
        column.array = true;
        ++k;
        if (sym(k, "[")) k = std::min(skipGroup(k), b);
        continue;
      }
      if (isTypeContinuation(prev, first, tok(k))) {
        prev = tok(k).upper;
        words.push_back(prev);
        ++k;
        continue;
      }
      break;
    }
    column.baseType = join(words, " ");
    column.type = renderTokens(t_, start, k);
    if (first == "SERIAL" || first == "BIGSERIAL" || first == "SMALLSERIAL" || first == "SERIAL2" ||
        first == "SERIAL4" || first == "SERIAL8") {
      column.autoIncrement = true;
    }
    return k;
  }

  static std::string toUpperAscii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  static bool isColumnConstraintStart(const Token& x) {
    static const char* kStops[] = {"NOT",     "NULL",      "PRIMARY", "UNIQUE",         "REFERENCES", "CHECK",
                                   "CONSTRAINT", "GENERATED", "COLLATE", "COMMENT",      "AUTO_INCREMENT",
                                   "AUTOINCREMENT", "IDENTITY", "ON",    "KEY",          "DEFAULT",
                                   "CHARACTER", "CHARSET",   "ENABLE",  "DISABLE",       "VISIBLE", "INVISIBLE"};
    if (x.kind != TokenKind::Word) return false;
    for (const char* w : kStops) {
      if (x.upper == w) return true;
    }
    return false;
  }

  // Index after a default/ON UPDATE expression starting at k.
  size_t expressionEnd(size_t k, size_t b) const {
    bool firstToken = true;
    while (k < b) {
      if (!firstToken && isColumnConstraintStart(tok(k))) break;
      if (sym(k, "(") || sym(k, "[")) {
        k = std::min(skipGroup(k), b);
      } else {
        ++k;
      }
      firstToken = false;
    }
    return k;
  }

  std::string referentialAction(size_t& k, size_t b) const {
    std::string action;
    if (word(k, "CASCADE") || word(k, "RESTRICT")) {
      action = tok(k).upper;
      ++k;
    } else if (word(k, "NO") && word(k + 1, "ACTION")) {
      action = "NO ACTION";
      k += 2;
    } else if (word(k, "SET") && (word(k + 1, "NULL") || word(k + 1, "DEFAULT"))) {
      action = "SET " + tok(k + 1).upper;
      k += 2;
    }
    (void)b;
    return action;
  }

  // REFERENCES qname [(cols)] [MATCH x] [ON DELETE a] [ON UPDATE a]; k at the word after REFERENCES.
  size_t referencesClause(SqlForeignKey& fk, size_t k, size_t b) {
    QualifiedName q = qualifiedName(k, b);
    fk.referencedSchema = q.schema;
    fk.referencedTable = q.name;
    if (sym(k, "(")) fk.referencedColumns = columnList(k, b);
    for (size_t guard = 0; guard < 8 && k < b; ++guard) {
      if (word(k, "MATCH")) {
        k += 2;
      } else if (word(k, "ON") && word(k + 1, "DELETE")) {
        k += 2;
        fk.onDelete = referentialAction(k, b);
      } else if (word(k, "ON") && word(k + 1, "UPDATE")) {
        k += 2;
        fk.onUpdate = referentialAction(k, b);
      } else {
        break;
      }
    }
    return k;
  }

  SqlColumn columnDefinition(SqlTable& table, size_t a, size_t b) {
    SqlColumn column;
    column.name = tok(a).text;
    size_t k = a + 1;
    if (word(k, "AS") && sym(k + 1, "(")) {  // SQL Server computed column without a type
      column.computed = true;
    } else {
      k = columnType(column, k, b);
    }
    applyColumnConstraints(table, column, k, b);
    return column;
  }

  void applyColumnConstraints(SqlTable& table, SqlColumn& column, size_t k, size_t b) {
    while (k < b) {
      const Token& x = tok(k);
      if (x.kind != TokenKind::Word) {
        k = (sym(k, "(") || sym(k, "[")) ? std::min(skipGroup(k), b) : k + 1;
        continue;
      }
      const std::string& w = x.upper;
      if (w == "CONSTRAINT") {
        k += 2;
      } else if (w == "NOT" && word(k + 1, "NULL")) {
        column.nullable = false;
        k += 2;
      } else if (w == "NOT") {
        k += 2;  // NOT DEFERRABLE, NOT FOR REPLICATION, NOT ENFORCED
      } else if (w == "NULL") {
        column.nullable = true;
        ++k;
      } else if (w == "DEFAULT" || (w == "WITH" && word(k + 1, "DEFAULT"))) {
        if (w == "WITH") ++k;
        size_t e = expressionEnd(k + 1, b);
        column.defaultValue = renderTokens(t_, k + 1, e);
        std::string upper = toUpperAscii(*column.defaultValue);
        if (upper.find("NEXTVAL") != std::string::npos || upper.find("NEXT VALUE FOR") != std::string::npos ||
            upper.find(".NEXTVAL") != std::string::npos) {
          column.autoIncrement = true;
        }
        k = e;
      } else if (w == "PRIMARY" && word(k + 1, "KEY")) {
        column.primaryKey = true;
        column.nullable = false;
        if (!containsCi(table.primaryKey, column.name)) table.primaryKey.push_back(column.name);
        k += 2;
      } else if (w == "KEY") {  // MySQL shorthand for PRIMARY KEY
        column.primaryKey = true;
        column.nullable = false;
        if (!containsCi(table.primaryKey, column.name)) table.primaryKey.push_back(column.name);
        ++k;
      } else if (w == "UNIQUE") {
        column.unique = true;
        ++k;
        if (word(k, "KEY") || word(k, "INDEX")) ++k;
      } else if (w == "REFERENCES") {
        SqlForeignKey fk;
        fk.columns.push_back(column.name);
        k = referencesClause(fk, k + 1, b);
        if (!fk.referencedTable.empty()) table.foreignKeys.push_back(std::move(fk));
      } else if (w == "CHECK") {
        ++k;
        if (sym(k, "(")) k = std::min(skipGroup(k), b);
      } else if (w == "GENERATED") {
        size_t p = k + 1;
        bool identity = false;
        while (p < b && !word(p, "AS")) ++p;  // ALWAYS | BY DEFAULT [ON NULL]
        if (word(p, "AS") && word(p + 1, "IDENTITY")) identity = true;
        if (word(p, "AS") && word(p + 1, "ROW")) column.computed = true;  // temporal period columns
        if (identity) {
          column.autoIncrement = true;
          p += 2;
          if (sym(p, "(")) p = std::min(skipGroup(p), b);
        } else if (word(p, "AS") && sym(p + 1, "(")) {
          column.computed = true;
          p = std::min(skipGroup(p + 1), b);
        } else {
          p = std::max(p, k + 1);
        }
        k = p;
      } else if (w == "AS" && sym(k + 1, "(")) {  // MySQL generated column
        column.computed = true;
        k = std::min(skipGroup(k + 1), b);
      } else if (w == "AUTO_INCREMENT" || w == "AUTOINCREMENT" || w == "SERIAL") {
        column.autoIncrement = true;
        ++k;
      } else if (w == "IDENTITY") {
        column.autoIncrement = true;
        ++k;
        if (sym(k, "(")) k = std::min(skipGroup(k), b);
      } else if (w == "COLLATE" || w == "CHARSET") {
        k += 2;
      } else if (w == "CHARACTER" && word(k + 1, "SET")) {
        k += 3;
      } else if (w == "COMMENT") {
        if (tok(k + 1).kind == TokenKind::String) column.comment = tok(k + 1).text;
        k += 2;
      } else if (w == "ON" && word(k + 1, "UPDATE")) {
        k = expressionEnd(k + 2, b);
      } else {
        ++k;
        if (sym(k, "(")) k = std::min(skipGroup(k), b);
      }
    }
  }

  // ------------------------------------------------------------------ table constraints
  void tableConstraint(SqlTable& table, size_t a, size_t b) {
    size_t k = a;
    std::string constraintName;
    if (word(k, "CONSTRAINT")) {
      if (tok(k + 1).isIdentifier() && !word(k + 1, "PRIMARY") && !word(k + 1, "UNIQUE") &&
          !word(k + 1, "FOREIGN") && !word(k + 1, "CHECK")) {
        constraintName = tok(k + 1).text;
        k += 2;
      } else {
        ++k;
      }
    }
    auto skipToParen = [&](size_t p) {
      while (p < b && !sym(p, "(")) ++p;
      return p;
    };
    if (word(k, "PRIMARY") && word(k + 1, "KEY")) {
      size_t p = skipToParen(k + 2);
      for (const auto& c : columnList(p, b)) {
        if (!containsCi(table.primaryKey, c)) table.primaryKey.push_back(c);
      }
    } else if (word(k, "UNIQUE")) {
      size_t p = skipToParen(k + 1);
      auto cols = columnList(p, b);
      if (!cols.empty()) table.uniqueKeys.push_back(std::move(cols));
    } else if (word(k, "FOREIGN") && word(k + 1, "KEY")) {
      size_t p = skipToParen(k + 2);
      SqlForeignKey fk;
      fk.name = constraintName;
      fk.columns = columnList(p, b);
      while (p < b && !word(p, "REFERENCES")) ++p;
      if (word(p, "REFERENCES")) referencesClause(fk, p + 1, b);
      if (!fk.columns.empty() && !fk.referencedTable.empty()) table.foreignKeys.push_back(std::move(fk));
    }
    // CHECK, KEY/INDEX, EXCLUDE, LIKE, PERIOD: nothing the model needs.
  }

  void finalize(SqlTable& table) {
    for (const auto& c : table.primaryKey) {
      if (SqlColumn* col = table.findColumn(c)) {
        col->primaryKey = true;
        col->nullable = false;
      }
    }
    for (const auto& key : table.uniqueKeys) {
      if (key.size() == 1) {
        if (SqlColumn* col = table.findColumn(key[0])) col->unique = true;
      }
    }
  }

  // ------------------------------------------------------------------ ALTER TABLE / COMMENT ON
  void alterTable(size_t k) {
    size_t statementToken = k > 0 ? k - 1 : 0;
    if (word(k, "IF") && word(k + 1, "EXISTS")) k += 2;
    if (word(k, "ONLY")) ++k;
    QualifiedName q = qualifiedName(k, end_);
    if (!q.valid()) return;
    SqlTable* table = tableFor(q, false, statementToken);
    if (!table) {
      diag(Diagnostic::Severity::Warning, statementToken, "ALTER TABLE of unknown table '" + q.name + "' ignored");
      return;
    }
    if (!containsCi(table->docIds, docId_)) table->docIds.push_back(docId_);
    for (auto [a, b] : splitTopLevel(k, end_)) alterAction(*table, a, b);
    finalize(*table);
  }

  void alterAction(SqlTable& table, size_t a, size_t b) {
    size_t k = a;
    if (word(k, "ADD")) {
      ++k;
      if (word(k, "COLUMN")) ++k;
      if (word(k, "IF") && word(k + 1, "NOT") && word(k + 2, "EXISTS")) k += 3;
      if (sym(k, "(")) {  // Oracle/MySQL: ADD (col type, col type)
        size_t close = std::min(skipGroup(k), b);
        size_t inner = close > 0 && sym(close - 1, ")") ? close - 1 : close;
        for (auto [pa, pb] : splitTopLevel(k + 1, inner)) tableElement(table, pa, pb);
        return;
      }
      tableElement(table, k, b);
      return;
    }
    if (word(k, "MODIFY") || word(k, "CHANGE")) {  // MySQL: MODIFY [COLUMN] c type ..., CHANGE [COLUMN] old c type ...
      bool change = word(k, "CHANGE");
      ++k;
      if (word(k, "COLUMN")) ++k;
      if (!tok(k).isIdentifier()) return;
      SqlColumn* existing = table.findColumn(tok(k).text);
      if (change) ++k;
      if (!existing || !tok(k).isIdentifier()) return;
      SqlColumn redefined = columnDefinition(table, k, b);
      existing->autoIncrement = existing->autoIncrement || redefined.autoIncrement;
      if (!redefined.nullable) existing->nullable = false;
      if (redefined.defaultValue) existing->defaultValue = redefined.defaultValue;
      if (!redefined.comment.empty()) existing->comment = redefined.comment;
      if (redefined.unique) existing->unique = true;
      return;
    }
    if (word(k, "ALTER")) {  // PostgreSQL: ALTER [COLUMN] c SET DEFAULT …/SET NOT NULL/ADD GENERATED … AS IDENTITY
      ++k;
      if (word(k, "COLUMN")) ++k;
      if (!tok(k).isIdentifier()) return;
      SqlColumn* col = table.findColumn(tok(k).text);
      if (!col) return;
      ++k;
      if (word(k, "SET") && word(k + 1, "NOT") && word(k + 2, "NULL")) {
        col->nullable = false;
      } else if (word(k, "SET") && word(k + 1, "DEFAULT")) {
        size_t e = expressionEnd(k + 2, b);
        col->defaultValue = renderTokens(t_, k + 2, e);
        std::string upper = toUpperAscii(*col->defaultValue);
        if (upper.find("NEXTVAL") != std::string::npos) col->autoIncrement = true;
      } else if (word(k, "ADD") && word(k + 1, "GENERATED")) {
        col->autoIncrement = true;
      }
    }
  }

  void commentOn(size_t k) {
    bool onTable = word(k, "TABLE");
    bool onColumn = word(k, "COLUMN");
    if (!onTable && !onColumn) return;
    ++k;
    std::vector<std::string> parts;
    while (k < end_ && tok(k).isIdentifier()) {
      parts.push_back(tok(k).text);
      ++k;
      if (!sym(k, ".")) break;
      ++k;
    }
    if (!word(k, "IS") || tok(k + 1).kind != TokenKind::String || parts.empty()) return;
    const std::string& text = tok(k + 1).text;
    if (onTable) {
      QualifiedName q{parts.size() >= 2 ? parts[parts.size() - 2] : "", parts.back()};
      if (SqlTable* table = tableFor(q, false, k)) table->comment = text;
    } else if (parts.size() >= 2) {
      QualifiedName q{parts.size() >= 3 ? parts[parts.size() - 3] : "", parts[parts.size() - 2]};
      if (SqlTable* table = tableFor(q, false, k)) {
        if (SqlColumn* col = table->findColumn(parts.back())) col->comment = text;
      }
    }
  }

  const std::vector<Token>& t_;
  SqlSchema& out_;
  const std::string& docId_;
  const DdlParseOptions& opt_;
  size_t end_ = 0;
  std::unordered_map<std::string, size_t> exact_;   // lower schema \x1f lower name → table index
  std::unordered_map<std::string, size_t> byName_;  // lower name → first table index
};

}  // namespace

const SqlColumn* SqlTable::findColumn(std::string_view column) const {
  for (const auto& c : columns) {
    if (iequals(c.name, column)) return &c;
  }
  return nullptr;
}
SqlColumn* SqlTable::findColumn(std::string_view column) {
  return const_cast<SqlColumn*>(static_cast<const SqlTable*>(this)->findColumn(column));
}

const SqlTable* SqlSchema::findTable(std::string_view schema, std::string_view name) const {
  for (const auto& t : tables) {
    if (iequals(t.name, name) && (schema.empty() || iequals(t.schema, schema))) return &t;
  }
  return nullptr;
}
SqlTable* SqlSchema::findTable(std::string_view schema, std::string_view name) {
  return const_cast<SqlTable*>(static_cast<const SqlSchema*>(this)->findTable(schema, name));
}

SqlSchema parseDdl(std::string_view text, const std::string& docId, const DdlParseOptions& options) {
  SqlSchema schema;
  parseDdlInto(schema, text, docId, options);
  return schema;
}

void parseDdlInto(SqlSchema& schema, std::string_view text, const std::string& docId, const DdlParseOptions& options) {
  DdlLexOptions lexOptions;
  lexOptions.maxTokens = options.maxTokens;
  LexResult lexed = lexSql(text, lexOptions);
  Parser(lexed.tokens, schema, docId, options).run();
  if (lexed.truncated) {
    schema.diagnostics.push_back({Diagnostic::Severity::Warning, docId, "",
                                  "script has more than " + std::to_string(options.maxTokens) +
                                      " tokens; the rest was not parsed"});
  }
  if (lexed.unterminatedLiterals > 0) {
    schema.diagnostics.push_back({Diagnostic::Severity::Warning, docId, "",
                                  "unterminated string, quoted name or comment runs to the end of the script"});
  }
}

void mergeSchema(SqlSchema& into, SqlSchema&& from) {
  for (auto& table : from.tables) {
    SqlTable* existing = nullptr;
    for (auto& t : into.tables) {
      if (iequals(t.name, table.name) && iequals(t.schema, table.schema)) existing = &t;
    }
    if (!existing) {
      into.tables.push_back(std::move(table));
      continue;
    }
    for (auto& c : table.columns) {
      if (!existing->findColumn(c.name)) existing->columns.push_back(std::move(c));
    }
    for (auto& c : table.primaryKey) addUniqueCi(existing->primaryKey, c);
    for (auto& u : table.uniqueKeys) existing->uniqueKeys.push_back(std::move(u));
    for (auto& fk : table.foreignKeys) existing->foreignKeys.push_back(std::move(fk));
    if (existing->comment.empty()) existing->comment = table.comment;
    for (auto& d : table.docIds) addUniqueCi(existing->docIds, d);
  }
  for (auto& v : from.views) into.views.push_back(std::move(v));
  if (into.databaseName.empty()) into.databaseName = from.databaseName;
  for (auto& s : from.schemaNames) addUniqueCi(into.schemaNames, s);
  for (auto& s : from.searchPath) addUniqueCi(into.searchPath, s);
  for (auto& d : from.diagnostics) into.diagnostics.push_back(std::move(d));
  into.statements += from.statements;
  into.skippedStatements += from.skippedStatements;
}

}  // namespace cg::digest::sql
