// Documentation type detection for uploads and scraped pages.
//
// Contract: `detectDocumentType(bytes, declaredContentType, filename)` never throws and does no I/O.
// It decides by content first (magic bytes, a JSON parse, structural YAML/SQL/markup checks), then
// by the declared content type (ignored when generic: empty, application/octet-stream,
// binary/octet-stream; text/plain is only a weak hint), then by the filename suffix, and finally by
// weak content heuristics (Markdown vs RST vs AsciiDoc vs CSV vs plain text). The result names the
// kind, the canonical content type stored with the document, the contract's `parser` and a
// `category` hint (E.1), and a human-readable reason. Unsupported input (binary data, archives
// other than DOCX) has `supported == false`; `unsupportedTypeMessage` builds the contract's job
// error for it (B.3).
#pragma once
#include <string>
#include <string_view>

#include "ingest/extract_encoding.h"

namespace cg::ingest {

enum class DocumentKind {
  Empty,
  OpenApi,    // OpenAPI 3.x or Swagger 2.0, JSON or YAML (see DocumentType::specFormat/specVersion)
  Scim,       // SCIM 2.0 Schema / ResourceType / ListResponse / ServiceProviderConfig documents
  Sql,        // SQL script, usually DDL
  Html,
  Markdown,
  Rst,
  AsciiDoc,
  PlainText,
  Json,       // any other JSON (or declared JSON that does not parse)
  Yaml,       // any other YAML
  Xml,
  Csv,
  Pdf,
  Docx,
  Zip,        // other ZIP archive (unsupported)
  Binary,     // other binary or unknown data (unsupported)
};

enum class SpecFormat { None, Json, Yaml };

enum class ScimDocument { None, Schema, ResourceType, ListResponse, ServiceProviderConfig, Resource };

// Short lowercase name, e.g. "openapi", "scim", "markdown", "binary".
std::string_view documentKindName(DocumentKind kind);
std::string_view scimDocumentName(ScimDocument doc);

struct DocumentType {
  DocumentKind kind = DocumentKind::Binary;
  bool supported = false;
  std::string contentType;    // canonical, e.g. application/openapi+json, text/markdown
  std::string parser;         // text|json|yaml|html|pdf|docx; empty when unsupported
  std::string category;       // spec_json|spec_yaml|reference_api|other
  std::string reason;         // why this kind was chosen, for logs and job messages
  SpecFormat specFormat = SpecFormat::None;  // OpenAPI only
  std::string specVersion;    // OpenAPI: "2.0", "3.0.3", "3.1.0"
  ScimDocument scimDocument = ScimDocument::None;
  bool preserveAsSingleItem = false;  // SCIM and SQL: downstream parsers need the document whole
  bool structurallyValid = false;     // JSON/OpenAPI-JSON/SCIM parsed; YAML passed the structural scan
  TextEncoding encoding = TextEncoding::Utf8;  // how text content was decoded
  size_t replacedSequences = 0;       // invalid byte sequences replaced while decoding
  std::string filename;               // as uploaded; "unknown" when none was given
  std::string declaredContentType;    // resolved the contract's way (B.3): declared, else by suffix
};

// Normalises a MIME type: lowercase, parameters (";charset=...") and surrounding spaces dropped.
std::string normalizeContentType(std::string_view contentType);

// Content type resolution of contract B.3: the declared type unless generic, else the suffix map
// (.json .yaml .yml .html .htm .xml .sql .pdf .docx), else the generic declared type (or
// "application/octet-stream" when nothing was declared).
std::string resolveDeclaredContentType(std::string_view declaredContentType, std::string_view filename);

DocumentType detectDocumentType(std::string_view bytes, std::string_view declaredContentType,
                                std::string_view filename);

// "Unsupported documentation content type '{contentType}' for {filename}. Supported uploads include ..."
std::string unsupportedTypeDetail(std::string_view contentType, std::string_view filename);
// The job error string of contract B.3 for an unsupported type: "415: " + unsupportedTypeDetail(...).
std::string unsupportedTypeMessage(const DocumentType& type);

}  // namespace cg::ingest
