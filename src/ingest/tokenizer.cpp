// cl100k_base tokenizer: rank-table loading, hand-written pre-tokenizer and byte-pair merging.
#include "ingest/tokenizer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <queue>
#include <sstream>

#include "ingest/tokenizer_unicode.h"

namespace cg::ingest {

namespace unicode {
bool inRanges(char32_t cp, const CodePointRange* ranges, std::size_t count) {
  std::size_t lo = 0;
  std::size_t hi = count;
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (cp < ranges[mid].first) {
      hi = mid;
    } else if (cp > ranges[mid].last) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}
}  // namespace unicode

namespace {

// The two spellings of the cl100k pre-tokenizer pattern (js-tiktoken expands the case-insensitive group).
constexpr std::string_view kCl100kPatternExpanded =
    R"(('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kCl100kPatternCaseless =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

constexpr const char* kRanksEnvVar = "CG_TIKTOKEN_RANKS";
constexpr const char* kDefaultRanksRelativePath = "/third_party/npm/node_modules/js-tiktoken/dist/ranks/cl100k_base.js";

// Pieces up to this many bytes use the quadratic merge (fast for short pieces); longer ones use a heap.
constexpr std::size_t kSmallPieceBytes = 96;

// ---------------------------------------------------------------- hashing

inline std::uint64_t loadHead(const char* p, std::size_t n) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, n < 8 ? n : 8);
  return v;
}

inline std::uint32_t mixHash(std::uint64_t h) {
  h ^= h >> 29;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 32;
  return static_cast<std::uint32_t>(h);
}

// Hash of a byte string whose first 8 bytes (zero padded) are `head`.
inline std::uint32_t hashBytes(std::uint64_t head, const char* p, std::size_t n) {
  std::uint64_t h = (0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full) ^ head) * 0xC4CEB9FE1A85EC53ull;
  for (std::size_t at = 8; at < n; at += 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, p + at, n - at < 8 ? n - at : 8);
    h = (h ^ v) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  return mixHash(h);
}

// ---------------------------------------------------------------- base64

struct Base64Table {
  std::int8_t value[256];
  constexpr Base64Table() : value() {
    for (int i = 0; i < 256; ++i) value[i] = -1;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) value[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  }
};
constexpr Base64Table kBase64;

// Appends the decoded bytes to `out`; false if `text` is not canonical padded or unpadded base64.
bool decodeBase64(std::string_view text, std::string& out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    int v = kBase64.value[static_cast<unsigned char>(ch)];
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return bits < 6;  // a lone trailing symbol cannot encode a byte
}

bool parseUnsigned(std::string_view text, std::uint32_t& value) {
  if (text.empty() || text.size() > 9) return false;
  std::uint32_t v = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + static_cast<std::uint32_t>(ch - '0');
  }
  value = v;
  return true;
}

// Reads the JSON string literal that starts right after `key` (e.g. "\"pat_str\":\""), unescaping \\ and \".
bool readJsonString(std::string_view text, std::string_view key, std::string& value, std::size_t* end = nullptr) {
  std::size_t at = text.find(key);
  if (at == std::string_view::npos) return false;
  value.clear();
  for (std::size_t i = at + key.size(); i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '"') {
      if (end) *end = i;
      return true;
    }
    if (ch == '\\' && i + 1 < text.size()) {
      char next = text[++i];
      if (next == 'n') {
        value.push_back('\n');
      } else {
        value.push_back(next);
      }
      continue;
    }
    value.push_back(ch);
  }
  return false;
}

// ---------------------------------------------------------------- pre-tokenizer

enum class CharClass : std::uint8_t { Letter, Number, Space, Newline, Other };

struct AsciiClassTable {
  CharClass cls[128];
  constexpr AsciiClassTable() : cls() {
    for (int c = 0; c < 128; ++c) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        cls[c] = CharClass::Letter;
      } else if (c >= '0' && c <= '9') {
        cls[c] = CharClass::Number;
      } else if (c == '\r' || c == '\n') {
        cls[c] = CharClass::Newline;
      } else if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
        cls[c] = CharClass::Space;
      } else {
        cls[c] = CharClass::Other;
      }
    }
  }
};
constexpr AsciiClassTable kAscii;

struct CodePoint {
  CharClass cls;
  std::uint8_t length;  // bytes; 1 for an invalid byte
};

inline bool isContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Classifies the code point starting at s[i] (i < n). Bytes that do not start a valid, shortest-form
// UTF-8 sequence are returned as a one-byte Other.
CodePoint classifyNonAscii(const unsigned char* s, std::size_t n, std::size_t i) {
  unsigned char b0 = s[i];
  std::size_t avail = n - i;
  char32_t cp = 0;
  std::uint8_t length = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (avail >= 2 && isContinuation(s[i + 1])) {
      cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | (s[i + 1] & 0x3F);
      length = 2;
    }
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (avail >= 3 && isContinuation(s[i + 1]) && isContinuation(s[i + 2])) {
      unsigned char b1 = s[i + 1];
      bool valid = (b0 == 0xE0) ? b1 >= 0xA0 : (b0 == 0xED) ? b1 <= 0x9F : true;
      if (valid) {
        cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (static_cast<char32_t>(b1 & 0x3F) << 6) | (s[i + 2] & 0x3F);
        length = 3;
      }
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (avail >= 4 && isContinuation(s[i + 1]) && isContinuation(s[i + 2]) && isContinuation(s[i + 3])) {
      unsigned char b1 = s[i + 1];
      bool valid = (b0 == 0xF0) ? b1 >= 0x90 : (b0 == 0xF4) ? b1 <= 0x8F : true;
      if (valid) {
        cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (static_cast<char32_t>(b1 & 0x3F) << 12) |
             (static_cast<char32_t>(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
        length = 4;
      }
    }
  }
  if (length == 0) return {CharClass::Other, 1};
  if (unicode::isLetter(cp)) return {CharClass::Letter, length};
  if (unicode::isNumber(cp)) return {CharClass::Number, length};
  if (unicode::isWhitespace(cp)) return {CharClass::Space, length};
  return {CharClass::Other, length};
}

inline CodePoint classify(const unsigned char* s, std::size_t n, std::size_t i) {
  unsigned char b = s[i];
  if (b < 0x80) return {kAscii.cls[b], 1};
  return classifyNonAscii(s, n, i);
}

inline std::size_t skipClass(const unsigned char* s, std::size_t n, std::size_t i, CharClass wanted) {
  while (i < n) {
    CodePoint c = classify(s, n, i);
    if (c.cls != wanted) break;
    i += c.length;
  }
  return i;
}

inline std::size_t skipNewlineBytes(const unsigned char* s, std::size_t n, std::size_t i) {
  while (i < n && (s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}

// End of the cl100k pattern match that starts at i (i < n). Every position starts a match, so
// calling this repeatedly partitions the text. The branches follow the pattern's alternatives in order.
std::size_t pieceEnd(const unsigned char* s, std::size_t n, std::size_t i) {
  // 1. Contractions: 's 't 're 've 'm 'll 'd, any letter case.
  if (s[i] == '\'' && i + 1 < n) {
    unsigned char c1 = s[i + 1] | 0x20;
    if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return i + 2;
    if (i + 2 < n) {
      unsigned char c2 = s[i + 2] | 0x20;
      if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return i + 3;
    }
  }
  CodePoint first = classify(s, n, i);
  std::size_t next = i + first.length;
  switch (first.cls) {
    case CharClass::Letter:  // 2. [^\r\n\p{L}\p{N}]?\p{L}+ without the optional prefix
      return skipClass(s, n, next, CharClass::Letter);
    case CharClass::Number: {  // 3. \p{N}{1,3}
      for (int more = 0; more < 2 && next < n; ++more) {
        CodePoint c = classify(s, n, next);
        if (c.cls != CharClass::Number) break;
        next += c.length;
      }
      return next;
    }
    case CharClass::Space:
    case CharClass::Other: {
      if (next < n) {
        CodePoint second = classify(s, n, next);
        if (second.cls == CharClass::Letter) {  // 2. with the optional prefix
          return skipClass(s, n, next + second.length, CharClass::Letter);
        }
        if (first.cls == CharClass::Space && s[i] == ' ' && second.cls == CharClass::Other) {  // 4. with ' '
          return skipNewlineBytes(s, n, skipClass(s, n, next + second.length, CharClass::Other));
        }
      }
      if (first.cls == CharClass::Other) {  // 4. [^\s\p{L}\p{N}]+[\r\n]*
        return skipNewlineBytes(s, n, skipClass(s, n, next, CharClass::Other));
      }
      break;
    }
    case CharClass::Newline:
      break;
  }
  // Whitespace run starting at i.
  std::size_t end = i;
  std::size_t lastStart = i;
  std::size_t afterLastNewline = 0;
  std::size_t codePoints = 0;
  while (end < n) {
    CodePoint c = classify(s, n, end);
    if (c.cls == CharClass::Newline) {
      afterLastNewline = end + 1;
    } else if (c.cls != CharClass::Space) {
      break;
    }
    lastStart = end;
    end += c.length;
    ++codePoints;
  }
  if (afterLastNewline != 0) return afterLastNewline;  // 5. \s*[\r\n]+
  if (end == n) return end;                             // 6. \s+(?!\S) at the end of the text
  if (codePoints > 1) return lastStart;                 // 6. leave the last space for the next piece
  return end;                                           // 7. \s+
}

// ---------------------------------------------------------------- sinks

struct CollectSink {
  std::vector<std::uint32_t>& out;
  static constexpr bool kWantsIds = true;
  void token(std::uint32_t id) { out.push_back(id); }
  void tokens(std::size_t) {}
};

struct CountSink {
  std::size_t total = 0;
  static constexpr bool kWantsIds = false;
  void token(std::uint32_t) { ++total; }
  void tokens(std::size_t k) { total += k; }
};

std::string readWholeFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = "cannot open tokenizer rank file " + path;
    return {};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

}  // namespace

// ---------------------------------------------------------------- construction

Tokenizer::Tokenizer() = default;
Tokenizer::~Tokenizer() = default;

bool Tokenizer::addToken(std::string_view bytes, std::uint32_t rank, std::string* error) {
  if (bytes.empty()) {
    if (error) *error = "empty token in rank table (rank " + std::to_string(rank) + ")";
    return false;
  }
  if (rank >= (1u << 24)) {
    if (error) *error = "rank " + std::to_string(rank) + " is out of range";
    return false;
  }
  pendingTokens_.emplace_back(static_cast<std::uint32_t>(tokenArena_.size()), static_cast<std::uint32_t>(bytes.size()));
  pendingRanks_.push_back(rank);
  tokenArena_.append(bytes);
  return true;
}

bool Tokenizer::finish(std::string* error) {
  if (pendingRanks_.empty()) {
    if (error) *error = "rank table holds no tokens";
    return false;
  }
  std::uint32_t maxRank = *std::max_element(pendingRanks_.begin(), pendingRanks_.end());
  tokenOffset_.assign(std::size_t{maxRank} + 1, kNoRank);
  tokenLength_.assign(std::size_t{maxRank} + 1, 0);
  std::size_t capacity = 1024;
  while (capacity < pendingRanks_.size() * 5 / 2) capacity *= 2;
  slots_.assign(capacity, Slot{0, kNoRank, 0});
  slotMask_ = static_cast<std::uint32_t>(capacity - 1);
  std::size_t distinctRanks = 0;
  for (std::size_t t = 0; t < pendingRanks_.size(); ++t) {
    auto [offset, length] = pendingTokens_[t];
    std::uint32_t rank = pendingRanks_[t];
    if (tokenOffset_[rank] != kNoRank) {
      if (error) *error = "rank " + std::to_string(rank) + " appears twice in the rank table";
      return false;
    }
    tokenOffset_[rank] = offset;
    tokenLength_[rank] = length;
    ++distinctRanks;
    const char* bytes = tokenArena_.data() + offset;
    std::uint64_t head = loadHead(bytes, length);
    std::uint32_t index = hashBytes(head, bytes, length) & slotMask_;
    while (true) {
      Slot& slot = slots_[index];
      if (slot.rank == kNoRank) {
        slot = Slot{head, rank, length};
        break;
      }
      if (slot.head == head && slot.length == length &&
          std::memcmp(tokenArena_.data() + tokenOffset_[slot.rank], bytes, length) == 0) {
        slot.rank = rank;  // same bytes listed twice: the later rank wins (as in js-tiktoken)
        break;
      }
      index = (index + 1) & slotMask_;
    }
  }
  for (std::size_t length : tokenLength_) maxTokenBytes_ = std::max(maxTokenBytes_, length);
  for (int b = 0; b < 256; ++b) {
    char byte = static_cast<char>(b);
    byteRank_[b] = rankOf(&byte, 1);
    if (byteRank_[b] == kNoRank) {
      if (error) *error = "rank table lacks the single-byte token for byte " + std::to_string(b);
      return false;
    }
  }
  pairRank_.assign(65536, kNoRank);
  for (int pair = 0; pair < 65536; ++pair) {
    char bytes[2] = {static_cast<char>(pair & 0xFF), static_cast<char>(pair >> 8)};
    pairRank_[pair] = rankOf(bytes, 2);
  }
  rankCount_ = distinctRanks;
  pendingTokens_.clear();
  pendingTokens_.shrink_to_fit();
  pendingRanks_.clear();
  pendingRanks_.shrink_to_fit();
  return true;
}

std::shared_ptr<const Tokenizer> Tokenizer::fromRankText(std::string_view text, std::string* error) {
  std::shared_ptr<Tokenizer> tokenizer(new Tokenizer());
  tokenizer->tokenArena_.reserve(text.size() * 3 / 4);
  std::string decoded;
  if (text.find("\"bpe_ranks\"") != std::string_view::npos) {
    std::string pattern;
    if (!readJsonString(text, "\"pat_str\":\"", pattern)) {
      if (error) *error = "rank table has no pat_str";
      return nullptr;
    }
    if (pattern != kCl100kPatternExpanded && pattern != kCl100kPatternCaseless) {
      if (error) *error = "rank table is not cl100k_base (its pre-tokenizer pattern differs)";
      return nullptr;
    }
    std::size_t start = text.find("\"bpe_ranks\":\"");
    if (start == std::string_view::npos) {
      if (error) *error = "rank table has no bpe_ranks string";
      return nullptr;
    }
    start += std::string_view("\"bpe_ranks\":\"").size();
    std::size_t end = text.find('"', start);
    if (end == std::string_view::npos) {
      if (error) *error = "bpe_ranks string is not terminated";
      return nullptr;
    }
    std::string_view ranks = text.substr(start, end - start);
    // Lines are separated by the escape "\n" (or a raw newline); each is "<tag> <first rank> <b64> <b64> ...".
    std::size_t pos = 0;
    while (pos < ranks.size()) {
      std::size_t lineEnd = ranks.size();
      std::size_t sepLength = 0;
      std::size_t escaped = ranks.find("\\n", pos);
      std::size_t raw = ranks.find('\n', pos);
      if (escaped != std::string_view::npos && (raw == std::string_view::npos || escaped < raw)) {
        lineEnd = escaped;
        sepLength = 2;
      } else if (raw != std::string_view::npos) {
        lineEnd = raw;
        sepLength = 1;
      }
      std::string_view line = ranks.substr(pos, lineEnd - pos);
      pos = lineEnd + sepLength;
      if (line.empty()) continue;
      std::size_t fieldIndex = 0;
      std::uint32_t nextRank = 0;
      std::size_t f = 0;
      while (f <= line.size()) {
        std::size_t space = line.find(' ', f);
        if (space == std::string_view::npos) space = line.size();
        std::string_view field = line.substr(f, space - f);
        f = space + 1;
        if (field.empty()) continue;
        if (fieldIndex == 1) {
          if (!parseUnsigned(field, nextRank)) {
            if (error) *error = "bad rank offset '" + std::string(field) + "' in bpe_ranks";
            return nullptr;
          }
        } else if (fieldIndex >= 2) {
          decoded.clear();
          if (!decodeBase64(field, decoded)) {
            if (error) *error = "bad base64 token '" + std::string(field) + "' in bpe_ranks";
            return nullptr;
          }
          if (!tokenizer->addToken(decoded, nextRank++, error)) return nullptr;
        }
        ++fieldIndex;
      }
    }
  } else {
    // tiktoken format: "<b64> <rank>" per line.
    std::size_t pos = 0;
    std::size_t lineNumber = 0;
    while (pos < text.size()) {
      std::size_t lineEnd = text.find('\n', pos);
      if (lineEnd == std::string_view::npos) lineEnd = text.size();
      std::string_view line = text.substr(pos, lineEnd - pos);
      pos = lineEnd + 1;
      ++lineNumber;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      std::size_t space = line.find(' ');
      std::uint32_t rank = 0;
      decoded.clear();
      if (space == std::string_view::npos || !decodeBase64(line.substr(0, space), decoded) ||
          !parseUnsigned(line.substr(space + 1), rank)) {
        if (error) *error = "rank table line " + std::to_string(lineNumber) + " is not '<base64> <rank>'";
        return nullptr;
      }
      if (!tokenizer->addToken(decoded, rank, error)) return nullptr;
    }
  }
  if (!tokenizer->finish(error)) return nullptr;
  return tokenizer;
}

std::shared_ptr<const Tokenizer> Tokenizer::fromRankFile(const std::string& path, std::string* error) {
  std::string readError;
  std::string text = readWholeFile(path, &readError);
  if (!readError.empty()) {
    if (error) *error = readError;
    return nullptr;
  }
  std::string parseError;
  auto tokenizer = fromRankText(text, &parseError);
  if (!tokenizer && error) *error = path + ": " + parseError;
  return tokenizer;
}

std::vector<std::string> Tokenizer::cl100kCandidatePaths() {
  std::vector<std::string> paths;
  if (const char* fromEnv = std::getenv(kRanksEnvVar); fromEnv && *fromEnv) paths.emplace_back(fromEnv);
  paths.push_back(std::string(CG_SOURCE_DIR) + kDefaultRanksRelativePath);
  return paths;
}

namespace {
struct DefaultTokenizer {
  std::shared_ptr<const Tokenizer> tokenizer;
  std::string error;
};

const DefaultTokenizer& defaultTokenizer() {
  static const DefaultTokenizer instance = [] {
    DefaultTokenizer loaded;
    std::string errors;
    for (const std::string& path : Tokenizer::cl100kCandidatePaths()) {
      std::string error;
      loaded.tokenizer = Tokenizer::fromRankFile(path, &error);
      if (loaded.tokenizer) return loaded;
      if (!errors.empty()) errors += "; ";
      errors += error;
    }
    loaded.error = "cl100k_base rank table unavailable (" + errors + "); set " + kRanksEnvVar +
                   " to js-tiktoken's dist/ranks/cl100k_base.js or to cl100k_base.tiktoken, or run scripts/install-deps.sh";
    return loaded;
  }();
  return instance;
}
}  // namespace

std::shared_ptr<const Tokenizer> Tokenizer::cl100k() { return defaultTokenizer().tokenizer; }

std::string Tokenizer::cl100kLoadError() { return defaultTokenizer().error; }

// ---------------------------------------------------------------- lookup and merging

std::uint32_t Tokenizer::rankOf(const char* bytes, std::size_t size) const {
  if (size > maxTokenBytes_) return kNoRank;
  std::uint64_t head = loadHead(bytes, size);
  std::uint32_t index = hashBytes(head, bytes, size) & slotMask_;
  while (true) {
    const Slot& slot = slots_[index];
    if (slot.rank == kNoRank) return kNoRank;
    if (slot.head == head && slot.length == size &&
        (size <= 8 || std::memcmp(tokenArena_.data() + tokenOffset_[slot.rank] + 8, bytes + 8, size - 8) == 0)) {
      return slot.rank;
    }
    index = (index + 1) & slotMask_;
  }
}

// Byte-pair merging as tiktoken does it: repeatedly merge the adjacent pair whose concatenation has
// the lowest rank (leftmost on ties) until no adjacent pair is a token. Quadratic, for short pieces.
template <typename Sink>
void Tokenizer::mergeSmall(const char* piece, std::size_t size, Sink& sink) const {
  struct Part {
    std::uint32_t start;
    std::uint32_t pairRank;  // rank of this part joined with the next one
  };
  Part parts[kSmallPieceBytes + 1];
  std::size_t count = size + 1;
  const auto* bytes = reinterpret_cast<const unsigned char*>(piece);
  for (std::size_t i = 0; i + 1 < size; ++i) {
    parts[i] = {static_cast<std::uint32_t>(i), pairRank_[bytes[i] | (bytes[i + 1] << 8)]};
  }
  parts[size - 1] = {static_cast<std::uint32_t>(size - 1), kNoRank};
  parts[size] = {static_cast<std::uint32_t>(size), kNoRank};
  auto spanRank = [&](std::size_t from, std::size_t toPart) {
    return rankOf(piece + parts[from].start, parts[toPart].start - parts[from].start);
  };
  while (count > 2) {
    std::uint32_t best = kNoRank;
    std::size_t at = 0;
    for (std::size_t i = 0; i + 1 < count; ++i) {
      if (parts[i].pairRank < best) {
        best = parts[i].pairRank;
        at = i;
      }
    }
    if (best == kNoRank) break;
    std::memmove(&parts[at + 1], &parts[at + 2], (count - at - 2) * sizeof(Part));
    --count;
    parts[at].pairRank = (at + 2 < count) ? spanRank(at, at + 2) : kNoRank;
    if (at > 0) parts[at - 1].pairRank = spanRank(at - 1, at + 1);
  }
  if constexpr (Sink::kWantsIds) {
    for (std::size_t i = 0; i + 1 < count; ++i) sink.token(spanRank(i, i + 1));
  } else {
    sink.tokens(count - 1);
  }
}

// Same result as mergeSmall in O(n log n): a linked list of parts and a min-heap of candidate pairs.
template <typename Sink>
void Tokenizer::mergeLarge(const char* piece, std::size_t size, Sink& sink) const {
  struct Candidate {
    std::uint32_t rank;
    std::uint32_t left;
    std::uint32_t right;     // start of the right part when the candidate was made
    std::uint32_t rightEnd;  // end of the right part when the candidate was made
    bool operator>(const Candidate& other) const {
      return rank != other.rank ? rank > other.rank : left > other.left;
    }
  };
  std::vector<std::uint32_t> nextStart(size + 1);
  std::vector<std::uint32_t> prevStart(size + 1);
  std::vector<bool> alive(size + 1, true);
  for (std::size_t i = 0; i <= size; ++i) {
    nextStart[i] = static_cast<std::uint32_t>(i + 1);
    prevStart[i] = static_cast<std::uint32_t>(i == 0 ? 0 : i - 1);
  }
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
  auto offer = [&](std::uint32_t left) {
    std::uint32_t right = nextStart[left];
    if (right >= size) return;
    std::uint32_t rightEnd = nextStart[right];
    std::uint32_t rank = rankOf(piece + left, rightEnd - left);
    if (rank != kNoRank) heap.push({rank, left, right, rightEnd});
  };
  for (std::uint32_t i = 0; i + 1 < size; ++i) offer(i);
  while (!heap.empty()) {
    Candidate c = heap.top();
    heap.pop();
    if (!alive[c.left] || nextStart[c.left] != c.right || !alive[c.right] || nextStart[c.right] != c.rightEnd) continue;
    alive[c.right] = false;
    nextStart[c.left] = c.rightEnd;
    if (c.rightEnd <= size) prevStart[c.rightEnd] = c.left;
    offer(c.left);
    if (c.left > 0) offer(prevStart[c.left]);
  }
  for (std::uint32_t at = 0; at < size; at = nextStart[at]) {
    if constexpr (Sink::kWantsIds) {
      sink.token(rankOf(piece + at, nextStart[at] - at));
    } else {
      sink.token(0);
    }
  }
}

// Remembers, for one encode/count call, how recent multi-token pieces were merged. Documents repeat
// the same identifiers and paths many times, and merging is the expensive part. Entries point into
// the caller's text, which outlives the call.
struct Tokenizer::PieceCache {
  static constexpr std::size_t kEntries = 4096;
  struct Entry {
    const char* piece = nullptr;
    std::uint32_t size = 0;
    std::uint32_t firstId = 0;  // into ids (only when ids are collected)
    std::uint32_t idCount = 0;
  };
  std::vector<Entry> entries;
  std::vector<std::uint32_t> ids;
};

template <typename Sink>
void Tokenizer::encodePiece(const char* piece, std::size_t size, Sink& sink, PieceCache& cache) const {
  if (size == 1) {
    sink.token(byteRank_[static_cast<unsigned char>(piece[0])]);
    return;
  }
  std::uint32_t whole = rankOf(piece, size);
  if (whole != kNoRank) {
    sink.token(whole);
    return;
  }
  if (size > kSmallPieceBytes) {
    mergeLarge(piece, size, sink);
    return;
  }
  if (cache.entries.empty()) cache.entries.resize(PieceCache::kEntries);
  auto& entry = cache.entries[hashBytes(loadHead(piece, size), piece, size) & (PieceCache::kEntries - 1)];
  bool hit = entry.size == size && std::memcmp(entry.piece, piece, size) == 0;
  if constexpr (Sink::kWantsIds) {
    if (!hit) {
      std::size_t first = cache.ids.size();
      CollectSink recorder{cache.ids};
      mergeSmall(piece, size, recorder);
      entry = {piece, static_cast<std::uint32_t>(size), static_cast<std::uint32_t>(first),
               static_cast<std::uint32_t>(cache.ids.size() - first)};
    }
    for (std::uint32_t k = 0; k < entry.idCount; ++k) sink.token(cache.ids[entry.firstId + k]);
  } else {
    if (!hit) {
      CountSink counter;
      mergeSmall(piece, size, counter);
      entry = {piece, static_cast<std::uint32_t>(size), 0, static_cast<std::uint32_t>(counter.total)};
    }
    sink.tokens(entry.idCount);
  }
}

template <typename Sink>
void Tokenizer::encodeWith(std::string_view text, Sink& sink) const {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  PieceCache cache;
  while (i < n) {
    std::size_t end = pieceEnd(s, n, i);
    encodePiece(text.data() + i, end - i, sink, cache);
    i = end;
  }
}

std::vector<std::uint32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<std::uint32_t> ids;
  ids.reserve(text.size() / 3 + 4);
  CollectSink sink{ids};
  encodeWith(text, sink);
  return ids;
}

std::size_t Tokenizer::count(std::string_view text) const {
  CountSink sink;
  encodeWith(text, sink);
  return sink.total;
}

std::string_view Tokenizer::tokenBytes(std::uint32_t id) const {
  if (id >= tokenOffset_.size() || tokenOffset_[id] == kNoRank) return {};
  return std::string_view(tokenArena_.data() + tokenOffset_[id], tokenLength_[id]);
}

std::string Tokenizer::decode(std::span<const std::uint32_t> ids) const {
  std::string out;
  out.reserve(ids.size() * 4);
  for (std::uint32_t id : ids) out.append(tokenBytes(id));
  return out;
}

std::vector<std::string_view> Tokenizer::splitPieces(std::string_view text) {
  std::vector<std::string_view> pieces;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = pieceEnd(s, text.size(), i);
    pieces.push_back(text.substr(i, end - i));
    i = end;
  }
  return pieces;
}

// ---------------------------------------------------------------- counting facade

std::size_t approximateTokenCount(std::string_view text) { return (text.size() + 3) / 4; }

TokenCount countTokens(std::string_view text) {
  if (auto tokenizer = Tokenizer::cl100k()) return {tokenizer->count(text), true};
  return {approximateTokenCount(text), false};
}

}  // namespace cg::ingest
