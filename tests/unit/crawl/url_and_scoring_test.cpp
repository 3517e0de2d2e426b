#include <gtest/gtest.h>

#include "crawl/crawl_settings.h"
#include "crawl/crawl_url.h"
#include "crawl/link_scoring.h"

using namespace cg::crawl;

TEST(CrawlUrl, ResolvesRelativeLinks) {
  EXPECT_EQ(*resolveLink("https://docs.example.com/api/v1/index.html", "users.html#top"),
            "https://docs.example.com/api/v1/users.html");
  EXPECT_EQ(*resolveLink("https://docs.example.com/api/v1/", "../v2/?a=1"), "https://docs.example.com/api/v2/?a=1");
  EXPECT_EQ(*resolveLink("https://docs.example.com/a", "//cdn.example.com/x"), "https://cdn.example.com/x");
  EXPECT_EQ(*resolveLink("https://docs.example.com/a", "/spec files/openapi.json"),
            "https://docs.example.com/spec%20files/openapi.json");
  EXPECT_FALSE(resolveLink("https://docs.example.com/a", "mailto:x@example.com"));
  EXPECT_FALSE(resolveLink("https://docs.example.com/a", "javascript:void(0)"));
  EXPECT_FALSE(resolveLink("https://docs.example.com/a", "file:///etc/passwd"));
  EXPECT_FALSE(resolveLink("not a url", "x"));
}

TEST(CrawlUrl, NormalizesAndKeysDuplicates) {
  EXPECT_EQ(*normalizeUrl("HTTPS://Docs.Example.COM:443/a/./b/../c?utm_source=x&id=2#frag"),
            "https://docs.example.com/a/c?id=2");
  EXPECT_EQ(*normalizeUrl("http://example.com"), "http://example.com/");
  EXPECT_EQ(urlIdentityKey("https://www.example.com/docs/"), urlIdentityKey("http://example.com/docs"));
  EXPECT_EQ(urlIdentityKey("https://example.com/a?b=2&a=1"), urlIdentityKey("https://example.com/a?a=1&b=2"));
  EXPECT_NE(urlIdentityKey("https://example.com/a"), urlIdentityKey("https://example.com/b"));
  EXPECT_NE(urlIdentityKey("https://example.com:8443/a"), urlIdentityKey("https://example.com/a"));
  EXPECT_EQ(urlIdentityKey("ftp://example.com/"), "");
}

TEST(CrawlUrl, ParsesParts) {
  auto p = parseHttpUrl("http://[::1]:8080/x?y");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->hostIsIpv6);
  EXPECT_EQ(p->host, "::1");
  EXPECT_EQ(p->port, 8080);
  EXPECT_EQ(hostKey(*p), "[::1]:8080");
  EXPECT_TRUE(parseHttpUrl("https://u:p@example.com/")->hasUserInfo);
  EXPECT_EQ(siteKey("api.docs.example.co.uk"), "example.co.uk");
  EXPECT_EQ(siteKey("developer.okta.com"), "okta.com");
  EXPECT_TRUE(isSharedHostingDomain("someone.github.io"));
  EXPECT_FALSE(isSharedHostingDomain("forgejo.org"));
}

TEST(LinkScoring, ForbiddenPartsMatchWholeSegmentsOnly) {
  auto parts = defaultForbiddenUrlParts();
  EXPECT_EQ(*forbiddenPathPart("/en/login", parts), "login");
  EXPECT_EQ(*forbiddenPathPart("/blog/2024/post.html", parts), "blog");
  EXPECT_EQ(*forbiddenPathPart("/docs/changelog.html", parts), "changelog");
  EXPECT_FALSE(forbiddenPathPart("/api/contacts", parts));
  EXPECT_FALSE(forbiddenPathPart("/api/internal/users", parts));
  EXPECT_FALSE(forbiddenPathPart("/blogging-api", parts));
}

TEST(LinkScoring, SpecUrlsAndLocales) {
  EXPECT_TRUE(looksLikeSpecUrl(*parseHttpUrl("https://x.example/openapi.json")));
  EXPECT_TRUE(looksLikeSpecUrl(*parseHttpUrl("https://x.example/swagger/v1/swagger.yaml")));
  EXPECT_TRUE(looksLikeSpecUrl(*parseHttpUrl("https://x.example/v3/api-docs")));
  EXPECT_TRUE(looksLikeSpecUrl(*parseHttpUrl("https://x.example/scim/v2/Schemas.json")));
  EXPECT_FALSE(looksLikeSpecUrl(*parseHttpUrl("https://x.example/package.json")));
  EXPECT_FALSE(looksLikeSpecUrl(*parseHttpUrl("https://x.example/docs/openapi-guide.html")));
  EXPECT_TRUE(isLocalizedPath("/de/docs"));
  EXPECT_TRUE(isLocalizedPath("/pt-br/docs"));
  EXPECT_FALSE(isLocalizedPath("/en/docs"));
  EXPECT_FALSE(isLocalizedPath("/api/docs"));
}

TEST(LinkScoring, CandidateOrderPrefersVendorDocsAndDropsNoise) {
  auto tokens = applicationTokens("Forgejo 11");
  ASSERT_EQ(tokens, std::vector<std::string>{"forgejo"});
  auto parts = defaultForbiddenUrlParts();
  auto vendorApi = scoreCandidate("https://forgejo.org/docs/latest/user/api-usage/", "API Usage", tokens, "REST", parts);
  auto spec = scoreCandidate("https://code.forgejo.org/swagger.v1.json", "", tokens, "REST", parts);
  auto thirdParty = scoreCandidate("https://someblog.example/forgejo-api-tips", "Forgejo API tips", tokens, "REST", parts);
  auto blog = scoreCandidate("https://forgejo.org/blog/2024-release/", "Release", tokens, "REST", parts);
  auto so = scoreCandidate("https://stackoverflow.com/questions/1/forgejo-api", "", tokens, "REST", parts);
  EXPECT_FALSE(vendorApi.dropped);
  EXPECT_GT(spec.score, vendorApi.score);
  EXPECT_GT(vendorApi.score, thirdParty.score);
  EXPECT_TRUE(blog.dropped);
  EXPECT_TRUE(so.dropped);
  auto scim = scoreCandidate("https://example.com/scim/v2", "", {}, "SCIM", parts);
  auto scimRest = scoreCandidate("https://example.com/scim/v2", "", {}, "REST", parts);
  EXPECT_GT(scim.score, scimRest.score);
}

TEST(LinkScoring, CrawlPriorityPrefersSpecsAndReferences) {
  int spec = crawlLinkPriority(*parseHttpUrl("https://d.example/openapi.yaml"), "");
  int ref = crawlLinkPriority(*parseHttpUrl("https://d.example/docs/api/users"), "Users API");
  int other = crawlLinkPriority(*parseHttpUrl("https://d.example/company/team/photos"), "Team");
  EXPECT_GT(spec, ref);
  EXPECT_GT(ref, other);
}

TEST(CrawlSettings, DefaultsAndEnvironment) {
  auto d = CrawlSettings::defaults("1.2.3");
  EXPECT_EQ(d.userAgent, "connector-gen/1.2.3 (+documentation crawler)");
  EXPECT_EQ(d.maxDepth, 3);
  setenv("SEARCH__METHOD_NAME", "SearXNG, brave", 1);
  setenv("SCRAPE_AND_PROCESS__MAX_SCRAPER_ITERATIONS", "2", 1);
  setenv("SCRAPE_AND_PROCESS__MAX_PAGES", "abc", 1);
  setenv("SCRAPE_AND_PROCESS__FORBIDDEN_URL_PARTS", "[\"Login\",\"x\"]", 1);
  auto s = CrawlSettings::fromEnvironment("1.2.3");
  unsetenv("SEARCH__METHOD_NAME");
  unsetenv("SCRAPE_AND_PROCESS__MAX_SCRAPER_ITERATIONS");
  unsetenv("SCRAPE_AND_PROCESS__MAX_PAGES");
  unsetenv("SCRAPE_AND_PROCESS__FORBIDDEN_URL_PARTS");
  EXPECT_EQ(s.searchMethods, (std::vector<std::string>{"searxng", "brave"}));
  EXPECT_EQ(s.maxDepth, 1);
  EXPECT_EQ(s.maxPages, 200);
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.forbiddenUrlParts, (std::vector<std::string>{"login", "x"}));
}
