// Crawler against a local docs site: nesting, robots.txt, redirect chains and loops, a huge page,
// a slow page, broken links, a Swagger UI page pointing at a spec, a JavaScript-only page, limits,
// and the SSRF refusals (loopback without allowlist, redirects to metadata/private addresses).
#include "crawl/crawler.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_http_server.h"

using namespace cg::crawl;
using cgtest::HttpReply;

namespace {
const char* kSpec = R"({"openapi":"3.0.3","info":{"title":"Demo","version":"1"},"paths":{"/users":{"get":{"responses":{"200":{"description":"ok"}}}}}})";

HttpReply page(const std::string& title, const std::string& bodyHtml) {
  HttpReply r;
  r.body = "<html><head><title>" + title + "</title></head><body><main><h1>" + title + "</h1><p>This page documents " +
           title + " of the Demo REST API in enough words to count as text.</p>" + bodyHtml + "</main></body></html>";
  return r;
}

HttpReply docsSite(const std::string& t, const std::map<std::string, std::string>&) {
  if (t == "/robots.txt") {
    HttpReply r;
    r.contentType = "text/plain";
    r.body = "User-agent: *\nDisallow: /docs/private/\n";
    return r;
  }
  if (t == "/docs/" || t == "/docs")
    return page("Docs home",
                "<a href='api/users.html'>Users API</a> <a href='/docs/api/groups.html'>Groups</a>"
                "<a href='/docs/private/secret.html'>secret</a> <a href='/blog/post.html'>blog</a>"
                "<a href='/docs/redirect1'>moved</a> <a href='/docs/loop-a'>loop</a> <a href='/docs/huge.html'>huge</a>"
                "<a href='/docs/slow.html'>slow</a> <a href='/docs/missing.html'>missing</a>"
                "<a href='/docs/swagger-ui.html'>Try it</a> <a href='mailto:x@example.com'>mail</a>"
                "<a href='http://169.254.169.254/latest/meta-data/'>meta</a> <a href='/docs/evil-redirect'>evil</a>"
                "<a href='/docs/js-only.html'>app</a> <a href='/docs/login'>login</a> <a href='/docs/alias.html'>alias</a>");
  if (t == "/docs/api/users.html") return page("Users", "<a href='users-detail.html'>detail</a>");
  if (t == "/docs/api/users-detail.html") return page("User detail", "");
  if (t == "/docs/api/groups.html") return page("Groups", "<a href='../'>home</a>");
  if (t == "/docs/api/final.html") return page("Final", "");
  if (t == "/docs/alias.html") return page("Docs home", "");  // same as the home? no: different body
  if (t == "/docs/private/secret.html" || t == "/blog/post.html" || t == "/docs/login") return page("Forbidden", "");
  if (t == "/docs/redirect1") return HttpReply{301, "text/html", "", {{"Location", "/docs/redirect2"}}};
  if (t == "/docs/redirect2") return HttpReply{302, "text/html", "", {{"Location", "/docs/api/final.html"}}};
  if (t == "/docs/loop-a") return HttpReply{302, "text/html", "", {{"Location", "/docs/loop-b"}}};
  if (t == "/docs/loop-b") return HttpReply{302, "text/html", "", {{"Location", "/docs/loop-a"}}};
  if (t == "/docs/evil-redirect")
    return HttpReply{302, "text/html", "", {{"Location", "http://169.254.169.254/latest/meta-data/"}}};
  if (t == "/docs/huge.html") return page("Huge", std::string(200 * 1024, 'x'));
  if (t == "/docs/slow.html") {
    HttpReply r = page("Slow", "");
    r.delayMs = 3000;
    return r;
  }
  if (t == "/docs/swagger-ui.html") {
    HttpReply r;
    r.body = "<html><body><div id='swagger-ui'></div><script>window.onload = function() { SwaggerUIBundle({ url: "
             "\"/specs/openapi.json\", dom_id: '#swagger-ui' }); };</script></body></html>";
    return r;
  }
  if (t == "/specs/openapi.json") return HttpReply{200, "application/json", kSpec, {}};
  if (t == "/docs/js-only.html")
    return HttpReply{200, "text/html", "<html><body><div id='root'></div><script src='/app.js'></script></body></html>", {}};
  return HttpReply{404, "text/html", "<h1>not found</h1>", {}};
}

CrawlSettings testSettings(const std::string& allow) {
  CrawlSettings s = CrawlSettings::defaults("9.9.9");
  s.allowedHosts = allow;
  s.perHostDelayMilliseconds = 0;
  s.perHostConcurrency = 4;
  s.globalConcurrency = 8;
  s.maxPageBytes = 64 * 1024;
  s.requestTimeoutSeconds = 1;
  s.connectTimeoutSeconds = 1;
  return s;
}

UrlGuard guardFor(const CrawlSettings& s) {
  GuardOptions o;
  o.allowlist = HostAllowlist::parse(s.allowedHosts);
  return UrlGuard(o);
}

struct CrawlRun {
  std::vector<CrawledPage> pages;
  std::vector<std::string> notes;
  std::vector<std::pair<int, int>> progress;
  CrawlSummary summary;
  bool stored(const std::string& suffix) const {
    return std::any_of(pages.begin(), pages.end(), [&](const CrawledPage& p) { return p.url.size() >= suffix.size() &&
                                                                                   p.url.compare(p.url.size() - suffix.size(), suffix.size(), suffix) == 0; });
  }
  bool noted(const std::string& part) const {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
  }
};

CrawlRun crawl(const std::vector<std::string>& starters, const CrawlSettings& s, CrawlRequestLimits limits = {}) {
  CrawlRun run;
  UrlGuard guard = guardFor(s);
  CrawlEvents ev;
  ev.onPage = [&](const CrawledPage& p) { run.pages.push_back(p); };
  ev.onNote = [&](const std::string& n) { run.notes.push_back(n); };
  ev.onProgress = [&](int c, int t) { run.progress.emplace_back(c, t); };
  run.summary = crawlSite(starters, s, limits, guard, ev);
  return run;
}

bool requested(const std::vector<std::string>& reqs, const std::string& target) {
  return std::find(reqs.begin(), reqs.end(), target) != reqs.end();
}
}  // namespace

TEST(Crawler, CrawlsTheDocsSitePolitelyAndSafely) {
  cgtest::TestHttpServer server(docsSite);
  CrawlSettings s = testSettings("127.0.0.1");
  CrawlRun run = crawl({server.base() + "/docs/"}, s);
  auto reqs = server.requests();
  ASSERT_FALSE(reqs.empty());
  EXPECT_EQ(reqs.front(), "/robots.txt");
  EXPECT_EQ(server.lastHeaders("/docs/")["user-agent"], "connector-gen/9.9.9 (+documentation crawler)");

  EXPECT_TRUE(run.stored("/docs/"));
  EXPECT_TRUE(run.stored("/docs/api/users.html"));
  EXPECT_TRUE(run.stored("/docs/api/users-detail.html"));  // depth 2
  EXPECT_TRUE(run.stored("/docs/api/groups.html"));
  EXPECT_TRUE(run.stored("/docs/api/final.html"));  // through a 301 → 302 chain
  EXPECT_TRUE(run.stored("/specs/openapi.json"));   // configured in the Swagger UI page
  auto spec = std::find_if(run.pages.begin(), run.pages.end(), [](auto& p) { return p.url.find("openapi.json") != std::string::npos; });
  ASSERT_NE(spec, run.pages.end());
  EXPECT_EQ(spec->kind, PageKind::Spec);
  EXPECT_EQ(spec->body, kSpec);

  EXPECT_FALSE(requested(reqs, "/docs/private/secret.html"));  // robots.txt
  EXPECT_FALSE(requested(reqs, "/blog/post.html"));            // out of the docs path
  EXPECT_FALSE(requested(reqs, "/docs/login"));                // forbidden part
  EXPECT_FALSE(run.stored("/docs/huge.html"));
  EXPECT_FALSE(run.stored("/docs/slow.html"));
  EXPECT_TRUE(run.noted("larger than 65536 bytes"));
  EXPECT_TRUE(run.noted("slow.html"));
  EXPECT_TRUE(run.noted("HTTP 404"));
  EXPECT_TRUE(run.noted("169.254.169.254"));
  EXPECT_TRUE(run.noted("loop"));
  EXPECT_TRUE(run.noted("rendering is disabled"));
  EXPECT_EQ(std::count(reqs.begin(), reqs.end(), "/docs/loop-a"), 1);
  EXPECT_EQ(run.summary.finishReason, "no-more-links");
  EXPECT_GE(run.summary.refused, 1);  // the redirect to the metadata address (the direct link is off-site)
  ASSERT_FALSE(run.progress.empty());
  EXPECT_EQ(run.progress.back().second, 4);  // default depth 3 → 4 levels
}

TEST(Crawler, DepthAndPageLimitsStopTheCrawl) {
  cgtest::TestHttpServer server(docsSite);
  CrawlSettings s = testSettings("127.0.0.1");
  CrawlRequestLimits depth1;
  depth1.maxDepth = 1;
  CrawlRun shallow = crawl({server.base() + "/docs/"}, s, depth1);
  EXPECT_TRUE(shallow.stored("/docs/api/users.html"));
  EXPECT_FALSE(shallow.stored("/docs/api/users-detail.html"));
  EXPECT_EQ(shallow.summary.finishReason, "max-iterations-reached");
  EXPECT_EQ(shallow.summary.limitReached, "maxDepth");

  CrawlRequestLimits pages3;
  pages3.maxPages = 3;
  CrawlRun few = crawl({server.base() + "/docs/"}, s, pages3);
  EXPECT_LE(few.summary.pagesProcessed, 3);
  EXPECT_EQ(few.summary.finishReason, "max-iterations-reached");
  EXPECT_EQ(few.summary.limitReached, "maxPages");
}

TEST(Crawler, RefusesLoopbackWithoutAllowlistBeforeAnyRequest) {
  cgtest::TestHttpServer server(docsSite);
  CrawlSettings s = testSettings("");
  CrawlRun run = crawl({server.base() + "/docs/", "http://10.0.0.1/docs/", "http://169.254.169.254/latest/",
                   "file:///etc/passwd", "http://[::1]:" + std::to_string(server.port()) + "/"},
                  s);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_TRUE(run.pages.empty());
  EXPECT_EQ(run.summary.refused, 5);
  EXPECT_TRUE(run.noted("scheme 'file'"));
}

TEST(Crawler, RedirectToPrivateAddressIsRefusedEvenWhenStarterIsAllowed) {
  cgtest::TestHttpServer server([](const std::string& t, const auto&) {
    if (t == "/robots.txt") return HttpReply{404, "text/plain", "", {}};
    return HttpReply{302, "text/html", "", {{"Location", "http://10.0.0.1/admin"}}};
  });
  CrawlSettings s = testSettings("127.0.0.1");
  CrawlRun run = crawl({server.base() + "/start"}, s);
  EXPECT_TRUE(run.pages.empty());
  EXPECT_TRUE(run.noted("10.0.0.1"));
  EXPECT_EQ(run.summary.refused, 1);
}

TEST(Crawler, RobotsServerErrorMeansNothingIsFetched) {
  cgtest::TestHttpServer server([](const std::string& t, const auto&) {
    if (t == "/robots.txt") return HttpReply{503, "text/plain", "", {}};
    return page("Docs", "");
  });
  CrawlSettings s = testSettings("127.0.0.1");
  CrawlRun run = crawl({server.base() + "/docs/"}, s);
  EXPECT_TRUE(run.pages.empty());
  EXPECT_EQ(server.requests(), std::vector<std::string>{"/robots.txt"});
  EXPECT_EQ(run.summary.robotsDenied, 1);
}

TEST(Crawler, ClassifiesResponses) {
  EXPECT_EQ(*classifyResponse("http://x/openapi.json", "application/json", kSpec), PageKind::Spec);
  EXPECT_EQ(*classifyResponse("http://x/a", "text/html", "<html><body><p>hi</p></body></html>"), PageKind::Html);
  EXPECT_EQ(*classifyResponse("http://x/a.md", "text/markdown", "# Title\n\nSome text."), PageKind::Document);
  EXPECT_FALSE(classifyResponse("http://x/package.json", "application/json", "{\"name\":\"x\"}"));
  EXPECT_FALSE(classifyResponse("http://x/logo.png", "image/png", std::string("\x89PNG\r\n\x1a\n\0\0", 10)));
}
