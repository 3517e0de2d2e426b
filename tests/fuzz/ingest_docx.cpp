// Fuzz target: the DOCX reader (ZIP container + WordprocessingML) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/extract_docx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cg::ingest::DocxLimits limits;
  limits.maxTotalUncompressedBytes = 8 * 1024 * 1024;
  auto result = cg::ingest::extractDocxText(bytes, limits);
  if (!result.ok && result.error.empty()) __builtin_trap();
  return 0;
}
