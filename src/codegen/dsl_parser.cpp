#include "codegen/dsl_parser.h"

#include <set>

namespace cg::codegen {
namespace {

struct Token {
  enum Type { Ident, String, GString, Number, Punct, Newline, End } type = End;
  std::string text;  // punct/ident/number text; decoded value for strings
  int line = 1, column = 1;
};

class Lexer {
 public:
  Lexer(std::string_view s, std::vector<ScriptIssue>& errors) : s_(s), errors_(errors) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') {
        out.push_back(make(Token::Newline, "\n"));
        advance();
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        advance();
      } else if (c == '/' && peek(1) == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        Token start = make(Token::Punct, "");
        advance(2);
        while (i_ < s_.size() && !(s_[i_] == '*' && peek(1) == '/')) advance();
        if (i_ >= s_.size()) errors_.push_back({start.line, start.column, "unterminated comment"});
        else advance(2);
      } else if (c == '"' || c == '\'') {
        out.push_back(string(c));
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
                 static_cast<unsigned char>(c) >= 0x80) {
        Token t = make(Token::Ident, "");
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '$' ||
                                  static_cast<unsigned char>(s_[i_]) >= 0x80))
          t.text += s_[i_], advance();
        out.push_back(t);
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        Token t = make(Token::Number, "");
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' ||
                                  (s_[i_] == '.' && std::isdigit(static_cast<unsigned char>(peek(1))))))
          t.text += s_[i_], advance();
        out.push_back(t);
      } else {
        Token t = make(Token::Punct, std::string(1, c));
        if (c == '-' && peek(1) == '>') t.text = "->";
        advance(t.text.size());
        out.push_back(t);
      }
    }
    out.push_back(make(Token::End, ""));
    return out;
  }

 private:
  std::string_view s_;
  std::vector<ScriptIssue>& errors_;
  size_t i_ = 0;
  int line_ = 1, col_ = 1;

  char peek(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void advance(size_t n = 1) {
    for (size_t k = 0; k < n && i_ < s_.size(); ++k, ++i_) {
      if (s_[i_] == '\n') ++line_, col_ = 1;
      else ++col_;
    }
  }
  Token make(Token::Type t, std::string text) const { return Token{t, std::move(text), line_, col_}; }

  Token string(char q) {
    Token t = make(Token::String, "");
    bool triple = peek(1) == q && peek(2) == q;
    advance(triple ? 3 : 1);
    bool interpolates = false;
    while (true) {
      if (i_ >= s_.size()) {
        errors_.push_back({t.line, t.column, "unterminated string literal"});
        break;
      }
      char c = s_[i_];
      if (!triple && c == '\n') {
        errors_.push_back({t.line, t.column, "unterminated string literal"});
        break;
      }
      if (c == q && (!triple || (peek(1) == q && peek(2) == q))) {
        advance(triple ? 3 : 1);
        break;
      }
      if (c == '\\') {
        char n = peek(1);
        switch (n) {
          case 'n': t.text += '\n'; break;
          case 't': t.text += '\t'; break;
          case 'r': t.text += '\r'; break;
          case 'b': t.text += '\b'; break;
          case 'f': t.text += '\f'; break;
          case 'u': t.text += "\\u"; break;  // kept escaped; values here are only compared
          default: t.text += n;
        }
        advance(2);
        continue;
      }
      if (c == '$' && q == '"') interpolates = true;
      t.text += c;
      advance();
    }
    if (interpolates) t.type = Token::GString;
    return t;
  }
};

const std::set<std::string> kKeywords = {"def", "var", "final", "return", "if", "else", "for", "while", "do",
                                         "switch", "case", "try", "catch", "finally", "throw", "import", "new",
                                         "package", "class", "static", "assert", "break", "continue", "in"};

bool isOperator(const Token& t) {
  static const std::set<std::string> ops = {"+", "-", "*", "/", "%", "?", ":", "<", ">", "=", "!", "&", "|", "^", "~"};
  return t.type == Token::Punct && ops.count(t.text) > 0;
}

class Parser {
 public:
  Parser(std::vector<Token> toks, std::vector<ScriptIssue>& errors) : t_(std::move(toks)), errors_(errors) {}

  std::vector<DslNode> script() {
    auto out = statements(false);
    while (cur().type != Token::End) {  // stray closing brackets
      errors_.push_back({cur().line, cur().column, "unexpected '" + cur().text + "'"});
      ++p_;
      auto more = statements(false);
      out.insert(out.end(), more.begin(), more.end());
    }
    return out;
  }

 private:
  std::vector<Token> t_;
  std::vector<ScriptIssue>& errors_;
  size_t p_ = 0;
  int depth_ = 0;

  const Token& cur() const { return t_[p_]; }
  const Token& at(size_t k) const { return t_[std::min(p_ + k, t_.size() - 1)]; }
  bool punct(const char* s, size_t k = 0) const { return at(k).type == Token::Punct && at(k).text == s; }
  void skipNewlines() {
    while (cur().type == Token::Newline) ++p_;
  }

  std::vector<DslNode> statements(bool inClosure) {
    std::vector<DslNode> out;
    while (true) {
      while (cur().type == Token::Newline || punct(";")) ++p_;
      if (cur().type == Token::End) {
        if (inClosure) errors_.push_back({cur().line, cur().column, "missing '}'"});
        return out;
      }
      if (punct("}") || punct(")") || punct("]")) {
        if (!inClosure && !punct("}")) errors_.push_back({cur().line, cur().column, "unexpected '" + cur().text + "'"});
        if (inClosure || punct("}")) return out;
        ++p_;
        continue;
      }
      out.push_back(statement());
    }
  }

  DslNode statement() {
    DslNode n;
    n.line = cur().line;
    n.column = cur().column;
    if (cur().type == Token::Ident && !kKeywords.count(cur().text)) {
      std::string name = cur().text;
      const Token& next = at(1);
      if (next.type == Token::Newline || next.type == Token::End || (next.type == Token::Punct && (next.text == ";" || next.text == "}"))) {
        ++p_;
        n.kind = DslNode::Kind::Property;
        n.name = name;
        return n;
      }
      if (next.type == Token::Punct && (next.text == "(" || next.text == "{" || next.text == ".")) {
        DslArg e = expression();
        if (e.kind == DslArg::Kind::Call && !e.chain.empty() && endOfStatement()) {
          n.kind = DslNode::Kind::Call;
          n.name = e.chain.back().name;
          n.args = e.chain.back().args;
          if (e.chain.size() > 1 || !e.receiver.empty()) n.receiver = e.receiver.empty() ? "this" : e.receiver;
          return n;
        }
        if (e.kind == DslArg::Kind::Property && endOfStatement()) {
          n.name = e.value;
          return n;
        }
        skipStatement();
        return n;
      }
      if (next.type == Token::String || next.type == Token::GString || next.type == Token::Number ||
          next.type == Token::Ident || (next.type == Token::Punct && (next.text == "[" || next.text == "-"))) {
        ++p_;  // command syntax: name arg, arg…
        n.kind = DslNode::Kind::Call;
        n.name = name;
        while (true) {
          n.args.push_back(expression());
          if (!punct(",")) break;
          ++p_;
          skipNewlines();
        }
        if (!endOfStatement()) skipStatement();
        return n;
      }
    }
    skipStatement();
    return n;
  }

  bool endOfStatement() const {
    return cur().type == Token::Newline || cur().type == Token::End || punct(";") || punct("}");
  }

  void skipStatement() {
    int depth = 0;
    while (cur().type != Token::End) {
      if (cur().type == Token::Punct) {
        const std::string& x = cur().text;
        if (x == "(" || x == "[" || x == "{") ++depth;
        else if (x == ")" || x == "]" || x == "}") {
          if (depth == 0) return;
          --depth;
        } else if (x == ";" && depth == 0) return;
      } else if (cur().type == Token::Newline && depth == 0) {
        return;
      }
      ++p_;
    }
    if (depth > 0) errors_.push_back({cur().line, cur().column, "unbalanced brackets at end of script"});
  }

  std::vector<DslArg> parenArgs() {  // at "("
    std::vector<DslArg> args;
    ++p_;
    skipNewlines();
    while (!punct(")") && cur().type != Token::End) {
      if (punct("}") || punct("]")) {
        errors_.push_back({cur().line, cur().column, "expected ')'"});
        return args;
      }
      if (cur().type == Token::Ident && punct(":", 1)) {  // named argument
        DslArg m;
        m.kind = DslArg::Kind::Map;
        m.value = cur().text;
        p_ += 2;
        expression();
        args.push_back(m);
      } else {
        args.push_back(expression());
      }
      skipNewlines();
      if (punct(",")) {
        ++p_;
        skipNewlines();
      } else if (!punct(")")) {
        errors_.push_back({cur().line, cur().column, "expected ',' or ')'"});
        skipBalanced(")");
        break;
      }
    }
    if (punct(")")) ++p_;
    else errors_.push_back({cur().line, cur().column, "missing ')'"});
    return args;
  }

  void skipBalanced(const char* closer) {
    int depth = 0;
    while (cur().type != Token::End) {
      if (cur().type == Token::Punct) {
        if (cur().text == "(" || cur().text == "[" || cur().text == "{") ++depth;
        else if (cur().text == ")" || cur().text == "]" || cur().text == "}") {
          if (depth == 0 && cur().text == closer) return;
          if (depth == 0) return;
          --depth;
        }
      }
      ++p_;
    }
  }

  DslArg closure() {  // at "{"
    DslArg c;
    c.kind = DslArg::Kind::Closure;
    c.line = cur().line;
    c.column = cur().column;
    ++p_;
    size_t k = 0;
    std::vector<std::string> params;
    while (at(k).type == Token::Ident || at(k).type == Token::Newline || (at(k).type == Token::Punct && at(k).text == ",")) {
      if (at(k).type == Token::Ident) params.push_back(at(k).text);
      ++k;
    }
    if (at(k).type == Token::Punct && at(k).text == "->") {
      c.params = params;
      p_ += k + 1;
    }
    if (++depth_ > 200) {
      errors_.push_back({c.line, c.column, "nesting too deep"});
      skipBalanced("}");
    } else {
      c.body = statements(true);
    }
    --depth_;
    if (punct("}")) ++p_;
    return c;
  }

  // primary (postfix)* (operator expression)?
  DslArg expression() {
    DslArg a = primary();
    while (isOperator(cur())) {
      std::string op = cur().text;
      ++p_;
      skipNewlines();
      DslArg rhs = primary();
      DslArg e;
      e.kind = DslArg::Kind::Expression;
      e.value = a.value + " " + op + " " + rhs.value;
      a = e;
    }
    return a;
  }

  DslArg primary() {
    DslArg a;
    a.line = cur().line;
    a.column = cur().column;
    const Token& t = cur();
    if (t.type == Token::String) {
      a.kind = DslArg::Kind::String, a.value = t.text, ++p_;
    } else if (t.type == Token::GString) {
      a.kind = DslArg::Kind::GString, a.value = t.text, ++p_;
    } else if (t.type == Token::Number) {
      a.kind = DslArg::Kind::Number, a.value = t.text, ++p_;
    } else if (punct("-") && at(1).type == Token::Number) {
      a.kind = DslArg::Kind::Number, a.value = "-" + at(1).text, p_ += 2;
    } else if (punct("{")) {
      return closure();
    } else if (punct("(")) {
      auto inner = parenArgs();
      a.kind = DslArg::Kind::Expression;
      a.value = inner.empty() ? "()" : "(" + inner[0].value + ")";
    } else if (punct("[")) {
      ++p_;
      skipBalanced("]");
      if (punct("]")) ++p_;
      else errors_.push_back({a.line, a.column, "missing ']'"});
      a.kind = DslArg::Kind::Expression;
      a.value = "[...]";
    } else if (t.type == Token::Ident) {
      std::string name = t.text;
      ++p_;
      if (name == "true" || name == "false") {
        a.kind = DslArg::Kind::Boolean, a.value = name;
      } else if (name == "null") {
        a.kind = DslArg::Kind::Null;
      } else if (name == "new" && cur().type == Token::Ident) {
        a.kind = DslArg::Kind::Expression;
        a.value = "new " + cur().text;
        ++p_;
        if (punct("(")) parenArgs();
      } else if (punct("(") || punct("{")) {
        a.kind = DslArg::Kind::Call;
        DslArg::Link l{name, {}};
        if (punct("(")) l.args = parenArgs();
        if (punct("{")) l.args.push_back(closure());
        a.chain.push_back(std::move(l));
        a.value = name + "(...)";
      } else {
        a.kind = DslArg::Kind::Identifier;
        a.value = name;
      }
      postfix(a);
    } else {
      errors_.push_back({t.line, t.column, "unexpected '" + t.text + "'"});
      a.kind = DslArg::Kind::Expression;
      if (t.type != Token::End && !punct("}") && !punct(")")) ++p_;
    }
    return a;
  }

  void postfix(DslArg& a) {
    while (true) {
      size_t k = 0;  // a chain may continue on the next line with a leading '.'
      while (at(k).type == Token::Newline) ++k;
      if (k > 0 && at(k).type == Token::Punct && at(k).text == ".") p_ += k;
      if (!(punct(".") || (punct("?") && punct(".", 1)))) break;
      p_ += punct("?") ? 2 : 1;
      skipNewlines();
      if (cur().type != Token::Ident && cur().type != Token::String) {
        errors_.push_back({cur().line, cur().column, "expected a name after '.'"});
        return;
      }
      std::string name = cur().text;
      ++p_;
      if (punct("(") || punct("{")) {
        DslArg::Link l{name, {}};
        if (punct("(")) l.args = parenArgs();
        if (punct("{")) l.args.push_back(closure());
        if (a.kind != DslArg::Kind::Call) {  // receiver is a value: identifier/property
          a.receiver = a.value;
          a.kind = DslArg::Kind::Call;
        }
        a.chain.push_back(std::move(l));
        a.value += "." + name + "(...)";
      } else {
        if (a.kind == DslArg::Kind::Identifier) a.kind = DslArg::Kind::Property;
        else if (a.kind == DslArg::Kind::Call) a.kind = DslArg::Kind::Expression;
        a.value += "." + name;
      }
    }
  }
};

}  // namespace

DslParseResult parseDsl(std::string_view source) {
  DslParseResult r;
  Lexer lexer(source, r.errors);
  Parser parser(lexer.run(), r.errors);
  r.tree = parser.script();
  return r;
}

}  // namespace cg::codegen
