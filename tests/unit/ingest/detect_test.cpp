#include "ingest/detect.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace cg::ingest;

namespace {

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::filesystem::path corpusDir() {
  const char* shared = std::getenv("CG_SHARED_DIR");
  return std::filesystem::path(shared ? shared : "/work/shared") / "corpus";
}

DocumentType detect(std::string_view bytes, std::string_view ct = "", std::string_view name = "") {
  return detectDocumentType(bytes, ct, name);
}

}  // namespace

// --- the shared corpus ---------------------------------------------------------------------------

struct CorpusCase {
  const char* path;
  DocumentKind kind;
  const char* contentType;
  const char* parser;
  const char* category;
  const char* specVersion;
};

class CorpusDetection : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(CorpusDetection, DetectsByContent) {
  const auto& c = GetParam();
  auto path = corpusDir() / c.path;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus file " << path << " is absent (set CG_SHARED_DIR)";
  std::string bytes = readFile(path);
  std::string filename = path.filename().string();
  // Uploaded with a generic type: the filename and content decide.
  DocumentType t = detect(bytes, "application/octet-stream", filename);
  EXPECT_EQ(t.kind, c.kind) << c.path << ": " << t.reason;
  EXPECT_EQ(t.contentType, c.contentType) << c.path;
  EXPECT_EQ(t.parser, c.parser) << c.path;
  EXPECT_EQ(t.category, c.category) << c.path;
  EXPECT_EQ(t.specVersion, c.specVersion) << c.path;
  EXPECT_TRUE(t.supported);
  // Content wins over a missing filename for the structured formats.
  if (c.kind == DocumentKind::OpenApi || c.kind == DocumentKind::Scim || c.kind == DocumentKind::Sql) {
    DocumentType anonymous = detect(bytes, "", "");
    EXPECT_EQ(anonymous.kind, c.kind) << c.path << " without a name: " << anonymous.reason;
  }
}

INSTANTIATE_TEST_SUITE_P(
    SharedCorpus, CorpusDetection,
    ::testing::Values(
        CorpusCase{"forgejo/swagger.v1.json", DocumentKind::OpenApi, "application/openapi+json", "json", "spec_json", "2.0"},
        CorpusCase{"forgejo/forgejo-api-endpoints.adoc", DocumentKind::AsciiDoc, "text/asciidoc", "text", "other", ""},
        CorpusCase{"forgejo/expected.json", DocumentKind::Json, "application/json", "json", "other", ""},
        CorpusCase{"okta/management-minimal.yaml", DocumentKind::OpenApi, "application/openapi+yaml", "yaml", "spec_yaml", "3.0.3"},
        CorpusCase{"asana/asana_oas.yaml", DocumentKind::OpenApi, "application/openapi+yaml", "yaml", "spec_yaml", "3.0.0"},
        CorpusCase{"keycloak/keycloak-23.0.7.yml", DocumentKind::OpenApi, "application/openapi+yaml", "yaml", "spec_yaml", "3.0.2"},
        CorpusCase{"nextcloud/provisioning_api-openapi.json", DocumentKind::OpenApi, "application/openapi+json", "json", "spec_json", "3.0.3"},
        CorpusCase{"nextcloud/instruction_set_for_users.rst", DocumentKind::Rst, "text/x-rst", "text", "other", ""},
        CorpusCase{"nextcloud/instruction_set_for_groups.rst", DocumentKind::Rst, "text/x-rst", "text", "other", ""},
        CorpusCase{"scim/users.json", DocumentKind::Scim, "application/scim+json", "json", "reference_api", ""},
        CorpusCase{"scim/groups.json", DocumentKind::Scim, "application/scim+json", "json", "reference_api", ""},
        CorpusCase{"scim/enterprise-user.json", DocumentKind::Scim, "application/scim+json", "json", "reference_api", ""},
        CorpusCase{"scim/resourcetype-user.json", DocumentKind::Scim, "application/scim+json", "json", "reference_api", ""},
        CorpusCase{"scim/resourcetype-group.json", DocumentKind::Scim, "application/scim+json", "json", "reference_api", ""},
        CorpusCase{"scim/scim.dev-Schemas.json", DocumentKind::Scim, "application/scim+json", "json", "reference_api", ""},
        CorpusCase{"scim/pagerduty-scim-openapiv3.json", DocumentKind::OpenApi, "application/openapi+json", "json", "spec_json", "3.0.0"},
        CorpusCase{"sql/dms-db-tables.sql", DocumentKind::Sql, "application/sql", "text", "reference_api", ""},
        CorpusCase{"sql/create-scripted-idm-tables-sync-postgresql.sql", DocumentKind::Sql, "application/sql", "text", "reference_api", ""},
        CorpusCase{"SOURCES.md", DocumentKind::Markdown, "text/markdown", "text", "other", ""}));

TEST(CorpusDetection, ScimSubKinds) {
  auto dir = corpusDir() / "scim";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus dir " << dir << " is absent (set CG_SHARED_DIR)";
  EXPECT_EQ(detect(readFile(dir / "users.json")).scimDocument, ScimDocument::Schema);
  EXPECT_EQ(detect(readFile(dir / "resourcetype-group.json")).scimDocument, ScimDocument::ResourceType);
  EXPECT_EQ(detect(readFile(dir / "scim.dev-Schemas.json")).scimDocument, ScimDocument::ListResponse);
  EXPECT_TRUE(detect(readFile(dir / "users.json")).preserveAsSingleItem);
}

TEST(CorpusDetection, EveryCorpusFileIsSupported) {
  auto dir = corpusDir();
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus dir " << dir << " is absent (set CG_SHARED_DIR)";
  size_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    DocumentType t = detect(readFile(entry.path()), "", entry.path().filename().string());
    EXPECT_TRUE(t.supported) << entry.path() << ": " << t.reason;
    EXPECT_FALSE(t.parser.empty()) << entry.path();
    EXPECT_FALSE(t.reason.empty()) << entry.path();
    ++n;
  }
  EXPECT_GE(n, 18u);
}

// --- specs -------------------------------------------------------------------------------------

TEST(Detect, OpenApiVersionsJsonAndYaml) {
  auto j31 = detect(R"({"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}})");
  EXPECT_EQ(j31.kind, DocumentKind::OpenApi);
  EXPECT_EQ(j31.specVersion, "3.1.0");
  EXPECT_EQ(j31.specFormat, SpecFormat::Json);
  EXPECT_EQ(j31.category, "spec_json");

  auto y2 = detect("# comment\nswagger: \"2.0\"\ninfo:\n  title: x\n  version: '1'\npaths:\n  /users:\n    get: {}\n");
  EXPECT_EQ(y2.kind, DocumentKind::OpenApi) << y2.reason;
  EXPECT_EQ(y2.specVersion, "2.0");
  EXPECT_EQ(y2.specFormat, SpecFormat::Yaml);
  EXPECT_EQ(y2.contentType, "application/openapi+yaml");
  EXPECT_EQ(y2.parser, "yaml");

  // The version key need not come first.
  auto later = detect("info:\n  title: t\npaths: {}\nopenapi: '3.0.1'\n");
  EXPECT_EQ(later.kind, DocumentKind::OpenApi);
  EXPECT_EQ(later.specVersion, "3.0.1");

  // Only a top-level key counts.
  auto nested = detect(R"({"x": {"openapi": "3.0.0"}})");
  EXPECT_EQ(nested.kind, DocumentKind::Json);
  // Markdown mentioning "openapi: 3.0.0" is not a spec.
  auto prose = detect("# About\n\nOur spec says\nopenapi: 3.0.0\nand more prose follows here.\n");
  EXPECT_NE(prose.kind, DocumentKind::OpenApi) << prose.reason;
}

TEST(Detect, ScimDocuments) {
  auto rt = detect(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],"id":"User","endpoint":"/Users"})",
                   "application/json", "x.json");
  EXPECT_EQ(rt.kind, DocumentKind::Scim);
  EXPECT_EQ(rt.scimDocument, ScimDocument::ResourceType);
  EXPECT_EQ(rt.contentType, "application/scim+json");
  EXPECT_EQ(rt.category, "reference_api");
  EXPECT_TRUE(rt.preserveAsSingleItem);

  auto spc = detect(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]})");
  EXPECT_EQ(spc.scimDocument, ScimDocument::ServiceProviderConfig);
  // A bare array of schema documents.
  auto arr = detect(R"([{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],"id":"u"}])");
  EXPECT_EQ(arr.kind, DocumentKind::Scim);
  EXPECT_EQ(arr.scimDocument, ScimDocument::ListResponse);
  // A declared SCIM type upgrades a generic JSON document.
  auto declared = detect(R"({"id":"x"})", "application/scim+json; charset=utf-8", "x.json");
  EXPECT_EQ(declared.kind, DocumentKind::Scim);
  // A specific +json type is kept as the content type.
  auto sqlJson = detect(R"({"tables":[]})", "application/sql+json", "x.json");
  EXPECT_EQ(sqlJson.kind, DocumentKind::Json);
  EXPECT_EQ(sqlJson.contentType, "application/sql+json");
  EXPECT_TRUE(sqlJson.preserveAsSingleItem);
}

TEST(Detect, SqlByContent) {
  auto ddl = detect("-- users\n/* block */\ncreate table users (id int primary key);\n", "", "dump.txt");
  EXPECT_EQ(ddl.kind, DocumentKind::Sql) << ddl.reason;
  EXPECT_EQ(ddl.contentType, "application/sql");
  auto mysql = detect("SET NAMES utf8mb4;\nCREATE TABLE `a` (`id` int);\n");
  EXPECT_EQ(mysql.kind, DocumentKind::Sql) << mysql.reason;
  // Prose that starts with "Create" is not SQL.
  auto prose = detect("Create a new user on the server by sending a POST request.\n");
  EXPECT_EQ(prose.kind, DocumentKind::PlainText) << prose.reason;
  // A SELECT-only script is SQL by its suffix.
  EXPECT_EQ(detect("select 1;", "", "q.sql").kind, DocumentKind::Sql);
}

// --- markup and text -----------------------------------------------------------------------------

TEST(Detect, HtmlAndXml) {
  EXPECT_EQ(detect("<!DOCTYPE html><html><body>x</body></html>").kind, DocumentKind::Html);
  EXPECT_EQ(detect("  <!-- saved --> <html lang=en><p>x").kind, DocumentKind::Html);
  EXPECT_EQ(detect("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"></html>").kind,
            DocumentKind::Html);
  auto xml = detect("<?xml version=\"1.0\"?>\n<definitions name=\"x\"></definitions>");
  EXPECT_EQ(xml.kind, DocumentKind::Xml);
  EXPECT_EQ(xml.contentType, "application/xml");
  EXPECT_EQ(detect("<project><name>x</name></project>").kind, DocumentKind::Xml);
  // An HTML fragment is HTML unless the name says Markdown (READMEs start with <p align=center>).
  EXPECT_EQ(detect("<div><p>hello</p></div>").kind, DocumentKind::Html);
  EXPECT_EQ(detect("<p align=\"center\"><img src=x></p>\n\n# Title\n\ntext", "", "README.md").kind,
            DocumentKind::Markdown);
}

TEST(Detect, LightMarkupByContent) {
  auto md = detect("# Users API\n\nSome text with a [link](http://x).\n\n```json\n{}\n```\n");
  EXPECT_EQ(md.kind, DocumentKind::Markdown) << md.reason;
  auto rst = detect("=====\nTitle\n=====\n\nIntro.\n\n.. code-block:: bash\n\n   curl x\n\nSection\n~~~~~~~\n");
  EXPECT_EQ(rst.kind, DocumentKind::Rst) << rst.reason;
  auto adoc = detect("= Document Title\n:toc:\n\n== Section\n\n[source,json]\n----\n{}\n----\n");
  EXPECT_EQ(adoc.kind, DocumentKind::AsciiDoc) << adoc.reason;
  EXPECT_EQ(adoc.contentType, "text/asciidoc");
  auto plain = detect("Just some words.\nAnd another line.\n");
  EXPECT_EQ(plain.kind, DocumentKind::PlainText);
  EXPECT_EQ(plain.contentType, "text/plain");
  EXPECT_EQ(plain.parser, "text");
  EXPECT_EQ(plain.category, "other");
  // The suffix decides between the light markup languages.
  EXPECT_EQ(detect("# Title\n\ntext\n", "", "notes.adoc").kind, DocumentKind::AsciiDoc);
  EXPECT_EQ(detect("Just words.\n", "text/markdown", "x").kind, DocumentKind::Markdown);
  // text/plain is a weak hint that content may refine.
  EXPECT_EQ(detect("# Title\n\nSee [x](y) and ```code```.\n", "text/plain", "x.txt").kind, DocumentKind::Markdown);
}

TEST(Detect, CsvAndYaml) {
  auto csv = detect("id,name,email\n1,Ann,a@x\n2,\"Bob, Jr\",b@x\n3,Cy,c@x\n");
  EXPECT_EQ(csv.kind, DocumentKind::Csv) << csv.reason;
  EXPECT_EQ(csv.contentType, "text/csv");
  auto yaml = detect("name: test\nitems:\n  - a\n  - b\n");
  EXPECT_EQ(yaml.kind, DocumentKind::Yaml) << yaml.reason;
  EXPECT_EQ(yaml.parser, "yaml");
  EXPECT_TRUE(yaml.structurallyValid);
  // Declared YAML that does not look like YAML is still handled as YAML, flagged as not valid.
  auto bad = detect("this is: not\nreally yaml at all\n", "application/x-yaml", "x.yaml");
  EXPECT_EQ(bad.kind, DocumentKind::Yaml);
  EXPECT_FALSE(bad.structurallyValid);
}

TEST(Detect, InvalidJsonFallsBackToDeclaredType) {
  auto t = detect("{\"a\": 1,", "application/json", "x.json");
  EXPECT_EQ(t.kind, DocumentKind::Json);
  EXPECT_FALSE(t.structurallyValid);
  EXPECT_EQ(t.parser, "json");
  // Without any hint a broken JSON-looking text is plain text.
  EXPECT_EQ(detect("{\"a\": 1,").kind, DocumentKind::PlainText);
  // A Markdown link at the start is not JSON.
  EXPECT_EQ(detect("[Home](index.md)\n\n# Title\n").kind, DocumentKind::Markdown);
}

// --- encodings -----------------------------------------------------------------------------------

TEST(Detect, BomsAndUtf16) {
  std::string json = R"({"openapi":"3.0.0","paths":{}})";
  auto bom8 = detect("\xEF\xBB\xBF" + json);
  EXPECT_EQ(bom8.kind, DocumentKind::OpenApi);
  EXPECT_EQ(bom8.encoding, TextEncoding::Utf8Bom);

  std::string le = "\xFF\xFE", be = "\xFE\xFF", leNoBom;
  for (char c : json) {
    le.push_back(c), le.push_back('\0');
    be.push_back('\0'), be.push_back(c);
    leNoBom.push_back(c), leNoBom.push_back('\0');
  }
  auto t16le = detect(le, "", "x.json");
  EXPECT_EQ(t16le.kind, DocumentKind::OpenApi) << t16le.reason;
  EXPECT_EQ(t16le.encoding, TextEncoding::Utf16Le);
  EXPECT_EQ(detect(be).kind, DocumentKind::OpenApi);
  EXPECT_EQ(detect(be).encoding, TextEncoding::Utf16Be);
  EXPECT_EQ(detect(leNoBom).kind, DocumentKind::OpenApi);
}

TEST(Detect, InvalidUtf8IsRepaired) {
  auto t = detect("caf\xE9 au lait\nna\xEFve\n");  // Latin-1 bytes, no valid multi-byte sequence
  EXPECT_EQ(t.kind, DocumentKind::PlainText);
  EXPECT_EQ(t.encoding, TextEncoding::Windows1252);
  auto mixed = detect("caf\xC3\xA9 and \xFF broken\n");
  EXPECT_EQ(mixed.encoding, TextEncoding::Utf8);
  EXPECT_EQ(mixed.replacedSequences, 1u);
}

// --- binary and unsupported ----------------------------------------------------------------------

TEST(Detect, BinaryIsUnsupportedWithContractMessage) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  auto t = detect(png, "", "x.bin");
  EXPECT_EQ(t.kind, DocumentKind::Binary);
  EXPECT_FALSE(t.supported);
  EXPECT_TRUE(t.parser.empty());
  EXPECT_EQ(unsupportedTypeMessage(t),
            "415: Unsupported documentation content type 'application/octet-stream' for x.bin. Supported uploads "
            "include JSON, YAML, OpenAPI, Markdown, AsciiDoc, HTML, XML, CSV, SQL, text, PDF, and DOCX.");
  auto declared = detect(png, "image/png", "logo.png");
  EXPECT_EQ(unsupportedTypeMessage(declared).substr(0, 53), "415: Unsupported documentation content type 'image/pn");
  std::string random;
  for (int i = 0; i < 4096; ++i) random.push_back(static_cast<char>((i * 7919 + 13) % 256));
  EXPECT_EQ(detect(random, "", "blob").kind, DocumentKind::Binary);
  auto ole = detect(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, '\0'), "", "old.doc");
  EXPECT_EQ(ole.kind, DocumentKind::Binary);
  EXPECT_NE(ole.reason.find("legacy Office"), std::string::npos);
  EXPECT_EQ(detect("").kind, DocumentKind::Empty);
  EXPECT_EQ(detect(" \n\t ").kind, DocumentKind::Empty);
}

TEST(Detect, PdfAndZipMagic) {
  auto pdf = detect("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n", "", "manual");
  EXPECT_EQ(pdf.kind, DocumentKind::Pdf);
  EXPECT_EQ(pdf.contentType, "application/pdf");
  EXPECT_EQ(pdf.parser, "pdf");
  auto junk = detect("PK\x03\x04garbage", "", "a.zip");
  EXPECT_EQ(junk.kind, DocumentKind::Zip);
  EXPECT_FALSE(junk.supported);
}

TEST(Detect, ContentTypeResolutionFollowsContract) {
  EXPECT_EQ(resolveDeclaredContentType("Application/JSON; charset=UTF-8", "x.yaml"), "application/json");
  EXPECT_EQ(resolveDeclaredContentType("application/octet-stream", "x.YML"), "application/yaml");
  EXPECT_EQ(resolveDeclaredContentType("", "dir/x.htm"), "text/html");
  EXPECT_EQ(resolveDeclaredContentType("binary/octet-stream", "x.md"), "binary/octet-stream");
  EXPECT_EQ(resolveDeclaredContentType("", "x.bin"), "application/octet-stream");
  EXPECT_EQ(resolveDeclaredContentType("", "report.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(normalizeContentType(" Text/HTML ; q=1"), "text/html");
  auto t = detect("x", "", "");
  EXPECT_EQ(t.filename, "unknown");
}
