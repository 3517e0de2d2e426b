// DOCX (Office Open XML WordprocessingML) → Markdown-flavoured text, with libzip + pugixml.
//
// Contract: `extractDocxText(bytes, limits)` never throws and does no I/O outside the given
// bytes. Body elements keep their order: paragraphs become lines (heading styles → "#" levels,
// numbered/bulleted paragraphs → "-" / "1." list items, hyperlinks → [text](target)) and tables
// become GitHub pipe tables in place (merged cells left empty, nested tables flattened into their
// cell). Counts follow the contract's metadata: `paragraphs` = non-empty body paragraphs outside
// tables, `tables` = top-level tables. Zip-bomb guards: the bytes actually inflated are counted
// against `maxTotalUncompressedBytes` (declared sizes are not trusted), large entries must not
// exceed `maxCompressionRatio`, and the archive may hold at most `maxEntries` entries. Any
// violation or damage yields `ok == false` with a human-readable `error`.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cg::ingest {

struct DocxLimits {
  uint64_t maxTotalUncompressedBytes = 200ull * 1024 * 1024;
  double maxCompressionRatio = 200.0;     // checked for entries above ratioCheckMinBytes
  uint64_t ratioCheckMinBytes = 1024 * 1024;
  uint64_t maxEntries = 10000;
  size_t maxNesting = 64;                 // element nesting followed inside paragraphs/tables
};

struct DocxExtraction {
  bool ok = false;
  bool limitExceeded = false;  // !ok because of a size/ratio/entry limit (rather than damage)
  std::string error;      // set when !ok
  std::string text;
  std::string title;      // docProps/core.xml dc:title, if any
  int paragraphs = 0;
  int tables = 0;
  std::vector<std::string> warnings;
};

DocxExtraction extractDocxText(std::string_view bytes, const DocxLimits& limits = {});

}  // namespace cg::ingest
