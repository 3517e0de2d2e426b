#include "crawl/crawl_settings.h"

#include <cstdlib>

#include "util/json.h"
#include "util/strings.h"

namespace cg::crawl {
namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

template <typename T>
void readNumber(const char* name, T& target, CrawlSettings& s, T minValue) {
  std::string v = trim(env(name));
  if (v.empty()) return;
  try {
    size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used != v.size() || n < static_cast<long long>(minValue)) throw std::invalid_argument("range");
    target = static_cast<T>(n);
  } catch (const std::exception&) {
    s.warnings.push_back(std::string(name) + "=" + v + " is not a valid number (>= " + std::to_string(minValue) +
                         "); using " + std::to_string(target));
  }
}

void readBool(const char* name, bool& target, CrawlSettings& s) {
  std::string v = toLower(trim(env(name)));
  if (v.empty()) return;
  if (v == "1" || v == "true" || v == "yes" || v == "on")
    target = true;
  else if (v == "0" || v == "false" || v == "no" || v == "off")
    target = false;
  else
    s.warnings.push_back(std::string(name) + "=" + v + " is not a boolean");
}

// "a,b" or a JSON array ["a","b"] (the reference's list syntax).
std::vector<std::string> readList(const std::string& raw) {
  std::vector<std::string> out;
  std::string t = trim(raw);
  if (t.empty()) return out;
  if (t.front() == '[') {
    try {
      Json j = Json::parse(t);
      for (auto& e : j)
        if (e.is_string() && !trim(e.get<std::string>()).empty()) out.push_back(trim(e.get<std::string>()));
      return out;
    } catch (const std::exception&) {
    }
  }
  for (auto& p : split(t, ',', true))
    if (!trim(p).empty()) out.push_back(trim(p));
  return out;
}
}  // namespace

std::vector<std::string> defaultForbiddenUrlParts() {
  // Path segments of pages that never document an API. Deliberately without language codes and
  // words like "internal" or "about" that also name API resources (the reference's false drops).
  return {"logout", "login", "signin", "sign-in", "signup", "sign-up", "register", "subscribe", "pricing",
          "plans",  "terms", "privacy", "legal",  "careers", "jobs",   "blog",     "news",      "forum",
          "forums", "community", "events", "webinars", "press", "release-notes", "changelog", "cart", "checkout",
          "cookie-policy", "index-all.html", "allclasses-index.html", "allpackages-index.html",
          "deprecated-list.html", "help-doc.html"};
}

CrawlSettings CrawlSettings::defaults(const std::string& productVersion) {
  CrawlSettings s;
  s.userAgent = "connector-gen/" + (productVersion.empty() ? std::string("0") : productVersion) +
                " (+documentation crawler)";
  s.forbiddenUrlParts = defaultForbiddenUrlParts();
  return s;
}

CrawlSettings CrawlSettings::fromEnvironment(const std::string& productVersion) {
  CrawlSettings s = defaults(productVersion);
  for (auto& m : readList(env("SEARCH__METHOD_NAME"))) s.searchMethods.push_back(toLower(m));
  s.searxngUrl = trim(env("SEARXNG__URL"));
  s.braveApiKey = trim(env("BRAVE__API_KEY"));
  if (auto v = trim(env("BRAVE__ENDPOINT")); !v.empty()) s.braveEndpoint = v;
  if (auto v = trim(env("DUCKDUCKGO__URL")); !v.empty()) s.duckduckgoUrl = v;
  readNumber("SEARCH__CACHE_SECONDS", s.searchCacheSeconds, s, int64_t{0});
  readNumber("SEARCH__TIMEOUT_SECONDS", s.searchTimeoutSeconds, s, 1);
  readNumber("SEARCH__DELAY_MILLISECONDS", s.searchDelayMilliseconds, s, 0);

  s.allowedHosts = env("SCRAPE_AND_PROCESS__ALLOWED_HOSTS");
  readNumber("SCRAPE_AND_PROCESS__MAX_PAGES", s.maxPages, s, 1);
  // The reference's iteration count (starter links = iteration 1) maps to depth = iterations - 1;
  // an explicit MAX_DEPTH wins.
  int iterations = s.maxDepth + 1;
  readNumber("SCRAPE_AND_PROCESS__MAX_SCRAPER_ITERATIONS", iterations, s, 1);
  s.maxDepth = iterations - 1;
  readNumber("SCRAPE_AND_PROCESS__MAX_DEPTH", s.maxDepth, s, 0);
  readNumber("SCRAPE_AND_PROCESS__MAX_BYTES", s.maxBytes, s, uint64_t{1024});
  readNumber("SCRAPE_AND_PROCESS__MAX_PAGE_BYTES", s.maxPageBytes, s, uint64_t{1024});
  readNumber("SCRAPE_AND_PROCESS__MAX_LINKS_PER_DOCUMENTATION", s.maxLinksPerPage, s, 0);
  readNumber("SCRAPE_AND_PROCESS__MAX_URL_LENGTH", s.maxUrlLength, s, size_t{64});
  readNumber("SCRAPE_AND_PROCESS__MAX_REDIRECTS", s.maxRedirects, s, 0);
  if (auto raw = env("SCRAPE_AND_PROCESS__FORBIDDEN_URL_PARTS"); !trim(raw).empty()) {
    s.forbiddenUrlParts.clear();
    for (auto& p : readList(raw)) s.forbiddenUrlParts.push_back(toLower(p));
  }
  readNumber("SCRAPE__PER_HOST_CONCURRENCY", s.perHostConcurrency, s, 1);
  readNumber("SCRAPE__CONCURRENCY", s.globalConcurrency, s, 1);
  readNumber("SCRAPE__PER_HOST_DELAY_MILLISECONDS", s.perHostDelayMilliseconds, s, 0);
  readNumber("SCRAPE__MAX_CRAWL_DELAY_SECONDS", s.maxCrawlDelaySeconds, s, 0);
  readNumber("SCRAPE__CONNECT_TIMEOUT_SECONDS", s.connectTimeoutSeconds, s, 1);
  readNumber("SCRAPE__REQUEST_TIMEOUT_SECONDS", s.requestTimeoutSeconds, s, 1);
  readNumber("SCRAPE__JOB_TIMEOUT_SECONDS", s.jobTimeoutSeconds, s, 1);
  readBool("SCRAPE__RESPECT_ROBOTS", s.respectRobots, s);
  if (auto v = trim(env("SCRAPE__USER_AGENT")); !v.empty()) s.userAgent = v;
  readBool("SCRAPE__RENDER_JS", s.renderJs, s);
  if (auto v = trim(env("SCRAPE__CHROMIUM_PATH")); !v.empty()) s.chromiumPath = v;
  readNumber("SCRAPE__RENDER_TIMEOUT_SECONDS", s.renderTimeoutSeconds, s, 1);
  return s;
}
}  // namespace cg::crawl
