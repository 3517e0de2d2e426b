// Configuration of discovery (web search) and scraping (crawling), read from environment variables.
// Every variable is documented in docs/CRAWLING.md. `fromEnvironment` never throws: malformed
// numbers keep the default and are reported in `warnings`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cg::crawl {

struct CrawlSettings {
  // Discovery / search.
  std::vector<std::string> searchMethods;  // SEARCH__METHOD_NAME: searxng, brave, duckduckgo (alias ddgs), tried in order
  std::string searxngUrl;                  // SEARXNG__URL, e.g. http://searxng:8080
  std::string braveApiKey;                 // BRAVE__API_KEY
  std::string braveEndpoint = "https://api.search.brave.com/res/v1/web/search";  // BRAVE__ENDPOINT
  std::string duckduckgoUrl = "https://html.duckduckgo.com/html/";               // DUCKDUCKGO__URL
  int64_t searchCacheSeconds = 28 * 24 * 3600;  // SEARCH__CACHE_SECONDS (0 disables reuse)
  int searchTimeoutSeconds = 15;                // SEARCH__TIMEOUT_SECONDS
  int searchDelayMilliseconds = 250;            // SEARCH__DELAY_MILLISECONDS between queries to one provider

  // Scraping.
  std::string allowedHosts;       // SCRAPE_AND_PROCESS__ALLOWED_HOSTS (names, *.suffix, IPs, CIDRs)
  int maxPages = 200;             // SCRAPE_AND_PROCESS__MAX_PAGES
  int maxDepth = 3;               // SCRAPE_AND_PROCESS__MAX_DEPTH (starter links are depth 0)
  uint64_t maxBytes = 256ull << 20;      // SCRAPE_AND_PROCESS__MAX_BYTES per job (decoded bytes)
  uint64_t maxPageBytes = 16ull << 20;   // SCRAPE_AND_PROCESS__MAX_PAGE_BYTES per response
  int maxLinksPerPage = 3000;     // SCRAPE_AND_PROCESS__MAX_LINKS_PER_DOCUMENTATION (links kept per page)
  size_t maxUrlLength = 2048;     // SCRAPE_AND_PROCESS__MAX_URL_LENGTH
  int maxRedirects = 5;           // SCRAPE_AND_PROCESS__MAX_REDIRECTS
  std::vector<std::string> forbiddenUrlParts;  // SCRAPE_AND_PROCESS__FORBIDDEN_URL_PARTS (comma list or JSON array)
  int perHostConcurrency = 2;     // SCRAPE__PER_HOST_CONCURRENCY
  int globalConcurrency = 8;      // SCRAPE__CONCURRENCY
  int perHostDelayMilliseconds = 250;  // SCRAPE__PER_HOST_DELAY_MILLISECONDS (robots Crawl-delay wins when larger)
  int maxCrawlDelaySeconds = 10;  // SCRAPE__MAX_CRAWL_DELAY_SECONDS (cap on robots Crawl-delay)
  int connectTimeoutSeconds = 10; // SCRAPE__CONNECT_TIMEOUT_SECONDS
  int requestTimeoutSeconds = 30; // SCRAPE__REQUEST_TIMEOUT_SECONDS (whole response)
  int jobTimeoutSeconds = 1800;   // SCRAPE__JOB_TIMEOUT_SECONDS (wall clock of one crawl)
  bool respectRobots = true;      // SCRAPE__RESPECT_ROBOTS
  std::string userAgent;          // SCRAPE__USER_AGENT (default "connector-gen/<version> (+documentation crawler)")
  bool renderJs = false;          // SCRAPE__RENDER_JS
  std::string chromiumPath = "/usr/bin/chromium";  // SCRAPE__CHROMIUM_PATH
  int renderTimeoutSeconds = 30;  // SCRAPE__RENDER_TIMEOUT_SECONDS

  std::vector<std::string> warnings;

  static CrawlSettings defaults(const std::string& productVersion);
  static CrawlSettings fromEnvironment(const std::string& productVersion);
  // The product token robots.txt groups are matched against.
  static constexpr const char* kProductToken = "connector-gen";
};

std::vector<std::string> defaultForbiddenUrlParts();

}  // namespace cg::crawl
