#include "ingest/chunk_text.h"

#include <algorithm>
#include <array>

namespace cg::ingest::chunking {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t lineEnd(std::string_view text, size_t pos, size_t end) {
  size_t nl = text.find('\n', pos);
  return nl == std::string_view::npos || nl >= end ? end : nl + 1;
}

// Fence opener/closer: up to 3 spaces, then >= 3 backticks or tildes.
bool fenceMarker(std::string_view line, char& fenceChar, size_t& fenceLen) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return false;
  char c = line[i];
  size_t n = 0;
  while (i + n < line.size() && line[i + n] == c) ++n;
  if (n < 3) return false;
  fenceChar = c;
  fenceLen = n;
  return true;
}

struct Atom {
  size_t begin;
  size_t end;
  size_t tokens;
};

// Blank-line separated paragraphs of text[begin, end) (fenced code blocks stay one paragraph).
// Each atom starts at a non-blank line; trailing blank lines belong to the atom before them.
std::vector<std::pair<size_t, size_t>> paragraphs(std::string_view text, size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t pos = begin;
  size_t start = std::string_view::npos;
  bool inFence = false;
  char fenceChar = 0;
  size_t fenceLen = 0;
  bool prevBlank = true;
  while (pos < end) {
    size_t le = lineEnd(text, pos, end);
    std::string_view line = text.substr(pos, le - pos);
    bool blank = isBlank(line);
    if (inFence) {
      char c;
      size_t n;
      if (fenceMarker(line, c, n) && c == fenceChar && n >= fenceLen && isBlank(line.substr(line.find(c) + n)))
        inFence = false;
    } else {
      if (!blank && prevBlank) {
        if (start != std::string_view::npos) out.emplace_back(start, pos);
        start = pos;
      }
      char c;
      size_t n;
      if (fenceMarker(line, c, n)) {
        inFence = true;
        fenceChar = c;
        fenceLen = n;
      }
    }
    prevBlank = blank && !inFence;
    pos = le;
  }
  if (start != std::string_view::npos) out.emplace_back(start, end);
  return out;
}

std::vector<std::pair<size_t, size_t>> lines(std::string_view text, size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t pos = begin; pos < end;) {
    size_t le = lineEnd(text, pos, end);
    out.emplace_back(pos, le);
    pos = le;
  }
  return out;
}

// Largest prefix end p of text[begin, end) on a code point boundary with count <= limit, at
// least one code point; prefers to end right after whitespace in the second half.
size_t hardCutEnd(std::string_view text, size_t begin, size_t end, size_t limit, const TokenCounter& count) {
  auto fits = [&](size_t p) { return count(text.substr(begin, p - begin)) <= limit; };
  size_t firstCp = begin + 1;
  while (firstCp < end && isContinuationByte(text[firstCp])) ++firstCp;
  // Exponential search for an upper bound, then binary search.
  size_t good = firstCp;
  size_t step = std::max<size_t>(limit * 2, 16);
  size_t bad = end + 1;
  for (size_t probe = begin + step;; probe = begin + (probe - begin) * 2) {
    size_t p = probe >= end ? end : codePointFloor(text, probe);
    if (p <= good) {
      if (probe >= end) break;
      continue;
    }
    if (fits(p)) {
      good = p;
      if (p == end) return end;
    } else {
      bad = p;
      break;
    }
  }
  if (bad == end + 1) return good;
  while (true) {
    size_t mid = codePointFloor(text, good + (bad - good) / 2);
    if (mid <= good) break;
    if (fits(mid))
      good = mid;
    else
      bad = mid;
  }
  size_t half = begin + (good - begin) / 2;
  for (size_t p = good; p > half && p > firstCp; --p) {
    if (isSpace(text[p - 1])) return p;
  }
  return good;
}

}  // namespace

size_t codePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += isContinuationByte(c) ? 0 : 1;
  return n;
}

size_t codePointFloor(std::string_view s, size_t pos) {
  if (pos >= s.size()) return s.size();
  size_t limit = pos >= 3 ? pos - 3 : 0;
  size_t p = pos;
  while (p > limit && isContinuationByte(s[p])) --p;
  return isContinuationByte(s[p]) ? pos : p;
}

bool isBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return isSpace(c); });
}

void trimRange(std::string_view text, size_t& begin, size_t& end) {
  size_t lineStart = begin;
  size_t p = begin;
  while (p < end && isSpace(text[p])) {
    if (text[p] == '\n') lineStart = p + 1;
    ++p;
  }
  if (p == end) {
    begin = end;
    return;
  }
  begin = lineStart;
  while (end > begin && isSpace(text[end - 1])) --end;
}

std::vector<TextPiece> splitTextRange(std::string_view text, size_t begin, size_t end, std::string_view firstPrefix,
                                      std::string_view laterPrefix, const Budget& budget) {
  std::vector<TextPiece> pieces;
  trimRange(text, begin, end);
  if (begin >= end) return pieces;
  const size_t maxTokens = budget.maxTokens;
  size_t firstPrefixTokens = firstPrefix.empty() ? 0 : budget.count(firstPrefix);
  if (firstPrefixTokens > maxTokens / 3) firstPrefix = {}, firstPrefixTokens = 0;
  size_t laterPrefixTokens = laterPrefix.empty() ? 0 : budget.count(laterPrefix);
  if (laterPrefixTokens > maxTokens / 3) laterPrefix = {}, laterPrefixTokens = 0;
  const size_t overlapTokens = std::min(budget.overlapTokens, maxTokens / 4);
  const size_t atomLimit =
      std::max<size_t>(1, maxTokens - std::max(firstPrefixTokens, laterPrefixTokens) - overlapTokens);

  // Atoms that each fit alone: paragraphs, else their lines, else hard cuts of a line.
  std::vector<Atom> atoms;
  for (auto [pb, pe] : paragraphs(text, begin, end)) {
    size_t t = budget.count(text.substr(pb, pe - pb));
    if (t <= atomLimit) {
      atoms.push_back({pb, pe, t});
      continue;
    }
    for (auto [lb, le] : lines(text, pb, pe)) {
      size_t lt = budget.count(text.substr(lb, le - lb));
      if (lt <= atomLimit) {
        atoms.push_back({lb, le, lt});
        continue;
      }
      for (size_t p = lb; p < le;) {
        size_t q = hardCutEnd(text, p, le, atomLimit, budget.count);
        atoms.push_back({p, q, budget.count(text.substr(p, q - p))});
        p = q;
      }
    }
  }

  auto overlapStart = [&](size_t prevBegin, size_t prevEnd) -> size_t {
    if (overlapTokens == 0 || prevEnd <= prevBegin) return prevEnd;
    size_t bytes = std::min(prevEnd - prevBegin, overlapTokens * 4);
    while (bytes > 0) {
      size_t start = codePointFloor(text, prevEnd - bytes);
      // Start at a line beginning or after whitespace when one is near.
      size_t nl = text.find('\n', start);
      if (nl != std::string_view::npos && nl + 1 < prevEnd && nl - start < bytes / 2) {
        start = nl + 1;
      } else {
        while (start < prevEnd && !isSpace(text[start]) && start - (prevEnd - bytes) < 32) ++start;
        start = codePointFloor(text, start);
      }
      if (start < prevEnd && start >= prevBegin && budget.count(text.substr(start, prevEnd - start)) <= overlapTokens)
        return start;
      bytes /= 2;
    }
    return prevEnd;
  };

  size_t i = 0;
  while (i < atoms.size()) {
    bool first = pieces.empty();
    std::string_view prefix = first ? firstPrefix : laterPrefix;
    size_t prefixTokens = first ? firstPrefixTokens : laterPrefixTokens;
    size_t bodyBegin = atoms[i].begin;
    size_t ovStart = first ? bodyBegin : overlapStart(pieces.back().begin, pieces.back().end);
    if (ovStart > bodyBegin) ovStart = bodyBegin;
    size_t estimate = prefixTokens + (ovStart < bodyBegin ? overlapTokens : 0) + atoms[i].tokens;
    size_t j = i + 1;
    while (j < atoms.size() && estimate + atoms[j].tokens <= maxTokens) estimate += atoms[j++].tokens;
    while (true) {
      size_t bodyEnd = atoms[j - 1].end;
      while (bodyEnd > bodyBegin && isSpace(text[bodyEnd - 1])) --bodyEnd;
      TextPiece piece;
      piece.content.reserve(prefix.size() + (bodyEnd - ovStart));
      piece.content.append(prefix);
      piece.content.append(text.substr(ovStart, bodyBegin - ovStart));
      piece.bodyOffset = piece.content.size();
      piece.content.append(text.substr(bodyBegin, bodyEnd - bodyBegin));
      piece.begin = bodyBegin;
      piece.end = bodyEnd;
      piece.tokenCount = budget.count(piece.content);
      if (piece.tokenCount <= maxTokens) {
        if (bodyEnd > bodyBegin) pieces.push_back(std::move(piece));
        i = j;
        break;
      }
      if (j > i + 1) {
        --j;
        continue;
      }
      if (ovStart < bodyBegin) {  // drop the overlap before cutting the atom itself
        ovStart = bodyBegin;
        continue;
      }
      if (!prefix.empty()) {
        prefix = {};
        continue;
      }
      // The counter is not additive here: cut the atom again with a tighter limit.
      Atom atom = atoms[i];
      size_t limit = std::max<size_t>(1, std::min(atom.tokens, maxTokens) / 2);
      size_t q = hardCutEnd(text, atom.begin, atom.end, limit, budget.count);
      if (q >= atom.end) {  // cannot cut further: emit as is (only with pathological counters)
        pieces.push_back(std::move(piece));
        i = j;
        break;
      }
      atoms[i] = {atom.begin, q, budget.count(text.substr(atom.begin, q - atom.begin))};
      atoms.insert(atoms.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                   Atom{q, atom.end, budget.count(text.substr(q, atom.end - q))});
      j = i + 1;
    }
  }
  return pieces;
}

namespace {
constexpr std::array<std::string_view, 7> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

bool isWordChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

void addResourceWords(std::string_view path, std::vector<std::string>& out) {
  size_t scheme = path.find("://");
  if (scheme != std::string_view::npos) {
    size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view seg = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    start = slash == std::string_view::npos ? path.size() + 1 : slash + 1;
    if (seg.size() < 3 || seg.size() > 40) continue;
    bool word = std::all_of(seg.begin(), seg.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '-'; });
    if (!word || seg == "api" || seg == "rest" || seg == "cloud" || seg == "ocs") continue;
    std::string s(seg);
    addUnique(out, s, 40);
    if (s.size() > 4 && s.ends_with("ies"))
      addUnique(out, s.substr(0, s.size() - 3) + "y", 40);
    else if (s.size() > 3 && s.back() == 's' && !s.ends_with("ss"))
      addUnique(out, s.substr(0, s.size() - 1), 40);
  }
}
}  // namespace

EndpointMentions findEndpointMentions(std::string_view text) {
  EndpointMentions result;
  for (std::string_view method : kMethods) {
    for (size_t pos = text.find(method); pos != std::string_view::npos; pos = text.find(method, pos + 1)) {
      if (pos > 0 && isWordChar(text[pos - 1])) continue;
      size_t p = pos + method.size();
      if (p >= text.size() || !(text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '`' || text[p] == '*'))
        continue;
      bool sawNewline = false;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r' ||
                                 text[p] == '`' || text[p] == '*')) {
        if (text[p] == '\n') {
          if (sawNewline) break;
          sawNewline = true;
        }
        ++p;
      }
      size_t q = p;
      while (q < text.size() && !isSpace(text[q]) && text[q] != '`' && text[q] != '"' && text[q] != '\'' &&
             text[q] != '?' && text[q] != '#' && text[q] != ')' && text[q] != '*')
        ++q;
      std::string_view path = text.substr(p, q - p);
      bool pathLike = !path.empty() && (path[0] == '/' || path.starts_with("http://") || path.starts_with("https://") ||
                                        (path.find('/') != std::string_view::npos && isWordChar(path[0])));
      if (!pathLike && !sawNewline && !path.empty() && isWordChar(path[0])) {
        // "GET version" alone on its line (endpoint lists that omit the leading slash).
        size_t lineStart = pos;
        while (lineStart > 0 && (text[lineStart - 1] == ' ' || text[lineStart - 1] == '\t')) --lineStart;
        size_t eol = q;
        while (eol < text.size() && (text[eol] == ' ' || text[eol] == '\t' || text[eol] == '\r')) ++eol;
        pathLike = (lineStart == 0 || text[lineStart - 1] == '\n') && (eol == text.size() || text[eol] == '\n') &&
                   std::all_of(path.begin(), path.end(), [](char c) {
                     return isWordChar(c) || c == '.' || c == '-' || c == '{' || c == '}';
                   });
      }
      if (!pathLike) continue;
      ++result.count;
      addResourceWords(path, result.resources);
    }
  }
  return result;
}

void addUnique(std::vector<std::string>& list, std::string_view value, size_t cap) {
  if (value.empty() || list.size() >= cap) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

std::string shortList(const std::vector<std::string>& items, size_t shown) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < shown; ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  if (items.size() > shown) out += " +" + std::to_string(items.size() - shown) + " more";
  return out;
}

}  // namespace cg::ingest::chunking
