#include "ingest/pipeline.h"

#include "ingest/tokenizer.h"

namespace cg::ingest {
ChunkSourceKind chunkKindFor(const DocumentType& t) {
  switch (t.kind) {
    case DocumentKind::OpenApi:
      return t.specFormat == SpecFormat::Yaml ? ChunkSourceKind::OpenApiYaml : ChunkSourceKind::OpenApiJson;
    case DocumentKind::Scim: return ChunkSourceKind::ScimJson;
    case DocumentKind::Sql: return ChunkSourceKind::SqlDdl;
    case DocumentKind::Html: return ChunkSourceKind::HtmlMarkdown;
    case DocumentKind::Markdown: return ChunkSourceKind::Markdown;
    case DocumentKind::Docx: return ChunkSourceKind::Markdown;  // headings come out as Markdown
    case DocumentKind::Rst: return ChunkSourceKind::Rst;
    case DocumentKind::AsciiDoc: return ChunkSourceKind::AsciiDoc;
    case DocumentKind::Json: return ChunkSourceKind::GenericJson;
    case DocumentKind::Yaml: return ChunkSourceKind::GenericYaml;
    case DocumentKind::Xml: return ChunkSourceKind::Xml;
    case DocumentKind::Csv: return ChunkSourceKind::Csv;
    default: return ChunkSourceKind::PlainText;
  }
}

IngestResult ingestDocument(std::string_view bytes, std::string_view declaredContentType, std::string_view filename,
                            const IngestOptions& options) {
  IngestResult out;
  out.type = detectDocumentType(bytes, declaredContentType, filename);
  if (bytes.empty()) {
    out.error = ExtractError{422, emptyUploadDetail(out.type.filename)};
    return out;
  }
  if (!out.type.supported) {
    out.error = ExtractError{415, unsupportedTypeDetail(out.type.declaredContentType, out.type.filename)};
    return out;
  }
  ExtractResult ex = extractDocument(bytes, out.type, options.extract);
  if (!ex.ok()) {
    out.error = ex.error;
    return out;
  }
  out.text = std::move(ex.text);
  out.title = ex.title;
  out.warnings = ex.warnings;

  auto tokenizer = Tokenizer::cl100k();
  TokenCounter counter;
  if (tokenizer) {
    counter = [tokenizer](std::string_view s) { return tokenizer->count(s); };
  } else {
    out.exactTokenCounts = false;
    out.warnings.push_back("Token counts are approximate: " + Tokenizer::cl100kLoadError());
    counter = [](std::string_view s) { return approximateTokenCount(s); };
  }
  ChunkingResult chunked = chunkDocument(out.text, chunkKindFor(out.type), counter, options.chunking);
  for (auto& d : chunked.diagnostics) out.warnings.push_back(d);
  OrderedJson upload = uploadMetadata(out.type, ex);
  out.chunks.reserve(chunked.chunks.size());
  for (size_t i = 0; i < chunked.chunks.size(); ++i) {
    auto& c = chunked.chunks[i];
    OrderedJson meta = chunkMetadataJson(c, i);
    for (auto it = upload.begin(); it != upload.end(); ++it)
      if (!meta.contains(it.key())) meta[it.key()] = it.value();
    meta["content_type"] = out.type.contentType;
    if (!out.exactTokenCounts) meta["token_count_approximate"] = true;
    out.chunks.push_back({std::move(c.content), std::move(c.summary), std::move(meta)});
  }
  if (out.chunks.empty()) out.warnings.push_back("The document produced no chunks (no text content).");
  return out;
}
}  // namespace cg::ingest
