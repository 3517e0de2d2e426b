// Structure-aware chunking of normalized documentation text (issue 3, item 4).
//
// Contract:
//  * Input: the whole normalized text of one document plus its detected kind (ChunkSourceKind,
//    mapped by the caller from the type detector's result) and a token counter (the exact
//    cl100k counter in production; any deterministic counter in tests).
//  * Output: ordered chunks. Every chunk's token_count (as measured by the counter on its full
//    content) is <= options.maxTokens, no chunk is empty or whitespace-only, and every cut lies
//    on a UTF-8 code point boundary. Same input and options -> identical output.
//  * Structure: OpenAPI is split by tag/path group and by component schema group, each chunk
//    being a self-contained document in the input's format (JSON stays JSON, YAML stays YAML);
//    SCIM by schema / resource type; SQL by statement; Markdown/RST/AsciiDoc by heading sections
//    (ancestor headings repeated as a context prefix); everything else by paragraphs, lines and
//    finally code points. Overlap (options.overlapRatio of the budget) is added only where a
//    single section/statement/entry had to be cut into several pieces.
//  * For the text kinds each chunk's content is `content[0, bodyOffset)` = repeated context
//    (heading path and/or overlap) followed by `content[bodyOffset, end)` = a slice of the input;
//    the bodies of consecutive chunks are consecutive slices, so together they cover every
//    non-whitespace character of the input exactly once.
//  * Never throws on bad input: unparsable structured input falls back to text chunking and the
//    reason is reported in `diagnostics`.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace cg::ingest {

// Kinds of normalized text the chunker understands. Independent of the type detector's enum.
enum class ChunkSourceKind {
  OpenApiJson,
  OpenApiYaml,
  ScimJson,
  SqlDdl,
  Markdown,
  HtmlMarkdown,  // Markdown produced by the HTML converter
  Rst,
  AsciiDoc,
  PlainText,
  GenericJson,
  GenericYaml,
  Csv,
  Xml,
};

// Returns the number of tokens of a text. Must be deterministic.
using TokenCounter = std::function<size_t(std::string_view)>;

struct ChunkOptions {
  size_t maxTokens = 10'000;   // hard budget per chunk (values below 16 are raised to 16)
  double overlapRatio = 0.05;  // share of the budget repeated when a section is cut (0 .. 0.5)
};

struct Chunk {
  std::string content;
  std::string summary;  // deterministic one-line description
  size_t tokenCount = 0;
  size_t characterCount = 0;  // Unicode code points of content
  size_t numEndpoints = 0;    // OpenAPI operations, or `METHOD /path` lines in prose
  std::vector<std::string> tags;
  std::string category;          // spec_json | spec_yaml | reference_api | reference_other | overview | tutorial | other
  std::string chunkingStrategy;  // e.g. openapi_paths, openapi_schemas, scim_resource, sql_statements,
                                 // sections, paragraphs; suffix "+text_split" when a unit was cut
  bool cutMidUnit = false;       // this chunk is a piece of one section/statement/entry that was cut
  size_t bodyOffset = 0;         // bytes of repeated context/overlap at the start of content
  // Structure covered by this chunk.
  std::vector<std::string> paths;          // OpenAPI paths (whole or some operations of them)
  std::vector<std::string> schemas;        // OpenAPI component schemas defined in the chunk
  std::vector<std::string> referencedSchemas;  // schemas referenced by the chunk's paths/schemas
  std::vector<std::string> tables;         // SQL tables/views created or altered
  std::vector<std::string> scimSchemas;    // SCIM schema / resource type ids
  std::vector<std::string> sectionPath;    // heading titles, outermost first
};

struct ChunkingResult {
  std::vector<Chunk> chunks;
  std::vector<std::string> diagnostics;  // e.g. "OpenAPI YAML did not parse (…); chunked as text"
};

ChunkingResult chunkDocument(std::string_view text, ChunkSourceKind kind, const TokenCounter& countTokens,
                             const ChunkOptions& options = {});

// Contract E.1 metadata keys this chunker knows (chunk_number, token_count, character_count,
// num_endpoints, tags, category, chunking_strategy) plus the structure keys that are non-empty
// (paths, schemas, referenced_schemas, tables, scim_schemas, section_path). Upload keys such as
// filename, content_type and parser are added by the caller.
OrderedJson chunkMetadataJson(const Chunk& chunk, size_t chunkNumber);

// Stable lowercase name of a kind, e.g. "openapi_yaml" (for logs and diagnostics).
std::string_view chunkSourceKindName(ChunkSourceKind kind);

}  // namespace cg::ingest
