// Internal: the per-kind chunking strategies behind cg::ingest::chunkDocument (ingest/chunker.h).
// Each appends finished chunks (content, counts, structure fields, summary, tags, category,
// strategy) to `out.chunks` and returns false when the input does not have the expected
// structure (the dispatcher then falls back to text chunking). None of them throws.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "ingest/chunk_text.h"
#include "ingest/chunker.h"

namespace cg::ingest::chunking {

struct StrategyContext {
  std::string_view text;
  Budget budget;
  ChunkingResult& out;
};

bool chunkOpenApi(const StrategyContext& ctx, bool yaml);
bool chunkStructured(const StrategyContext& ctx, bool yaml);  // generic JSON/YAML
bool chunkScim(const StrategyContext& ctx);
bool chunkSql(const StrategyContext& ctx);
// Heading-based sections for Markdown, RST and AsciiDoc; other kinds have no headings and are
// split by paragraphs (CSV repeats its header line in every later chunk).
void chunkSections(const StrategyContext& ctx, ChunkSourceKind kind);

// One step of the location of a JSON value inside a chunk document: an object key, or an array
// (the value is wrapped in a one-element array).
struct WrapStep {
  bool array = false;
  std::string key;
};

std::string serializeDoc(const OrderedJson& doc, bool yaml);
OrderedJson wrapValue(const std::vector<WrapStep>& path, OrderedJson inner);
// Chunks of `value` shown at `path`: its members are packed under the budget; an oversized
// member is split the same way one level deeper (bounded), scalars by text. Sets content,
// counts, bodyOffset, cutMidUnit and summary ("<label>: keys a, b" / "items 3-9 of 20").
// When `base` is given (an object), every chunk document starts with its keys.
std::vector<Chunk> splitJsonValue(const StrategyContext& ctx, bool yaml, const OrderedJson& value,
                                  const std::vector<WrapStep>& path, std::string_view label,
                                  const OrderedJson* base = nullptr, size_t depth = 0);
// Text pieces of a serialized unit that does not fit (cutMidUnit, with overlap).
std::vector<Chunk> textFallbackChunks(const StrategyContext& ctx, std::string_view serialized,
                                      std::string_view laterPrefix);

// Fills tokenCount/characterCount from content (exact).
void measure(Chunk& chunk, const TokenCounter& count);

}  // namespace cg::ingest::chunking
