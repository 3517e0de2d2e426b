// Tokenizer for SQL DDL scripts (PostgreSQL, MySQL/MariaDB, Oracle, SQL Server, H2 and SQLite forms).
//
// Contract:
//  - Pure and total: any byte string gives a token list ending with one End token; never throws,
//    never loops (every step consumes input); output size is capped by DdlLexOptions::maxTokens
//    (when hit, the list ends early with `truncated` set).
//  - Comments (`-- …`, `/* … */` (nesting allowed), MySQL `# …` when followed by a blank) are
//    dropped. String literals ('…' with '' escapes, E'…' with backslash escapes, N'…', X'…',
//    PostgreSQL dollar-quoted $tag$…$tag$ bodies) become one String token, so semicolons inside
//    function bodies never split statements.
//  - Quoted identifiers ("x" with "" escapes, `x` with `` escapes, [x] with ]] escapes) become one
//    QuotedIdentifier token whose text is the unquoted name; bare words become Word tokens (text as
//    written, `upper` upper-cased ASCII).
//  - Statement terminators: `;`, or the current MySQL client delimiter after `DELIMITER xx` lines,
//    SQL Server `GO` lines and a lone Oracle `/` line all become Terminator tokens.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cg::digest::sql {

enum class TokenKind { Word, QuotedIdentifier, String, Number, Symbol, Terminator, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;   // Word: as written; QuotedIdentifier/String: unquoted content; Symbol: the operator
  std::string upper;  // Word: upper-cased; otherwise empty
  size_t offset = 0;  // byte offset of the token start in the input
  size_t line = 1;    // 1-based line of the token start

  bool isWord(std::string_view upperWord) const { return kind == TokenKind::Word && upper == upperWord; }
  bool isSymbol(std::string_view symbol) const { return kind == TokenKind::Symbol && text == symbol; }
  bool isIdentifier() const { return kind == TokenKind::Word || kind == TokenKind::QuotedIdentifier; }
};

struct DdlLexOptions {
  size_t maxTokens = 2'000'000;
  size_t maxTokenBytes = 1 << 20;  // longer literals are kept truncated to this size
};

struct LexResult {
  std::vector<Token> tokens;  // always ends with an End token
  bool truncated = false;     // maxTokens reached
  size_t unterminatedLiterals = 0;  // strings/comments/quoted names running to end of input
};

LexResult lexSql(std::string_view text, const DdlLexOptions& options = {});

}  // namespace cg::digest::sql
