// cg::yamlToJson: core-schema scalar resolution, anchors/aliases/merge keys, duplicate and complex keys,
// multi-document streams, limits and error reporting, and equality with the former yaml-cpp based
// conversion on the real-world specs of the shared corpus.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>

#include "util/yaml_json.h"
#include "legacy_yaml_converter.h"

namespace cg {
namespace {

std::string sharedDir() {
  const char* dir = std::getenv("CG_SHARED_DIR");
  return dir ? dir : "/work/shared";
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Path of the first differing value, for a readable failure message.
std::string firstDifference(const OrderedJson& a, const OrderedJson& b, const std::string& path = "$") {
  if (a.type() != b.type()) return path + " (type " + a.type_name() + " vs " + b.type_name() + ")";
  if (a.is_object()) {
    if (a.size() != b.size()) return path + " (object sizes " + std::to_string(a.size()) + " vs " +
                                      std::to_string(b.size()) + ")";
    auto ia = a.begin();
    auto ib = b.begin();
    for (; ia != a.end(); ++ia, ++ib) {
      if (ia.key() != ib.key()) return path + " (key order: " + ia.key() + " vs " + ib.key() + ")";
      std::string d = firstDifference(ia.value(), ib.value(), path + "." + ia.key());
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return path + " (array sizes differ)";
    for (size_t i = 0; i < a.size(); ++i) {
      std::string d = firstDifference(a[i], b[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  return a == b ? "" : path + " (" + a.dump() + " vs " + b.dump() + ")";
}

class CorpusEquivalence : public ::testing::TestWithParam<const char*> {};

TEST_P(CorpusEquivalence, MatchesFormerYamlCppConversion) {
  std::filesystem::path path = std::filesystem::path(sharedDir()) / "corpus" / GetParam();
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus file absent: " << path;
  std::string text = readFile(path);
  ASSERT_FALSE(text.empty());
  OrderedJson expected = cgtest::LegacyYamlCppConverter{}.convert(YAML::Load(text));
  OrderedJson actual = yamlToJson(text);
  EXPECT_EQ(firstDifference(actual, expected), "");
  EXPECT_EQ(actual.dump(), expected.dump());
}

INSTANTIATE_TEST_SUITE_P(SharedCorpus, CorpusEquivalence,
                         ::testing::Values("okta/management-minimal.yaml", "asana/asana_oas.yaml",
                                           "keycloak/keycloak-23.0.7.yml"));

TEST(YamlToJson, ResolvesPlainScalarsWithTheCoreSchema) {
  auto j = yamlToJson(
      "n1: ~\nn2: null\nn3: NULL\nn4:\nt1: true\nt2: True\nt3: TRUE\nf1: false\nf2: FALSE\n"
      "i1: 42\ni2: -7\ni3: +12\ni4: 007\no: 0o17\nh: 0xFf\n"
      "d1: 1.5\nd2: -.5\nd3: 1e3\nd4: 2.\nd5: +1.25E-2\n"
      "s1: yes\ns2: .inf\ns3: -.Inf\ns4: .nan\ns5: 1e\ns6: 0x\ns7: 0o8\ns8: 1_000\ns9: 12:30\ns10: '12'\n"
      "s11: \"true\"\ns12: |\n  block\ns13: 1.2.3\ns15: +\ns16: .\n");
  EXPECT_TRUE(j["n1"].is_null());
  EXPECT_TRUE(j["n2"].is_null());
  EXPECT_TRUE(j["n3"].is_null());
  EXPECT_TRUE(j["n4"].is_null());
  EXPECT_EQ(j["t1"], true);
  EXPECT_EQ(j["t2"], true);
  EXPECT_EQ(j["t3"], true);
  EXPECT_EQ(j["f1"], false);
  EXPECT_EQ(j["f2"], false);
  EXPECT_TRUE(j["i1"].is_number_integer());
  EXPECT_EQ(j["i1"], 42);
  EXPECT_EQ(j["i2"], -7);
  EXPECT_EQ(j["i3"], 12);
  EXPECT_EQ(j["i4"], 7);
  EXPECT_EQ(j["o"], 15);
  EXPECT_EQ(j["h"], 255);
  EXPECT_TRUE(j["d1"].is_number_float());
  EXPECT_DOUBLE_EQ(j["d1"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(j["d2"].get<double>(), -0.5);
  EXPECT_DOUBLE_EQ(j["d3"].get<double>(), 1000.0);
  EXPECT_TRUE(j["d3"].is_number_float());
  EXPECT_DOUBLE_EQ(j["d4"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(j["d5"].get<double>(), 0.0125);
  for (const char* key : {"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s13", "s15", "s16"}) {
    EXPECT_TRUE(j[key].is_string()) << key << " = " << j[key].dump();
  }
  EXPECT_EQ(j["s2"], ".inf");
  EXPECT_EQ(j["s10"], "12");
  EXPECT_EQ(j["s11"], "true");
  EXPECT_EQ(j["s12"], "block\n");
}

TEST(YamlToJson, LargeIntegersStayExactOrBecomeDoubles) {
  auto j = yamlToJson(
      "max: 9223372036854775807\nmin: -9223372036854775808\nu: 18446744073709551615\n"
      "big: 123456789012345678901234567890\nhexBig: 0xFFFFFFFFFFFFFFFFFF\nhuge: 1e999\n");
  EXPECT_EQ(j["max"].get<std::int64_t>(), INT64_MAX);
  EXPECT_EQ(j["min"].get<std::int64_t>(), INT64_MIN);
  EXPECT_TRUE(j["u"].is_number_unsigned());
  EXPECT_EQ(j["u"].get<std::uint64_t>(), UINT64_MAX);
  EXPECT_TRUE(j["big"].is_number_float());
  EXPECT_DOUBLE_EQ(j["big"].get<double>(), 1.2345678901234568e29);
  EXPECT_EQ(j["hexBig"], "0xFFFFFFFFFFFFFFFFFF");
  EXPECT_EQ(j["huge"], "1e999");  // no finite double: kept as text
}

TEST(YamlToJson, HonoursExplicitTags) {
  auto j = yamlToJson(
      "a: !!str 12\nb: !!int \"12\"\nc: !!float 3\nd: !!bool 'true'\ne: !!null x\nf: ! 12\ng: !custom 12\n"
      "h: !!int abc\n");
  EXPECT_EQ(j["a"], "12");
  EXPECT_EQ(j["b"], 12);
  EXPECT_TRUE(j["c"].is_number_float());
  EXPECT_DOUBLE_EQ(j["c"].get<double>(), 3.0);
  EXPECT_EQ(j["d"], true);
  EXPECT_TRUE(j["e"].is_null());
  EXPECT_EQ(j["f"], "12");
  EXPECT_EQ(j["g"], "12");
  EXPECT_EQ(j["h"], "abc");
}

TEST(YamlToJson, KeepsKeyOrderAndKeysAsWritten) {
  auto j = yamlToJson("z: 1\n1: one\ntrue: t\n~: n\n'q': 2\na: 3\n");
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"z", "1", "true", "~", "q", "a"}));
}

TEST(YamlToJson, DuplicateKeysKeepFirstPositionAndLastValue) {
  auto j = yamlToJson("a: 1\nb: 2\na: 3\n");
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j.begin().key(), "a");
  EXPECT_EQ(j["a"], 3);
  // Same in a mapping large enough to use the hashed key index.
  std::string big;
  for (int i = 0; i < 500; ++i) big += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  big += "k7: seven\nk499: last\n";
  auto m = yamlToJson(big);
  ASSERT_EQ(m.size(), 500u);
  EXPECT_EQ(m["k7"], "seven");
  EXPECT_EQ(m["k499"], "last");
  EXPECT_EQ(m["k250"], 250);
  auto it = m.begin();
  std::advance(it, 7);
  EXPECT_EQ(it.key(), "k7");
}

TEST(YamlToJson, ExpandsAnchorsAndAliasesAsCopies) {
  auto j = yamlToJson("base: &b {x: 1, y: [a, b]}\nuse: *b\nscalar: &s 5\nagain: *s\nlist: [*s, *b]\n");
  EXPECT_EQ(j["use"], j["base"]);
  EXPECT_EQ(j["again"], 5);
  EXPECT_EQ(j["list"][0], 5);
  EXPECT_EQ(j["list"][1]["y"][1], "b");
  // Anchors may be redefined; an alias refers to the latest definition before it.
  auto r = yamlToJson("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
  EXPECT_EQ(r["b"], 1);
  EXPECT_EQ(r["d"], 2);
  // An anchored scalar used as a key keeps its text.
  auto k = yamlToJson("a: &k name\n*k : value\n");
  EXPECT_EQ(k["name"], "value");
}

TEST(YamlToJson, MergeKeysAddMissingKeysOnly) {
  auto j = yamlToJson(
      "base: &base {a: 1, b: 2}\nextra: &extra {b: 20, c: 30}\n"
      "one:\n  x: 0\n  <<: *base\n  b: 5\n"
      "two:\n  <<: [*base, *extra]\n  d: 4\n"
      "inline:\n  <<: {k: v}\n"
      "quoted:\n  '<<': *base\n"
      "notMap:\n  <<: 3\n");
  EXPECT_EQ(j["one"].dump(), R"({"x":0,"a":1,"b":5})");
  EXPECT_EQ(j["two"].dump(), R"({"a":1,"b":2,"c":30,"d":4})");
  EXPECT_EQ(j["inline"].dump(), R"({"k":"v"})");
  EXPECT_EQ(j["quoted"].dump(), R"({"<<":{"a":1,"b":2}})");
  EXPECT_EQ(j["notMap"].dump(), R"({"<<":3})");
}

TEST(YamlToJson, ComplexKeysBecomeTheirJsonText) {
  auto j = yamlToJson("? [a, b]\n: 1\n? {k: 2}\n: 2\n");
  EXPECT_EQ(j["[\"a\",\"b\"]"], 1);
  EXPECT_EQ(j["{\"k\":2}"], 2);
}

TEST(YamlToJson, TakesTheFirstDocumentOfAStream) {
  EXPECT_EQ(yamlToJson("---\na: 1\n---\nb: 2\n").dump(), R"({"a":1})");
  EXPECT_TRUE(yamlToJson("").is_null());
  EXPECT_TRUE(yamlToJson("# only a comment\n").is_null());
  EXPECT_TRUE(yamlToJson("---\n...\n---\na: 1\n").is_null());
  EXPECT_EQ(yamlToJson("plain text"), "plain text");
  EXPECT_EQ(yamlToJson("- 1\n- two\n").dump(), R"([1,"two"])");
  // Later documents are not parsed, so their errors do not matter.
  EXPECT_EQ(yamlToJson("a: 1\n---\n[unclosed\n").dump(), R"({"a":1})");
}

TEST(YamlToJson, ReportsSyntaxErrorsWithLineAndColumn) {
  try {
    yamlToJson("a: 1\nb: [1, 2\nc: }\n");
    FAIL() << "expected YamlError";
  } catch (const YamlError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("invalid YAML"), std::string::npos) << message;
    EXPECT_NE(message.find("line 3"), std::string::npos) << message;
    EXPECT_NE(message.find("column"), std::string::npos) << message;
  }
  EXPECT_THROW(yamlToJson("a: *missing\n"), YamlError);
  EXPECT_THROW(yamlToJson("a: b: c\n"), YamlError);
  EXPECT_THROW(yamlToJson(std::string("a: \xff\xfe\n", 7)), YamlError);
}

TEST(YamlToJson, StopsAliasBombsByCountingEveryUse) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (int i = 0; i < 9; ++i) {
    std::string name = "l" + std::to_string(i);
    bomb += name + ": &" + name + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  YamlLimits limits;
  limits.maxNodes = 100000;
  try {
    yamlToJson(bomb, limits);
    FAIL() << "expected YamlError";
  } catch (const YamlError& e) {
    EXPECT_NE(std::string(e.what()).find("too many nodes"), std::string::npos) << e.what();
  }
  // The same shape within the limit expands fully.
  // Nodes: root 1 + a 3 + b 1 + two uses of a at 3 each = 11.
  auto small = yamlToJson("a: &a [1, 2]\nb: [*a, *a]\n", YamlLimits{11, 512});
  EXPECT_EQ(small["b"].dump(), "[[1,2],[1,2]]");
  EXPECT_THROW(yamlToJson("a: &a [1, 2]\nb: [*a, *a]\n", YamlLimits{10, 512}), YamlError);
}

TEST(YamlToJson, LimitsNestingDepthIncludingAliasExpansion) {
  std::string deep(100000, '[');
  EXPECT_THROW(yamlToJson(deep + std::string(100000, ']')), YamlError);
  YamlLimits limits{1000, 3};
  EXPECT_NO_THROW(yamlToJson("[[[1]]]", limits));
  EXPECT_THROW(yamlToJson("[[[[1]]]]", limits), YamlError);
  // The anchored value is 2 levels high: used at depth 1 it reaches depth 3, at depth 2 depth 4.
  EXPECT_NO_THROW(yamlToJson("a: &a [[1]]\nb: *a\n", limits));
  EXPECT_THROW(yamlToJson("a: &a [[1]]\nb: [*a]\n", limits), YamlError);
}

}  // namespace
}  // namespace cg
