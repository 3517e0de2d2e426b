// Web search for discovery: providers (SearXNG JSON API, Brave Search API, DuckDuckGo HTML) in a
// registry selected by SEARCH__METHOD_NAME, plus the pure parts of discovery — query templates,
// de-duplication and deterministic ranking (link_scoring.h) — and a re-rank hook for an LLM.
//
// Contract: providers never throw; a failed search returns `error` (HTTP status, network error,
// malformed answer) and no hits. Provider endpoints are operator configuration and are trusted
// (not subject to the crawler's SSRF guard), but only http(s) is used and the Brave key is never
// sent to another host after a redirect. `runDiscovery` fails (DiscoveryOutcome::failure) when no
// provider is configured or every search of every query failed — never a silent empty result.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crawl/crawl_settings.h"
#include "crawl/fetcher.h"
#include "util/json.h"

namespace cg::crawl {

struct SearchHit {
  std::string title;
  std::string href;
  std::string body;
  std::string source;  // provider name, or "searxng:<engine>" when SearXNG names the engine
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  std::string error;
};

class SearchProvider {
 public:
  virtual ~SearchProvider() = default;
  virtual std::string name() const = 0;
  virtual SearchResponse search(const std::string& query, int maxResults) = 0;
};

// Sends one HTTP request (tests and providers share it). Default: a Fetcher with trusted requests.
using HttpGet = std::function<FetchResult(const std::string& url, const std::vector<std::string>& headers)>;
HttpGet defaultHttpGet(const CrawlSettings& settings);

// Parsers of the providers' answers (pure, exposed for tests and fuzzing).
SearchResponse parseSearxngJson(std::string_view body, int maxResults);
SearchResponse parseBraveJson(std::string_view body, int maxResults);
SearchResponse parseDuckDuckGoHtml(std::string_view body, int maxResults);

struct ProviderRegistry {
  std::vector<std::unique_ptr<SearchProvider>> providers;
  std::vector<std::string> problems;  // unknown names, missing URLs/keys
};
// Builds the providers named by settings.searchMethods, in order ("ddgs" is DuckDuckGo).
ProviderRegistry makeSearchProviders(const CrawlSettings& settings, HttpGet http);

struct DiscoveryInput {
  std::string applicationName;
  std::string applicationVersion = "latest";
  std::string integrationType = "DUMMY";  // REST | SCIM | DUMMY
  int numQueries = 8;
  int maxResultsPerQuery = 10;
  int maxCandidateLinks = 10;
  bool enableLinkFiltering = true;
  bool enableLinkRanking = true;
};

// Query templates (reference order: REST first for REST, SCIM first for SCIM, 4+4 for DUMMY).
// Placeholder versions ("latest", "current", "" …) are left out of the query text.
std::vector<std::string> buildQueries(const DiscoveryInput& input);

struct Candidate {
  SearchHit hit;
  std::string query;
  int score = 0;
  std::vector<std::string> reasons;
};

// Optional re-ranking (e.g. by an LLM): returns candidate indexes in the new order (missing ones
// are appended in their current order; unknown indexes ignored).
class CandidateReranker {
 public:
  virtual ~CandidateReranker() = default;
  virtual std::vector<size_t> rerank(const DiscoveryInput& input, const std::vector<Candidate>& candidates) = 0;
};

// De-duplicates (urlIdentityKey, first occurrence wins), filters and ranks hits collected per query.
// Filtering on: drop rules of link_scoring.h. Ranking on: score descending, ties by first
// appearance; ranking off: round-robin over queries (the reference's selection).
// maxCandidateLinks <= 0: no limit.
std::vector<Candidate> selectCandidates(const DiscoveryInput& input,
                                        const std::vector<std::pair<std::string, std::vector<SearchHit>>>& perQuery,
                                        const std::vector<std::string>& forbiddenParts,
                                        CandidateReranker* reranker = nullptr);

struct DiscoveryOutcome {
  bool failed = false;
  std::string failure;            // job error when failed
  std::vector<std::string> notes; // non-fatal (one provider failed, …)
  std::vector<Candidate> candidates;
  int queriesRun = 0;
  OrderedJson toJson() const;     // {"candidateLinks": [...], "candidateLinksEnriched": [...]}
};

DiscoveryOutcome runDiscovery(const DiscoveryInput& input, ProviderRegistry& registry,
                              const std::vector<std::string>& forbiddenParts, int delayMillisecondsBetweenQueries,
                              const std::function<void()>& checkCancelled = {}, CandidateReranker* reranker = nullptr);

}  // namespace cg::crawl
