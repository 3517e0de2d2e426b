// Structure scanner for prose documentation (Markdown, reStructuredText, AsciiDoc, PDF/HTML text):
// splits a document into lines and finds its headings (section tree), code blocks and tables, so
// the prose digester can reason about "what section is this line in" and "which table rows are there"
// without knowing the markup language in advance.
//
// Contract:
//  - Pure and deterministic; never throws; bounded: at most kMaxScanLines lines, kMaxTables tables,
//    kMaxCodeBlocks code blocks (the rest of the document is ignored, `truncated` says so).
//  - Headings: Markdown ATX (`# T`), AsciiDoc (`= T`), RST/setext underlined or over+underlined titles.
//    Levels of RST titles follow the order in which adornment styles first appear.
//  - Code blocks: ``` / ~~~ fences (with language), AsciiDoc `----`/`....` blocks (with a preceding
//    `[source,lang]`), RST `::` literal blocks and `.. code-block:: lang` directives (indented body).
//  - Tables: Markdown pipe tables (header + `---` separator), RST grid tables (`+---+`, header ends at
//    `+===+`), RST simple tables (`===  ===`), AsciiDoc `|===` tables. Cells are trimmed raw text.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cg::digest::prose {

inline constexpr std::size_t kMaxScanLines = 200000;
inline constexpr std::size_t kMaxTables = 2000;
inline constexpr std::size_t kMaxCodeBlocks = 5000;

struct Section {
  std::string title;
  int level = 0;
  int parent = -1;  // index into sections, -1 = top
  std::size_t line = 0;
};

struct CodeBlock {
  std::size_t firstLine = 0;  // first content line
  std::size_t endLine = 0;    // one past the last content line
  std::string language;       // lower-case, "" when not stated
  std::string text;           // content lines joined with '\n' (RST bodies de-indented)
  int section = -1;
};

struct TableRow {
  std::vector<std::string> cells;
  std::size_t line = 0;  // first source line of the row
};

struct Table {
  std::vector<std::string> header;  // trimmed header cells (may be empty when none was found)
  std::vector<TableRow> rows;
  std::size_t firstLine = 0;
  std::size_t endLine = 0;
  int section = -1;
};

struct ScannedDocument {
  std::vector<std::string> lines;         // without line terminators
  std::vector<int> sectionOfLine;         // innermost section of each line (-1 before the first heading)
  std::vector<int> codeBlockOfLine;       // code block index of each line, -1 outside code
  std::vector<char> isHeadingLine;        // 1 for title and adornment lines
  std::vector<Section> sections;
  std::vector<CodeBlock> codeBlocks;
  std::vector<Table> tables;
  bool truncated = false;
};

ScannedDocument scanDocument(std::string_view text);

// "**Users**" / "`GET`" / "*x*" → text without emphasis/code markup and surrounding spaces.
std::string stripInlineMarkup(std::string_view s);

}  // namespace cg::digest::prose
