// Fuzz target: HTML → Markdown conversion (gumbo path and the linear fallback).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/extract_html.h"
#include "util/strings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view html(reinterpret_cast<const char*>(data), size);
  cg::ingest::HtmlOptions options;
  options.maxNesting = 200;  // keeps the quadratic parser cheap under the fuzzer
  auto result = cg::ingest::htmlToMarkdown(html, options);
  if (!cg::isValidUtf8(result.markdown)) __builtin_trap();
  // Exercise the fallback on the same input.
  options.maxParseBytes = 0;
  auto fallback = cg::ingest::htmlToMarkdown(html, options);
  if (!fallback.usedFallback && size > 0) __builtin_trap();
  return 0;
}
