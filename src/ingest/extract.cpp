#include "ingest/extract.h"

#include <algorithm>

#include "ingest/extract_encoding.h"
#include "util/strings.h"
#include "util/yaml_json.h"

namespace cg::ingest {
namespace {

// Maximum bracket depth of JSON text (strings skipped); stops counting past `cap`.
size_t jsonDepth(std::string_view text, size_t cap) {
  size_t depth = 0, maxDepth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '"') inString = true;
    else if (c == '{' || c == '[') {
      maxDepth = std::max(maxDepth, ++depth);
      if (maxDepth > cap) return maxDepth;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return maxDepth;
}

std::string formatBytes(size_t n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) return std::to_string(n / (1024 * 1024)) + " MiB";
  return std::to_string(n) + " bytes";
}

ExtractResult failure(ExtractResult result, int status, std::string detail) {
  result.error = ExtractError{status, std::move(detail)};
  result.text.clear();
  return result;
}

}  // namespace

std::string emptyUploadDetail(std::string_view filename) {
  return "Uploaded documentation " + std::string(filename) + " is empty.";
}

std::string pdfWithoutTextDetail(std::string_view filename) {
  return "Uploaded PDF " + std::string(filename) + " does not contain extractable text.";
}

ExtractResult extractDocument(std::string_view bytes, const DocumentType& type, const ExtractLimits& limits) {
  ExtractResult result;
  result.parser = type.parser;
  result.contentType = type.contentType;
  const std::string& filename = type.filename;

  if (type.kind == DocumentKind::Empty || bytes.empty()) return failure(std::move(result), 422, emptyUploadDetail(filename));
  if (!type.supported) return failure(std::move(result), 415, unsupportedTypeDetail(type.declaredContentType, filename));

  std::string text;
  switch (type.kind) {
    case DocumentKind::Pdf: {
      PdfExtraction pdf = extractPdfText(bytes, limits.pdf);
      using S = PdfExtraction::Status;
      std::string prefix = "Could not extract text from uploaded PDF " + filename;
      switch (pdf.status) {
        case S::Ok: break;
        case S::NoText:
          result.pdfPages = pdf.pages;
          return failure(std::move(result), 422, pdfWithoutTextDetail(filename));
        case S::Encrypted: return failure(std::move(result), 422, prefix + ": the PDF is password-protected.");
        case S::Timeout:
          return failure(std::move(result), 422,
                         prefix + ": extraction did not finish within " +
                             std::to_string(limits.pdf.timeout.count() / 1000) + " s.");
        case S::OutputTooLarge:
          return failure(std::move(result), 413,
                         "Extracted text of " + filename + " exceeds the limit of " +
                             formatBytes(limits.pdf.maxOutputBytes) + ".");
        case S::ToolMissing:
          return failure(std::move(result), 500, "PDF text extraction is not available: " + pdf.diagnostic + ".");
        case S::Failed:
          result.warnings.push_back(pdf.diagnostic);
          return failure(std::move(result), 422, prefix + ".");
      }
      result.pdfPages = pdf.pages;
      text = normalizeText(pdf.text);
      break;
    }
    case DocumentKind::Docx: {
      DocxExtraction docx = extractDocxText(bytes, limits.docx);
      if (!docx.ok) {
        return failure(std::move(result), docx.limitExceeded ? 413 : 422,
                       "Could not extract text from uploaded DOCX " + filename + ": " + docx.error + ".");
      }
      result.docxParagraphs = docx.paragraphs;
      result.docxTables = docx.tables;
      result.title = docx.title;
      result.warnings = std::move(docx.warnings);
      text = normalizeText(docx.text);
      break;
    }
    default: {
      DecodedText decoded = decodeToUtf8(bytes);
      if (decoded.replacedSequences > 0)
        result.warnings.push_back(std::to_string(decoded.replacedSequences) +
                                  " invalid byte sequence(s) replaced by U+FFFD");
      if (decoded.encoding != TextEncoding::Utf8 && decoded.encoding != TextEncoding::Utf8Bom)
        result.warnings.push_back("decoded from " + std::string(encodingName(decoded.encoding)));
      if (type.kind == DocumentKind::Html) {
        HtmlConversion html = htmlToMarkdown(decoded.text, limits.html);
        result.title = std::move(html.title);
        result.baseHref = std::move(html.baseHref);
        result.links = std::move(html.links);
        result.specUrls = std::move(html.specUrls);
        for (auto& w : html.warnings) result.warnings.push_back(std::move(w));
        text = normalizeText(html.markdown);
        break;
      }
      text = normalizeText(decoded.text);
      if (type.parser == "json") {
        if (jsonDepth(text, limits.maxJsonDepth) > limits.maxJsonDepth) {
          result.warnings.push_back("JSON nests deeper than " + std::to_string(limits.maxJsonDepth) +
                                    " levels; kept as is");
          break;
        }
        OrderedJson value = OrderedJson::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
        if (value.is_discarded()) {
          result.warnings.push_back("the document is not valid JSON; kept as is");
          break;
        }
        result.structurallyValid = true;
        if (value.is_object() && value.contains("info") && value["info"].is_object() &&
            value["info"].contains("title") && value["info"]["title"].is_string())
          result.title = value["info"]["title"].get<std::string>();
        text = value.dump(2, ' ', false, nlohmann::detail::error_handler_t::replace);
        if (limits.keepParsedValue) result.parsed = std::move(value);
      } else if (type.parser == "yaml") {
        bool parse = limits.keepParsedValue || (limits.validateYaml && text.size() <= limits.maxYamlValidationBytes);
        if (!parse) {
          result.structurallyValid = type.structurallyValid;
          if (limits.validateYaml)
            result.warnings.push_back("YAML of " + std::to_string(text.size()) +
                                      " bytes not parsed here (above the validation size limit)");
          break;
        }
        try {
          OrderedJson value = yamlToJson(text);
          result.structurallyValid = true;
          if (value.is_object() && value.contains("info") && value["info"].is_object() &&
              value["info"].contains("title") && value["info"]["title"].is_string())
            result.title = value["info"]["title"].get<std::string>();
          if (limits.keepParsedValue) result.parsed = std::move(value);
        } catch (const std::exception& e) {
          result.warnings.push_back(std::string("the document is not valid YAML (") + e.what() + "); kept as is");
        }
      }
      break;
    }
  }

  if (text.size() > limits.maxExtractedTextBytes) {
    return failure(std::move(result), 413,
                   "Extracted text of " + filename + " (" + std::to_string(text.size()) +
                       " bytes) exceeds the limit of " + formatBytes(limits.maxExtractedTextBytes) + ".");
  }
  if (trim(text).empty())
    return failure(std::move(result), 422, "Uploaded documentation " + filename + " did not produce any text.");
  result.text = std::move(text);
  return result;
}

OrderedJson uploadMetadata(const DocumentType& type, const ExtractResult& result) {
  OrderedJson m = OrderedJson::object();
  m["filename"] = type.filename;
  m["content_type"] = type.contentType;
  m["parser"] = type.parser;
  if (result.pdfPages) m["pdf_pages"] = *result.pdfPages;
  if (result.docxParagraphs) m["docx_paragraphs"] = *result.docxParagraphs;
  if (result.docxTables) m["docx_tables"] = *result.docxTables;
  if (type.preserveAsSingleItem) {
    m["preserve_as_single_documentation_item"] = true;
    m["chunking_strategy"] = "single_item_schema";
  }
  return m;
}

}  // namespace cg::ingest
