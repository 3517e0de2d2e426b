// Documentation crawler: breadth-first from starter links over the documentation of their sites.
//
// Contract (`crawlSite`):
//   * Scope: a starter link's host (ignoring "www.") with its documentation path prefix (the
//     first path segment, e.g. "/docs/", when the starter is deeper than one segment, else the
//     whole host); other paths of that host only when they look like API documentation (an api,
//     docs, developer, reference, openapi, swagger or scim segment) or a spec file; spec files on
//     sibling hosts of the same site (not on shared hosting domains); spec URLs configured in a
//     Swagger UI / Redoc page anywhere. A redirect of a starter link extends the scope to its target.
//   * Order: by depth (starter links are depth 0), then by crawlLinkPriority (link_scoring.h),
//     then discovery order. Links with a forbidden path part, a localized path, or beyond
//     maxDepth are not followed (forbidden parts never apply to starter links).
//   * Politeness: robots.txt of every host is fetched first and obeyed (5xx → nothing allowed,
//     4xx → everything allowed); at most perHostConcurrency requests per host (1 when robots sets a
//     Crawl-delay) started at least perHostDelay (or the Crawl-delay, capped) apart; 429/503 are
//     retried once after Retry-After (capped at 30 s); the User-Agent names the product.
//   * Limits: maxPages processed pages, maxBytes decoded bytes per job, maxPageBytes per
//     response, maxLinksPerPage links taken from one page (best first), maxRedirects per link,
//     jobTimeout wall clock. Every URL and redirect target passes the UrlGuard.
//   * Content: HTML pages, OpenAPI/Swagger/SCIM documents (JSON or YAML) and other text documents
//     (Markdown, plain text, PDF) are handed to `onPage` as soon as they are fetched; other types
//     are skipped with a note. An HTML page without text (JavaScript-only) is rendered with
//     headless Chromium when enabled and installed, else noted.
//   * Never throws by itself; exceptions thrown by the callbacks (cancellation, storage errors)
//     propagate to the caller.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "crawl/crawl_settings.h"
#include "crawl/url_guard.h"

namespace cg::crawl {

enum class PageKind { Html, Spec, Document };

struct CrawledPage {
  std::string url;           // final URL after redirects (normalised)
  std::string requestedUrl;  // the link that led here
  int depth = 0;
  std::string contentType;   // as served
  std::string body;          // decoded bytes (rendered DOM for rendered pages)
  PageKind kind = PageKind::Html;
  bool rendered = false;
};

struct CrawlEvents {
  std::function<void(const CrawledPage&)> onPage;
  std::function<void(const std::string&)> onNote;  // non-fatal problems (refused URL, broken link, …)
  // Called when the number of fully crawled depth levels changes (total = maxDepth + 1).
  std::function<void(int completedLevels, int totalLevels)> onProgress;
  std::function<void()> checkCancelled;            // may throw to stop the crawl
};

struct CrawlSummary {
  std::string finishReason;  // "no-more-links" | "max-iterations-reached"
  std::string limitReached;  // "" | "maxDepth" | "maxPages" | "maxBytes" | "jobTimeout"
  int pagesProcessed = 0;
  int specsFound = 0;
  int requests = 0;
  int refused = 0;
  int robotsDenied = 0;
  int failed = 0;
  int notesSuppressed = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  int completedLevels = 0;
};

struct CrawlRequestLimits {  // per-request overrides (ScrapeRequest extensions); 0 = settings
  int maxPages = 0;
  int maxDepth = -1;
  uint64_t maxBytes = 0;
};

CrawlSummary crawlSite(const std::vector<std::string>& starterLinks, const CrawlSettings& settings,
                       const CrawlRequestLimits& limits, const UrlGuard& guard, CrawlEvents& events);

// Page kind of a fetched response (nullopt: not documentation we store).
std::optional<PageKind> classifyResponse(const std::string& url, const std::string& contentType, std::string_view body);

// Renders a page with headless Chromium (host pinned to `pinnedAddress`, all other hosts blocked).
// nullopt with `error` set when Chromium is missing, fails or times out.
std::optional<std::string> renderWithChromium(const std::string& chromiumPath, const std::string& url,
                                              const std::string& host, const std::string& pinnedAddress,
                                              const std::string& userAgent, int timeoutSeconds, size_t maxBytes,
                                              std::string& error);

}  // namespace cg::crawl
