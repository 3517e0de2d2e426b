#include "crawl/link_scoring.h"

#include <algorithm>
#include <cctype>

#include "util/strings.h"

namespace cg::crawl {
namespace {
std::vector<std::string> pathSegments(std::string_view path) {
  std::vector<std::string> out;
  for (auto& s : split(toLower(percentDecode(path)), '/', true)) out.push_back(s);
  return out;
}

bool containsAny(std::string_view haystack, std::initializer_list<const char*> needles) {
  for (const char* n : needles)
    if (haystack.find(n) != std::string_view::npos) return true;
  return false;
}

bool segmentIn(const std::vector<std::string>& segs, std::initializer_list<const char*> names) {
  for (const auto& s : segs)
    for (const char* n : names)
      if (s == n) return true;
  return false;
}
}  // namespace

std::optional<std::string> forbiddenPathPart(std::string_view path, const std::vector<std::string>& forbiddenParts) {
  for (const auto& seg : pathSegments(path)) {
    std::string stem = seg;
    if (auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
    for (const auto& part : forbiddenParts)
      if (!part.empty() && (seg == part || stem == part)) return part;
  }
  return std::nullopt;
}

bool isLocalizedPath(std::string_view path) {
  auto segs = pathSegments(path);
  if (segs.empty()) return false;
  std::string s = segs.front();
  std::replace(s.begin(), s.end(), '_', '-');
  static const char* langs[] = {"de", "fr", "es", "pt", "it", "nl", "pl", "ru", "tr", "ja", "jp", "zh", "ko", "sv",
                                "da", "fi", "no", "nb", "cs", "sk", "hu", "ro", "uk", "el", "he", "ar", "id",
                                "th", "vi", "cn", "tw", "kr", "br"};
  std::string lang = s.substr(0, s.find('-'));
  if (s.size() != 2 && !(s.size() >= 5 && s.size() <= 7 && s[2] == '-')) return false;
  return std::any_of(std::begin(langs), std::end(langs), [&](const char* l) { return lang == l; });
}

bool looksLikeSpecUrl(const UrlParts& url) {
  std::string path = toLower(percentDecode(url.path));
  std::string query = toLower(percentDecode(url.query));
  if (endsWith(path, "/v2/api-docs") || endsWith(path, "/v3/api-docs") || endsWith(path, "/api-docs") ||
      endsWith(path, "/openapi") || endsWith(path, "/swagger") )
    return true;
  bool dataFile = endsWith(path, ".json") || endsWith(path, ".yaml") || endsWith(path, ".yml");
  if (!dataFile) return query.find("format=openapi") != std::string::npos;
  std::string file = path.substr(path.rfind('/') + 1);
  return containsAny(path, {"openapi", "swagger", "api-docs", "apidocs", "scim", "spec", "schema", "resourcetype"}) ||
         file == "api.json" || file == "api.yaml" || file == "api.yml";
}

std::vector<std::string> applicationTokens(std::string_view applicationName) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    static const char* generic[] = {"api", "apis", "server", "cloud", "the", "and", "for", "rest", "scim", "app",
                                    "platform", "enterprise", "edition", "community", "inc", "ltd", "online"};
    bool isGeneric = std::any_of(std::begin(generic), std::end(generic), [&](const char* g) { return cur == g; });
    bool numeric = !cur.empty() && std::all_of(cur.begin(), cur.end(), ::isdigit);
    if (cur.size() >= 3 && !isGeneric && !numeric && std::find(out.begin(), out.end(), cur) == out.end())
      out.push_back(cur);
    cur.clear();
  };
  for (char c : applicationName) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else
      flush();
  }
  flush();
  // "Microsoft Entra ID" → also "microsoftentra"? Keep single tokens; joined name helps "keycloak-x".
  return out;
}

CandidateScore scoreCandidate(std::string_view url, std::string_view title, const std::vector<std::string>& appTokens,
                              std::string_view integrationType, const std::vector<std::string>& forbiddenParts) {
  CandidateScore s;
  auto parts = parseHttpUrl(url);
  if (!parts) {
    s.dropped = true;
    s.dropReason = "not an http(s) URL";
    return s;
  }
  std::string host = parts->host;
  std::string lowerUrl = toLower(percentDecode(std::string(url)));
  auto segs = pathSegments(parts->path);

  static const char* socialHosts[] = {"stackoverflow.com", "stackexchange.com", "reddit.com", "twitter.com", "x.com",
                                      "facebook.com", "linkedin.com", "youtube.com", "medium.com", "quora.com",
                                      "instagram.com", "tiktok.com", "pinterest.com"};
  for (const char* h : socialHosts) {
    std::string hs(h);
    if (host == hs || endsWith(host, "." + hs)) {
      s.dropped = true;
      s.dropReason = "social or Q&A site (" + hs + ")";
      return s;
    }
  }
  if (auto part = forbiddenPathPart(parts->path, forbiddenParts)) {
    s.dropped = true;
    s.dropReason = "path segment '" + *part + "'";
    return s;
  }
  if ((host == "github.com" || host == "gitlab.com" || host == "codeberg.org") &&
      segmentIn(segs, {"issues", "pull", "pulls", "commit", "commits", "merge_requests", "discussions"})) {
    s.dropped = true;
    s.dropReason = "single issue, pull request or commit";
    return s;
  }

  std::string site = siteKey(host);
  std::vector<std::string> siteLabels = split(site, '.', true);
  bool vendorSite = false, vendorHost = false;
  for (const auto& t : appTokens) {
    for (const auto& l : siteLabels)
      if (l == t || (l.size() > t.size() && l.find(t) != std::string::npos && !isSharedHostingDomain(host)))
        vendorSite = true;
    if (host.find(t) != std::string::npos) vendorHost = true;
  }
  if (vendorSite && !isSharedHostingDomain(site)) {
    s.score += 40;
    s.reasons.push_back("vendor domain");
  } else if (vendorHost) {
    s.score += 15;
    s.reasons.push_back("application name in host");
  }
  static const char* devPrefixes[] = {"developer.", "developers.", "dev.", "docs.", "doc.", "api.", "apidocs.",
                                      "documentation.", "reference."};
  std::string h = stripWww(host);
  if (std::any_of(std::begin(devPrefixes), std::end(devPrefixes), [&](const char* p) { return startsWith(h, p); })) {
    s.score += 20;
    s.reasons.push_back("developer/docs host");
  }
  if (looksLikeSpecUrl(*parts)) {
    s.score += 30;
    s.reasons.push_back("spec file");
  }
  if (containsAny(lowerUrl, {"openapi", "swagger"})) {
    s.score += 15;
    s.reasons.push_back("openapi/swagger");
  }
  if (lowerUrl.find("scim") != std::string::npos) {
    s.score += toLower(integrationType) == "scim" ? 25 : 15;
    s.reasons.push_back("scim");
  }
  std::string path = toLower(percentDecode(parts->path));
  if (containsAny(path, {"api-reference", "apireference", "rest-api", "restapi", "api-docs", "apidocs"}) ||
      segmentIn(segs, {"api", "apis", "reference", "references", "api-reference"})) {
    s.score += 15;
    s.reasons.push_back("API reference path");
  }
  if (segmentIn(segs, {"docs", "doc", "documentation", "developer", "developers", "guide", "guides", "dev"})) {
    s.score += 10;
    s.reasons.push_back("docs path");
  }
  if (toLower(title).find("api") != std::string::npos) {
    s.score += 5;
    s.reasons.push_back("API in title");
  }
  if (parts->scheme == "https") s.score += 5;
  if (isLocalizedPath(parts->path)) {
    s.score -= 15;
    s.reasons.push_back("localized path");
  }
  if (segs.size() > 4) s.score -= static_cast<int>(segs.size() - 4);
  return s;
}

int crawlLinkPriority(const UrlParts& url, std::string_view anchorText) {
  int score = 0;
  std::string path = toLower(percentDecode(url.path)) + " " + toLower(anchorText);
  auto segs = pathSegments(url.path);
  if (looksLikeSpecUrl(url)) score += 40;
  if (containsAny(path, {"api-reference", "reference", "rest-api", "endpoint", "resources", "api "}) ||
      segmentIn(segs, {"api", "apis", "rest"}))
    score += 15;
  if (containsAny(path, {"openapi", "swagger", "scim", "schema"})) score += 15;
  if (containsAny(path, {"docs", "documentation", "guide", "developer", "authentication", "auth"})) score += 5;
  if (isLocalizedPath(url.path)) score -= 15;
  score -= static_cast<int>(segs.size());
  return score;
}
}  // namespace cg::crawl
