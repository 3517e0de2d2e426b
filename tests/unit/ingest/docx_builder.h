// Test helper: builds ZIP/DOCX archives in memory with libzip (fixtures are made by the tests).
#pragma once
#include <zip.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cg::ingest::testing {

// Entries are (name, content); `store` keeps entries uncompressed.
inline std::string buildZip(const std::vector<std::pair<std::string, std::string>>& entries, bool store = false) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* target = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!target) throw std::runtime_error("zip_source_buffer_create failed");
  zip_source_keep(target);
  zip_t* archive = zip_open_from_source(target, ZIP_TRUNCATE, &error);
  if (!archive) throw std::runtime_error("zip_open_from_source failed");
  for (const auto& [name, content] : entries) {
    zip_source_t* s = zip_source_buffer(archive, content.data(), content.size(), 0);
    zip_int64_t index = zip_file_add(archive, name.c_str(), s, ZIP_FL_OVERWRITE);
    if (index < 0) throw std::runtime_error("zip_file_add failed");
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close failed");
  std::string out;
  zip_stat_t st;
  zip_source_stat(target, &st);
  zip_source_open(target);
  out.resize(st.size);
  zip_source_read(target, out.data(), st.size);
  zip_source_close(target);
  zip_source_free(target);
  zip_error_fini(&error);
  return out;
}

constexpr const char* kWordNs =
    R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

inline std::string wordDocument(const std::string& bodyXml) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document )") + kWordNs +
         "><w:body>" + bodyXml + "<w:sectPr/></w:body></w:document>";
}

inline std::string para(const std::string& text, const std::string& style = "") {
  std::string p = "<w:p>";
  if (!style.empty()) p += "<w:pPr><w:pStyle w:val=\"" + style + "\"/></w:pPr>";
  return p + "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r></w:p>";
}

inline std::string buildDocx(const std::string& bodyXml,
                             std::vector<std::pair<std::string, std::string>> extra = {}) {
  std::vector<std::pair<std::string, std::string>> entries = {
      {"[Content_Types].xml",
       R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
       R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)"},
      {"word/document.xml", wordDocument(bodyXml)}};
  for (auto& e : extra) entries.push_back(std::move(e));
  return buildZip(entries);
}

}  // namespace cg::ingest::testing
