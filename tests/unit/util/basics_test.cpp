#include <gtest/gtest.h>

#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"
#include "util/yaml_json.h"

using namespace cg;

TEST(Uuid, NewIsCanonicalAndUnique) {
  auto a = newUuid(), b = newUuid();
  EXPECT_EQ(a.size(), 36u);
  EXPECT_NE(a, b);
  EXPECT_EQ(parseUuid(a).value(), a);
  EXPECT_EQ(a[14], '4');
}

TEST(Uuid, ParsesAlternativeFormsAndRejectsGarbage) {
  EXPECT_EQ(parseUuid("3F0C6C1E-8A5B-4D59-9D0E-2F3B7D1C9A10").value(), "3f0c6c1e-8a5b-4d59-9d0e-2f3b7d1c9a10");
  EXPECT_EQ(parseUuid("3f0c6c1e8a5b4d599d0e2f3b7d1c9a10").value(), "3f0c6c1e-8a5b-4d59-9d0e-2f3b7d1c9a10");
  EXPECT_EQ(parseUuid("{3f0c6c1e-8a5b-4d59-9d0e-2f3b7d1c9a10}").value(), "3f0c6c1e-8a5b-4d59-9d0e-2f3b7d1c9a10");
  EXPECT_FALSE(parseUuid("not-a-uuid"));
  EXPECT_FALSE(parseUuid("3f0c6c1e-8a5b-4d59-9d0e-2f3b7d1c9a1g"));
  EXPECT_FALSE(parseUuid("3f0c6c1e_8a5b-4d59-9d0e-2f3b7d1c9a10"));
  EXPECT_FALSE(parseUuid(""));
}

TEST(Time, FormatsWithZAndOptionalFraction) {
  EXPECT_EQ(formatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatTimestamp(1780308930123456LL), "2026-06-01T10:15:30.123456Z");
  EXPECT_EQ(formatTimestamp(951782400LL * 1000000), "2000-02-29T00:00:00Z");
}

TEST(Time, ParsesOffsetsAndRoundTrips) {
  EXPECT_EQ(parseTimestamp("2026-06-01T10:15:30.123456Z").value(), 1780308930123456LL);
  EXPECT_EQ(parseTimestamp("2026-06-01T12:15:30.123456+02:00").value(), 1780308930123456LL);
  EXPECT_EQ(parseTimestamp("2026-06-01T10:15:30.123456").value(), 1780308930123456LL);
  EXPECT_EQ(parseTimestamp("2026-06-01T10:15:30.1Z").value(), 1780308930100000LL);
  EXPECT_FALSE(parseTimestamp("yesterday"));
  EXPECT_FALSE(parseTimestamp("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(parseTimestamp("2026-06-01T10:15:30Zjunk"));
  int64_t now = nowMicros();
  EXPECT_EQ(parseTimestamp(formatTimestamp(now)).value(), now);
}

TEST(Strings, Utf8Sanitizing) {
  EXPECT_TRUE(isValidUtf8("héllo"));
  EXPECT_FALSE(isValidUtf8("a\xff"));
  EXPECT_FALSE(isValidUtf8("\xc0\xaf"));  // overlong
  EXPECT_EQ(sanitizeUtf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
}

TEST(Strings, Basics) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(split("a,,b", ',').size(), 3u);
  EXPECT_EQ(split("a,,b", ',', true).size(), 2u);
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(constantTimeEquals("key", "key"));
  EXPECT_FALSE(constantTimeEquals("key", "kez"));
}

TEST(YamlJson, CoreSchemaTypes) {
  auto j = yamlToJson("a: 1\nb: true\nc: ~\nd: '1'\ne: 1.5\nf: yes\ng: [x, 2]\nh: 0x1F\n");
  EXPECT_EQ(j["a"], 1);
  EXPECT_EQ(j["b"], true);
  EXPECT_TRUE(j["c"].is_null());
  EXPECT_EQ(j["d"], "1");
  EXPECT_DOUBLE_EQ(j["e"].get<double>(), 1.5);
  EXPECT_EQ(j["f"], "yes");  // YAML 1.1 booleans are strings in 1.2
  EXPECT_EQ(j["g"][1], 2);
  EXPECT_EQ(j["h"], 31);
  // Key order is kept.
  EXPECT_EQ(j.begin().key(), "a");
}

TEST(YamlJson, RejectsAliasBombAndSyntaxErrors) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (int i = 0; i < 8; ++i) {
    std::string name = "l" + std::to_string(i);
    bomb += name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
    prev = name;
  }
  YamlLimits limits;
  limits.maxNodes = 100000;
  EXPECT_THROW(yamlToJson(bomb, limits), YamlError);
  EXPECT_THROW(yamlToJson("a: [1, 2\nb: }"), YamlError);
}

#include "util/base64.h"

TEST(Base64, RoundTripsBinary) {
  std::string bin;
  for (int i = 0; i < 256; ++i) bin.push_back(static_cast<char>(i));
  for (size_t n = 0; n < 10; ++n) EXPECT_EQ(base64Decode(base64Encode(bin.substr(0, n))).value(), bin.substr(0, n));
  EXPECT_EQ(base64Decode(base64Encode(bin)).value(), bin);
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_FALSE(base64Decode("a$b="));
}
