// Crawler throughput on a local synthetic documentation site: N pages (default 2,000) of ~3 KB
// text, each linking to 10 others, served from 127.0.0.1 by a small in-process HTTP server
// (one thread per connection, no keep-alive — so this measures the crawler plus connection
// setup). Reports pages/s and the process's peak RSS, for the crawl alone and for crawl + the
// ingestion pipeline (HTML → Markdown → chunks, as the scrape job does for each page).
// Usage: bench_crawl_site [--pages N] [--concurrency C] [--no-ingest]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "../tests/unit/crawl/test_http_server.h"
#include "crawl/crawler.h"
#include "ingest/pipeline.h"

using namespace cg::crawl;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int pages = 2000, concurrency = 8;
  bool ingest = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--pages") && i + 1 < argc) pages = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--concurrency") && i + 1 < argc) concurrency = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--no-ingest")) ingest = false;
  }
  std::string filler;
  for (int i = 0; i < 40; ++i) filler += "The endpoint returns the user object with its attributes and links. ";
  cgtest::TestHttpServer server([&](const std::string& t, const auto&) {
    cgtest::HttpReply r;
    if (t == "/robots.txt") {
      r.contentType = "text/plain";
      r.body = "User-agent: *\nAllow: /\n";
      return r;
    }
    int id = 0;
    if (std::sscanf(t.c_str(), "/docs/p%d.html", &id) != 1 || id < 0 || id >= pages) {
      r.status = 404;
      return r;
    }
    r.body = "<html><head><title>Page " + std::to_string(id) + "</title></head><body><nav><a href='/docs/p0.html'>home</a></nav><main><h1>Resource " +
             std::to_string(id) + "</h1><p>" + filler + "</p><ul>";
    for (int k = 1; k <= 10; ++k) {
      int to = (id * 7 + k * 13) % pages;
      r.body += "<li><a href='/docs/p" + std::to_string(to) + ".html'>Resource " + std::to_string(to) + "</a></li>";
    }
    r.body += "</ul><pre><code>GET /api/v1/resources/" + std::to_string(id) + "</code></pre></main></body></html>";
    return r;
  });

  CrawlSettings s = CrawlSettings::defaults("bench");
  s.allowedHosts = "127.0.0.1";
  s.maxPages = pages;
  s.maxDepth = 100;
  s.perHostDelayMilliseconds = 0;
  s.perHostConcurrency = concurrency;
  s.globalConcurrency = concurrency;
  GuardOptions go;
  go.allowlist = HostAllowlist::parse(s.allowedHosts);
  UrlGuard guard(go);
  size_t stored = 0, chunks = 0;
  CrawlEvents ev;
  ev.onPage = [&](const CrawledPage& p) {
    ++stored;
    if (ingest) {
      auto r = cg::ingest::ingestDocument(p.body, "text/html", "page.html");
      chunks += r.chunks.size();
    }
  };
  auto t0 = Clock::now();
  CrawlSummary sum = crawlSite({server.base() + "/docs/p0.html"}, s, {}, guard, ev);
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("pages=%d stored=%zu chunks=%zu requests=%d bytes=%llu seconds=%.2f pages_per_second=%.1f "
              "peak_rss_mb=%.1f ingest=%s concurrency=%d finish=%s\n",
              sum.pagesProcessed, stored, chunks, sum.requests, static_cast<unsigned long long>(sum.bytes), secs,
              sum.pagesProcessed / secs, ru.ru_maxrss / 1024.0, ingest ? "yes" : "no", concurrency,
              sum.finishReason.c_str());
  return sum.pagesProcessed == pages ? 0 : 1;
}
