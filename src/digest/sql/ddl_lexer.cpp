#include "digest/sql/ddl_lexer.h"

#include <algorithm>
#include <cctype>

namespace cg::digest::sql {
namespace {

bool isWordStart(unsigned char c) { return std::isalpha(c) || c == '_' || c == '@' || c >= 0x80; }
bool isWordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c == '#' || c == '@' || c >= 0x80; }
bool isBlank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string upperAscii(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

bool icontains(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

class Lexer {
 public:
  Lexer(std::string_view text, const DdlLexOptions& options) : s_(text), opt_(options) {
    // MySQL dumps escape quotes with backslashes; standard SQL does not. Decide once per script.
    backslashEscapes_ = s_.find('`') != std::string_view::npos || icontains(s_, "engine=") ||
                        icontains(s_, "engine =") || icontains(s_, "auto_increment");
  }

  LexResult run() {
    while (i_ < s_.size()) {
      if (out_.tokens.size() >= opt_.maxTokens) {
        out_.truncated = true;
        break;
      }
      step();
    }
    Token end;
    end.kind = TokenKind::End;
    end.offset = s_.size();
    end.line = line_;
    out_.tokens.push_back(std::move(end));
    return std::move(out_);
  }

 private:
  unsigned char at(size_t k) const { return k < s_.size() ? static_cast<unsigned char>(s_[k]) : 0; }

  void advance(size_t n) {
    size_t stop = std::min(s_.size(), i_ + n);
    for (; i_ < stop; ++i_) {
      if (s_[i_] == '\n') {
        ++line_;
        lineStart_ = true;
      }
    }
  }

  void emit(TokenKind kind, std::string text, size_t start, size_t startLine) {
    Token t;
    t.kind = kind;
    if (text.size() > opt_.maxTokenBytes) text.resize(opt_.maxTokenBytes);
    if (kind == TokenKind::Word) t.upper = upperAscii(text);
    t.text = std::move(text);
    t.offset = start;
    t.line = startLine;
    out_.tokens.push_back(std::move(t));
  }

  void emitTerminator(size_t start, size_t startLine) {
    // Collapse runs of terminators: they carry no information.
    if (!out_.tokens.empty() && out_.tokens.back().kind == TokenKind::Terminator) return;
    emit(TokenKind::Terminator, ";", start, startLine);
  }

  size_t restOfLineEnd(size_t from) const {
    size_t e = s_.find('\n', from);
    return e == std::string_view::npos ? s_.size() : e;
  }

  bool onlyBlanksUntilEol(size_t from) const {
    for (size_t k = from; k < s_.size() && s_[k] != '\n'; ++k) {
      if (!isBlank(static_cast<unsigned char>(s_[k]))) return false;
    }
    return true;
  }

  void step() {
    unsigned char c = at(i_);
    if (c == '\n') {
      advance(1);
      return;
    }
    if (isBlank(c)) {
      ++i_;
      return;
    }
    size_t start = i_;
    size_t startLine = line_;
    bool atLineStart = lineStart_;
    lineStart_ = false;

    if (atLineStart && lineDirective(start, startLine)) return;

    if (delimiter_ != ";" && s_.substr(i_, delimiter_.size()) == delimiter_) {
      advance(delimiter_.size());
      emitTerminator(start, startLine);
      return;
    }
    if (c == ';') {
      advance(1);
      if (delimiter_ == ";") emitTerminator(start, startLine);
      else emit(TokenKind::Symbol, ";", start, startLine);
      return;
    }
    if (c == '-' && at(i_ + 1) == '-') {
      advance(restOfLineEnd(i_) - i_);
      return;
    }
    if (c == '#' && (isBlank(at(i_ + 1)) || at(i_ + 1) == '\n' || at(i_ + 1) == 0 || at(i_ + 1) == '#' ||
                     at(i_ + 1) == '!')) {
      advance(restOfLineEnd(i_) - i_);
      return;
    }
    if (c == '/' && at(i_ + 1) == '*') {
      blockComment();
      return;
    }
    if (c == '\'') {
      stringLiteral(start, startLine, backslashEscapes_);
      return;
    }
    if (c == '"' || c == '`') {
      quotedIdentifier(start, startLine, static_cast<char>(c), static_cast<char>(c));
      return;
    }
    if (c == '[' && bracketIdentifierAhead()) {
      quotedIdentifier(start, startLine, '[', ']');
      return;
    }
    if (c == '$') {
      if (dollarQuote(start, startLine)) return;
      size_t k = i_ + 1;
      while (std::isdigit(at(k))) ++k;
      if (k > i_ + 1) {
        std::string text(s_.substr(i_, k - i_));
        advance(k - i_);
        emit(TokenKind::Word, std::move(text), start, startLine);
        return;
      }
      advance(1);
      emit(TokenKind::Symbol, "$", start, startLine);
      return;
    }
    if (std::isdigit(c) || (c == '.' && std::isdigit(at(i_ + 1)))) {
      number(start, startLine);
      return;
    }
    if (isWordStart(c) || c == '#') {
      size_t k = i_ + 1;
      while (k < s_.size() && isWordChar(at(k))) ++k;
      std::string_view word = s_.substr(i_, k - i_);
      // Prefixed string literals: E'..', N'..', X'..', B'..', U&'..'.
      if (at(k) == '\'' && word.size() == 1) {
        char p = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
        if (p == 'E' || p == 'N' || p == 'X' || p == 'B') {
          advance(k - i_);
          stringLiteral(start, startLine, p == 'E' || backslashEscapes_);
          return;
        }
      }
      std::string text(word);
      advance(k - i_);
      emit(TokenKind::Word, std::move(text), start, startLine);
      return;
    }
    static constexpr std::string_view kTwoChar[] = {"::", "<>", "<=", ">=", "!=", "||", "=>", ":="};
    for (auto op : kTwoChar) {
      if (s_.substr(i_, 2) == op) {
        advance(2);
        emit(TokenKind::Symbol, std::string(op), start, startLine);
        return;
      }
    }
    advance(1);
    emit(TokenKind::Symbol, std::string(1, static_cast<char>(c)), start, startLine);
  }

  // Client directives that only count at the start of a line. Returns true when one was consumed.
  bool lineDirective(size_t start, size_t startLine) {
    auto wordAt = [&](std::string_view w) {
      if (i_ + w.size() > s_.size()) return false;
      for (size_t k = 0; k < w.size(); ++k) {
        if (std::toupper(at(i_ + k)) != static_cast<unsigned char>(w[k])) return false;
      }
      unsigned char next = at(i_ + w.size());
      return !isWordChar(next);
    };
    if (wordAt("DELIMITER")) {
      size_t eol = restOfLineEnd(i_);
      std::string rest(s_.substr(i_ + 9, eol - i_ - 9));
      size_t b = rest.find_first_not_of(" \t\r");
      size_t e = rest.find_last_not_of(" \t\r");
      if (b != std::string::npos) {
        std::string d = rest.substr(b, e - b + 1);
        if (auto sp = d.find_first_of(" \t"); sp != std::string::npos) d.resize(sp);
        if (!d.empty() && d.size() <= 16) delimiter_ = d;
      }
      advance(eol - i_);
      emitTerminator(start, startLine);
      return true;
    }
    if (wordAt("GO")) {
      size_t k = i_ + 2;
      while (k < s_.size() && (isBlank(at(k)) || std::isdigit(at(k)))) ++k;
      if (k >= s_.size() || s_[k] == '\n' || (s_[k] == '-' && at(k + 1) == '-')) {
        advance(restOfLineEnd(i_) - i_);
        emitTerminator(start, startLine);
        return true;
      }
    }
    if (at(i_) == '/' && at(i_ + 1) != '*' && onlyBlanksUntilEol(i_ + 1)) {
      advance(1);
      emitTerminator(start, startLine);
      return true;
    }
    return false;
  }

  void blockComment() {
    size_t depth = 0;
    while (i_ < s_.size()) {
      if (at(i_) == '/' && at(i_ + 1) == '*') {
        ++depth;
        advance(2);
      } else if (at(i_) == '*' && at(i_ + 1) == '/') {
        advance(2);
        if (--depth == 0) return;
      } else {
        advance(1);
      }
    }
    ++out_.unterminatedLiterals;
  }

  void stringLiteral(size_t start, size_t startLine, bool backslash) {
    advance(1);  // opening quote
    std::string value;
    while (i_ < s_.size()) {
      unsigned char c = at(i_);
      if (backslash && c == '\\' && i_ + 1 < s_.size()) {
        if (value.size() < opt_.maxTokenBytes) value.push_back(s_[i_ + 1]);
        advance(2);
        continue;
      }
      if (c == '\'') {
        if (at(i_ + 1) == '\'') {
          if (value.size() < opt_.maxTokenBytes) value.push_back('\'');
          advance(2);
          continue;
        }
        advance(1);
        emit(TokenKind::String, std::move(value), start, startLine);
        return;
      }
      if (value.size() < opt_.maxTokenBytes) value.push_back(static_cast<char>(c));
      advance(1);
    }
    ++out_.unterminatedLiterals;
    emit(TokenKind::String, std::move(value), start, startLine);
  }

  void quotedIdentifier(size_t start, size_t startLine, char open, char close) {
    (void)open;
    advance(1);
    std::string value;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == close) {
        if (at(i_ + 1) == static_cast<unsigned char>(close)) {
          value.push_back(close);
          advance(2);
          continue;
        }
        advance(1);
        emit(TokenKind::QuotedIdentifier, std::move(value), start, startLine);
        return;
      }
      if (value.size() < opt_.maxTokenBytes) value.push_back(c);
      advance(1);
    }
    ++out_.unterminatedLiterals;
    emit(TokenKind::QuotedIdentifier, std::move(value), start, startLine);
  }

  // `[name]` is a SQL Server identifier unless it looks like an array subscript or literal.
  bool bracketIdentifierAhead() const {
    if (i_ > 0) {
      unsigned char prev = at(i_ - 1);
      if (std::isalnum(prev) || prev == '_' || prev == ']' || prev == ')') return false;
    }
    unsigned char first = at(i_ + 1);
    if (first == 0 || first == ']' || std::isdigit(first)) return false;
    for (size_t k = i_ + 1; k < s_.size() && k < i_ + 260; ++k) {
      char c = s_[k];
      if (c == ']') return true;
      if (c == ',' || c == '\n' || c == '\'' || c == '"' || c == '(' || c == ')' || c == '[') return false;
    }
    return false;
  }

  bool dollarQuote(size_t start, size_t startLine) {
    size_t k = i_ + 1;
    if (at(k) != '$') {
      if (!(std::isalpha(at(k)) || at(k) == '_')) return false;
      while (k < s_.size() && (std::isalnum(at(k)) || at(k) == '_')) ++k;
      if (at(k) != '$') return false;
    }
    std::string_view tag = s_.substr(i_, k + 1 - i_);
    size_t bodyStart = k + 1;
    size_t close = s_.find(tag, bodyStart);
    size_t bodyEnd = close == std::string_view::npos ? s_.size() : close;
    std::string body(s_.substr(bodyStart, std::min(bodyEnd - bodyStart, opt_.maxTokenBytes)));
    if (close == std::string_view::npos) {
      ++out_.unterminatedLiterals;
      advance(s_.size() - i_);
    } else {
      advance(close + tag.size() - i_);
    }
    emit(TokenKind::String, std::move(body), start, startLine);
    return true;
  }

  void number(size_t start, size_t startLine) {
    size_t k = i_;
    while (std::isdigit(at(k)) || at(k) == '.') ++k;
    if ((at(k) == 'e' || at(k) == 'E') && (std::isdigit(at(k + 1)) || ((at(k + 1) == '+' || at(k + 1) == '-') && std::isdigit(at(k + 2))))) {
      k += 2;
      while (std::isdigit(at(k))) ++k;
    }
    std::string text(s_.substr(i_, k - i_));
    advance(k - i_);
    emit(TokenKind::Number, std::move(text), start, startLine);
  }

  std::string_view s_;
  const DdlLexOptions& opt_;
  LexResult out_;
  size_t i_ = 0;
  size_t line_ = 1;
  bool lineStart_ = true;
  bool backslashEscapes_ = false;
  std::string delimiter_ = ";";
};

}  // namespace

LexResult lexSql(std::string_view text, const DdlLexOptions& options) { return Lexer(text, options).run(); }

}  // namespace cg::digest::sql
