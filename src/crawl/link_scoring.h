// Deterministic link rules shared by discovery (ranking search results) and the crawler (which
// links to follow first, which never). Pure; never throws.
//
// Drop rules (a link is never followed / never a candidate):
//   * a path segment (or a segment's name before its extension) equals a forbidden part
//     (CrawlSettings::forbiddenUrlParts: login, pricing, blog, forum, changelog, …) — segment
//     equality, never a substring of the host or of another word, so "/api/contacts" survives;
//   * discovery only: social / Q&A / video hosts (stackoverflow, reddit, x/twitter, facebook,
//     linkedin, youtube, medium, quora) and code-hosting pages of single issues, pull requests
//     and commits.
// Candidate score (discovery; higher first, ties keep search order):
//   +40 an application-name token is a label of the host's site key (forgejo.org for "Forgejo")
//   +15 an application-name token appears elsewhere in the host
//   +20 host starts with developer(s)./dev./docs./doc./api./apidocs./documentation./reference.
//   +30 the URL is a spec file (openapi/swagger/scim .json/.yaml, /v2|v3/api-docs, swagger.json)
//   +15 "openapi" or "swagger" in the URL;  +15 "scim" in the URL (+10 more for integrationType SCIM)
//   +15 an API-reference path (api-reference, reference, rest-api, api-docs, /api/, apis)
//   +10 a docs path segment (docs, doc, documentation, developer, developers, guide, guides)
//   +5  "api" in the title;  +5 https
//   -15 a localized path prefix other than English (/de/, /fr-fr/, /ja/, …)
//   -1 per path segment beyond 4
// Crawl priority (within one depth): +40 spec file, +15 API-reference terms in the path or the
// anchor text, +15 openapi/swagger/scim terms, +5 docs terms, -15 localized, -1 per segment.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crawl/crawl_url.h"

namespace cg::crawl {

// The forbidden part a URL's path contains as a segment, if any.
std::optional<std::string> forbiddenPathPart(std::string_view path, const std::vector<std::string>& forbiddenParts);
// True when the first path segment is a non-English locale ("de", "fr-fr", "pt_BR", "zh-hans"…).
bool isLocalizedPath(std::string_view path);
// True when the URL looks like an OpenAPI/Swagger/SCIM document rather than a page.
bool looksLikeSpecUrl(const UrlParts& url);
// Lower-case alphanumeric tokens of an application name, without generic words ("api", "server").
std::vector<std::string> applicationTokens(std::string_view applicationName);

struct CandidateScore {
  int score = 0;
  bool dropped = false;
  std::string dropReason;
  std::vector<std::string> reasons;
};

CandidateScore scoreCandidate(std::string_view url, std::string_view title, const std::vector<std::string>& appTokens,
                              std::string_view integrationType, const std::vector<std::string>& forbiddenParts);

int crawlLinkPriority(const UrlParts& url, std::string_view anchorText);

}  // namespace cg::crawl
