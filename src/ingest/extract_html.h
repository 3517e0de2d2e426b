// HTML → Markdown conversion for documentation pages (uploads and scraped pages), on gumbo.
//
// Contract: `htmlToMarkdown(html)` never throws and does no I/O. It keeps what carries meaning
// for API documentation — headings (#), paragraphs, ordered/unordered nested lists, definition
// lists, block quotes, GitHub pipe tables, fenced code blocks (with the language from the
// `language-*`/`lang-*` class when present), inline code, links [text](href) with the href kept
// verbatim (nothing is resolved; see `baseHref`), bold/italic/strikethrough — and drops scripts,
// styles, templates, SVG, forms and buttons, and page chrome (nav, aside, menus, page-level
// header/footer, role=navigation/banner/contentinfo, hidden elements). Whitespace is collapsed
// as a browser would. Links inside dropped chrome are still reported in `links` (the crawler
// wants them). The OpenAPI spec URLs configured in Swagger UI / Redoc / RapiDoc / Stoplight /
// Scalar pages, and links to openapi/swagger .json/.yaml files, are returned in `specUrls`.
// Robustness: the tree is walked iteratively; input nested deeper than `maxNesting` or larger
// than `maxParseBytes` (gumbo is quadratic in depth) is converted by a linear tag stripper
// instead, with a warning.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cg::ingest {

struct HtmlLink {
  std::string href;  // as written in the page (trimmed)
  std::string text;  // visible text, whitespace collapsed, at most ~200 bytes
};

struct HtmlOptions {
  size_t maxNesting = 1000;               // estimated element depth above which gumbo is not used
  size_t maxParseBytes = 16 * 1024 * 1024;  // larger input uses the linear tag stripper
  size_t maxLinks = 20000;
};

struct HtmlConversion {
  std::string markdown;
  std::string title;       // <title>, else the first <h1>
  std::string baseHref;    // <base href>, when present
  std::vector<HtmlLink> links;         // unique hrefs in document order (no fragments, javascript:, mailto:)
  std::vector<std::string> specUrls;   // unique, in document order
  std::vector<std::string> warnings;
  bool usedFallback = false;           // the linear tag stripper produced `markdown`
};

HtmlConversion htmlToMarkdown(std::string_view html, const HtmlOptions& options = {});

}  // namespace cg::ingest
