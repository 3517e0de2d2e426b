#include "ingest/chunk_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "util/strings.h"

namespace cg::ingest::chunking {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Byte sequences YAML treats specially even inside text: NEL, LS, PS, BOM.
bool hasSpecialUnicode(const std::string& s) {
  return s.find("\xC2\x85") != std::string::npos || s.find("\xE2\x80\xA8") != std::string::npos ||
         s.find("\xE2\x80\xA9") != std::string::npos || s.find("\xEF\xBB\xBF") != std::string::npos;
}

bool looksLikeNonString(const std::string& s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  static const char* const kWords[] = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"};
  for (const char* w : kWords)
    if (lower == w) return true;
  char c0 = s[0];
  if (isDigit(c0) || c0 == '+' || c0 == '-' || c0 == '.') {
    for (char c : s) {
      if (!(isDigit(c) || c == '.' || c == '+' || c == '-' || c == '_' || c == ':' || c == 'e' || c == 'E' ||
            c == 'x' || c == 'X' || c == 'o' || c == 'O' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
        return false;
    }
    return true;
  }
  return false;
}

bool canBePlain(const std::string& s) {
  if (s.empty() || s.size() > 300) return false;
  char c0 = s[0];
  if (!(isAlpha(c0) || isDigit(c0) || c0 == '_' || c0 == '/' || c0 == '$' || c0 == '(')) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c >= 0x80) continue;
    switch (c) {
      case '#':
        if (s[i - 1] == ' ') return false;
        break;
      case ':':
        if (i + 1 < s.size() && s[i + 1] == ' ') return false;
        break;
      case '[':
      case ']':
      case '{':
      case '}':
      case ',':
      case '`':
      case '|':
      case '>':
      case '\\':
        return false;
      default:
        break;
    }
  }
  if (hasSpecialUnicode(s)) return false;
  return !looksLikeNonString(s);
}

void appendDoubleQuoted(std::string& out, const std::string& s) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\r':
        out += "\\r";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) {
      out += "\\N";
      ++i;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\L" : "\\P";
      i += 2;
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
               static_cast<unsigned char>(s[i + 2]) == 0xBF) {
      out += "\\uFEFF";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// Literal block scalars are used for multi-line text when they reproduce it exactly.
bool canBeLiteral(const std::string& s) {
  if (s.find('\n') == std::string::npos || s.size() > 1'000'000) return false;
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return false;
  if (hasSpecialUnicode(s)) return false;
  bool seenContent = false;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t nl = s.find('\n', pos);
    std::string_view line(s.data() + pos, (nl == std::string::npos ? s.size() : nl) - pos);
    if (!line.empty()) {
      bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
      if (blank) return false;  // whitespace-only lines are ambiguous in block scalars
      if (!seenContent && (line[0] == ' ' || line[0] == '\t')) return false;
      seenContent = true;
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return seenContent;
}

void appendScalarString(std::string& out, const std::string& raw, size_t indent) {
  std::string s = isValidUtf8(raw) ? raw : sanitizeUtf8(raw);
  if (canBePlain(s)) {
    out += s;
    return;
  }
  if (canBeLiteral(s)) {
    size_t trailing = 0;
    while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
    out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
    out += '\n';
    size_t bodyEnd = s.size() - trailing;
    size_t pos = 0;
    while (pos < bodyEnd) {
      size_t nl = s.find('\n', pos);
      if (nl == std::string::npos || nl > bodyEnd) nl = bodyEnd;
      if (nl > pos) {
        out.append(indent, ' ');
        out.append(s, pos, nl - pos);
      }
      out += '\n';
      pos = nl + 1;
    }
    for (size_t i = 1; i < trailing; ++i) out += '\n';
    // The caller appends the line break after a scalar; literal blocks already end with one.
    out.pop_back();
    return;
  }
  appendDoubleQuoted(out, s);
}

void appendNumberOrLiteral(std::string& out, const OrderedJson& v) {
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isnan(d)) {
      out += ".nan";
      return;
    }
    if (std::isinf(d)) {
      out += d > 0 ? ".inf" : "-.inf";
      return;
    }
  }
  out += v.dump();
}

void appendKey(std::string& out, const std::string& key) {
  std::string s = isValidUtf8(key) ? key : sanitizeUtf8(key);
  if (canBePlain(s))
    out += s;
  else
    appendDoubleQuoted(out, s);
  out += ':';
}

bool isNonEmptyContainer(const OrderedJson& v) { return (v.is_object() || v.is_array()) && !v.empty(); }

void writeNode(std::string& out, const OrderedJson& v, size_t indent, bool inlineFirst);

// Writes a scalar or empty container right after "key:" or "- " (a space is added first).
void writeInlineScalar(std::string& out, const OrderedJson& v, size_t indent) {
  out += ' ';
  if (v.is_string())
    appendScalarString(out, v.get_ref<const std::string&>(), indent);
  else if (v.is_object())
    out += "{}";
  else if (v.is_array())
    out += "[]";
  else if (v.is_null())
    out += "null";
  else if (v.is_boolean())
    out += v.get<bool>() ? "true" : "false";
  else
    appendNumberOrLiteral(out, v);
  out += '\n';
}

// Writes a non-empty container. When inlineFirst, the first line continues the current line
// (after "- "), otherwise every line starts with `indent` spaces.
void writeNode(std::string& out, const OrderedJson& v, size_t indent, bool inlineFirst) {
  bool first = true;
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!(first && inlineFirst)) out.append(indent, ' ');
      first = false;
      appendKey(out, it.key());
      const OrderedJson& child = it.value();
      if (isNonEmptyContainer(child)) {
        out += '\n';
        writeNode(out, child, indent + 2, false);
      } else {
        writeInlineScalar(out, child, indent + 2);
      }
    }
  } else {
    for (const auto& item : v) {
      if (!(first && inlineFirst)) out.append(indent, ' ');
      first = false;
      out += '-';
      if (isNonEmptyContainer(item)) {
        out += ' ';
        writeNode(out, item, indent + 2, true);
      } else {
        writeInlineScalar(out, item, indent + 2);
      }
    }
  }
}

}  // namespace

std::string writeChunkYaml(const OrderedJson& value) {
  std::string out;
  if (isNonEmptyContainer(value)) {
    writeNode(out, value, 0, false);
  } else {
    writeInlineScalar(out, value, 2);
    out.erase(0, 1);
  }
  return out;
}

std::string writeChunkJson(const OrderedJson& value) {
  return value.dump(2, ' ', false, OrderedJson::error_handler_t::replace);
}

size_t jsonDepth(const OrderedJson& value) {
  size_t maxDepth = 0;
  std::vector<std::pair<const OrderedJson*, size_t>> stack{{&value, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (!node->is_structured()) continue;
    maxDepth = std::max(maxDepth, depth + 1);
    for (const auto& child : *node) stack.emplace_back(&child, depth + 1);
  }
  return maxDepth;
}

}  // namespace cg::ingest::chunking
