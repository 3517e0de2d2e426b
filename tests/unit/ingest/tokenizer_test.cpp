// Tests of the cl100k_base tokenizer: pre-tokenizer splits, BPE semantics on a tiny table, rank-table
// parsing errors, and exact agreement with js-tiktoken (run through node) on generated and corpus texts.
#include "ingest/tokenizer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <unistd.h>

#include "util/json.h"
#include "util/strings.h"

namespace cg::ingest {
namespace {

namespace fs = std::filesystem;

std::string sourceDir() {
  if (const char* env = std::getenv("CG_SOURCE_DIR"); env && *env) return env;
  return CG_SOURCE_DIR;
}

std::string jsTiktokenDir() { return sourceDir() + "/third_party/npm/node_modules/js-tiktoken"; }

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Skips when the rank table is not installed at all; a table that exists but fails to load is a failure.
#define REQUIRE_CL100K(var)                                                                         \
  auto var = Tokenizer::cl100k();                                                                   \
  if (!var && !std::getenv("CG_TIKTOKEN_RANKS") &&                                                  \
      !fs::exists(jsTiktokenDir() + "/dist/ranks/cl100k_base.js"))                                  \
    GTEST_SKIP() << "cl100k rank table not installed (run scripts/install-deps.sh): "              \
                 << Tokenizer::cl100kLoadError();                                                   \
  ASSERT_TRUE(var) << Tokenizer::cl100kLoadError()

// Runs js-tiktoken under node over `texts`; nullopt (with *why) when node or the package is missing.
std::optional<std::vector<std::vector<std::uint32_t>>> oracleEncode(const std::vector<std::string>& texts,
                                                                    std::string* why) {
  if (std::system("node --version > /dev/null 2>&1") != 0) {
    *why = "node is not installed";
    return std::nullopt;
  }
  if (!fs::exists(jsTiktokenDir() + "/dist/lite.cjs")) {
    *why = "js-tiktoken is not installed at " + jsTiktokenDir();
    return std::nullopt;
  }
  fs::path dir = fs::temp_directory_path() / ("cg_tok_oracle_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  cg::Json input = cg::Json::array();
  for (const auto& text : texts) input.push_back(text);
  std::ofstream(dir / "in.json") << input.dump();
  std::ofstream(dir / "oracle.cjs")
      << "const fs = require('fs');\n"
         "const [pkg, inPath, outPath] = process.argv.slice(2);\n"
         "const { Tiktoken } = require(pkg + '/dist/lite.cjs');\n"
         "const enc = new Tiktoken(require(pkg + '/dist/ranks/cl100k_base.cjs'));\n"
         "const texts = JSON.parse(fs.readFileSync(inPath, 'utf8'));\n"
         "fs.writeFileSync(outPath, JSON.stringify(texts.map((t) => enc.encode(t, [], []))));\n";
  std::string command = "node " + (dir / "oracle.cjs").string() + " " + jsTiktokenDir() + " " +
                        (dir / "in.json").string() + " " + (dir / "out.json").string();
  int rc = std::system(command.c_str());
  std::string output = readFile(dir / "out.json");
  fs::remove_all(dir);
  if (rc != 0 || output.empty()) {
    *why = "node oracle failed (exit " + std::to_string(rc) + ")";
    return std::nullopt;
  }
  return cg::Json::parse(output).get<std::vector<std::vector<std::uint32_t>>>();
}

void expectSameAsOracle(const Tokenizer& tokenizer, const std::vector<std::string>& texts) {
  std::string why;
  auto expected = oracleEncode(texts, &why);
  if (!expected) GTEST_SKIP() << "js-tiktoken oracle unavailable: " << why;
  ASSERT_EQ(expected->size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto ids = tokenizer.encode(texts[i]);
    if (ids != (*expected)[i]) {
      std::size_t at = 0;
      while (at < ids.size() && at < (*expected)[i].size() && ids[at] == (*expected)[i][at]) ++at;
      ADD_FAILURE() << "text #" << i << " (" << texts[i].size() << " bytes) differs at token " << at
                    << ": got " << ids.size() << " tokens, js-tiktoken " << (*expected)[i].size()
                    << "; text starts: " << cg::Json(texts[i].substr(0, 120)).dump();
      continue;
    }
    EXPECT_EQ(tokenizer.count(texts[i]), ids.size()) << "text #" << i;
    EXPECT_EQ(tokenizer.decode(ids), texts[i]) << "text #" << i;
  }
}

std::vector<std::string> pieces(std::string_view text) {
  std::vector<std::string> out;
  for (auto piece : Tokenizer::splitPieces(text)) out.emplace_back(piece);
  return out;
}

using Pieces = std::vector<std::string>;

// ---------------------------------------------------------------- pre-tokenizer (no rank table needed)

TEST(TokenizerSplit, FollowsCl100kPatternOnAsciiText) {
  EXPECT_EQ(pieces("Hello, world!\n\n  foo  bar   \n"),
            (Pieces{"Hello", ",", " world", "!\n\n", " ", " foo", " ", " bar", "   \n"}));
  EXPECT_EQ(pieces("x   y"), (Pieces{"x", "  ", " y"}));
  EXPECT_EQ(pieces("\t\tfoo"), (Pieces{"\t", "\tfoo"}));
  EXPECT_EQ(pieces("a\r\n\r\n  b"), (Pieces{"a", "\r\n\r\n", " ", " b"}));
  EXPECT_EQ(pieces("  (foo) 12345 don't'S !!\n\n"),
            (Pieces{" ", " (", "foo", ")", " ", "123", "45", " don", "'t", "'S", " !!\n\n"}));
  EXPECT_EQ(pieces("trailing   "), (Pieces{"trailing", "   "}));
  EXPECT_EQ(pieces("'ll've're'd'm'x"), (Pieces{"'ll", "'ve", "'re", "'d", "'m", "'x"}));
  EXPECT_EQ(pieces(" \n"), (Pieces{" \n"}));
  EXPECT_EQ(pieces("\n\nfoo"), (Pieces{"\n\n", "foo"}));
  EXPECT_TRUE(pieces("").empty());
}

TEST(TokenizerSplit, ClassifiesUnicodeLettersNumbersAndSpaces) {
  EXPECT_EQ(pieces("über 中文 ١٢٣٤"), (Pieces{"über", " 中文", " ", "١٢٣", "٤"}));
  // U+3000 IDEOGRAPHIC SPACE is whitespace, U+00A0 too; emoji are neither letters nor numbers.
  EXPECT_EQ(pieces("a\u3000\u3000b"), (Pieces{"a", "\u3000", "\u3000b"}));
  EXPECT_EQ(pieces("ok 😀😀!"), (Pieces{"ok", " 😀😀!"}));
  EXPECT_EQ(pieces("x\u00a0y"), (Pieces{"x", "\u00a0y"}));
}

TEST(TokenizerSplit, InvalidUtf8BytesArePunctuationLike) {
  std::string text = "abc\xff" "def \x80\x80 \xe4\xb8";  // lone 0xFF, stray continuations, truncated sequence
  auto split = pieces(text);
  EXPECT_EQ(split, (Pieces{"abc", "\xff" "def", " \x80\x80", " \xe4\xb8"}));
  std::string joined;
  for (const auto& p : split) joined += p;
  EXPECT_EQ(joined, text);
  // Overlong encoding and encoded surrogate are rejected byte by byte too.
  EXPECT_EQ(pieces("\xc0\xaf" "a"), (Pieces{"\xc0\xaf", "a"}));
  EXPECT_EQ(pieces("\xed\xa0\x80"), (Pieces{"\xed\xa0\x80"}));
}

// ---------------------------------------------------------------- rank-table parsing and BPE on a tiny table

std::string base64(std::string_view bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t v = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8) | std::uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(alphabet[(v >> s) & 63]);
  }
  if (bytes.size() - i == 1) {
    std::uint32_t v = std::uint8_t(bytes[i]) << 16;
    out += {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63], '=', '='};
  } else if (bytes.size() - i == 2) {
    std::uint32_t v = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8);
    out += {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], '='};
  }
  return out;
}

// tiktoken-format table: every byte b has rank b, then the given merges get ranks 256, 257, ...
std::string tinyTable(const std::vector<std::string>& merges) {
  std::string text;
  for (int b = 0; b < 256; ++b) text += base64(std::string(1, char(b))) + " " + std::to_string(b) + "\n";
  for (std::size_t i = 0; i < merges.size(); ++i) text += base64(merges[i]) + " " + std::to_string(256 + i) + "\n";
  return text;
}

TEST(TokenizerBpe, MergesLowestRankFirstAndLeftmostOnTies) {
  std::string error;
  auto tokenizer = Tokenizer::fromRankText(tinyTable({"aa", "ab", "aaa", "bc"}), &error);
  ASSERT_TRUE(tokenizer) << error;
  EXPECT_EQ(tokenizer->vocabularySize(), 260u);
  EXPECT_EQ(tokenizer->encode("aaaa"), (std::vector<std::uint32_t>{256, 256}));  // leftmost "aa" first
  EXPECT_EQ(tokenizer->encode("aaa"), (std::vector<std::uint32_t>{258}));        // whole piece is a token
  EXPECT_EQ(tokenizer->encode("abc"), (std::vector<std::uint32_t>{257, 'c'}));   // "ab" (257) beats "bc" (259)
  EXPECT_EQ(tokenizer->encode("aaaaa"), (std::vector<std::uint32_t>{256, 258}));  // aa|a|a|a -> aa|aa|a -> aa|aaa
  EXPECT_EQ(tokenizer->encode("x y"), (std::vector<std::uint32_t>{'x', ' ', 'y'}));
  EXPECT_EQ(tokenizer->decode(tokenizer->encode("aaaaa abc")), "aaaaa abc");
}

TEST(TokenizerBpe, LongPieceMergeAgreesWithShortPieceMerge) {
  // A 400-letter piece takes the heap-based path; each 4-letter word alone takes the quadratic one.
  std::string error;
  auto tokenizer = Tokenizer::fromRankText(tinyTable({"ab", "cd", "abcd", "bc", "da"}), &error);
  ASSERT_TRUE(tokenizer) << error;
  std::string word = "abcd";
  std::string longPiece;
  std::vector<std::uint32_t> expected;
  for (int i = 0; i < 100; ++i) {
    longPiece += word;
    auto ids = tokenizer->encode(word);
    expected.insert(expected.end(), ids.begin(), ids.end());
  }
  EXPECT_EQ(expected, std::vector<std::uint32_t>(100, 258));
  EXPECT_EQ(tokenizer->encode(longPiece), expected);
  EXPECT_EQ(tokenizer->count(longPiece), 100u);
}

TEST(TokenizerLoad, RejectsMalformedTables) {
  std::string error;
  EXPECT_FALSE(Tokenizer::fromRankText("", &error));
  EXPECT_NE(error.find("no tokens"), std::string::npos) << error;
  EXPECT_FALSE(Tokenizer::fromRankText("YQ== 0\n!!!! 1\n", &error));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
  EXPECT_FALSE(Tokenizer::fromRankText("YQ== 0\nYg== 1\n", &error));  // bytes other than a, b missing
  EXPECT_NE(error.find("single-byte token"), std::string::npos) << error;
  std::string table = tinyTable({});
  EXPECT_FALSE(Tokenizer::fromRankText(table + "YQ== 3\n", &error));  // rank 3 listed twice
  EXPECT_NE(error.find("twice"), std::string::npos) << error;
  EXPECT_FALSE(Tokenizer::fromRankText(R"(export default {"pat_str":"\\w+","bpe_ranks":"! 0 YQ=="};)", &error));
  EXPECT_NE(error.find("not cl100k_base"), std::string::npos) << error;
  EXPECT_FALSE(Tokenizer::fromRankFile("/nonexistent/cl100k_base.js", &error));
  EXPECT_NE(error.find("/nonexistent/cl100k_base.js"), std::string::npos) << error;
}

TEST(TokenizerLoad, ParsesJsTiktokenModuleFormat) {
  std::string ranks;
  for (int b = 0; b < 256; ++b) ranks += (b ? " " : "") + base64(std::string(1, char(b)));
  std::string text =
      R"(export default {"pat_str":"('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+","special_tokens":{},"bpe_ranks":"! 0 )" +
      ranks + "\\n! 256 " + base64("hi") + " " + base64(" hi") + R"("};)";
  std::string error;
  auto tokenizer = Tokenizer::fromRankText(text, &error);
  ASSERT_TRUE(tokenizer) << error;
  EXPECT_EQ(tokenizer->vocabularySize(), 258u);
  EXPECT_EQ(tokenizer->encode("hi hi"), (std::vector<std::uint32_t>{256, 257}));
  EXPECT_EQ(tokenizer->tokenBytes(257), " hi");
  EXPECT_EQ(tokenizer->tokenBytes(9999), "");
}

// ---------------------------------------------------------------- the real cl100k_base table

TEST(TokenizerCl100k, LoadsTheFullTable) {
  REQUIRE_CL100K(tokenizer);
  EXPECT_EQ(tokenizer->vocabularySize(), 100256u);
  EXPECT_TRUE(Tokenizer::cl100kLoadError().empty());
  EXPECT_EQ(Tokenizer::cl100k().get(), tokenizer.get()) << "loaded once per process";
  EXPECT_EQ(tokenizer->tokenBytes(15339), "hello");
}

TEST(TokenizerCl100k, KnownIds) {
  REQUIRE_CL100K(tokenizer);
  EXPECT_EQ(tokenizer->encode("hello world"), (std::vector<std::uint32_t>{15339, 1917}));
  EXPECT_EQ(tokenizer->encode("I'm You'LL"), (std::vector<std::uint32_t>{40, 2846, 1472, 6, 4178}));
  EXPECT_EQ(tokenizer->encode("123456789"), (std::vector<std::uint32_t>{4513, 10961, 16474}));
  // Special tokens are plain text.
  EXPECT_EQ(tokenizer->encode("<|endoftext|>"), (std::vector<std::uint32_t>{27, 91, 8862, 728, 428, 91, 29}));
  EXPECT_TRUE(tokenizer->encode("").empty());
  EXPECT_EQ(tokenizer->decode(std::vector<std::uint32_t>{15339, 100257, 999999, 1917}), "hello world");
}

TEST(TokenizerCl100k, CountTokensIsExactWhenTableLoads) {
  REQUIRE_CL100K(tokenizer);
  TokenCount c = countTokens("hello world");
  EXPECT_TRUE(c.exact);
  EXPECT_EQ(c.tokens, 2u);
  EXPECT_EQ(approximateTokenCount("hello world"), 3u);
  EXPECT_EQ(approximateTokenCount(""), 0u);
}

TEST(TokenizerCl100k, InvalidUtf8RoundTrips) {
  REQUIRE_CL100K(tokenizer);
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(random() % 64, '\0');
    for (auto& b : bytes) b = static_cast<char>(random() % 256);
    auto ids = tokenizer->encode(bytes);
    EXPECT_EQ(tokenizer->decode(ids), bytes);
    EXPECT_EQ(tokenizer->count(bytes), ids.size());
  }
  // The valid prefix before a bad byte tokenizes as on its own.
  auto prefix = tokenizer->encode("hello world");
  auto withBadTail = tokenizer->encode("hello world\xff");
  ASSERT_GT(withBadTail.size(), prefix.size());
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), withBadTail.begin()));
}

std::vector<std::string> handPickedTexts() {
  return {
      "The quick brown fox jumps over the lazy dog. It's 3:45pm; we'll see what they've done!",
      "I'm You'LL don't WON'T she'd they're we've I'M 'tis",
      "123456789 3.14159 1,000,000 0x7fff 2024-01-31T12:00:00Z",
      "int main(int argc, char** argv) {\n\tstd::vector<int> v{1, 2, 3};\n    return v.size() > 2 ? 0 : 1;\n}\n",
      "{\"id\": \"00u1\", \"profile\": {\"firstName\": \"Isaac\", \"email\": \"isaac@example.org\"}, \"tags\": [1, 2]}",
      "openapi: 3.0.1\ninfo:\n  title: Okta API\n  version: 2024.01.1\npaths:\n  /api/v1/users:\n    get:\n      summary: List\n",
      "中文文本测试，日本語のテキスト、한국어 텍스트. Ελληνικά κείμενα. Русский текст. עברית. العربية ١٢٣",
      "emoji 😀👍🏽👨‍👩‍👧‍👦 🇨🇿 flags and ✓ marks ★☆ — “quotes” ‘single’ … ©®™",
      "   leading spaces\n\n\n\ttabs\t\there   \r\n\r\nwindows lines  \n   \n",
      "\u00a0non-breaking\u00a0space \u2003em\u2003space \u3000ideographic\u3000 \u2028line\u2029para",
      "Ⅻ roman ½ fractions ² superscript ٣ arabic-indic ४ devanagari 𝟘 math digits",
      "<|endoftext|> <|fim_prefix|> special tokens as text",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
      std::string(1000, ' '),
      std::string(300, ' ') + "x",
      "",
      "x",
  };
}

// Random strings over a pool that exercises every class boundary of the pattern.
std::vector<std::string> randomTexts(std::size_t count, std::size_t maxCodePoints, unsigned seed) {
  static const std::vector<std::string> pool = {
      "a", "Z", "e", "s", "t", "l", "L", "r", "E", "0", "7", "'", "'", " ", " ", " ", "\n", "\r", "\t", "\v", "\f",
      ".", ",", "-", "_", "{", "}", "\"", ":", "/", "#", "é", "ß", "Ж", "中", "語", "한", "ك", "٣", "Ⅻ", "½", "😀",
      "👍🏽", "\u200d", "\u00a0", "\u3000", "\u2003", "\u2028", "\u0301", "\u00ad", "€", "\u00b2", "ǅ", "ʰ"};
  std::mt19937 random(seed);
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i) {
    std::string text;
    std::size_t length = random() % (maxCodePoints + 1);
    for (std::size_t k = 0; k < length; ++k) text += pool[random() % pool.size()];
    texts.push_back(std::move(text));
  }
  return texts;
}

TEST(TokenizerCl100k, MatchesJsTiktokenOnHandPickedTexts) {
  REQUIRE_CL100K(tokenizer);
  expectSameAsOracle(*tokenizer, handPickedTexts());
}

TEST(TokenizerCl100k, MatchesJsTiktokenOnRandomTexts) {
  REQUIRE_CL100K(tokenizer);
  auto texts = randomTexts(400, 40, 1);
  auto longer = randomTexts(20, 3000, 2);
  texts.insert(texts.end(), longer.begin(), longer.end());
  // Long pieces without separators take the heap-based merge path.
  std::mt19937 random(3);
  for (int i = 0; i < 10; ++i) {
    std::string letters;
    for (int k = 0; k < 500 + i * 300; ++k) letters.push_back(static_cast<char>('a' + random() % 26));
    texts.push_back(letters);
    std::string symbols;
    for (int k = 0; k < 200 + i * 50; ++k) symbols.push_back("!@#$%^&*()_+-=[]{};:,./<>?|~`"[random() % 29]);
    texts.push_back(symbols);
  }
  expectSameAsOracle(*tokenizer, texts);
}

TEST(TokenizerCl100k, MatchesJsTiktokenOnCorpusFiles) {
  REQUIRE_CL100K(tokenizer);
  const char* shared = std::getenv("CG_SHARED_DIR");
  if (!shared || !*shared) GTEST_SKIP() << "CG_SHARED_DIR is not set";
  std::vector<std::string> names = {"okta/management-minimal.yaml", "keycloak/keycloak-23.0.7.yml",
                                    "forgejo/swagger.v1.json", "nextcloud/instruction_set_for_users.rst",
                                    "sql/dms-db-tables.sql", "scim/scim.dev-Schemas.json"};
  std::vector<std::string> texts;
  for (const auto& name : names) {
    fs::path path = fs::path(shared) / "corpus" / name;
    if (!fs::exists(path)) GTEST_SKIP() << "corpus file missing: " << path;
    std::string text = readFile(path);
    ASSERT_TRUE(cg::isValidUtf8(text)) << path;
    texts.push_back(std::move(text));
  }
  expectSameAsOracle(*tokenizer, texts);
}

}  // namespace
}  // namespace cg::ingest
