// Unicode character classes needed by the cl100k pre-tokenizer (internal to the tokenizer).
// Contract: pure functions over code points; the L and N tables are generated from the Unicode
// database by tokenizer_unicode_gen.mjs. Whitespace follows the Unicode White_Space property
// (what the Rust regex `\s` used by OpenAI's tiktoken matches).
#pragma once
#include <cstddef>
#include <cstdint>

namespace cg::ingest::unicode {

struct CodePointRange {
  char32_t first;
  char32_t last;  // inclusive
};

extern const CodePointRange kLetterRanges[];
extern const std::size_t kLetterRangesCount;
extern const CodePointRange kNumberRanges[];
extern const std::size_t kNumberRangesCount;

bool inRanges(char32_t cp, const CodePointRange* ranges, std::size_t count);

inline bool isLetter(char32_t cp) { return inRanges(cp, kLetterRanges, kLetterRangesCount); }
inline bool isNumber(char32_t cp) { return inRanges(cp, kNumberRanges, kNumberRangesCount); }

// Unicode White_Space: TAB..CR, SPACE, NEL, NBSP, OGHAM SPACE MARK, EN QUAD..HAIR SPACE,
// LINE/PARAGRAPH SEPARATOR, NARROW NBSP, MEDIUM MATHEMATICAL SPACE, IDEOGRAPHIC SPACE.
inline bool isWhitespace(char32_t cp) {
  if (cp < 0x80) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

}  // namespace cg::ingest::unicode
