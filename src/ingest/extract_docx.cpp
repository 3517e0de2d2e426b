#include "ingest/extract_docx.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>

#include "util/strings.h"

namespace cg::ingest {
namespace {

// ---------------------------------------------------------------------------------------------
// Archive access with decompression accounting

class DocxArchive {
 public:
  DocxArchive(std::string_view bytes, const DocxLimits& limits) : limits_(limits) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) {
      archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (!archive_) zip_source_free(source);
    }
    if (!archive_) error_ = std::string("the file is not a readable ZIP archive (") + zip_error_strerror(&error) + ")";
    zip_error_fini(&error);
    if (archive_) {
      zip_int64_t entries = zip_get_num_entries(archive_, 0);
      if (entries < 0 || static_cast<uint64_t>(entries) > limits_.maxEntries) limitExceeded_ = entries >= 0;
      if (entries < 0 || static_cast<uint64_t>(entries) > limits_.maxEntries)
        error_ = "the archive has " + std::to_string(entries) + " entries, more than the limit of " +
                 std::to_string(limits_.maxEntries);
    }
  }
  ~DocxArchive() {
    if (archive_) zip_discard(archive_);
  }
  DocxArchive(const DocxArchive&) = delete;
  DocxArchive& operator=(const DocxArchive&) = delete;

  const std::string& error() const { return error_; }
  bool limitExceeded() const { return limitExceeded_; }
  bool ok() const { return error_.empty(); }
  bool has(const char* name) const { return archive_ && zip_name_locate(archive_, name, 0) >= 0; }

  // Reads one entry; nullopt when absent. Sets error() on limit violations or damage.
  std::optional<std::string> read(const char* name) {
    if (!ok()) return std::nullopt;
    zip_int64_t index = zip_name_locate(archive_, name, 0);
    if (index < 0) return std::nullopt;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &st) != 0) {
      error_ = std::string("cannot read the entry ") + name;
      return std::nullopt;
    }
    uint64_t remaining = limits_.maxTotalUncompressedBytes - std::min(limits_.maxTotalUncompressedBytes, used_);
    if ((st.valid & ZIP_STAT_SIZE) && st.size > remaining) {
      limitExceeded_ = true;
      error_ = limitMessage(name, st.size);
      return std::nullopt;
    }
    if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size >= limits_.ratioCheckMinBytes &&
        static_cast<double>(st.size) > limits_.maxCompressionRatio * static_cast<double>(std::max<uint64_t>(1, st.comp_size))) {
      limitExceeded_ = true;
      error_ = std::string("the entry ") + name + " expands " + std::to_string(st.size / std::max<uint64_t>(1, st.comp_size)) +
               " times (limit " + std::to_string(static_cast<uint64_t>(limits_.maxCompressionRatio)) +
               "); the file looks like a ZIP bomb";
      return std::nullopt;
    }
    zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (!file) {
      error_ = std::string("cannot open the entry ") + name + " (" + zip_strerror(archive_) + ")";
      return std::nullopt;
    }
    std::string data;
    if (st.valid & ZIP_STAT_SIZE) data.reserve(static_cast<size_t>(std::min<uint64_t>(st.size, 64ull * 1024 * 1024)));
    char buffer[64 * 1024];
    while (true) {
      zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) {
        error_ = std::string("the entry ") + name + " is damaged (" + zip_file_strerror(file) + ")";
        break;
      }
      if (n == 0) break;
      used_ += static_cast<uint64_t>(n);
      if (used_ > limits_.maxTotalUncompressedBytes) {
        limitExceeded_ = true;
        error_ = limitMessage(name, used_);
        break;
      }
      data.append(buffer, static_cast<size_t>(n));
    }
    zip_fclose(file);
    if (!ok()) return std::nullopt;
    return data;
  }

 private:
  std::string limitMessage(const char* name, uint64_t size) const {
    return std::string("the document expands beyond the limit of ") +
           std::to_string(limits_.maxTotalUncompressedBytes / (1024 * 1024)) + " MiB of uncompressed data (at " + name +
           ", " + std::to_string(size) + " bytes)";
  }

  const DocxLimits& limits_;
  zip_t* archive_ = nullptr;
  std::string error_;
  uint64_t used_ = 0;
  bool limitExceeded_ = false;
};

// ---------------------------------------------------------------------------------------------
// XML helpers (namespace prefixes vary between producers: compare local names)

std::string_view localName(const pugi::xml_node& n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is(const pugi::xml_node& n, std::string_view local) { return n.type() == pugi::node_element && localName(n) == local; }

pugi::xml_node child(const pugi::xml_node& n, std::string_view local) {
  for (auto c : n.children())
    if (is(c, local)) return c;
  return {};
}

// Attribute by local name (w:val, r:id, ...).
std::string_view attrValue(const pugi::xml_node& n, std::string_view local) {
  for (auto a : n.attributes()) {
    std::string_view name = a.name();
    size_t colon = name.find(':');
    if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local) return a.value();
  }
  return {};
}

bool parseXml(pugi::xml_document& doc, const std::string& data) {
  // No DTD/entity expansion in pugixml; whitespace-only text kept inside w:t via parse_ws_pcdata_single.
  return doc.load_buffer(data.data(), data.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                         pugi::encoding_auto);
}

// ---------------------------------------------------------------------------------------------
// Styles and numbering

struct StyleInfo {
  std::string name;
  std::string basedOn;
  int outlineLevel = -1;  // 0-based
};

struct ListLevel {
  bool ordered = false;
};

class DocxModel {
 public:
  std::map<std::string, StyleInfo> styles;
  std::map<std::string, std::string> numToAbstract;
  std::map<std::pair<std::string, int>, ListLevel> abstractLevels;
  std::map<std::string, std::string> hyperlinks;  // relationship id -> target

  void loadStyles(const pugi::xml_document& doc) {
    for (auto s : child(doc, "styles").children()) {
      if (!is(s, "style")) continue;
      std::string id(attrValue(s, "styleId"));
      StyleInfo info;
      info.name = toLower(attrValue(child(s, "name"), "val"));
      info.basedOn = std::string(attrValue(child(s, "basedOn"), "val"));
      if (auto lvl = child(child(s, "pPr"), "outlineLvl")) info.outlineLevel = std::atoi(std::string(attrValue(lvl, "val")).c_str());
      styles[id] = std::move(info);
    }
  }
  void loadNumbering(const pugi::xml_document& doc) {
    auto root = child(doc, "numbering");
    for (auto n : root.children()) {
      if (is(n, "num")) {
        numToAbstract[std::string(attrValue(n, "numId"))] = std::string(attrValue(child(n, "abstractNumId"), "val"));
      } else if (is(n, "abstractNum")) {
        std::string id(attrValue(n, "abstractNumId"));
        for (auto lvl : n.children()) {
          if (!is(lvl, "lvl")) continue;
          std::string_view fmt = attrValue(child(lvl, "numFmt"), "val");
          int ilvl = std::atoi(std::string(attrValue(lvl, "ilvl")).c_str());
          abstractLevels[{id, ilvl}] = ListLevel{!fmt.empty() && fmt != "bullet" && fmt != "none"};
        }
      }
    }
  }
  void loadRelationships(const pugi::xml_document& doc) {
    for (auto r : child(doc, "Relationships").children()) {
      if (!is(r, "Relationship")) continue;
      if (endsWith(attrValue(r, "Type"), "/hyperlink"))
        hyperlinks[std::string(attrValue(r, "Id"))] = std::string(attrValue(r, "Target"));
    }
  }

  // Heading level 1..6 of a paragraph style, or 0.
  int headingLevel(const std::string& styleId) const {
    std::string id = styleId;
    for (int hop = 0; hop < 10 && !id.empty(); ++hop) {
      auto it = styles.find(id);
      if (it == styles.end()) break;
      const StyleInfo& s = it->second;
      if (s.name == "title") return 1;
      if (startsWith(s.name, "heading ")) {
        int n = std::atoi(s.name.c_str() + 8);
        if (n >= 1) return std::min(n, 6);
      }
      if (s.outlineLevel >= 0 && s.outlineLevel < 9) return std::min(s.outlineLevel + 1, 6);
      id = s.basedOn;
    }
    // Without styles.xml: the built-in style ids.
    std::string lower = toLower(styleId);
    if (lower == "title") return 1;
    if (startsWith(lower, "heading") && lower.size() > 7) {
      int n = std::atoi(lower.c_str() + 7);
      if (n >= 1) return std::min(n, 6);
    }
    return 0;
  }

  bool isOrdered(const std::string& numId, int ilvl) const {
    auto a = numToAbstract.find(numId);
    if (a == numToAbstract.end()) return false;
    auto l = abstractLevels.find({a->second, ilvl});
    return l != abstractLevels.end() && l->second.ordered;
  }
};

// ---------------------------------------------------------------------------------------------
// Body conversion

std::string collapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string escapeCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

class BodyConverter {
 public:
  BodyConverter(const DocxModel& model, const DocxLimits& limits, DocxExtraction& result)
      : model_(model), limits_(limits), result_(result) {}

  // Converts the children of w:body (or of a content control inside it).
  void convertBlocks(const pugi::xml_node& container, size_t depth) {
    if (depth > limits_.maxNesting) {
      warnDepth();
      return;
    }
    for (auto n : container.children()) {
      if (is(n, "p")) {
        paragraph(n, depth);
      } else if (is(n, "tbl")) {
        ++result_.tables;
        table(n, depth);
      } else if (is(n, "sdt")) {
        convertBlocks(child(n, "sdtContent"), depth + 1);
      } else if (is(n, "customXml") || is(n, "ins") || is(n, "smartTag")) {
        convertBlocks(n, depth + 1);
      }
    }
  }

  std::string take() { return std::move(out_); }

 private:
  enum class BlockKind { None, Paragraph, ListItem };

  void emitBlock(const std::string& text, BlockKind kind) {
    if (!out_.empty()) out_ += (kind == BlockKind::ListItem && lastBlock_ == BlockKind::ListItem) ? "\n" : "\n\n";
    out_ += text;
    lastBlock_ = kind;
  }

  void warnDepth() {
    if (!depthWarned_) result_.warnings.push_back("deeply nested content was skipped");
    depthWarned_ = true;
  }

  // Text of a paragraph's runs; `forTable` turns line breaks into spaces.
  void runText(const pugi::xml_node& node, std::string& out, size_t depth) {
    if (depth > limits_.maxNesting) {
      warnDepth();
      return;
    }
    for (auto n : node.children()) {
      if (n.type() != pugi::node_element) continue;
      std::string_view name = localName(n);
      if (name == "t") {
        out += n.text().get();
      } else if (name == "tab" || name == "ptab") {
        out += '\t';
      } else if (name == "br" || name == "cr") {
        out += '\n';
      } else if (name == "noBreakHyphen") {
        out += '-';
      } else if (name == "del" || name == "delText" || name == "instrText" || name == "pPr" || name == "rPr" ||
                 name == "Fallback" || name == "footnoteReference" || name == "endnoteReference" ||
                 name == "commentReference") {
        continue;
      } else if (name == "hyperlink") {
        std::string inner;
        runText(n, inner, depth + 1);
        std::string target;
        if (auto id = attrValue(n, "id"); !id.empty()) {
          auto it = model_.hyperlinks.find(std::string(id));
          if (it != model_.hyperlinks.end()) target = it->second;
        }
        std::string label = trim(collapseSpaces(inner));
        if (!target.empty() && !label.empty()) out += "[" + label + "](" + target + ")";
        else out += inner;
      } else if (name == "AlternateContent") {
        if (auto choice = child(n, "Choice")) runText(choice, out, depth + 1);
      } else if (name == "p") {  // paragraphs inside text boxes
        if (!out.empty() && out.back() != '\n') out += '\n';
        runText(n, out, depth + 1);
      } else if (name == "tbl") {  // tables inside text boxes
        out += ' ';
        out += flatTable(n, depth + 1);
      } else {
        runText(n, out, depth + 1);
      }
    }
  }

  void paragraph(const pugi::xml_node& p, size_t depth) {
    std::string raw;
    runText(p, raw, depth + 1);
    auto pPr = child(p, "pPr");
    int level = 0;
    if (auto style = child(pPr, "pStyle")) level = model_.headingLevel(std::string(attrValue(style, "val")));
    if (auto outline = child(pPr, "outlineLvl")) {
      int v = std::atoi(std::string(attrValue(outline, "val")).c_str());
      if (v >= 0 && v < 9) level = std::min(v + 1, 6);
    }
    std::string text = trim(raw);
    if (text.empty()) return;
    ++result_.paragraphs;
    if (level > 0) {
      std::string heading = collapseSpaces(text);
      if (firstHeading_.empty() && level == 1) firstHeading_ = heading;
      emitBlock(std::string(static_cast<size_t>(level), '#') + " " + heading, BlockKind::Paragraph);
      listCounters_.clear();
      return;
    }
    if (auto numPr = child(pPr, "numPr")) {
      std::string numId(attrValue(child(numPr, "numId"), "val"));
      int ilvl = std::clamp(std::atoi(std::string(attrValue(child(numPr, "ilvl"), "val")).c_str()), 0, 8);
      if (!numId.empty() && numId != "0") {
        // Counters restart below the current level.
        auto& counters = listCounters_[numId];
        counters.resize(9, 0);
        for (int deeper = ilvl + 1; deeper < 9; ++deeper) counters[static_cast<size_t>(deeper)] = 0;
        int n = ++counters[static_cast<size_t>(ilvl)];
        std::string marker = model_.isOrdered(numId, ilvl) ? std::to_string(n) + ". " : "- ";
        std::string indent(static_cast<size_t>(ilvl) * 4, ' ');
        std::string body = text;
        // Continuation lines of a list item stay inside it.
        std::string joined;
        for (const auto& line : split(body, '\n')) {
          if (!joined.empty()) joined += "\n" + indent + std::string(marker.size(), ' ');
          joined += line;
        }
        emitBlock(indent + marker + joined, BlockKind::ListItem);
        return;
      }
    }
    emitBlock(text, BlockKind::Paragraph);
  }

  // Cell text: paragraphs joined with <br>, nested tables flattened.
  std::string cellText(const pugi::xml_node& tc, size_t depth) {
    std::vector<std::string> parts;
    for (auto n : tc.children()) {
      std::string piece;
      if (is(n, "p")) {
        runText(n, piece, depth + 1);
      } else if (is(n, "tbl")) {
        piece = flatTable(n, depth + 1);
      } else if (is(n, "sdt")) {
        piece = cellText(child(n, "sdtContent"), depth + 1);
      }
      piece = trim(collapseSpaces(piece));
      if (!piece.empty()) parts.push_back(piece);
    }
    return join(parts, "<br>");
  }

  std::vector<std::vector<std::string>> tableRows(const pugi::xml_node& tbl, size_t depth) {
    std::vector<std::vector<std::string>> rows;
    if (depth > limits_.maxNesting) {
      warnDepth();
      return rows;
    }
    for (auto tr : tbl.children()) {
      if (!is(tr, "tr")) continue;
      std::vector<std::string> row;
      for (auto tc : tr.children()) {
        if (is(tc, "sdt")) tc = child(child(tc, "sdtContent"), "tc");
        if (!is(tc, "tc")) continue;
        auto tcPr = child(tc, "tcPr");
        int span = 1;
        if (auto grid = child(tcPr, "gridSpan")) span = std::clamp(std::atoi(std::string(attrValue(grid, "val")).c_str()), 1, 64);
        auto vMerge = child(tcPr, "vMerge");
        bool continuation = vMerge && attrValue(vMerge, "val") != "restart";
        row.push_back(continuation ? std::string() : cellText(tc, depth + 1));
        for (int i = 1; i < span; ++i) row.emplace_back();
      }
      if (!row.empty()) rows.push_back(std::move(row));
    }
    return rows;
  }

  std::string flatTable(const pugi::xml_node& tbl, size_t depth) {
    std::vector<std::string> rows;
    for (auto& r : tableRows(tbl, depth)) rows.push_back(join(r, ", "));
    return join(rows, "; ");
  }

  void table(const pugi::xml_node& tbl, size_t depth) {
    auto rows = tableRows(tbl, depth + 1);
    size_t columns = 0;
    for (const auto& r : rows) columns = std::max(columns, r.size());
    bool anyText = std::any_of(rows.begin(), rows.end(), [](const auto& r) {
      return std::any_of(r.begin(), r.end(), [](const std::string& c) { return !c.empty(); });
    });
    if (!anyText) return;
    if (columns == 1 && rows.size() == 1) {
      emitBlock(rows[0][0], BlockKind::Paragraph);
      return;
    }
    auto render = [&](const std::vector<std::string>& r) {
      std::string line = "|";
      for (size_t i = 0; i < columns; ++i) line += " " + (i < r.size() ? escapeCell(r[i]) : std::string()) + " |";
      return line;
    };
    std::string text = render(rows[0]) + "\n|";
    for (size_t i = 0; i < columns; ++i) text += " --- |";
    for (size_t i = 1; i < rows.size(); ++i) text += "\n" + render(rows[i]);
    emitBlock(text, BlockKind::Paragraph);
  }

 public:
  std::string firstHeading_;

 private:
  const DocxModel& model_;
  const DocxLimits& limits_;
  DocxExtraction& result_;
  std::string out_;
  BlockKind lastBlock_ = BlockKind::None;
  std::map<std::string, std::vector<int>> listCounters_;
  bool depthWarned_ = false;
};

}  // namespace

DocxExtraction extractDocxText(std::string_view bytes, const DocxLimits& limits) {
  DocxExtraction result;
  DocxArchive archive(bytes, limits);
  auto fail = [&](std::string message) {
    result.ok = false;
    result.limitExceeded = archive.limitExceeded();
    result.error = std::move(message);
    result.text.clear();
    return result;
  };
  if (!archive.ok()) return fail(archive.error());
  if (!archive.has("word/document.xml")) return fail("the archive has no word/document.xml; it is not a Word document");

  DocxModel model;
  auto loadOptional = [&](const char* name, auto&& apply) -> bool {
    auto data = archive.read(name);
    if (!archive.ok()) return false;
    if (!data) return true;
    pugi::xml_document doc;
    if (parseXml(doc, *data)) apply(doc);
    else result.warnings.push_back(std::string("ignored unreadable ") + name);
    return true;
  };
  if (!loadOptional("word/styles.xml", [&](const pugi::xml_document& d) { model.loadStyles(d); }) ||
      !loadOptional("word/numbering.xml", [&](const pugi::xml_document& d) { model.loadNumbering(d); }) ||
      !loadOptional("word/_rels/document.xml.rels", [&](const pugi::xml_document& d) { model.loadRelationships(d); }) ||
      !loadOptional("docProps/core.xml", [&](const pugi::xml_document& d) {
        for (auto n : child(d, "coreProperties").children())
          if (is(n, "title")) result.title = trim(collapseSpaces(n.text().get()));
      }))
    return fail(archive.error());

  auto documentXml = archive.read("word/document.xml");
  if (!documentXml) return fail(archive.error().empty() ? "cannot read word/document.xml" : archive.error());
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(documentXml->data(), documentXml->size(),
                                                  pugi::parse_default | pugi::parse_ws_pcdata_single, pugi::encoding_auto);
  if (!parsed) return fail(std::string("word/document.xml is not well-formed XML (") + parsed.description() + ")");
  documentXml.reset();
  auto body = child(child(doc, "document"), "body");
  if (!body) return fail("word/document.xml has no document body");

  BodyConverter converter(model, limits, result);
  converter.convertBlocks(body, 0);
  result.text = sanitizeUtf8(converter.take());
  if (result.title.empty()) result.title = converter.firstHeading_;
  result.ok = true;
  return result;
}

}  // namespace cg::ingest
