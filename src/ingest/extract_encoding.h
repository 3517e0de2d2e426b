// Text decoding for uploaded documentation: turns raw upload bytes into UTF-8 text.
//
// Contract: never throws. Recognises UTF-8 (with or without BOM), UTF-16 LE/BE and UTF-32 LE/BE
// (by BOM, and UTF-16 also by its zero-byte pattern), converts them to UTF-8, and repairs invalid
// UTF-8: text with no valid multi-byte sequence at all is read as Windows-1252 (legacy Latin-1
// files), anything else gets U+FFFD for each invalid byte. `looksBinary` reports content that is
// not text (NUL bytes or many control characters in the sample) so the caller can refuse it.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace cg::ingest {

enum class TextEncoding { Utf8, Utf8Bom, Utf16Le, Utf16Be, Utf32Le, Utf32Be, Windows1252 };

// Lowercase label, e.g. "utf-8", "utf-8-bom", "utf-16le", "windows-1252".
std::string_view encodingName(TextEncoding encoding);

struct DecodedText {
  std::string text;                      // valid UTF-8
  TextEncoding encoding = TextEncoding::Utf8;
  size_t replacedSequences = 0;          // invalid sequences replaced by U+FFFD
  bool looksBinary = false;              // content is most likely not text at all
};

// Decodes `bytes` to UTF-8 (see the header comment for the rules).
DecodedText decodeToUtf8(std::string_view bytes);

// Cheap binary test on raw bytes (no BOM handling): NULs or >10% control characters in the
// first 64 KiB. Text in UTF-16 without BOM counts as binary here; decodeToUtf8 handles it first.
bool bytesLookBinary(std::string_view bytes);

// Normalises decoded text for storage: CRLF and lone CR become LF, NUL and other C0 control
// characters except TAB/LF/FF are removed, trailing whitespace on each line is kept, and leading
// and trailing blank space of the whole text is trimmed.
std::string normalizeText(std::string_view text);

}  // namespace cg::ingest
