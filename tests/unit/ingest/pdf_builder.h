// Test helper: writes small valid PDF files by hand (fixtures are made by the tests).
#pragma once
#include <cstdio>
#include <string>
#include <vector>

namespace cg::ingest::testing {

// One page per entry; each page shows its lines with the standard Helvetica font.
// An empty line list gives a page without any text object.
inline std::string buildPdf(const std::vector<std::vector<std::string>>& pages) {
  std::vector<std::string> objects;
  std::string kids;
  size_t pageCount = pages.size();
  // 1: catalog, 2: pages, 3: font, then (page, content) pairs.
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  for (size_t i = 0; i < pageCount; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pageCount) + " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (size_t i = 0; i < pageCount; ++i) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + std::to_string(5 + 2 * i) +
                      " 0 R /Resources << /Font << /F1 3 0 R >> >> >>");
    std::string stream;
    if (!pages[i].empty()) {
      stream = "BT /F1 14 Tf 16 TL 72 720 Td";
      for (const auto& line : pages[i]) {
        std::string escaped;
        for (char c : line) {
          if (c == '(' || c == ')' || c == '\\') escaped += '\\';
          escaped += c;
        }
        stream += " (" + escaped + ") Tj T*";
      }
      stream += " ET";
    } else {
      stream = "0.5 g 72 72 200 200 re f";  // a grey box: a page with graphics only
    }
    objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream");
  }
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  char line[32];
  for (size_t offset : offsets) {
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace cg::ingest::testing
