// Exact token counting with OpenAI's cl100k_base encoding (the BPE used by GPT-4 / GPT-3.5 models).
//
// Contract:
//  - encode() returns the same token ids as OpenAI's tiktoken `encode_ordinary` for any valid UTF-8
//    text (special tokens such as "<|endoftext|>" are treated as plain text). Invalid UTF-8 never
//    fails: each byte that is not part of a valid sequence is treated as a lone punctuation-like
//    character and encoded with the byte-level tokens, so decode(encode(x)) == x for every byte string.
//  - Known divergence from js-tiktoken (not from tiktoken): `\s` follows Unicode White_Space like the
//    Rust regex of tiktoken, so U+0085 is whitespace and U+FEFF is not (JavaScript's `\s` is the
//    other way round). Letter/number classes come from a generated Unicode table.
//  - The rank table (100256 byte strings) is not compiled in: it is parsed at run time from the
//    js-tiktoken package file (dist/ranks/cl100k_base.js) or from a tiktoken `.tiktoken` file.
//    Tokenizer::cl100k() loads it once per process (thread-safe) from, in order, the env var
//    CG_TIKTOKEN_RANKS and <CG_SOURCE_DIR>/third_party/npm/node_modules/js-tiktoken/dist/ranks/cl100k_base.js.
//    When it cannot be loaded, cl100k() returns nullptr and cl100kLoadError() says why; countTokens()
//    then falls back to an approximate count (flagged exact == false).
//  - A Tokenizer is immutable after construction; all methods are const and safe to call from many threads.
//  - Nothing throws; parse errors come back as text.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cg::ingest {

class Tokenizer {
 public:
  // The process-wide cl100k_base tokenizer, loaded on first call; nullptr if the rank table is unavailable.
  static std::shared_ptr<const Tokenizer> cl100k();
  // Why cl100k() returned nullptr (empty when it loaded).
  static std::string cl100kLoadError();
  // Where cl100k() looks for the rank table (env override first), for diagnostics.
  static std::vector<std::string> cl100kCandidatePaths();

  // Builds a tokenizer from rank-table text: either the js-tiktoken module format
  // (`export default {"pat_str":...,"bpe_ranks":"! 0 IQ== Ig== ..."}`) or the tiktoken format
  // (one "<base64> <rank>" per line). Returns nullptr and sets *error on malformed input, on a
  // pre-tokenizer pattern other than cl100k's, or when a single-byte token is missing.
  static std::shared_ptr<const Tokenizer> fromRankText(std::string_view text, std::string* error);
  // Reads the file and calls fromRankText.
  static std::shared_ptr<const Tokenizer> fromRankFile(const std::string& path, std::string* error);

  std::vector<std::uint32_t> encode(std::string_view text) const;
  // Same as encode(text).size(), without building the vector.
  std::size_t count(std::string_view text) const;
  // Concatenates the bytes of the tokens; ids outside the vocabulary are skipped.
  std::string decode(std::span<const std::uint32_t> ids) const;
  // Bytes of one token (empty if the id is unknown).
  std::string_view tokenBytes(std::uint32_t id) const;
  // Number of ordinary tokens (100256 for cl100k_base).
  std::size_t vocabularySize() const { return rankCount_; }

  // Pre-tokenizer only: splits text into the pieces the cl100k regex would match (exposed for tests).
  static std::vector<std::string_view> splitPieces(std::string_view text);

  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

 private:
  Tokenizer();
  // One hash-table entry; the first 8 bytes of the token live in the slot so short keys compare
  // without touching the arena.
  struct Slot {
    std::uint64_t head;    // first min(8, length) bytes, zero padded
    std::uint32_t rank;    // kNoRank when empty
    std::uint32_t length;  // token length in bytes
  };
  static constexpr std::uint32_t kNoRank = 0xFFFFFFFFu;

  bool addToken(std::string_view bytes, std::uint32_t rank, std::string* error);
  bool finish(std::string* error);
  std::uint32_t rankOf(const char* bytes, std::size_t size) const;
  template <typename Sink>
  void encodeWith(std::string_view text, Sink& sink) const;
  struct PieceCache;  // per-call memo of multi-token pieces (defined in tokenizer.cpp)
  template <typename Sink>
  void encodePiece(const char* piece, std::size_t size, Sink& sink, PieceCache& cache) const;
  template <typename Sink>
  void mergeSmall(const char* piece, std::size_t size, Sink& sink) const;
  template <typename Sink>
  void mergeLarge(const char* piece, std::size_t size, Sink& sink) const;

  std::string tokenArena_;                     // all token bytes, concatenated in load order
  std::vector<std::uint32_t> tokenOffset_;     // per rank: start in arena (kNoRank if absent)
  std::vector<std::uint32_t> tokenLength_;     // per rank: byte length
  std::vector<Slot> slots_;                    // open-addressing hash table bytes -> rank
  std::uint32_t slotMask_ = 0;
  std::uint32_t byteRank_[256] = {};
  std::vector<std::uint32_t> pairRank_;        // 65536 entries: rank of each 2-byte token (kNoRank if none)
  std::size_t rankCount_ = 0;
  std::size_t maxTokenBytes_ = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pendingTokens_;  // (arena offset, length) during load
  std::vector<std::uint32_t> pendingRanks_;
};

// Token count of `text` under cl100k_base. exact == false means the rank table was unavailable and
// `tokens` is the approximation approximateTokenCount(text).
struct TokenCount {
  std::size_t tokens = 0;
  bool exact = false;
};
TokenCount countTokens(std::string_view text);

// Rough estimate used when the rank table is missing: one token per 4 bytes, rounded up.
std::size_t approximateTokenCount(std::string_view text);

}  // namespace cg::ingest
