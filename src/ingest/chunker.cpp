#include "ingest/chunker.h"

#include <algorithm>
#include <exception>

#include "ingest/chunk_strategies.h"
#include "util/strings.h"

namespace cg::ingest {

std::string_view chunkSourceKindName(ChunkSourceKind kind) {
  switch (kind) {
    case ChunkSourceKind::OpenApiJson: return "openapi_json";
    case ChunkSourceKind::OpenApiYaml: return "openapi_yaml";
    case ChunkSourceKind::ScimJson: return "scim_json";
    case ChunkSourceKind::SqlDdl: return "sql_ddl";
    case ChunkSourceKind::Markdown: return "markdown";
    case ChunkSourceKind::HtmlMarkdown: return "html_markdown";
    case ChunkSourceKind::Rst: return "rst";
    case ChunkSourceKind::AsciiDoc: return "asciidoc";
    case ChunkSourceKind::PlainText: return "plain_text";
    case ChunkSourceKind::GenericJson: return "json";
    case ChunkSourceKind::GenericYaml: return "yaml";
    case ChunkSourceKind::Csv: return "csv";
    case ChunkSourceKind::Xml: return "xml";
  }
  return "unknown";
}

ChunkingResult chunkDocument(std::string_view input, ChunkSourceKind kind, const TokenCounter& countTokens,
                             const ChunkOptions& options) {
  ChunkingResult result;
  std::string sanitized;
  if (!isValidUtf8(input)) {
    sanitized = sanitizeUtf8(input);
    input = sanitized;
    result.diagnostics.push_back("input was not valid UTF-8; invalid bytes were replaced");
  }
  if (chunking::isBlank(input)) return result;
  size_t maxTokens = std::max<size_t>(options.maxTokens, 16);
  double ratio = std::clamp(options.overlapRatio, 0.0, 0.5);
  if (!(ratio >= 0.0)) ratio = 0.0;  // NaN
  chunking::Budget budget{countTokens, maxTokens, static_cast<size_t>(static_cast<double>(maxTokens) * ratio)};
  chunking::StrategyContext ctx{input, budget, result};

  bool done = false;
  try {
    switch (kind) {
    case ChunkSourceKind::OpenApiJson: done = chunking::chunkOpenApi(ctx, false); break;
    case ChunkSourceKind::OpenApiYaml: done = chunking::chunkOpenApi(ctx, true); break;
    case ChunkSourceKind::ScimJson: done = chunking::chunkScim(ctx); break;
    case ChunkSourceKind::SqlDdl: done = chunking::chunkSql(ctx); break;
    case ChunkSourceKind::GenericJson: done = chunking::chunkStructured(ctx, false); break;
    case ChunkSourceKind::GenericYaml: done = chunking::chunkStructured(ctx, true); break;
    default: break;
    }
  } catch (const std::exception& e) {  // defensive: strategies are written not to throw
    result.diagnostics.push_back(std::string("structured chunking failed (") + e.what() + "); chunked as text");
    done = false;
  }
  if (!done) {
    result.chunks.clear();
    ChunkSourceKind textKind = kind;
    if (kind == ChunkSourceKind::OpenApiJson || kind == ChunkSourceKind::OpenApiYaml ||
        kind == ChunkSourceKind::ScimJson || kind == ChunkSourceKind::SqlDdl || kind == ChunkSourceKind::GenericJson ||
        kind == ChunkSourceKind::GenericYaml)
      textKind = ChunkSourceKind::PlainText;
    chunking::chunkSections(ctx, textKind);
  }

  // Final guarantees: no empty chunks; every count within the budget.
  std::vector<Chunk> kept;
  kept.reserve(result.chunks.size());
  for (auto& c : result.chunks) {
    if (chunking::isBlank(std::string_view(c.content).substr(std::min(c.bodyOffset, c.content.size())))) continue;
    if (c.tokenCount == 0 && c.characterCount == 0) chunking::measure(c, countTokens);
    if (c.tokenCount > maxTokens)
      result.diagnostics.push_back("chunk " + std::to_string(kept.size()) + " exceeds the token budget (" +
                                   std::to_string(c.tokenCount) + " > " + std::to_string(maxTokens) + ")");
    if (c.category.empty()) c.category = "other";
    kept.push_back(std::move(c));
  }
  result.chunks = std::move(kept);
  return result;
}

OrderedJson chunkMetadataJson(const Chunk& chunk, size_t chunkNumber) {
  OrderedJson m = OrderedJson::object();
  m["chunk_number"] = chunkNumber;
  m["token_count"] = chunk.tokenCount;
  m["character_count"] = chunk.characterCount;
  m["num_endpoints"] = chunk.numEndpoints;
  m["tags"] = chunk.tags;
  m["category"] = chunk.category;
  m["chunking_strategy"] = chunk.chunkingStrategy;
  if (chunk.cutMidUnit) m["cut_mid_section"] = true;
  auto addList = [&](const char* key, const std::vector<std::string>& values) {
    if (!values.empty()) m[key] = values;
  };
  addList("paths", chunk.paths);
  addList("schemas", chunk.schemas);
  addList("referenced_schemas", chunk.referencedSchemas);
  addList("tables", chunk.tables);
  addList("scim_schemas", chunk.scimSchemas);
  addList("section_path", chunk.sectionPath);
  return m;
}

}  // namespace cg::ingest
