#include "codegen/groovy_writer.h"

#include <cstdio>

#include "util/strings.h"

namespace cg::codegen {
namespace {

// Decodes one UTF-8 sequence from valid UTF-8 text; returns the code point and advances i.
char32_t decodeUtf8(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

void appendUnicodeEscape(std::string& out, char32_t unit) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(unit));
  out += buf;
}

}  // namespace

std::string groovyString(std::string_view text) {
  std::string s = isValidUtf8(text) ? std::string(text) : sanitizeUtf8(text);
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      char32_t cp = decodeUtf8(s, i);
      if (cp > 0xFFFF) {  // UTF-16 surrogate pair
        cp -= 0x10000;
        appendUnicodeEscape(out, 0xD800 + (cp >> 10));
        appendUnicodeEscape(out, 0xDC00 + (cp & 0x3FF));
      } else {
        appendUnicodeEscape(out, cp);
      }
      continue;
    }
    ++i;
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '$': out += "\\$"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7F) appendUnicodeEscape(out, c);
        else out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

std::string commentText(std::string_view text) {
  std::string s = isValidUtf8(text) ? std::string(text) : sanitizeUtf8(text);
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\\') out += '/';  // a backslash could start a \u escape that Groovy decodes in comments
    else if (c < 0x20 || c == 0x7F) out += ' ';
    else out += ch;
  }
  return trim(out);
}

void DslWriter::indent() { out_.append(static_cast<size_t>(depth_) * 4, ' '); }

DslWriter& DslWriter::line(std::string_view statement) {
  indent();
  out_ += statement;
  out_ += '\n';
  return *this;
}

DslWriter& DslWriter::comment(std::string_view text) {
  for (const auto& part : split(text, '\n')) {
    indent();
    std::string c = commentText(part);
    out_ += c.empty() ? "//" : "// " + c;
    out_ += '\n';
  }
  return *this;
}

DslWriter& DslWriter::open(std::string_view header) {
  indent();
  out_ += header;
  out_ += " {\n";
  ++depth_;
  return *this;
}

DslWriter& DslWriter::open(std::string_view header, std::string_view closureParams) {
  indent();
  out_ += header;
  out_ += " { ";
  out_ += closureParams;
  out_ += " ->\n";
  ++depth_;
  return *this;
}

DslWriter& DslWriter::close() {
  if (depth_ == 0) return *this;
  --depth_;
  indent();
  out_ += "}\n";
  return *this;
}

DslWriter& DslWriter::blank() {
  if (!out_.empty() && !endsWith(out_, "{\n") && !endsWith(out_, "\n\n")) out_ += '\n';
  return *this;
}

std::string DslWriter::str() const {
  std::string s = out_;
  for (int d = depth_; d > 0; --d) {
    s.append(static_cast<size_t>(d - 1) * 4, ' ');
    s += "}\n";
  }
  return s;
}

}  // namespace cg::codegen
