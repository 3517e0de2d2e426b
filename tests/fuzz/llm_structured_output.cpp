// Fuzz target: untrusted model replies through JSON extraction, schema validation and claim
// verification (the reply doubles as the chunk text). Must never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "llm/prompts.h"
#include "llm/structured_output.h"
#include "llm/verification.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const cg::OrderedJson schema = cg::llm::proseExtractionPrompt({"App", "1", "", {}}).schema;
  auto value = cg::llm::extractJsonValue(text);
  if (value) {
    (void)cg::llm::validateAgainstSchema(schema, *value);
    auto claims = cg::llm::proseClaimsFromJson(*value);
    (void)cg::llm::verifyAgainstChunk(claims, text, {"User"});
  }
  (void)cg::llm::findPath(text, "/users/{id}/groups");
  (void)cg::llm::findName(text, "displayName", true);
  (void)cg::llm::findQuote(text, "basic authentication ... header");
  return 0;
}
