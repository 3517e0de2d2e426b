// Fuzz target for the cl100k tokenizer: for any bytes, pre-tokenizer pieces partition the input,
// decode(encode(x)) == x, count(x) == encode(x).size(), and encoding the whole text equals
// encoding its pieces one by one (checks the per-call piece cache). Uses the real cl100k table
// when installed, otherwise a small built-in table so the checks still run.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/tokenizer.h"

namespace {

std::shared_ptr<const cg::ingest::Tokenizer> fallbackTokenizer() {
  // tiktoken format: every byte, then a few merges, each line "<base64> <rank>".
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto b64 = [&](std::string_view bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
      buffer = (buffer << 8) | c;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        out.push_back(alphabet[(buffer >> bits) & 63]);
      }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 63]);
    while (out.size() % 4) out.push_back('=');
    return out;
  };
  std::string table;
  for (int b = 0; b < 256; ++b) table += b64(std::string(1, static_cast<char>(b))) + " " + std::to_string(b) + "\n";
  const char* merges[] = {"aa", "ab", "th", "the", " the", "in", "ing", "  ", "    ", "\n\n", "ab ab"};
  int rank = 256;
  for (const char* m : merges) table += b64(m) + " " + std::to_string(rank++) + "\n";
  std::string error;
  return cg::ingest::Tokenizer::fromRankText(table, &error);
}

const cg::ingest::Tokenizer& tokenizer() {
  static const std::shared_ptr<const cg::ingest::Tokenizer> instance = [] {
    auto real = cg::ingest::Tokenizer::cl100k();
    return real ? real : fallbackTokenizer();
  }();
  return *instance;
}

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& tok = tokenizer();

  std::string joined;
  std::vector<std::uint32_t> pieceIds;
  for (std::string_view piece : cg::ingest::Tokenizer::splitPieces(text)) {
    check(!piece.empty());
    joined.append(piece);
    auto ids = tok.encode(piece);
    check(!ids.empty());
    pieceIds.insert(pieceIds.end(), ids.begin(), ids.end());
  }
  check(joined == text);

  auto ids = tok.encode(text);
  check(ids == pieceIds);
  check(tok.count(text) == ids.size());
  check(tok.decode(ids) == text);
  return 0;
}
