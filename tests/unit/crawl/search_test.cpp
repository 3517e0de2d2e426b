// Discovery: query templates, provider registry, fake SearXNG and Brave servers, ranking and the
// failure when nothing is configured.
#include "crawl/search.h"

#include <gtest/gtest.h>

#include "test_http_server.h"

using namespace cg::crawl;
using cgtest::HttpReply;

namespace {
std::string searxngAnswer() {
  return R"({"query":"x","results":[
    {"url":"https://www.reddit.com/r/forgejo/comments/1","title":"Forgejo API?","content":"discussion","engine":"bing"},
    {"url":"https://forgejo.org/docs/latest/user/api-usage/","title":"API Usage | Forgejo","content":"Forgejo API","engine":"bing"},
    {"url":"https://forgejo.org/docs/latest/user/api-usage/?utm_source=x","title":"dup","content":"","engine":"brave"},
    {"url":"https://code.forgejo.org/swagger.v1.json","title":"swagger","content":"","engine":"bing"},
    {"url":"https://forgejo.org/blog/2024/","title":"Blog","content":"","engine":"bing"},
    {"url":"https://example-tutorials.com/forgejo-rest","title":"Forgejo REST tutorial","content":"","engine":"bing"}]})";
}

CrawlSettings settingsWith(std::vector<std::string> methods) {
  CrawlSettings s = CrawlSettings::defaults("1.0");
  s.searchMethods = std::move(methods);
  return s;
}
}  // namespace

TEST(DiscoveryQueries, TemplatesFollowIntegrationTypeAndSkipPlaceholderVersions) {
  DiscoveryInput in;
  in.applicationName = "Forgejo";
  in.applicationVersion = "latest";
  in.integrationType = "REST";
  auto q = buildQueries(in);
  ASSERT_EQ(q.size(), 8u);
  EXPECT_EQ(q[0], "Forgejo REST API documentation");
  EXPECT_EQ(q[1], "Forgejo REST API reference");
  EXPECT_EQ(q[5], "Forgejo SCIM 2.0 documentation");
  in.applicationVersion = "11";
  in.integrationType = "SCIM";
  in.numQueries = 2;
  q = buildQueries(in);
  EXPECT_EQ(q, (std::vector<std::string>{"Forgejo SCIM 2.0 documentation 11", "Forgejo SCIM API reference 11"}));
  in.integrationType = "DUMMY";
  in.numQueries = 8;
  q = buildQueries(in);
  EXPECT_EQ(q[3], "Forgejo OpenAPI swagger 11");
  EXPECT_EQ(q[4], "Forgejo SCIM 2.0 documentation 11");
}

TEST(DiscoveryProviders, RegistryReportsMisconfiguration) {
  CrawlSettings s = settingsWith({"searxng", "brave", "bing"});
  auto reg = makeSearchProviders(s, defaultHttpGet(s));
  EXPECT_TRUE(reg.providers.empty());
  ASSERT_EQ(reg.problems.size(), 3u);
  EXPECT_NE(reg.problems[0].find("SEARXNG__URL"), std::string::npos);
  EXPECT_NE(reg.problems[2].find("Unknown search method 'bing'"), std::string::npos);
}

TEST(Discovery, FailsClearlyWithoutProvider) {
  CrawlSettings s = settingsWith({});
  auto reg = makeSearchProviders(s, defaultHttpGet(s));
  DiscoveryInput in;
  in.applicationName = "Forgejo";
  auto out = runDiscovery(in, reg, s.forbiddenUrlParts, 0);
  EXPECT_TRUE(out.failed);
  EXPECT_NE(out.failure.find("No web search provider is configured"), std::string::npos);
}

TEST(Discovery, FakeSearxngRankedDeduplicatedAndFiltered) {
  cgtest::TestHttpServer searx([](const std::string& t, const auto&) {
    if (t.rfind("/search?", 0) == 0 && t.find("format=json") != std::string::npos)
      return HttpReply{200, "application/json", searxngAnswer(), {}};
    return HttpReply{404, "text/plain", "", {}};
  });
  CrawlSettings s = settingsWith({"searxng"});
  s.searxngUrl = searx.base();
  auto reg = makeSearchProviders(s, defaultHttpGet(s));
  ASSERT_EQ(reg.providers.size(), 1u);
  DiscoveryInput in;
  in.applicationName = "Forgejo";
  in.integrationType = "REST";
  in.numQueries = 2;
  auto out = runDiscovery(in, reg, s.forbiddenUrlParts, 0);
  ASSERT_FALSE(out.failed) << out.failure;
  EXPECT_EQ(out.queriesRun, 2);
  auto j = out.toJson();
  ASSERT_EQ(j["candidateLinks"].size(), 3u) << j.dump();
  EXPECT_EQ(j["candidateLinks"][0], "https://code.forgejo.org/swagger.v1.json");
  EXPECT_EQ(j["candidateLinks"][1], "https://forgejo.org/docs/latest/user/api-usage/");
  EXPECT_EQ(j["candidateLinks"][2], "https://example-tutorials.com/forgejo-rest");
  EXPECT_EQ(j["candidateLinksEnriched"][1]["source"], "searxng");
  EXPECT_EQ(j["candidateLinksEnriched"][1]["query"], "Forgejo REST API documentation");
  EXPECT_EQ(j["candidateLinksEnriched"][1]["title"], "API Usage | Forgejo");

  in.enableLinkFiltering = false;
  in.maxCandidateLinks = 0;
  auto unfiltered = runDiscovery(in, reg, s.forbiddenUrlParts, 0);
  EXPECT_EQ(unfiltered.candidates.size(), 5u);  // 6 hits, one duplicate
}

TEST(Discovery, FakeBraveGetsKeyAndFallsBackAfterFailingProvider) {
  cgtest::TestHttpServer brave([](const std::string& t, const auto& headers) {
    auto it = headers.find("x-subscription-token");
    if (it == headers.end() || it->second != "secret-key") return HttpReply{401, "application/json", "{}", {}};
    if (t.find("count=20") == std::string::npos) return HttpReply{400, "application/json", "{}", {}};
    return HttpReply{200, "application/json",
                     R"({"web":{"results":[{"url":"https://developer.example.com/api/","title":"Example API","description":"Reference"}]}})",
                     {}};
  });
  CrawlSettings s = settingsWith({"searxng", "brave"});
  s.searxngUrl = "http://127.0.0.1:1";  // nothing listens: every SearXNG search fails
  s.braveApiKey = "secret-key";
  s.braveEndpoint = brave.base() + "/res/v1/web/search";
  s.searchTimeoutSeconds = 2;
  auto reg = makeSearchProviders(s, defaultHttpGet(s));
  DiscoveryInput in;
  in.applicationName = "Example";
  in.numQueries = 1;
  in.maxResultsPerQuery = 50;  // capped at Brave's 20
  auto out = runDiscovery(in, reg, s.forbiddenUrlParts, 0);
  ASSERT_FALSE(out.failed) << out.failure;
  ASSERT_EQ(out.candidates.size(), 1u);
  EXPECT_EQ(out.candidates[0].hit.source, "brave");
  EXPECT_EQ(out.candidates[0].hit.body, "Reference");
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_NE(out.notes[0].find("searxng failed"), std::string::npos);
}

TEST(Discovery, EverySearchFailingFailsTheJob) {
  cgtest::TestHttpServer broken([](const std::string&, const auto&) { return HttpReply{500, "text/plain", "boom", {}}; });
  CrawlSettings s = settingsWith({"searxng"});
  s.searxngUrl = broken.base();
  auto reg = makeSearchProviders(s, defaultHttpGet(s));
  DiscoveryInput in;
  in.applicationName = "X";
  in.numQueries = 2;
  auto out = runDiscovery(in, reg, s.forbiddenUrlParts, 0);
  EXPECT_TRUE(out.failed);
  EXPECT_NE(out.failure.find("HTTP 500"), std::string::npos);
}

TEST(DiscoveryParsers, DuckDuckGoHtmlAndMalformedAnswers) {
  std::string html =
      "<html><body><div class='result'><a class='result__a' href='//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.example.com%2Fapi&rut=1'>Example API</a>"
      "<a class='result__url' href='//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.example.com%2Fapi&rut=1'>docs.example.com</a></div>"
      "<a href='https://duckduckgo.com/settings'>settings</a></body></html>";
  auto r = parseDuckDuckGoHtml(html, 10);
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].href, "https://docs.example.com/api");
  EXPECT_EQ(r.hits[0].title, "Example API");
  EXPECT_FALSE(parseSearxngJson("<html>", 10).error.empty());
  EXPECT_FALSE(parseBraveJson("nope", 10).error.empty());
  EXPECT_TRUE(parseBraveJson("{}", 10).hits.empty());
  EXPECT_EQ(parseSearxngJson(searxngAnswer(), 2).hits.size(), 2u);
}

namespace {
class ReverseReranker : public CandidateReranker {
 public:
  std::vector<size_t> rerank(const DiscoveryInput&, const std::vector<Candidate>& c) override {
    std::vector<size_t> out;
    for (size_t i = c.size(); i-- > 0;) out.push_back(i);
    out.push_back(999);  // unknown indexes are ignored
    return out;
  }
};
}  // namespace

TEST(DiscoverySelection, RoundRobinWithoutRankingAndRerankHook) {
  DiscoveryInput in;
  in.applicationName = "Acme";
  in.enableLinkRanking = false;
  in.maxCandidateLinks = 3;
  std::vector<std::pair<std::string, std::vector<SearchHit>>> perQuery = {
      {"q1", {{"a", "https://a.example/1", "", "s"}, {"b", "https://a.example/2", "", "s"}, {"c", "https://a.example/3", "", "s"}}},
      {"q2", {{"d", "https://b.example/1", "", "s"}}}};
  auto sel = selectCandidates(in, perQuery, {});
  ASSERT_EQ(sel.size(), 3u);
  EXPECT_EQ(sel[0].hit.href, "https://a.example/1");
  EXPECT_EQ(sel[1].hit.href, "https://b.example/1");
  EXPECT_EQ(sel[2].hit.href, "https://a.example/2");
  in.enableLinkRanking = true;
  in.maxCandidateLinks = 0;
  ReverseReranker rr;
  auto re = selectCandidates(in, perQuery, {}, &rr);
  ASSERT_EQ(re.size(), 4u);
  auto plain = selectCandidates(in, perQuery, {});
  EXPECT_EQ(re[0].hit.href, plain[3].hit.href);
}
