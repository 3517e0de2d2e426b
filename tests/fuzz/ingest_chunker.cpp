// Fuzz target for the chunker (ingest/chunker.h). The first byte picks the source kind, the
// second the token budget (16..271) and overlap; the rest is the document. Checks: no crash or
// hang, every chunk within budget and non-empty, valid UTF-8, and for the text kinds the chunk
// bodies in order reproduce every non-whitespace byte of the (sanitized) input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/chunker.h"
#include "util/strings.h"

namespace {
size_t quarterBytes(std::string_view s) { return (s.size() + 3) / 4; }

std::string withoutWhitespace(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f' && c != '\v') out += c;
  return out;
}

void check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using cg::ingest::ChunkSourceKind;
  if (size < 2) return 0;
  constexpr ChunkSourceKind kKinds[] = {
      ChunkSourceKind::OpenApiJson, ChunkSourceKind::OpenApiYaml, ChunkSourceKind::ScimJson,
      ChunkSourceKind::SqlDdl,      ChunkSourceKind::Markdown,    ChunkSourceKind::HtmlMarkdown,
      ChunkSourceKind::Rst,         ChunkSourceKind::AsciiDoc,    ChunkSourceKind::PlainText,
      ChunkSourceKind::GenericJson, ChunkSourceKind::GenericYaml, ChunkSourceKind::Csv,
      ChunkSourceKind::Xml};
  ChunkSourceKind kind = kKinds[data[0] % (sizeof kKinds / sizeof kKinds[0])];
  cg::ingest::ChunkOptions options;
  options.maxTokens = 16 + data[1];
  options.overlapRatio = (data[0] / 16) * 0.03;
  std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  auto result = cg::ingest::chunkDocument(text, kind, quarterBytes, options);

  bool textKind = kind == ChunkSourceKind::Markdown || kind == ChunkSourceKind::HtmlMarkdown ||
                  kind == ChunkSourceKind::Rst || kind == ChunkSourceKind::AsciiDoc ||
                  kind == ChunkSourceKind::PlainText || kind == ChunkSourceKind::Csv ||
                  kind == ChunkSourceKind::Xml || kind == ChunkSourceKind::SqlDdl;
  std::string bodies;
  for (const auto& c : result.chunks) {
    check(c.tokenCount == quarterBytes(c.content));
    check(c.tokenCount <= options.maxTokens);
    check(c.bodyOffset <= c.content.size());
    check(!cg::trim(std::string_view(c.content).substr(c.bodyOffset)).empty());
    check(cg::isValidUtf8(c.content));
    check(!c.category.empty() && !c.summary.empty());
    bodies += std::string_view(c.content).substr(c.bodyOffset);
  }
  if (textKind) {
    std::string input = cg::isValidUtf8(text) ? std::string(text) : cg::sanitizeUtf8(text);
    check(withoutWhitespace(bodies) == withoutWhitespace(input));
  }
  return 0;
}
