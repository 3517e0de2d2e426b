// Fuzz target: documentation type detection and text decoding/normalization on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/detect.h"
#include "ingest/extract_encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const char* kDeclared[] = {"", "application/json", "text/plain", "application/yaml", "text/html",
                                    "application/octet-stream"};
  static const char* kNames[] = {"", "x.json", "x.md", "x.yaml", "x.adoc", "x.sql", "x.bin", "x.docx"};
  const char* declared = kDeclared[size % 6];
  const char* name = kNames[size % 8];
  auto type = cg::ingest::detectDocumentType(bytes, declared, name);
  if (type.supported && type.parser.empty()) __builtin_trap();
  if (!type.supported) (void)cg::ingest::unsupportedTypeMessage(type);
  auto decoded = cg::ingest::decodeToUtf8(bytes);
  (void)cg::ingest::normalizeText(decoded.text);
  return 0;
}
