#include "crawl/search.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "crawl/crawl_url.h"
#include "crawl/link_scoring.h"
#include "ingest/extract_html.h"
#include "util/strings.h"

namespace cg::crawl {
namespace {
std::string str(const Json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (j.contains(k) && j[k].is_string()) return j[k].get<std::string>();
  return "";
}

std::string httpProblem(const FetchResult& r) {
  if (!r.error.empty()) return r.error;
  return "HTTP " + std::to_string(r.status);
}

std::string withQuery(const std::string& base, const std::string& query) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + query;
}

class SearxngProvider : public SearchProvider {
 public:
  SearxngProvider(std::string url, HttpGet http) : url_(std::move(url)), http_(std::move(http)) {
    while (!url_.empty() && url_.back() == '/') url_.pop_back();
    if (!endsWith(url_, "/search")) url_ += "/search";
  }
  std::string name() const override { return "searxng"; }
  SearchResponse search(const std::string& q, int maxResults) override {
    auto r = http_(withQuery(url_, "q=" + encodeQueryComponent(q) + "&format=json&pageno=1&safesearch=1"),
                   {"Accept: application/json"});
    if (!r.ok()) return {{}, "SearXNG search failed: " + httpProblem(r) +
                                 (r.status == 403 ? " (is the json format enabled in SearXNG's settings.yml?)" : "")};
    return parseSearxngJson(r.body, maxResults);
  }

 private:
  std::string url_;
  HttpGet http_;
};

class BraveProvider : public SearchProvider {
 public:
  BraveProvider(std::string endpoint, std::string key, HttpGet http)
      : endpoint_(std::move(endpoint)), key_(std::move(key)), http_(std::move(http)) {}
  std::string name() const override { return "brave"; }
  SearchResponse search(const std::string& q, int maxResults) override {
    int count = std::clamp(maxResults, 1, 20);  // the API's maximum per request
    std::string url = withQuery(endpoint_, "q=" + encodeQueryComponent(q) + "&count=" + std::to_string(count) +
                                               "&country=us&safesearch=moderate");
    for (int attempt = 0;; ++attempt) {
      auto r = http_(url, {"Accept: application/json", "X-Subscription-Token: " + key_});
      if (r.status == 429 && attempt < 3) {
        int wait = std::min(10, r.retryAfterSeconds.value_or(1 << attempt));
        std::this_thread::sleep_for(std::chrono::seconds(wait));
        continue;
      }
      if (!r.ok()) return {{}, "Brave search failed: " + httpProblem(r)};
      return parseBraveJson(r.body, maxResults);
    }
  }

 private:
  std::string endpoint_, key_;
  HttpGet http_;
};

class DuckDuckGoProvider : public SearchProvider {
 public:
  DuckDuckGoProvider(std::string url, HttpGet http) : url_(std::move(url)), http_(std::move(http)) {}
  std::string name() const override { return "duckduckgo"; }
  SearchResponse search(const std::string& q, int maxResults) override {
    auto r = http_(withQuery(url_, "q=" + encodeQueryComponent(q)), {});
    if (!r.ok()) return {{}, "DuckDuckGo search failed: " + httpProblem(r)};
    return parseDuckDuckGoHtml(r.body, maxResults);
  }

 private:
  std::string url_;
  HttpGet http_;
};

bool isPlaceholderVersion(const std::string& v) {
  std::string t = toLower(trim(v));
  return t.empty() || t == "latest" || t == "current" || t == "newest" || t == "stable" || t == "unknown" ||
         t == "any" || t == "development" || t == "up-to-date";
}
}  // namespace

HttpGet defaultHttpGet(const CrawlSettings& settings) {
  FetcherOptions o;
  o.userAgent = settings.userAgent;
  o.requestTimeoutSeconds = settings.searchTimeoutSeconds;
  o.connectTimeoutSeconds = std::min(settings.searchTimeoutSeconds, settings.connectTimeoutSeconds);
  auto fetcher = std::make_shared<Fetcher>(o, nullptr);
  return [fetcher](const std::string& url, const std::vector<std::string>& headers) {
    FetchRequest r;
    r.url = url;
    r.trusted = true;
    r.maxRedirects = 3;
    r.maxBytes = 4u << 20;
    r.headers = headers;
    r.accept = "application/json,text/html;q=0.9,*/*;q=0.5";
    return fetcher->fetch(std::move(r));
  };
}

SearchResponse parseSearxngJson(std::string_view body, int maxResults) {
  SearchResponse out;
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("results") || !j["results"].is_array()) {
    out.error = "SearXNG answered something that is not its JSON result format";
    return out;
  }
  for (const auto& r : j["results"]) {
    if (static_cast<int>(out.hits.size()) >= maxResults) break;
    if (!r.is_object()) continue;
    SearchHit h{str(r, {"title"}), str(r, {"url", "link"}), str(r, {"content", "snippet"}), "searxng"};
    if (h.href.empty()) continue;
    out.hits.push_back(std::move(h));
  }
  return out;
}

SearchResponse parseBraveJson(std::string_view body, int maxResults) {
  SearchResponse out;
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    out.error = "Brave answered something that is not JSON";
    return out;
  }
  if (!j.contains("web") || !j["web"].is_object() || !j["web"].contains("results") || !j["web"]["results"].is_array())
    return out;  // no web results for this query
  for (const auto& r : j["web"]["results"]) {
    if (static_cast<int>(out.hits.size()) >= maxResults) break;
    if (!r.is_object()) continue;
    SearchHit h{str(r, {"title"}), str(r, {"url", "link"}), str(r, {"description", "snippet"}), "brave"};
    if (h.href.empty()) continue;
    out.hits.push_back(std::move(h));
  }
  return out;
}

SearchResponse parseDuckDuckGoHtml(std::string_view body, int maxResults) {
  SearchResponse out;
  auto html = ingest::htmlToMarkdown(body);
  std::set<std::string> seen;
  for (const auto& l : html.links) {
    if (static_cast<int>(out.hits.size()) >= maxResults) break;
    std::string href = l.href;
    if (auto pos = href.find("uddg="); pos != std::string::npos) {
      std::string enc = href.substr(pos + 5);
      enc = enc.substr(0, enc.find('&'));
      href = percentDecode(enc);
    } else if (startsWith(href, "//")) {
      href = "https:" + href;
    }
    auto p = parseHttpUrl(href);
    if (!p) continue;
    if (p->host == "duckduckgo.com" || endsWith(p->host, ".duckduckgo.com")) continue;
    if (p->path.find("/y.js") != std::string::npos) continue;  // ads
    std::string key = urlIdentityKey(href);
    if (key.empty() || !seen.insert(key).second) continue;
    out.hits.push_back({l.text, href, "", "duckduckgo"});
  }
  return out;
}

ProviderRegistry makeSearchProviders(const CrawlSettings& s, HttpGet http) {
  ProviderRegistry reg;
  for (const auto& m : s.searchMethods) {
    if (m == "searxng") {
      if (s.searxngUrl.empty())
        reg.problems.push_back("SEARCH__METHOD_NAME names searxng but SEARXNG__URL is not set");
      else
        reg.providers.push_back(std::make_unique<SearxngProvider>(s.searxngUrl, http));
    } else if (m == "brave") {
      if (s.braveApiKey.empty() || s.braveEndpoint.empty())
        reg.problems.push_back("SEARCH__METHOD_NAME names brave but BRAVE__API_KEY (or BRAVE__ENDPOINT) is not set");
      else
        reg.providers.push_back(std::make_unique<BraveProvider>(s.braveEndpoint, s.braveApiKey, http));
    } else if (m == "duckduckgo" || m == "ddg" || m == "ddgs") {
      reg.providers.push_back(std::make_unique<DuckDuckGoProvider>(s.duckduckgoUrl, http));
    } else {
      reg.problems.push_back("Unknown search method '" + m + "' in SEARCH__METHOD_NAME (use searxng, brave or duckduckgo)");
    }
  }
  return reg;
}

std::vector<std::string> buildQueries(const DiscoveryInput& in) {
  static const char* rest[] = {"{app} REST API documentation {version}", "{app} {version} REST API reference",
                               "{app} developer REST API docs {version}", "{app} OpenAPI swagger {version}",
                               "{app} API authentication docs {version}"};
  static const char* scim[] = {"{app} SCIM 2.0 documentation {version}", "{app} SCIM API reference {version}",
                               "{app} developer SCIM docs {version}", "{app} SCIM provisioning guide {version}",
                               "{app} SCIM /Users /Groups endpoints {version}"};
  std::vector<const char*> order;
  std::string type = toLower(in.integrationType);
  if (type == "rest") {
    for (auto t : rest) order.push_back(t);
    for (int i = 0; i < 3; ++i) order.push_back(scim[i]);
  } else if (type == "scim") {
    for (auto t : scim) order.push_back(t);
    for (int i = 0; i < 3; ++i) order.push_back(rest[i]);
  } else {
    for (int i = 0; i < 4; ++i) order.push_back(rest[i]);
    for (int i = 0; i < 4; ++i) order.push_back(scim[i]);
  }
  std::string version = isPlaceholderVersion(in.applicationVersion) ? "" : trim(in.applicationVersion);
  std::string app = trim(in.applicationName);
  std::vector<std::string> out;
  for (const char* t : order) {
    if (static_cast<int>(out.size()) >= in.numQueries) break;
    std::string q = t;
    for (auto [ph, val] : {std::pair<std::string, std::string>{"{app}", app}, {"{version}", version}}) {
      for (size_t pos; (pos = q.find(ph)) != std::string::npos;) q.replace(pos, ph.size(), val);
    }
    // Collapse the spaces a blank version leaves behind.
    std::string collapsed;
    for (char c : q)
      if (!(c == ' ' && (collapsed.empty() || collapsed.back() == ' '))) collapsed += c;
    q = trim(collapsed);
    if (std::find(out.begin(), out.end(), q) == out.end()) out.push_back(q);
  }
  return out;
}

std::vector<Candidate> selectCandidates(const DiscoveryInput& in,
                                        const std::vector<std::pair<std::string, std::vector<SearchHit>>>& perQuery,
                                        const std::vector<std::string>& forbiddenParts, CandidateReranker* reranker) {
  auto tokens = applicationTokens(in.applicationName);
  std::vector<Candidate> all;
  std::set<std::string> seen;
  for (const auto& [query, hits] : perQuery) {
    for (const auto& h : hits) {
      std::string href = trim(h.href);
      std::string key = urlIdentityKey(href);
      if (key.empty() || !seen.insert(key).second) continue;
      Candidate c;
      c.hit = h;
      c.hit.href = href;
      c.query = query;
      auto sc = scoreCandidate(href, h.title, tokens, in.integrationType, forbiddenParts);
      if (in.enableLinkFiltering && sc.dropped) continue;
      c.score = sc.score;
      c.reasons = sc.reasons;
      all.push_back(std::move(c));
    }
  }
  size_t limit = in.maxCandidateLinks > 0 ? static_cast<size_t>(in.maxCandidateLinks) : all.size();
  std::vector<Candidate> out;
  if (in.enableLinkRanking) {
    std::stable_sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    if (reranker) {
      std::vector<size_t> order = reranker->rerank(in, all);
      std::vector<bool> used(all.size(), false);
      std::vector<Candidate> re;
      for (size_t i : order)
        if (i < all.size() && !used[i]) used[i] = true, re.push_back(all[i]);
      for (size_t i = 0; i < all.size(); ++i)
        if (!used[i]) re.push_back(all[i]);
      all = std::move(re);
    }
    for (auto& c : all) {
      if (out.size() >= limit) break;
      out.push_back(std::move(c));
    }
    return out;
  }
  // Round-robin over queries in first-seen order.
  std::vector<std::string> queries;
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!groups.count(all[i].query)) queries.push_back(all[i].query);
    groups[all[i].query].push_back(i);
  }
  std::map<std::string, size_t> next;
  bool added = true;
  while (out.size() < limit && added) {
    added = false;
    for (const auto& q : queries) {
      if (out.size() >= limit) break;
      size_t& n = next[q];
      if (n < groups[q].size()) {
        out.push_back(all[groups[q][n++]]);
        added = true;
      }
    }
  }
  return out;
}

OrderedJson DiscoveryOutcome::toJson() const {
  OrderedJson links = OrderedJson::array(), enriched = OrderedJson::array();
  for (const auto& c : candidates) {
    links.push_back(c.hit.href);
    enriched.push_back(
        {{"title", c.hit.title}, {"href", c.hit.href}, {"body", c.hit.body}, {"source", c.hit.source}, {"query", c.query}});
  }
  return {{"candidateLinks", links}, {"candidateLinksEnriched", enriched}};
}

DiscoveryOutcome runDiscovery(const DiscoveryInput& in, ProviderRegistry& reg, const std::vector<std::string>& forbidden,
                              int delayMs, const std::function<void()>& checkCancelled, CandidateReranker* reranker) {
  DiscoveryOutcome out;
  if (reg.providers.empty()) {
    out.failed = true;
    out.failure = "No web search provider is configured: set SEARCH__METHOD_NAME to searxng (with SEARXNG__URL), "
                  "brave (with BRAVE__API_KEY) or duckduckgo.";
    for (const auto& p : reg.problems) out.failure += "\n" + p;
    return out;
  }
  out.notes = reg.problems;
  std::vector<std::pair<std::string, std::vector<SearchHit>>> perQuery;
  int succeeded = 0;
  std::vector<std::string> errors;
  for (const auto& q : buildQueries(in)) {
    if (checkCancelled) checkCancelled();
    if (out.queriesRun > 0 && delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
    out.queriesRun++;
    bool ok = false;
    for (auto& p : reg.providers) {
      SearchResponse r = p->search(q, std::max(1, in.maxResultsPerQuery));
      if (!r.error.empty()) {
        std::string msg = p->name() + " failed for query '" + q + "': " + r.error;
        errors.push_back(msg);
        out.notes.push_back(msg);
        continue;  // next provider
      }
      perQuery.emplace_back(q, std::move(r.hits));
      ok = true;
      break;
    }
    if (ok) succeeded++;
  }
  if (succeeded == 0) {
    out.failed = true;
    out.failure = "Every web search failed:";
    for (size_t i = 0; i < errors.size() && i < 10; ++i) out.failure += "\n" + errors[i];
    return out;
  }
  out.candidates = selectCandidates(in, perQuery, forbidden, reranker);
  return out;
}
}  // namespace cg::crawl
