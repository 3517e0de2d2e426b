// One entry point from uploaded bytes + detected type (ingest/detect.h) to normalized text.
//
// Contract: `extractDocument(bytes, type, limits)` never throws. On success `text` is valid UTF-8
// with LF newlines, no NUL/control characters and no leading/trailing blank lines:
//   * JSON (OpenAPI, SCIM, generic): pretty-printed with 2 spaces, key order kept, when it parses
//     (and nests at most 512 deep); otherwise the text is kept as is with a warning;
//   * YAML: the text is kept as is (comments and anchors survive); `structurallyValid` tells
//     whether cg::yamlToJson accepted it (documents up to `maxYamlValidationBytes`; larger ones
//     keep the detector's structural verdict, because a full parse of a multi-MB spec costs
//     about 0.4 s/MB and the digester parses it anyway);
//   * `keepParsedValue` returns the parsed JSON/YAML value in `parsed` (always parsing, whatever
//     the size) so a caller that needs the value does not parse twice;
//   * HTML: Markdown via htmlToMarkdown (title, links, spec URLs reported);
//   * PDF: pdftotext out of process (extract_pdf.h); DOCX: extract_docx.h;
//   * Markdown/RST/AsciiDoc/text/XML/CSV/SQL: the decoded text, newlines normalized.
// On failure `error` carries the contract status and detail; `error->jobMessage()` is the
// "{status}: {detail}" string the upload job records (B.3): 415 unsupported type, 422 empty /
// no extractable PDF text / unreadable PDF or DOCX, 413 a size limit (extracted text, DOCX
// decompression, PDF output), 500 when the PDF tool is not installed.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/detect.h"
#include "ingest/extract_docx.h"
#include "ingest/extract_html.h"
#include "ingest/extract_pdf.h"
#include "util/json.h"

namespace cg::ingest {

struct ExtractLimits {
  size_t maxExtractedTextBytes = 64 * 1024 * 1024;
  size_t maxJsonDepth = 512;
  bool validateYaml = true;                         // parse YAML to report validity ...
  size_t maxYamlValidationBytes = 1024 * 1024;     // ... when it is at most this large
  bool keepParsedValue = false;                    // return the parsed JSON/YAML value
  HtmlOptions html;
  DocxLimits docx;
  PdfLimits pdf;
};

struct ExtractError {
  int status = 0;
  std::string detail;
  std::string jobMessage() const { return std::to_string(status) + ": " + detail; }
};

struct ExtractResult {
  std::optional<ExtractError> error;
  bool ok() const { return !error.has_value(); }

  std::string text;
  std::string parser;       // text|json|yaml|html|pdf|docx
  std::string contentType;  // canonical, from the DocumentType
  std::string title;        // HTML <title>/<h1>, DOCX core title/first heading, OpenAPI info.title
  std::string baseHref;     // HTML <base href>
  std::vector<HtmlLink> links;        // HTML only
  std::vector<std::string> specUrls;  // HTML only
  std::optional<int> pdfPages;
  std::optional<int> docxParagraphs;
  std::optional<int> docxTables;
  bool structurallyValid = false;     // JSON parsed / YAML parsed (or passed the structural scan)
  std::optional<OrderedJson> parsed;  // with ExtractLimits::keepParsedValue
  std::vector<std::string> warnings;
};

ExtractResult extractDocument(std::string_view bytes, const DocumentType& type, const ExtractLimits& limits = {});

// Upload-level chunk metadata of contract E.1 / reference 7.3, in this order: filename,
// content_type, parser, then pdf_pages | docx_paragraphs + docx_tables, then
// preserve_as_single_documentation_item + chunking_strategy ("single_item_schema") for
// documents that must stay whole (SCIM, SQL). The chunker may add or override keys.
OrderedJson uploadMetadata(const DocumentType& type, const ExtractResult& result);

// Detail strings of the contract's upload errors.
std::string emptyUploadDetail(std::string_view filename);    // "Uploaded documentation {f} is empty."
std::string pdfWithoutTextDetail(std::string_view filename); // "Uploaded PDF {f} does not contain extractable text."

}  // namespace cg::ingest
