#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "ingest/detect.h"
#include "ingest/extract.h"
#include "unit/ingest/docx_builder.h"
#include "util/yaml_json.h"

using namespace cg::ingest;
using ::testing::HasSubstr;

namespace {
ExtractResult extract(std::string_view bytes, std::string_view ct = "", std::string_view name = "doc") {
  return extractDocument(bytes, detectDocumentType(bytes, ct, name));
}

std::filesystem::path corpusDir() {
  const char* shared = std::getenv("CG_SHARED_DIR");
  return std::filesystem::path(shared ? shared : "/work/shared") / "corpus";
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

TEST(Extract, JsonIsPrettyPrintedKeepingKeyOrder) {
  auto r = extract(R"({"zeta":1,"alpha":{"b":[1,2],"a":"ü"}})", "application/json", "x.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.text, "{\n  \"zeta\": 1,\n  \"alpha\": {\n    \"b\": [\n      1,\n      2\n    ],\n    \"a\": \"ü\"\n  }\n}");
  EXPECT_TRUE(r.structurallyValid);
  EXPECT_EQ(r.parser, "json");
}

TEST(Extract, OpenApiTitleAndBomHandled) {
  auto r = extract("\xEF\xBB\xBF{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Pets\",\"version\":\"1\"},\"paths\":{}}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.title, "Pets");
  EXPECT_EQ(r.contentType, "application/openapi+json");
  EXPECT_TRUE(r.text.starts_with("{\n  \"openapi\": \"3.1.0\""));
}

TEST(Extract, InvalidOrTooDeepJsonIsKeptAsIs) {
  auto bad = extract("{\"a\": 1,\r\n", "application/json", "x.json");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad.text, "{\"a\": 1,");
  EXPECT_FALSE(bad.structurallyValid);
  EXPECT_EQ(bad.warnings.size(), 1u);
  std::string deep = std::string(2000, '[') + std::string(2000, ']');
  auto d = extract(deep, "application/json", "deep.json");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.text, deep);
  EXPECT_FALSE(d.structurallyValid);
}

TEST(Extract, YamlIsKeptVerbatimAndValidated) {
  std::string yaml = "# leading comment\nopenapi: 3.0.0\ninfo:\n  title: &t Demo\n  version: '1'\npaths: {}\n";
  auto r = extract(yaml, "", "spec.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.text, yaml.substr(0, yaml.size() - 1));
  EXPECT_TRUE(r.structurallyValid);
  EXPECT_EQ(r.title, "Demo");
  auto broken = extract("a: [unclosed\nb: 2\n", "application/yaml", "b.yaml");
  ASSERT_TRUE(broken.ok());
  EXPECT_FALSE(broken.structurallyValid);
  EXPECT_THAT(broken.warnings.at(0), HasSubstr("not valid YAML"));
}

TEST(Extract, TextIsNormalized) {
  using namespace std::string_literals;
  auto r = extract("\r\n\r\n  # Title\r\nline\0two\rthree\n\n\n"s, "text/markdown", "x.md");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.text, "  # Title\nlinetwo\nthree");
  // UTF-16 with BOM becomes UTF-8.
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("CREATE TABLE t (id int);")) utf16 += c, utf16 += '\0';
  auto sql = extract(utf16, "", "t.sql");
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(sql.text, "CREATE TABLE t (id int);");
  EXPECT_EQ(sql.contentType, "application/sql");
}

TEST(Extract, HtmlGivesMarkdownLinksAndSpecUrls) {
  auto r = extract("<html><head><title>API</title></head><body><h1>API</h1><p>See <a href='/openapi.json'>spec</a></p>"
                   "<script>SwaggerUIBundle({url: '/openapi.json'})</script></body></html>",
                   "text/html", "index.html");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.text, "# API\n\nSee [spec](/openapi.json)");
  EXPECT_EQ(r.title, "API");
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_THAT(r.specUrls, ::testing::ElementsAre("/openapi.json"));
}

TEST(Extract, DocxMetadata) {
  std::string docx = cg::ingest::testing::buildDocx(cg::ingest::testing::para("Hello") +
                                                    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>"
                                                    "<w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>");
  auto type = detectDocumentType(docx, "application/octet-stream", "w.docx");
  auto r = extractDocument(docx, type);
  ASSERT_TRUE(r.ok()) << r.error->jobMessage();
  EXPECT_EQ(r.text, "Hello\n\n| a | b |\n| --- | --- |");
  EXPECT_EQ(uploadMetadata(type, r).dump(),
            R"({"filename":"w.docx","content_type":"application/vnd.openxmlformats-officedocument.wordprocessingml.document","parser":"docx","docx_paragraphs":1,"docx_tables":1})");
  // A zip bomb is a 413 with a clear message.
  std::string bomb = cg::ingest::testing::buildDocx(cg::ingest::testing::para(std::string(3 << 20, 'a')));
  auto b = extractDocument(bomb, detectDocumentType(bomb, "", "bomb.docx"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error->status, 413);
  EXPECT_THAT(b.error->detail, HasSubstr("Could not extract text from uploaded DOCX bomb.docx: "));
}

TEST(Extract, ErrorsFollowTheContract) {
  auto bin = extract(std::string("\x7F" "ELF\x02\x01\x01\0\0\0", 10), "", "x.bin");
  ASSERT_FALSE(bin.ok());
  EXPECT_EQ(bin.error->jobMessage(),
            "415: Unsupported documentation content type 'application/octet-stream' for x.bin. Supported uploads "
            "include JSON, YAML, OpenAPI, Markdown, AsciiDoc, HTML, XML, CSV, SQL, text, PDF, and DOCX.");
  auto empty = extract("", "", "");
  EXPECT_EQ(empty.error->jobMessage(), "422: Uploaded documentation unknown is empty.");
  auto blank = extract("<html><body><script>x()</script></body></html>", "", "blank.html");
  EXPECT_EQ(blank.error->jobMessage(), "422: Uploaded documentation blank.html did not produce any text.");

  ExtractLimits small;
  small.maxExtractedTextBytes = 10;
  auto big = extractDocument("twenty characters!!!", detectDocumentType("twenty characters!!!", "", "t.txt"), small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error->status, 413);
  EXPECT_EQ(big.error->detail, "Extracted text of t.txt (20 bytes) exceeds the limit of 10 bytes.");
}

TEST(Extract, ScimAndSqlMetadataPreserveWholeDocument) {
  auto scimBytes = std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],"id":"x"})");
  auto type = detectDocumentType(scimBytes, "application/json", "s.json");
  auto r = extractDocument(scimBytes, type);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(uploadMetadata(type, r).dump(),
            R"({"filename":"s.json","content_type":"application/scim+json","parser":"json",)"
            R"("preserve_as_single_documentation_item":true,"chunking_strategy":"single_item_schema"})");
}

TEST(Extract, EveryCorpusFileRoundTrips) {
  auto dir = corpusDir();
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus dir " << dir << " is absent (set CG_SHARED_DIR)";
  ExtractLimits limits;
  limits.validateYaml = false;  // the multi-MB specs are validated in the benchmark, not here
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string bytes = readFile(entry.path());
    auto type = detectDocumentType(bytes, "", entry.path().filename().string());
    auto r = extractDocument(bytes, type, limits);
    ASSERT_TRUE(r.ok()) << entry.path() << ": " << r.error->jobMessage();
    EXPECT_FALSE(r.text.empty());
    if (type.parser == "json") {
      // Pretty-printing keeps the value.
      EXPECT_TRUE(r.structurallyValid) << entry.path();
      EXPECT_EQ(cg::OrderedJson::parse(r.text), cg::OrderedJson::parse(bytes)) << entry.path();
    } else {
      // Text kinds are kept (modulo newline normalization and trimming).
      EXPECT_EQ(r.text, normalizeText(bytes)) << entry.path();
    }
  }
}

TEST(Extract, SmallCorpusYamlValidates) {
  auto path = corpusDir() / "keycloak/keycloak-23.0.7.yml";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent (set CG_SHARED_DIR)";
  auto r = extract(readFile(path), "", "keycloak-23.0.7.yml");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.structurallyValid);
  EXPECT_EQ(r.title, "Keycloak Admin REST API");
}

TEST(Extract, LargeYamlSkipsValidationUnlessTheValueIsWanted) {
  std::string yaml = "openapi: 3.0.0\ninfo:\n  title: Big\npaths:\n";
  for (int i = 0; i < 200; ++i) yaml += "  /p" + std::to_string(i) + ":\n    get:\n      summary: s\n";
  auto type = detectDocumentType(yaml, "", "big.yaml");
  ExtractLimits limits;
  limits.maxYamlValidationBytes = 100;
  auto skipped = extractDocument(yaml, type, limits);
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped.structurallyValid);  // the detector's structural verdict
  EXPECT_FALSE(skipped.parsed);
  EXPECT_THAT(skipped.warnings.at(0), HasSubstr("not parsed here"));
  limits.keepParsedValue = true;
  auto parsed = extractDocument(yaml, type, limits);
  ASSERT_TRUE(parsed.parsed);
  EXPECT_EQ((*parsed.parsed)["paths"].size(), 200u);
  EXPECT_EQ(parsed.title, "Big");
  auto json = extractDocument(R"({"a":[1]})", detectDocumentType(R"({"a":[1]})", "", "a.json"), limits);
  ASSERT_TRUE(json.parsed);
  EXPECT_EQ(json.parsed->dump(), R"({"a":[1]})");
}
