#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/detect.h"
#include "ingest/extract_docx.h"
#include "unit/ingest/docx_builder.h"

using namespace cg::ingest;
using namespace cg::ingest::testing;
using ::testing::HasSubstr;

namespace {
const std::string kStyles = std::string(R"(<?xml version="1.0"?><w:styles )") + kWordNs + R"(>
  <w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>
  <w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>
  <w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="Fancy"/><w:basedOn w:val="berschrift2"/></w:style>
  <w:style w:type="paragraph" w:styleId="Outline3"><w:name w:val="Custom"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
</w:styles>)";

const std::string kNumbering = std::string(R"(<?xml version="1.0"?><w:numbering )") + kWordNs + R"(>
  <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>
    <w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
  <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
  <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>)";

const std::string kRels = R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://api.example/docs" TargetMode="External"/>
</Relationships>)";

std::string listPara(const std::string& text, int numId, int ilvl) {
  return "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" + std::to_string(ilvl) + "\"/><w:numId w:val=\"" +
         std::to_string(numId) + "\"/></w:numPr></w:pPr><w:r><w:t>" + text + "</w:t></w:r></w:p>";
}

std::string cell(const std::string& text, const std::string& props = "") {
  return "<w:tc>" + (props.empty() ? "" : "<w:tcPr>" + props + "</w:tcPr>") + "<w:p><w:r><w:t>" + text +
         "</w:t></w:r></w:p></w:tc>";
}
}  // namespace

TEST(Docx, ParagraphsHeadingsTablesAndListsInOrder) {
  std::string body =
      para("Users API", "Titel") + para("Intro text.") + "<w:p/>" + para("Endpoints", "berschrift2") +
      "<w:tbl><w:tr>" + cell("Method") + cell("Path") + cell("Notes") + "</w:tr><w:tr>" + cell("GET") +
      cell("/users") + cell("a|b") + "</w:tr><w:tr>" + cell("POST", "<w:gridSpan w:val=\"2\"/>") + cell("x") +
      "</w:tr></w:tbl>" + para("After the table.") + listPara("first", 5, 0) + listPara("step", 5, 1) +
      listPara("step", 5, 1) + listPara("second", 5, 0) + listPara("again", 5, 1) + para("Derived", "MyHeading") +
      para("Outlined", "Outline3") + para("Heading9Fallback", "Heading4") +
      "<w:p><w:r><w:t>See </w:t></w:r><w:hyperlink r:id=\"rId9\"><w:r><w:t>the docs</w:t></w:r></w:hyperlink>"
      "<w:r><w:tab/><w:t>tab</w:t><w:br/><w:t>next</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>";
  std::string docx = buildDocx(body, {{"word/styles.xml", kStyles},
                                      {"word/numbering.xml", kNumbering},
                                      {"word/_rels/document.xml.rels", kRels}});
  auto detected = detectDocumentType(docx, "", "spec.docx");
  ASSERT_EQ(detected.kind, DocumentKind::Docx);

  DocxExtraction r = extractDocxText(docx);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.text,
            "# Users API\n\n"
            "Intro text.\n\n"
            "## Endpoints\n\n"
            "| Method | Path | Notes |\n| --- | --- | --- |\n| GET | /users | a\\|b |\n| POST |  | x |\n\n"
            "After the table.\n\n"
            "- first\n    1. step\n    2. step\n- second\n    1. again\n\n"
            "## Derived\n\n"
            "### Outlined\n\n"
            "#### Heading9Fallback\n\n"
            "See [the docs](https://api.example/docs)\ttab\nnext");
  EXPECT_EQ(r.tables, 1);
  EXPECT_EQ(r.paragraphs, 13);  // non-empty body paragraphs outside tables
  EXPECT_EQ(r.title, "Users API");
}

TEST(Docx, ContentControlsNestedTablesAndMergedRows) {
  std::string inner = "<w:tbl><w:tr>" + cell("a") + cell("b") + "</w:tr><w:tr>" + cell("c") + cell("d") + "</w:tr></w:tbl>";
  std::string body = "<w:sdt><w:sdtContent>" + para("Inside control") + "</w:sdtContent></w:sdt>" +
                     "<w:tbl><w:tr>" + cell("k") + "<w:tc>" + inner + "</w:tc></w:tr><w:tr>" +
                     cell("merged", "<w:vMerge w:val=\"restart\"/>") + cell("v") + "</w:tr><w:tr>" +
                     "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>" + cell("w") + "</w:tr></w:tbl>";
  DocxExtraction r = extractDocxText(buildDocx(body));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.text, "Inside control\n\n| k | a, b; c, d |\n| --- | --- |\n| merged | v |\n|  | w |");
  EXPECT_EQ(r.paragraphs, 1);
  EXPECT_EQ(r.tables, 1);
}

TEST(Docx, CoreTitleAndUnicode) {
  std::string core = R"(<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Handbuch Ü</dc:title></cp:coreProperties>)";
  DocxExtraction r = extractDocxText(buildDocx(para("Größe &amp; Maß"), {{"docProps/core.xml", core}}));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.text, "Größe & Maß");
  EXPECT_EQ(r.title, "Handbuch Ü");
}

TEST(Docx, ZipBombIsRefusedByRatio) {
  std::string zeros(4 * 1024 * 1024, ' ');
  std::string body = para("x") + "<!--" + zeros + "-->";
  std::string docx = buildDocx(body);
  EXPECT_LT(docx.size(), 64u * 1024);
  DocxExtraction r = extractDocxText(docx);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.error, HasSubstr("ZIP bomb"));
  EXPECT_TRUE(r.text.empty());
}

TEST(Docx, TotalUncompressedLimitCountsRealBytes) {
  std::string big(300 * 1024, 'a');
  std::string docx = buildZip({{"word/document.xml", wordDocument(para(big))}}, /*store=*/true);
  DocxLimits limits;
  limits.maxTotalUncompressedBytes = 100 * 1024;
  DocxExtraction r = extractDocxText(docx, limits);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.error, HasSubstr("uncompressed data"));
  limits.maxTotalUncompressedBytes = 1024 * 1024;
  EXPECT_TRUE(extractDocxText(docx, limits).ok);
}

TEST(Docx, TooManyEntries) {
  std::vector<std::pair<std::string, std::string>> entries = {{"word/document.xml", wordDocument(para("x"))}};
  for (int i = 0; i < 20; ++i) entries.push_back({"junk/" + std::to_string(i), "j"});
  DocxLimits limits;
  limits.maxEntries = 10;
  DocxExtraction r = extractDocxText(buildZip(entries), limits);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.error, HasSubstr("entries"));
}

TEST(Docx, DamagedInputGivesClearErrors) {
  EXPECT_THAT(extractDocxText("not a zip").error, HasSubstr("not a readable ZIP archive"));
  EXPECT_THAT(extractDocxText(buildZip({{"a.txt", "x"}})).error, HasSubstr("no word/document.xml"));
  EXPECT_THAT(extractDocxText(buildZip({{"word/document.xml", "<w:document><w:body>"}})).error,
              HasSubstr("not well-formed XML"));
  std::string good = buildDocx(para("hello"));
  std::string truncated = good.substr(0, good.size() / 2);
  EXPECT_FALSE(extractDocxText(truncated).ok);
}

TEST(Docx, DeepNestingIsCapped) {
  std::string body = "<w:p>";
  for (int i = 0; i < 5000; ++i) body += "<w:ins>";
  body += "<w:r><w:t>deep</w:t></w:r>";
  for (int i = 0; i < 5000; ++i) body += "</w:ins>";
  body += "</w:p>" + para("shallow");
  DocxExtraction r = extractDocxText(buildDocx(body));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.text, "shallow");
  EXPECT_EQ(r.warnings.size(), 1u);
}
