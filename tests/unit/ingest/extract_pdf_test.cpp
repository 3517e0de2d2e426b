#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ingest/detect.h"
#include "ingest/extract.h"
#include "ingest/extract_pdf.h"
#include "unit/ingest/pdf_builder.h"

using namespace cg::ingest;
using namespace cg::ingest::testing;
using ::testing::HasSubstr;

namespace {
bool havePdftotext() { return std::system("command -v pdftotext > /dev/null 2>&1") == 0; }

#define REQUIRE_PDFTOTEXT() \
  if (!havePdftotext()) GTEST_SKIP() << "pdftotext (Debian package poppler-utils) is not installed"

// A fake extractor script for the sandbox tests.
std::string writeScript(const std::string& name, const std::string& body) {
  auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()) + ".sh");
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path.string();
}
}  // namespace

TEST(Pdf, ExtractsTextAndCountsPages) {
  REQUIRE_PDFTOTEXT();
  std::string pdf = buildPdf({{"Users API", "GET /users returns all users (paged)."}, {}, {"Page three text"}});
  auto type = detectDocumentType(pdf, "application/pdf", "manual.pdf");
  ASSERT_EQ(type.kind, DocumentKind::Pdf);
  PdfExtraction r = extractPdfText(pdf);
  ASSERT_EQ(r.status, PdfExtraction::Status::Ok) << r.diagnostic;
  EXPECT_EQ(r.pages, 3);
  EXPECT_EQ(r.text, "Users API\nGET /users returns all users (paged).\n\nPage three text");

  ExtractResult e = extractDocument(pdf, type);
  ASSERT_TRUE(e.ok()) << e.error->jobMessage();
  EXPECT_EQ(e.pdfPages, 3);
  EXPECT_EQ(e.parser, "pdf");
  EXPECT_THAT(e.text, HasSubstr("GET /users returns all users (paged)."));
  auto meta = uploadMetadata(type, e);
  EXPECT_EQ(meta.dump(), R"({"filename":"manual.pdf","content_type":"application/pdf","parser":"pdf","pdf_pages":3})");
}

TEST(Pdf, NoExtractableTextIsTheContract422) {
  REQUIRE_PDFTOTEXT();
  std::string pdf = buildPdf({{}, {}});
  auto type = detectDocumentType(pdf, "", "scan.pdf");
  ExtractResult e = extractDocument(pdf, type);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error->jobMessage(), "422: Uploaded PDF scan.pdf does not contain extractable text.");
  EXPECT_EQ(e.pdfPages, 2);
}

TEST(Pdf, DamagedPdfFailsClearly) {
  REQUIRE_PDFTOTEXT();
  std::string junk = "%PDF-1.7\nthis is not a real pdf at all\n";
  auto type = detectDocumentType(junk, "", "broken.pdf");
  ExtractResult e = extractDocument(junk, type);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error->status, 422);
  EXPECT_THAT(e.error->detail, HasSubstr("broken.pdf"));
}

TEST(Pdf, TimeoutKillsTheChild) {
  std::string script = writeScript("cg-slow-pdf", "sleep 30");
  PdfLimits limits;
  limits.pdftotextPath = script;
  limits.timeout = std::chrono::milliseconds(300);
  auto started = std::chrono::steady_clock::now();
  PdfExtraction r = extractPdfText("%PDF-1.4 whatever", limits);
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.status, PdfExtraction::Status::Timeout);
  EXPECT_LT(elapsed, std::chrono::seconds(10));  // not the 30 s the child wanted
  std::filesystem::remove(script);
}

TEST(Pdf, OutputCapKillsTheChild) {
  std::string script = writeScript("cg-chatty-pdf", "cat > /dev/null; yes 'endless text'");
  PdfLimits limits;
  limits.pdftotextPath = script;
  limits.maxOutputBytes = 100 * 1024;
  PdfExtraction r = extractPdfText("%PDF-1.4 whatever", limits);
  EXPECT_EQ(r.status, PdfExtraction::Status::OutputTooLarge);
  DocumentType type = detectDocumentType("%PDF-1.4 x", "", "big.pdf");
  ExtractLimits all;
  all.pdf = limits;
  ExtractResult e = extractDocument("%PDF-1.4 whatever", type, all);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error->status, 413);
  std::filesystem::remove(script);
}

TEST(Pdf, ChildGetsMemoryLimitAndNoWritableFiles) {
  // The script reports its own limits: `ulimit -v` (KiB) and `ulimit -f` (blocks).
  std::string script = writeScript("cg-limits-pdf", "cat > /dev/null; echo \"as=$(ulimit -v) fsize=$(ulimit -f)\"");
  PdfLimits limits;
  limits.pdftotextPath = script;
  limits.maxMemoryBytes = 256ull * 1024 * 1024;
  PdfExtraction r = extractPdfText("%PDF-1.4 whatever", limits);
  ASSERT_EQ(r.status, PdfExtraction::Status::Ok) << r.diagnostic;
  EXPECT_EQ(r.text, "as=262144 fsize=0");
  std::filesystem::remove(script);
}

TEST(Pdf, MissingToolIsReported) {
  PdfLimits limits;
  limits.pdftotextPath = "cg-no-such-pdftotext-binary";
  EXPECT_EQ(extractPdfText("%PDF-1.4", limits).status, PdfExtraction::Status::ToolMissing);
}
