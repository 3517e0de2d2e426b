#include "ingest/detect.h"

#include <zip.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>

#include "util/json.h"
#include "util/strings.h"

namespace cg::ingest {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kDocxContentType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trimView(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string lowerPrefix(std::string_view s, size_t n) { return toLower(s.substr(0, std::min(n, s.size()))); }

bool containsNoCase(std::string_view haystackLower, std::string_view needleLower) {
  return haystackLower.find(needleLower) != std::string_view::npos;
}

// Lowercase suffix of the last path component including the dot (".json"), or "".
std::string fileSuffix(std::string_view filename) {
  size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return toLower(filename.substr(dot));
}

// Iterates the lines of `text` (without the trailing '\n' or '\r').
template <typename F>
void forEachLine(std::string_view text, F&& fn, size_t maxLines = SIZE_MAX) {
  size_t pos = 0, count = 0;
  while (pos <= text.size() && count < maxLines) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(line)) return;
    ++count;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Binary formats

enum class Magic { None, Pdf, Zip, OtherBinary };

Magic sniffMagic(std::string_view bytes, std::string& what) {
  // PDF readers accept the header anywhere in the first 1024 bytes.
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) {
    what = "PDF header %PDF-";
    return Magic::Pdf;
  }
  if (startsWith(bytes, "PK\x03\x04"sv) || startsWith(bytes, "PK\x05\x06"sv)) {
    what = "ZIP archive";
    return Magic::Zip;
  }
  struct Signature {
    std::string_view prefix;
    std::string_view name;
  };
  static constexpr std::array<Signature, 16> kSignatures{{
      {"\x89PNG\r\n\x1a\n"sv, "PNG image"},
      {"\xFF\xD8\xFF"sv, "JPEG image"},
      {"GIF87a"sv, "GIF image"},
      {"GIF89a"sv, "GIF image"},
      {"\x1F\x8B"sv, "gzip archive"},
      {"BZh"sv, "bzip2 archive"},
      {"\xFD" "7zXZ\x00"sv, "xz archive"},
      {"7z\xBC\xAF\x27\x1C"sv, "7-Zip archive"},
      {"Rar!\x1A\x07"sv, "RAR archive"},
      {"\x7F" "ELF"sv, "ELF executable"},
      {"MZ"sv, "Windows executable"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv, "legacy Office (OLE2) document such as .doc or .xls"},
      {"\x00" "asm"sv, "WebAssembly module"},
      {"\x28\xB5\x2F\xFD"sv, "zstd archive"},
      {"OggS"sv, "Ogg media"},
      {"fLaC"sv, "FLAC audio"},
  }};
  for (const auto& sig : kSignatures) {
    if (startsWith(bytes, sig.prefix)) {
      // "MZ" and "BZh" are short: only trust them when the rest is not text.
      if ((sig.prefix == "MZ"sv || sig.prefix == "BZh"sv) && !bytesLookBinary(bytes)) continue;
      what = std::string(sig.name);
      return Magic::OtherBinary;
    }
  }
  if (startsWith(bytes, "RIFF"sv) && bytes.size() >= 12) {
    what = "RIFF media file";
    return Magic::OtherBinary;
  }
  return Magic::None;
}

struct ZipProbe {
  bool opened = false;
  bool hasWordDocument = false;
  std::string otherFormat;  // e.g. "Excel workbook (.xlsx)"
  std::string error;
};

ZipProbe probeZip(std::string_view bytes) {
  ZipProbe probe;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    probe.error = zip_error_strerror(&error);
    zip_error_fini(&error);
    return probe;
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (!archive) {
    probe.error = zip_error_strerror(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    return probe;
  }
  probe.opened = true;
  probe.hasWordDocument = zip_name_locate(archive, "word/document.xml", 0) >= 0;
  if (!probe.hasWordDocument) {
    if (zip_name_locate(archive, "xl/workbook.xml", 0) >= 0) probe.otherFormat = "Excel workbook (.xlsx)";
    else if (zip_name_locate(archive, "ppt/presentation.xml", 0) >= 0) probe.otherFormat = "PowerPoint presentation (.pptx)";
    else if (zip_name_locate(archive, "content.xml", 0) >= 0) probe.otherFormat = "OpenDocument file";
    else if (zip_name_locate(archive, "META-INF/MANIFEST.MF", 0) >= 0) probe.otherFormat = "Java archive";
  }
  zip_discard(archive);
  zip_error_fini(&error);
  return probe;
}

// ---------------------------------------------------------------------------------------------
// JSON: one SAX pass that validates and collects the few facts detection needs.

class JsonProbe : public nlohmann::json_sax<Json> {
 public:
  bool valid = false;
  bool topIsObject = false;
  std::optional<std::string> openapiVersion, swaggerVersion;
  std::set<std::string> topKeys;            // top-level object keys of interest
  std::vector<std::string> topScimUrns;     // in the top-level "schemas" array
  std::vector<std::string> nestedScimUrns;  // in "schemas" arrays one or two levels down

  bool null() override { return scalar(); }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t v) override { return number(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return number(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& raw) override { return number(raw); }
  bool string(string_t& value) override {
    if (isTopLevelValue()) {
      if (frames_[0].key == "openapi") openapiVersion = value;
      if (frames_[0].key == "swagger") swaggerVersion = value;
    }
    if (!frames_.empty() && frames_.back().isArray && frames_.back().parentKey == "schemas" &&
        (startsWith(value, "urn:ietf:params:scim:") || startsWith(value, "urn:scim:schemas:"))) {
      auto& target = frames_.size() == 2 ? topScimUrns : nestedScimUrns;
      if (frames_.size() <= 5 && target.size() < 64) target.push_back(value);
    }
    return true;
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return push(false); }
  bool key(string_t& key) override {
    frames_.back().key = key;
    if (frames_.size() == 1 && kInteresting.count(key)) topKeys.insert(key);
    return true;
  }
  bool end_object() override { return pop(); }
  bool start_array(std::size_t) override { return push(true); }
  bool end_array() override { return pop(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    valid = false;
    return false;
  }

 private:
  struct Frame {
    bool isArray;
    std::string parentKey;  // key under which this container sits ("" in arrays / at the root)
    std::string key;        // current key (objects)
  };
  inline static const std::set<std::string> kInteresting = {"openapi", "swagger", "paths", "info", "components",
                                                            "definitions", "webhooks", "Resources", "attributes"};
  std::vector<Frame> frames_;

  bool isTopLevelValue() const { return frames_.size() == 1 && !frames_[0].isArray; }
  bool scalar() { return true; }
  bool number(const std::string& raw) {
    if (isTopLevelValue() && frames_[0].key == "swagger") swaggerVersion = raw;
    if (isTopLevelValue() && frames_[0].key == "openapi") openapiVersion = raw;
    return true;
  }
  bool push(bool isArray) {
    if (frames_.empty()) topIsObject = !isArray;
    std::string parentKey = (!frames_.empty() && !frames_.back().isArray) ? frames_.back().key : std::string();
    frames_.push_back({isArray, std::move(parentKey), {}});
    return true;
  }
  bool pop() {
    frames_.pop_back();
    return true;
  }
};

ScimDocument classifyScimUrns(const std::vector<std::string>& urns) {
  auto has = [&](std::string_view suffix) {
    return std::any_of(urns.begin(), urns.end(), [&](const std::string& u) { return endsWith(u, suffix); });
  };
  if (urns.empty()) return ScimDocument::None;
  if (has(":ListResponse")) return ScimDocument::ListResponse;
  if (has(":core:2.0:Schema")) return ScimDocument::Schema;
  if (has(":core:2.0:ResourceType")) return ScimDocument::ResourceType;
  if (has(":core:2.0:ServiceProviderConfig")) return ScimDocument::ServiceProviderConfig;
  return ScimDocument::Resource;
}

// ---------------------------------------------------------------------------------------------
// YAML: a structural scan of column-0 lines (no full parse: specs can be many megabytes).

struct YamlScan {
  size_t keyLines = 0, structuralLines = 0, otherLines = 0;
  bool startsWithMarker = false;
  std::optional<std::string> openapiVersion, swaggerVersion;
};

std::string unquote(std::string_view v) {
  v = trimView(v);
  size_t hash = v.find(" #");
  if (hash != std::string_view::npos) v = trimView(v.substr(0, hash));
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return std::string(v);
}

// Returns the key of a top-level "key: value" line, or nullopt.
std::optional<std::string_view> yamlKey(std::string_view line, std::string_view& value) {
  if (line.empty()) return std::nullopt;
  char first = line[0];
  if (first == '"' || first == '\'') {
    size_t close = line.find(first, 1);
    if (close == std::string_view::npos || close + 1 >= line.size() || line[close + 1] != ':') return std::nullopt;
    if (close + 2 < line.size() && line[close + 2] != ' ' && line[close + 2] != '\t') return std::nullopt;
    value = line.substr(std::min(line.size(), close + 2));
    return line.substr(1, close - 1);
  }
  if (std::string_view("[]{},&*!|>%@`#").find(first) != std::string_view::npos) return std::nullopt;
  for (size_t i = 0; i < line.size() && i < 256; ++i) {
    if (line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t')) {
      std::string_view key = line.substr(0, i);
      if (key.empty() || key.find(" #") != std::string_view::npos || key.back() == ' ') return std::nullopt;
      value = line.substr(i + 1);
      return key;
    }
  }
  return std::nullopt;
}

YamlScan scanYaml(std::string_view text) {
  YamlScan scan;
  bool first = true;
  forEachLine(text, [&](std::string_view line) {
    if (trimView(line).empty()) return true;
    if (line[0] == ' ' || line[0] == '\t' || line[0] == '#') return true;
    if (startsWith(line, "---") || startsWith(line, "...") || startsWith(line, "%YAML") || startsWith(line, "%TAG")) {
      bool marker = line.size() == 3 || line[0] == '%' || line[3] == ' ';
      if (marker) {
        if (first) scan.startsWithMarker = true;
        ++scan.structuralLines;
        first = false;
        return true;
      }
    }
    first = false;
    if (line == "-" || startsWith(line, "- ") || startsWith(line, "? ")) {
      ++scan.structuralLines;
      return true;
    }
    std::string_view value;
    if (auto key = yamlKey(line, value)) {
      ++scan.keyLines;
      if (*key == "openapi") scan.openapiVersion = unquote(value);
      if (*key == "swagger") scan.swaggerVersion = unquote(value);
    } else {
      ++scan.otherLines;
    }
    return true;
  });
  return scan;
}

// ---------------------------------------------------------------------------------------------
// Markup (HTML / XML)

enum class Markup { None, Html, HtmlFragment, Xml };

const std::set<std::string_view>& htmlTagNames() {
  static const std::set<std::string_view> names = {
      "html", "head", "body", "meta", "title", "link", "div", "p", "span", "a", "h1", "h2", "h3", "h4", "h5", "h6",
      "table", "ul", "ol", "li", "section", "article", "main", "nav", "header", "footer", "pre", "code", "script",
      "style", "br", "hr", "img", "form", "blockquote", "dl", "em", "strong", "b", "i", "aside", "iframe", "noscript"};
  return names;
}

Markup sniffMarkup(std::string_view text, std::string& reason) {
  std::string_view s = trimView(text.substr(0, 64 * 1024));
  // Skip leading comments.
  for (int guard = 0; guard < 16 && startsWith(s, "<!--"); ++guard) {
    size_t end = s.find("-->");
    if (end == std::string_view::npos) return Markup::None;
    s = trimView(s.substr(end + 3));
  }
  std::string head = lowerPrefix(s, 4096);
  if (startsWith(head, "<!doctype html")) {
    reason = "HTML doctype";
    return Markup::Html;
  }
  if (startsWith(head, "<?xml")) {
    if (containsNoCase(head, "<html") || containsNoCase(head, "http://www.w3.org/1999/xhtml")) {
      reason = "XHTML document";
      return Markup::Html;
    }
    reason = "XML declaration";
    return Markup::Xml;
  }
  if (startsWith(head, "<!doctype")) {
    reason = "XML doctype";
    return Markup::Xml;
  }
  if (head.size() > 1 && head[0] == '<' && std::isalpha(static_cast<unsigned char>(head[1]))) {
    size_t end = 1;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' ||
                                 head[end] == ':' || head[end] == '_' || head[end] == '.'))
      ++end;
    std::string tag = head.substr(1, end - 1);
    if (tag == "html" || tag == "head" || tag == "body") {
      reason = "<" + tag + "> root element";
      return Markup::Html;
    }
    if (htmlTagNames().count(tag)) {
      reason = "starts with the HTML element <" + tag + ">";
      return containsNoCase(head, "<body") ? Markup::Html : Markup::HtmlFragment;
    }
    if (head.find("</") != std::string::npos || head.find("/>") != std::string::npos) {
      reason = "XML root element <" + tag + ">";
      return Markup::Xml;
    }
    return Markup::None;
  }
  std::string early = lowerPrefix(s, 2048);
  if (containsNoCase(early, "<html") && containsNoCase(early, "<body")) {
    reason = "<html> and <body> elements near the start";
    return Markup::Html;
  }
  return Markup::None;
}

// ---------------------------------------------------------------------------------------------
// SQL

std::string_view skipSqlTrivia(std::string_view s) {
  while (true) {
    size_t before = s.size();
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    if (startsWith(s, "--")) {
      size_t nl = s.find('\n');
      s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    } else if (startsWith(s, "/*")) {
      size_t end = s.find("*/", 2);
      s = end == std::string_view::npos ? std::string_view() : s.substr(end + 2);
    }
    if (s.size() == before) return s;
  }
}

std::string nextWordUpper(std::string_view& s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  size_t n = 0;
  while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_')) ++n;
  std::string word(s.substr(0, n));
  s.remove_prefix(n);
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}

bool looksLikeSql(std::string_view text, std::string& reason) {
  std::string_view s = skipSqlTrivia(text.substr(0, 256 * 1024));
  std::string_view rest = s;
  std::string first = nextWordUpper(rest);
  static const std::set<std::string> kObjects = {
      "TABLE", "VIEW", "INDEX", "UNIQUE", "SEQUENCE", "SCHEMA", "TYPE", "OR", "TEMP", "TEMPORARY", "FUNCTION",
      "PROCEDURE", "TRIGGER", "EXTENSION", "DATABASE", "DOMAIN", "ROLE", "USER", "MATERIALIZED", "GLOBAL", "LOCAL",
      "UNLOGGED", "IF", "CONSTRAINT", "COLUMN"};
  if (first == "CREATE" || first == "ALTER" || first == "DROP") {
    std::string second = nextWordUpper(rest);
    if (!kObjects.count(second)) return false;
    if (s.find(';') == std::string_view::npos && s.find('(') == std::string_view::npos) return false;
    reason = "SQL script starting with " + first + " " + second;
    return true;
  }
  if (first == "INSERT") {
    if (nextWordUpper(rest) != "INTO") return false;
    reason = "SQL script starting with INSERT INTO";
    return true;
  }
  static const std::set<std::string> kPreamble = {"SET", "USE", "BEGIN", "START", "PRAGMA", "GRANT", "COMMENT",
                                                  "DELIMITER"};
  if (kPreamble.count(first)) {
    size_t semicolon = s.find(';');
    if (semicolon == std::string_view::npos || semicolon > 400) return false;
    std::string lower = toLower(s.substr(0, 256 * 1024));
    for (std::string_view ddl : {"create table", "alter table", "create view", "create index", "insert into"}) {
      if (containsNoCase(lower, ddl)) {
        reason = "SQL script (" + first + " preamble, then " + toLower(std::string(ddl)) + ")";
        return true;
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Weak text heuristics

bool isAdornmentLine(std::string_view line, char& ch) {
  line = trimView(line);
  if (line.size() < 3) return false;
  static constexpr std::string_view kChars = "=-~^\"'*+#:._`";
  if (kChars.find(line[0]) == std::string_view::npos) return false;
  for (char c : line)
    if (c != line[0]) return false;
  ch = line[0];
  return true;
}

DocumentKind guessLightMarkup(std::string_view text, std::string& reason) {
  int md = 0, rst = 0, adoc = 0;
  std::string_view previous;
  bool previousBlank = true;
  forEachLine(
      text,
      [&](std::string_view line) {
        std::string_view t = trimView(line);
        char adornment = 0;
        if (t.empty()) {
          previousBlank = true;
          previous = {};
          return true;
        }
        if (line.size() > 1 && line[0] == '#') {
          size_t n = line.find_first_not_of('#');
          if (n != std::string_view::npos && n <= 6 && line[n] == ' ') md += 2;
        }
        if (startsWith(t, "```")) md += 2;
        if (line.find("](") != std::string_view::npos && line.find('[') != std::string_view::npos) md += 1;
        if (startsWith(t, "|") && (t.find("|---") != std::string_view::npos || t.find("| ---") != std::string_view::npos ||
                                   t.find("|:--") != std::string_view::npos))
          md += 3;
        if (isAdornmentLine(line, adornment)) {
          bool underline = !previousBlank && !previous.empty() && trimView(previous).size() <= t.size() + 1;
          if (underline) {
            rst += (adornment == '=' || adornment == '-') ? 1 : 3;
            md += (adornment == '=' || adornment == '-') ? 1 : 0;
          } else if (previousBlank && (t == "----" || t == "====" || t == "...." || t == "****")) {
            adoc += 1;
          }
        }
        if (startsWith(line, ".. ")) {
          std::string_view rest = line.substr(3);
          if (startsWith(rest, "_") || rest.find("::") != std::string_view::npos) rst += 3;
        }
        if (line.find(":ref:`") != std::string_view::npos || line.find("`_") != std::string_view::npos ||
            line.find(":doc:`") != std::string_view::npos)
          rst += 2;
        if (endsWith(t, "::") && !endsWith(t, ":::") && t.size() > 2) rst += 1;
        if (line.size() > 2 && line[0] == '=') {
          size_t n = line.find_first_not_of('=');
          if (n != std::string_view::npos && n <= 6 && line[n] == ' ') adoc += 3;
        }
        if (startsWith(t, "[source") || startsWith(t, "[NOTE]") || startsWith(t, "[TIP]") || startsWith(t, "[cols") ||
            startsWith(t, "[[") || startsWith(t, "[WARNING]") || startsWith(t, "[IMPORTANT]"))
          adoc += 2;
        if (startsWith(line, "include::") || startsWith(line, "image::") || line.find("xref:") != std::string_view::npos ||
            line.find("link:http") != std::string_view::npos || startsWith(t, "|==="))
          adoc += 2;
        if (line.find("<<") != std::string_view::npos && line.find(">>") != std::string_view::npos) adoc += 1;
        if (startsWith(line, "NOTE: ") || startsWith(line, "TIP: ") || startsWith(line, "WARNING: ") ||
            startsWith(line, "IMPORTANT: ") || startsWith(line, "CAUTION: "))
          adoc += 2;
        if (line.size() > 2 && line[0] == ':' && std::isalpha(static_cast<unsigned char>(line[1]))) {
          size_t close = line.find(':', 1);
          if (close != std::string_view::npos && (close + 1 == line.size() || line[close + 1] == ' ')) adoc += 1;
        }
        previous = line;
        previousBlank = false;
        return true;
      },
      5000);
  int best = std::max({md, rst, adoc});
  if (best < 3) return DocumentKind::PlainText;
  if (md == best) {
    reason = "Markdown syntax (score " + std::to_string(md) + ")";
    return DocumentKind::Markdown;
  }
  if (rst == best) {
    reason = "reStructuredText syntax (score " + std::to_string(rst) + ")";
    return DocumentKind::Rst;
  }
  reason = "AsciiDoc syntax (score " + std::to_string(adoc) + ")";
  return DocumentKind::AsciiDoc;
}

bool looksLikeCsv(std::string_view text, std::string& reason) {
  std::vector<std::string_view> lines;
  forEachLine(
      text,
      [&](std::string_view line) {
        if (!trimView(line).empty()) lines.push_back(line);
        return lines.size() < 50;
      },
      200);
  if (lines.size() < 2) return false;
  for (char delimiter : {',', ';', '\t'}) {
    auto count = [&](std::string_view line) {
      size_t n = 0;
      bool quoted = false;
      for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == delimiter && !quoted) ++n;
      }
      return n;
    };
    size_t expected = count(lines[0]);
    if (expected == 0) continue;
    // The last sampled line may be cut short by the sample limit; ignore it when there are many.
    size_t checked = lines.size() >= 3 ? lines.size() - 1 : lines.size();
    bool consistent = true;
    for (size_t i = 1; i < checked && consistent; ++i) consistent = count(lines[i]) == expected;
    if (consistent && (lines.size() >= 3 || expected >= 2)) {
      reason = std::string("consistent ") + (delimiter == '\t' ? "tab" : std::string(1, delimiter)) +
               "-separated columns (" + std::to_string(expected + 1) + ")";
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Declared types and suffixes

bool isGenericContentType(std::string_view ct) {
  return ct.empty() || ct == "application/octet-stream" || ct == "binary/octet-stream";
}

struct Hint {
  DocumentKind kind = DocumentKind::Binary;
  bool weak = false;  // text/plain-like hints that content heuristics may refine
  bool valid = false;
};

Hint kindFromContentType(std::string_view ct) {
  auto is = [&](std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), ct) != list.end();
  };
  if (isGenericContentType(ct)) return {};
  if (is({"application/scim+json"})) return {DocumentKind::Scim, false, true};
  // Declared OpenAPI types whose content was not recognised as a spec stay generic JSON / YAML.
  if (is({"application/openapi+yaml", "application/vnd.oai.openapi"})) return {DocumentKind::Yaml, false, true};
  if (is({"application/json", "text/json", "application/x-json"}) || endsWith(ct, "+json"))
    return {DocumentKind::Json, false, true};
  if (is({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/vnd.yaml"}) ||
      endsWith(ct, "+yaml"))
    return {DocumentKind::Yaml, false, true};
  if (is({"text/html", "application/xhtml+xml"})) return {DocumentKind::Html, false, true};
  if (is({"text/markdown", "text/x-markdown"})) return {DocumentKind::Markdown, false, true};
  if (is({"text/x-rst", "text/prs.fallenstein.rst", "text/restructuredtext"})) return {DocumentKind::Rst, false, true};
  if (is({"text/asciidoc", "text/x-asciidoc"})) return {DocumentKind::AsciiDoc, false, true};
  if (is({"application/xml", "text/xml"}) || endsWith(ct, "+xml")) return {DocumentKind::Xml, false, true};
  if (is({"text/csv", "application/csv", "text/tab-separated-values"})) return {DocumentKind::Csv, false, true};
  if (is({"application/sql", "application/x-sql", "text/sql", "text/x-sql"})) return {DocumentKind::Sql, false, true};
  if (startsWith(ct, "text/")) return {DocumentKind::PlainText, true, true};
  return {};
}

Hint kindFromSuffix(std::string_view suffix) {
  auto is = [&](std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), suffix) != list.end();
  };
  if (suffix.empty()) return {};
  if (is({".json"})) return {DocumentKind::Json, false, true};
  if (is({".yaml", ".yml"})) return {DocumentKind::Yaml, false, true};
  if (is({".html", ".htm", ".xhtml"})) return {DocumentKind::Html, false, true};
  if (is({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})) return {DocumentKind::Markdown, false, true};
  if (is({".rst", ".rest"})) return {DocumentKind::Rst, false, true};
  if (is({".adoc", ".asciidoc", ".asc"})) return {DocumentKind::AsciiDoc, false, true};
  if (is({".xml", ".xsd", ".wsdl"})) return {DocumentKind::Xml, false, true};
  if (is({".csv", ".tsv"})) return {DocumentKind::Csv, false, true};
  if (is({".sql", ".ddl"})) return {DocumentKind::Sql, false, true};
  if (is({".graphql", ".gql", ".openapi"})) return {DocumentKind::PlainText, false, true};
  if (is({".txt", ".text", ".log"})) return {DocumentKind::PlainText, true, true};
  return {};
}

// Fills contentType, parser, category and flags from kind (+ spec format).
void finish(DocumentType& t) {
  t.supported = true;
  t.category = "other";
  switch (t.kind) {
    case DocumentKind::OpenApi:
      t.contentType = t.specFormat == SpecFormat::Yaml ? "application/openapi+yaml" : "application/openapi+json";
      t.parser = t.specFormat == SpecFormat::Yaml ? "yaml" : "json";
      t.category = t.specFormat == SpecFormat::Yaml ? "spec_yaml" : "spec_json";
      break;
    case DocumentKind::Scim:
      t.contentType = "application/scim+json";
      t.parser = "json";
      t.category = "reference_api";
      t.preserveAsSingleItem = true;
      break;
    case DocumentKind::Sql:
      t.contentType = "application/sql";
      t.parser = "text";
      t.category = "reference_api";
      t.preserveAsSingleItem = true;
      break;
    case DocumentKind::Html: t.contentType = "text/html", t.parser = "html"; break;
    case DocumentKind::Markdown: t.contentType = "text/markdown", t.parser = "text"; break;
    case DocumentKind::Rst: t.contentType = "text/x-rst", t.parser = "text"; break;
    case DocumentKind::AsciiDoc: t.contentType = "text/asciidoc", t.parser = "text"; break;
    case DocumentKind::PlainText: t.contentType = "text/plain", t.parser = "text"; break;
    case DocumentKind::Json:
      if (t.contentType.empty()) t.contentType = "application/json";
      t.parser = "json";
      break;
    case DocumentKind::Yaml:
      if (t.contentType.empty()) t.contentType = "application/yaml";
      t.parser = "yaml";
      break;
    case DocumentKind::Xml: t.contentType = "application/xml", t.parser = "text"; break;
    case DocumentKind::Csv: t.contentType = "text/csv", t.parser = "text"; break;
    case DocumentKind::Pdf: t.contentType = "application/pdf", t.parser = "pdf"; break;
    case DocumentKind::Docx: t.contentType = std::string(kDocxContentType), t.parser = "docx"; break;
    case DocumentKind::Empty:
    case DocumentKind::Zip:
    case DocumentKind::Binary:
      t.supported = false;
      t.parser.clear();
      t.category.clear();
      t.contentType = t.kind == DocumentKind::Zip ? "application/zip" : t.declaredContentType;
      break;
  }
}

std::string versionLabel(const std::optional<std::string>& openapi, const std::optional<std::string>& swagger) {
  return openapi ? *openapi : swagger ? *swagger : std::string();
}

}  // namespace

std::string_view documentKindName(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::Empty: return "empty";
    case DocumentKind::OpenApi: return "openapi";
    case DocumentKind::Scim: return "scim";
    case DocumentKind::Sql: return "sql";
    case DocumentKind::Html: return "html";
    case DocumentKind::Markdown: return "markdown";
    case DocumentKind::Rst: return "rst";
    case DocumentKind::AsciiDoc: return "asciidoc";
    case DocumentKind::PlainText: return "text";
    case DocumentKind::Json: return "json";
    case DocumentKind::Yaml: return "yaml";
    case DocumentKind::Xml: return "xml";
    case DocumentKind::Csv: return "csv";
    case DocumentKind::Pdf: return "pdf";
    case DocumentKind::Docx: return "docx";
    case DocumentKind::Zip: return "zip";
    case DocumentKind::Binary: return "binary";
  }
  return "binary";
}

std::string_view scimDocumentName(ScimDocument doc) {
  switch (doc) {
    case ScimDocument::None: return "none";
    case ScimDocument::Schema: return "Schema";
    case ScimDocument::ResourceType: return "ResourceType";
    case ScimDocument::ListResponse: return "ListResponse";
    case ScimDocument::ServiceProviderConfig: return "ServiceProviderConfig";
    case ScimDocument::Resource: return "Resource";
  }
  return "none";
}

std::string normalizeContentType(std::string_view contentType) {
  size_t semicolon = contentType.find(';');
  if (semicolon != std::string_view::npos) contentType = contentType.substr(0, semicolon);
  return toLower(trimView(contentType));
}

std::string resolveDeclaredContentType(std::string_view declaredContentType, std::string_view filename) {
  std::string declared = normalizeContentType(declaredContentType);
  if (!isGenericContentType(declared)) return declared;
  std::string suffix = fileSuffix(filename);
  if (suffix == ".json") return "application/json";
  if (suffix == ".yaml" || suffix == ".yml") return "application/yaml";
  if (suffix == ".html" || suffix == ".htm") return "text/html";
  if (suffix == ".xml") return "application/xml";
  if (suffix == ".sql") return "application/sql";
  if (suffix == ".pdf") return "application/pdf";
  if (suffix == ".docx") return std::string(kDocxContentType);
  return declared.empty() ? "application/octet-stream" : declared;
}

std::string unsupportedTypeDetail(std::string_view contentType, std::string_view filename) {
  return "Unsupported documentation content type '" + std::string(contentType) + "' for " + std::string(filename) +
         ". Supported uploads include JSON, YAML, OpenAPI, Markdown, AsciiDoc, HTML, XML, CSV, SQL, text, PDF, and DOCX.";
}

std::string unsupportedTypeMessage(const DocumentType& type) {
  return "415: " + unsupportedTypeDetail(type.declaredContentType, type.filename);
}

DocumentType detectDocumentType(std::string_view bytes, std::string_view declaredContentType,
                                std::string_view filename) {
  DocumentType t;
  t.filename = filename.empty() ? "unknown" : std::string(filename);
  t.declaredContentType = resolveDeclaredContentType(declaredContentType, filename);
  std::string declared = normalizeContentType(declaredContentType);
  std::string suffix = fileSuffix(filename);

  auto done = [&](DocumentKind kind, std::string reason) {
    t.kind = kind;
    t.reason = std::move(reason);
    finish(t);
    return t;
  };

  if (bytes.empty()) return done(DocumentKind::Empty, "the upload is empty");

  // 1. Binary formats by magic bytes.
  std::string what;
  switch (sniffMagic(bytes, what)) {
    case Magic::Pdf: return done(DocumentKind::Pdf, what);
    case Magic::Zip: {
      ZipProbe probe = probeZip(bytes);
      if (probe.hasWordDocument) return done(DocumentKind::Docx, "ZIP archive containing word/document.xml");
      if (!probe.opened) return done(DocumentKind::Zip, "damaged ZIP archive (" + probe.error + ")");
      return done(DocumentKind::Zip, probe.otherFormat.empty() ? "ZIP archive without word/document.xml"
                                                                : "ZIP archive: " + probe.otherFormat);
    }
    case Magic::OtherBinary: return done(DocumentKind::Binary, what);
    case Magic::None: break;
  }

  // 2. Text decoding.
  DecodedText decoded = decodeToUtf8(bytes);
  t.encoding = decoded.encoding;
  t.replacedSequences = decoded.replacedSequences;
  if (decoded.looksBinary) return done(DocumentKind::Binary, "binary content (NUL or control bytes)");
  std::string_view text = decoded.text;
  std::string_view body = trimView(text);
  if (body.empty()) return done(DocumentKind::Empty, "the upload contains only whitespace");
  std::string encodingNote =
      decoded.encoding == TextEncoding::Utf8 ? std::string() : " (decoded from " + std::string(encodingName(decoded.encoding)) + ")";

  Hint declaredHint = kindFromContentType(declared);
  Hint suffixHint = kindFromSuffix(suffix);

  // 3. JSON documents.
  if (body.front() == '{' || body.front() == '[') {
    JsonProbe probe;
    probe.valid = true;
    bool ok = Json::sax_parse(body, &probe, nlohmann::detail::input_format_t::json, true, true);
    if (ok && probe.valid) {
      t.structurallyValid = true;
      if (probe.topIsObject && (probe.openapiVersion || probe.swaggerVersion)) {
        t.specFormat = SpecFormat::Json;
        t.specVersion = versionLabel(probe.openapiVersion, probe.swaggerVersion);
        return done(DocumentKind::OpenApi,
                    std::string(probe.openapiVersion ? "OpenAPI " : "Swagger ") + t.specVersion + " JSON document" +
                        encodingNote);
      }
      ScimDocument scim = classifyScimUrns(probe.topScimUrns);
      if (scim == ScimDocument::None && !probe.topIsObject) {
        scim = classifyScimUrns(probe.nestedScimUrns);
        if (scim != ScimDocument::None && scim != ScimDocument::Resource) scim = ScimDocument::ListResponse;
      }
      if (scim != ScimDocument::None) {
        t.scimDocument = scim;
        return done(DocumentKind::Scim, "SCIM " + std::string(scimDocumentName(scim)) + " document" + encodingNote);
      }
      if (declaredHint.kind == DocumentKind::Scim)
        return done(DocumentKind::Scim, "JSON declared as application/scim+json" + encodingNote);
      if (declaredHint.kind == DocumentKind::Json && declared != "application/json" && declared != "text/json") {
        t.contentType = declared;  // keep specific types such as application/sql+json
        t.preserveAsSingleItem = declared == "application/sql+json" || declared == "application/conndev+json";
      }
      return done(DocumentKind::Json, "valid JSON " + std::string(probe.topIsObject ? "object" : "array") + encodingNote);
    }
  }

  // 4. Markup.
  std::string markupReason;
  Markup markup = sniffMarkup(body, markupReason);
  if (markup == Markup::Html) return done(DocumentKind::Html, markupReason + encodingNote);
  if (markup == Markup::Xml) return done(DocumentKind::Xml, markupReason + encodingNote);

  // 5. OpenAPI YAML (structural scan of top-level lines).
  YamlScan yaml = scanYaml(text);
  size_t yamlStructural = yaml.keyLines + yaml.structuralLines;
  if ((yaml.openapiVersion || yaml.swaggerVersion) && yaml.keyLines >= 2 && yaml.otherLines * 50 <= yamlStructural) {
    t.specFormat = SpecFormat::Yaml;
    t.specVersion = versionLabel(yaml.openapiVersion, yaml.swaggerVersion);
    t.structurallyValid = yaml.otherLines == 0;
    return done(DocumentKind::OpenApi, std::string(yaml.openapiVersion ? "OpenAPI " : "Swagger ") + t.specVersion +
                                           " YAML document" + encodingNote);
  }

  // 6. SQL scripts.
  std::string sqlReason;
  if (looksLikeSql(body, sqlReason)) return done(DocumentKind::Sql, sqlReason + encodingNote);

  // 7./8. Declared content type, then filename suffix (strong hints only).
  auto fromHint = [&](const Hint& hint, const std::string& source) -> std::optional<DocumentType> {
    if (!hint.valid || hint.weak) return std::nullopt;
    DocumentKind kind = hint.kind;
    std::string reason = source;
    if (kind == DocumentKind::Scim || kind == DocumentKind::Json) {
      kind = DocumentKind::Json;
      reason += " (content is not valid JSON; kept as text)";
    }
    if (kind == DocumentKind::Yaml) {
      t.structurallyValid = yaml.otherLines == 0 && yamlStructural > 0;
      if (!t.structurallyValid) reason += " (content does not look like YAML)";
    }
    if (kind == DocumentKind::Html && markup == Markup::None) reason += " (no HTML markup found)";
    return done(kind, reason + encodingNote);
  };
  if (auto r = fromHint(declaredHint, "declared content type " + declared)) return *r;
  if (auto r = fromHint(suffixHint, "filename suffix " + suffix)) return *r;

  // 9. Weak content heuristics.
  if (markup == Markup::HtmlFragment) return done(DocumentKind::Html, markupReason + encodingNote);
  if (yaml.otherLines == 0 && (yaml.keyLines >= 2 || (yaml.keyLines >= 1 && yaml.startsWithMarker))) {
    t.structurallyValid = true;
    return done(DocumentKind::Yaml, "YAML mapping (" + std::to_string(yaml.keyLines) + " top-level keys)" + encodingNote);
  }
  std::string csvReason;
  if (looksLikeCsv(body, csvReason)) return done(DocumentKind::Csv, csvReason + encodingNote);
  std::string markupGuess;
  DocumentKind light = guessLightMarkup(text, markupGuess);
  if (light != DocumentKind::PlainText) return done(light, markupGuess + encodingNote);
  std::string plainReason = "plain text";
  if (declaredHint.valid) plainReason += " (declared " + declared + ")";
  else if (suffixHint.valid) plainReason += " (suffix " + suffix + ")";
  return done(DocumentKind::PlainText, plainReason + encodingNote);
}

}  // namespace cg::ingest
