#include "ingest/extract_encoding.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "util/strings.h"

namespace cg::ingest {
namespace {

void appendCodePoint(std::string& out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

uint8_t byteAt(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

std::string decodeUtf16(std::string_view s, bool littleEndian, size_t& replaced) {
  std::string out;
  out.reserve(s.size());
  auto unit = [&](size_t i) -> uint32_t {
    return littleEndian ? (byteAt(s, i) | (byteAt(s, i + 1) << 8)) : ((byteAt(s, i) << 8) | byteAt(s, i + 1));
  };
  size_t i = 0;
  for (; i + 1 < s.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 3 < s.size()) {
        uint32_t low = unit(i + 2);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          appendCodePoint(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
          i += 2;
          continue;
        }
      }
      appendCodePoint(out, 0xFFFD);
      ++replaced;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      appendCodePoint(out, 0xFFFD);
      ++replaced;
    } else {
      appendCodePoint(out, u);
    }
  }
  if (i < s.size()) {  // odd trailing byte
    appendCodePoint(out, 0xFFFD);
    ++replaced;
  }
  return out;
}

std::string decodeUtf32(std::string_view s, bool littleEndian, size_t& replaced) {
  std::string out;
  out.reserve(s.size() / 2);
  size_t i = 0;
  for (; i + 3 < s.size(); i += 4) {
    uint32_t cp = littleEndian ? (byteAt(s, i) | (byteAt(s, i + 1) << 8) | (byteAt(s, i + 2) << 16) |
                                  (static_cast<uint32_t>(byteAt(s, i + 3)) << 24))
                               : ((static_cast<uint32_t>(byteAt(s, i)) << 24) | (byteAt(s, i + 1) << 16) |
                                  (byteAt(s, i + 2) << 8) | byteAt(s, i + 3));
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ++replaced;
    appendCodePoint(out, cp);
  }
  if (i < s.size()) {
    appendCodePoint(out, 0xFFFD);
    ++replaced;
  }
  return out;
}

// Windows-1252 bytes 0x80..0x9F; 0 marks the five undefined positions.
constexpr std::array<uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string decodeWindows1252(std::string_view s, size_t& replaced) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (char c : s) {
    uint8_t b = static_cast<uint8_t>(c);
    if (b < 0x80) {
      out.push_back(c);
    } else if (b < 0xA0) {
      uint16_t cp = kCp1252High[b - 0x80];
      if (!cp) ++replaced;
      appendCodePoint(out, cp ? cp : 0xFFFD);
    } else {
      appendCodePoint(out, b);
    }
  }
  return out;
}

// Counts valid multi-byte sequences and invalid bytes in (possibly invalid) UTF-8.
void scanUtf8(std::string_view s, size_t& multiByte, size_t& invalid) {
  multiByte = invalid = 0;
  for (size_t i = 0; i < s.size();) {
    uint8_t c = byteAt(s, i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n && i + n <= s.size() && isValidUtf8(s.substr(i, n))) {
      ++multiByte;
      i += n;
    } else {
      ++invalid;
      ++i;
    }
  }
}

// Detects UTF-16 without BOM from the zero-byte pattern of mostly-ASCII text.
bool guessUtf16(std::string_view s, bool& littleEndian) {
  size_t n = std::min<size_t>(s.size(), 4096) & ~size_t{1};
  if (n < 8) return false;
  size_t zeroEven = 0, zeroOdd = 0;
  for (size_t i = 0; i < n; i += 2) {
    if (s[i] == 0) ++zeroEven;
    if (s[i + 1] == 0) ++zeroOdd;
  }
  size_t pairs = n / 2;
  if (zeroOdd * 10 >= pairs * 7 && zeroEven * 20 <= pairs) {
    littleEndian = true;
    return true;
  }
  if (zeroEven * 10 >= pairs * 7 && zeroOdd * 20 <= pairs) {
    littleEndian = false;
    return true;
  }
  return false;
}

}  // namespace

std::string_view encodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::Utf8: return "utf-8";
    case TextEncoding::Utf8Bom: return "utf-8-bom";
    case TextEncoding::Utf16Le: return "utf-16le";
    case TextEncoding::Utf16Be: return "utf-16be";
    case TextEncoding::Utf32Le: return "utf-32le";
    case TextEncoding::Utf32Be: return "utf-32be";
    case TextEncoding::Windows1252: return "windows-1252";
  }
  return "utf-8";
}

bool bytesLookBinary(std::string_view bytes) {
  size_t n = std::min<size_t>(bytes.size(), 64 * 1024);
  if (n == 0) return false;
  size_t nul = 0, control = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t b = byteAt(bytes, i);
    if (b == 0) ++nul;
    else if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1B) || b == 0x7F) ++control;
  }
  // A few stray NULs happen in text (they are stripped later); many mean binary data.
  return (nul >= 4 && nul * 100 > n) || nul > 64 || control * 10 > n;
}

DecodedText decodeToUtf8(std::string_view bytes) {
  DecodedText out;
  auto starts = [&](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };
  using namespace std::string_view_literals;
  if (starts("\xFF\xFE\x00\x00"sv)) {
    out.encoding = TextEncoding::Utf32Le;
    out.text = decodeUtf32(bytes.substr(4), true, out.replacedSequences);
  } else if (starts("\x00\x00\xFE\xFF"sv)) {
    out.encoding = TextEncoding::Utf32Be;
    out.text = decodeUtf32(bytes.substr(4), false, out.replacedSequences);
  } else if (starts("\xFF\xFE"sv)) {
    out.encoding = TextEncoding::Utf16Le;
    out.text = decodeUtf16(bytes.substr(2), true, out.replacedSequences);
  } else if (starts("\xFE\xFF"sv)) {
    out.encoding = TextEncoding::Utf16Be;
    out.text = decodeUtf16(bytes.substr(2), false, out.replacedSequences);
  } else {
    bool littleEndian = false;
    if (guessUtf16(bytes, littleEndian)) {
      out.encoding = littleEndian ? TextEncoding::Utf16Le : TextEncoding::Utf16Be;
      out.text = decodeUtf16(bytes, littleEndian, out.replacedSequences);
    } else {
      std::string_view body = bytes;
      if (starts("\xEF\xBB\xBF"sv)) {
        out.encoding = TextEncoding::Utf8Bom;
        body = bytes.substr(3);
      }
      if (bytesLookBinary(body)) out.looksBinary = true;
      if (isValidUtf8(body)) {
        out.text.assign(body);
      } else {
        size_t multiByte = 0, invalid = 0;
        scanUtf8(body, multiByte, invalid);
        if (multiByte == 0 && out.encoding == TextEncoding::Utf8) {
          out.encoding = TextEncoding::Windows1252;
          out.text = decodeWindows1252(body, out.replacedSequences);
        } else {
          out.replacedSequences = invalid;
          out.text = sanitizeUtf8(body);
        }
      }
      return out;
    }
  }
  if (bytesLookBinary(out.text)) out.looksBinary = true;
  return out;
}

std::string normalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    uint8_t b = static_cast<uint8_t>(c);
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\f') {
      out.push_back('\n');
    } else if ((b < 0x20 && c != '\t' && c != '\n') || b == 0x7F) {
      continue;  // NUL and other control characters carry no text
    } else {
      out.push_back(c);
    }
  }
  // Drop blank lines at the start but keep the indentation of the first non-blank line.
  size_t firstContent = out.find_first_not_of(" \t\n");
  if (firstContent == std::string::npos) return {};
  size_t previousNewline = out.rfind('\n', firstContent);
  size_t begin = previousNewline == std::string::npos ? 0 : previousNewline + 1;
  size_t end = out.size();
  while (end > begin && (out[end - 1] == '\n' || out[end - 1] == ' ' || out[end - 1] == '\t')) --end;
  return out.substr(begin, end - begin);
}

}  // namespace cg::ingest
