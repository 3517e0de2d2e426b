// Internal building blocks of the chunker (see ingest/chunker.h): UTF-8 helpers and the
// paragraph -> line -> code point splitter with overlap that every strategy falls back to.
//
// Contract of splitTextRange: the non-blank text of text[begin, end) is cut into pieces whose
// bodies are consecutive slices of `text`; each piece's content is a prefix (firstPrefix for
// the first piece, laterPrefix for the others) followed, for pieces after the first, by an
// overlap taken from the end of the previous body, then the body. Every piece's content counts
// at most budget.maxTokens tokens (prefixes that would take more than a third of the budget
// are dropped). Cuts prefer blank lines, then line ends, then whitespace, and always fall on
// code point boundaries. Fenced code blocks (``` / ~~~) are kept whole when they fit.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/chunker.h"

namespace cg::ingest::chunking {

struct Budget {
  const TokenCounter& count;
  size_t maxTokens;
  size_t overlapTokens;
};

struct TextPiece {
  std::string content;
  size_t bodyOffset = 0;  // where the slice of the input starts inside content
  size_t begin = 0;       // body slice text[begin, end)
  size_t end = 0;
  size_t tokenCount = 0;  // exact count of content
};

std::vector<TextPiece> splitTextRange(std::string_view text, size_t begin, size_t end, std::string_view firstPrefix,
                                      std::string_view laterPrefix, const Budget& budget);

// Code points in s (continuation bytes are not counted).
size_t codePointCount(std::string_view s);
// Largest code point boundary <= pos.
size_t codePointFloor(std::string_view s, size_t pos);
bool isBlank(std::string_view s);
// Moves begin past leading blank lines and end before trailing whitespace; begin == end when
// the range holds only whitespace.
void trimRange(std::string_view text, size_t& begin, size_t& end);

// Number of `METHOD /path` mentions (a method word followed by a path on the same or the next
// line) and the distinct resource words found in those paths (lowercase, singular and plural).
struct EndpointMentions {
  size_t count = 0;
  std::vector<std::string> resources;
};
EndpointMentions findEndpointMentions(std::string_view text);

// Appends `value` to `list` unless already present (exact match); keeps at most `cap` entries.
void addUnique(std::vector<std::string>& list, std::string_view value, size_t cap = 64);

// "a, b, c +N more" style list for summaries.
std::string shortList(const std::vector<std::string>& items, size_t shown);

}  // namespace cg::ingest::chunking
