#include "crawl/crawler.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>
#include <unordered_set>

#include "crawl/fetcher.h"
#include "crawl/link_scoring.h"
#include "crawl/robots.h"
#include "ingest/detect.h"
#include "ingest/extract_html.h"
#include "util/strings.h"

extern char** environ;

namespace cg::crawl {
namespace {
using Clock = std::chrono::steady_clock;
constexpr uint64_t kRobotsTagBit = 1ull << 63;
constexpr int kMaxNotes = 200;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

struct Entry {
  std::string url;  // normalised
  int depth = 0;
  int priority = 0;
  uint64_t seq = 0;
  int redirects = 0;
  bool starter = false;
  bool specHint = false;  // configured in a viewer page / looks like a spec
  bool retried = false;
  std::string requestedUrl;
};

struct EntryOrder {
  bool operator()(const Entry& a, const Entry& b) const {
    if (a.depth != b.depth) return a.depth < b.depth;
    if (a.priority != b.priority) return a.priority > b.priority;
    return a.seq < b.seq;
  }
};

enum class RobotsState { Unknown, Pending, Ready };

struct HostState {
  RobotsState robots = RobotsState::Unknown;
  RobotsRules rules;
  std::string scheme;  // of the first URL seen (robots.txt is fetched with it)
  int active = 0;
  int64_t nextAllowedMs = 0;
  int64_t delayMs = 0;
  int concurrency = 1;
  std::set<Entry, EntryOrder> queue;
};

struct SitePrefix {
  std::string host;  // without www.
  std::string prefix;
};

bool hasDocSegment(std::string_view path) {
  for (auto& s : split(toLower(percentDecode(path)), '/', true))
    for (const char* n : {"api", "apis", "docs", "doc", "documentation", "developer", "developers", "reference",
                          "openapi", "swagger", "scim", "redoc", "rest", "api-reference", "api-docs"})
      if (s == n) return true;
  return false;
}

std::string docPrefix(const std::string& path) {
  auto segs = split(path, '/', true);
  if (segs.size() < 2) return "/";
  return "/" + segs.front() + "/";
}

std::string pathAndQuery(const UrlParts& p) { return p.query.empty() ? p.path : p.path + "?" + p.query; }

std::string visibleText(const std::string& markdown) {
  std::string out;
  for (char c : markdown)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '#' && c != '*' && c != '-' && c != '|') out += c;
  return out;
}

class Crawler {
 public:
  Crawler(const CrawlSettings& s, const CrawlRequestLimits& l, const UrlGuard& guard, CrawlEvents& ev)
      : s_(s), guard_(guard), ev_(ev),
        fetcher_(FetcherOptions{s.userAgent, s.connectTimeoutSeconds, s.requestTimeoutSeconds, 15,
                                static_cast<long>(std::max(4, s.globalConcurrency * 2))},
                 &guard) {
    maxPages_ = l.maxPages > 0 ? l.maxPages : s.maxPages;
    maxDepth_ = l.maxDepth >= 0 ? l.maxDepth : s.maxDepth;
    maxBytes_ = l.maxBytes > 0 ? l.maxBytes : s.maxBytes;
  }

  CrawlSummary run(const std::vector<std::string>& starters) {
    start_ = nowMs();
    for (const auto& raw : starters) addStarter(raw);
    reportProgress(true);
    while (true) {
      if (ev_.checkCancelled) ev_.checkCancelled();
      if (!limitHit() && nowMs() - start_ > static_cast<int64_t>(s_.jobTimeoutSeconds) * 1000) {
        sum_.limitReached = "jobTimeout";
        note("The crawl stopped after " + std::to_string(s_.jobTimeoutSeconds) + " s (SCRAPE__JOB_TIMEOUT_SECONDS).");
      }
      int64_t waitMs = schedule();
      if (fetcher_.inFlight() == 0) {
        if (limitHit() || frontierEmpty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp<int64_t>(waitMs, 1, 200)));
        continue;
      }
      for (auto& r : fetcher_.wait(static_cast<int>(std::clamp<int64_t>(waitMs, 1, 100)))) handle(std::move(r));
      reportProgress(false);
    }
    if (sum_.limitReached.empty() && depthLimitHit_) sum_.limitReached = "maxDepth";
    sum_.finishReason = sum_.limitReached.empty() ? "no-more-links" : "max-iterations-reached";
    sum_.seconds = static_cast<double>(nowMs() - start_) / 1000.0;
    sum_.completedLevels = maxDepth_ + 1;
    if (ev_.onProgress) ev_.onProgress(sum_.limitReached.empty() ? lastLevel_ : maxDepth_ + 1, maxDepth_ + 1);
    if (sum_.notesSuppressed > 0)
      if (ev_.onNote) ev_.onNote(std::to_string(sum_.notesSuppressed) + " further crawl notes were not recorded.");
    return sum_;
  }

 private:
  bool limitHit() const { return !sum_.limitReached.empty(); }

  void note(const std::string& msg) {
    if (notes_ >= kMaxNotes) {
      sum_.notesSuppressed++;
      return;
    }
    notes_++;
    if (ev_.onNote) ev_.onNote(msg);
  }

  bool frontierEmpty() const {
    for (auto& [_, h] : hosts_)
      if (!h.queue.empty()) return false;
    return true;
  }

  void addStarter(const std::string& raw) {
    auto d = guard_.checkSyntax(raw);
    if (!d.allowed) {
      sum_.refused++;
      note("Starter link refused: " + trim(raw).substr(0, 300) + ": " + d.reason);
      return;
    }
    auto n = normalizeUrl(raw);
    if (!n) return;
    auto p = parseHttpUrl(*n);
    scope_.push_back({stripWww(p->host), docPrefix(p->path)});
    Entry e;
    e.url = *n;
    e.requestedUrl = trim(raw);
    e.depth = 0;
    e.priority = 1000;
    e.starter = true;
    e.specHint = looksLikeSpecUrl(*p);
    enqueue(std::move(e), *p);
  }

  bool inScope(const UrlParts& p, bool specHint, bool configuredSpec) const {
    if (configuredSpec) return true;
    std::string host = stripWww(p.host);
    for (const auto& sp : scope_) {
      if (sp.host == host) {
        if (startsWith(p.path, sp.prefix) || sp.prefix == "/") return true;
        if (specHint || hasDocSegment(p.path)) return true;
      }
    }
    if (specHint && !isSharedHostingDomain(p.host)) {
      std::string site = siteKey(p.host);
      for (const auto& sp : scope_)
        if (!isSharedHostingDomain(sp.host) && siteKey(sp.host) == site) return true;
    }
    return false;
  }

  bool enqueue(Entry e, const UrlParts& p) {
    std::string key = urlIdentityKey(e.url);
    if (key.empty() || !seen_.insert(key).second) return false;
    e.seq = seq_++;
    HostState& h = hosts_[hostKey(p)];
    if (h.scheme.empty()) {
      h.scheme = p.scheme;
      h.concurrency = std::max(1, s_.perHostConcurrency);
      h.delayMs = s_.perHostDelayMilliseconds;
    }
    h.queue.insert(std::move(e));
    return true;
  }

  // Follows one link found on a page at `depth`.
  void addLink(const std::string& pageUrl, const std::string& href, const std::string& anchor, int depth,
               bool configuredSpec) {
    auto abs = resolveLink(pageUrl, href);
    if (!abs) return;
    if (abs->size() > s_.maxUrlLength) return;
    auto n = normalizeUrl(*abs);
    if (!n) return;
    auto p = parseHttpUrl(*n);
    if (!p || p->hasUserInfo) return;
    bool spec = configuredSpec || looksLikeSpecUrl(*p);
    if (!inScope(*p, spec, configuredSpec)) return;
    if (!configuredSpec && (forbiddenPathPart(p->path, s_.forbiddenUrlParts) || isLocalizedPath(p->path))) return;
    if (depth > maxDepth_) {
      if (!seen_.count(urlIdentityKey(*n))) depthLimitHit_ = true;
      return;
    }
    Entry e;
    e.url = *n;
    e.requestedUrl = *n;
    e.depth = depth;
    e.priority = crawlLinkPriority(*p, anchor) + (configuredSpec ? 100 : 0);
    e.specHint = spec;
    enqueue(std::move(e), *p);
  }

  // Starts whatever may start now; returns ms until something might become ready.
  int64_t schedule() {
    int64_t wait = 100;
    if (limitHit()) return wait;
    int global = std::max(1, s_.globalConcurrency);
    while (static_cast<int>(fetcher_.inFlight()) < global) {
      if (pagesStarted_ >= maxPages_ || sum_.bytes >= maxBytes_) break;
      int64_t now = nowMs();
      HostState* best = nullptr;
      std::string bestKey;
      for (auto& [key, h] : hosts_) {
        if (h.queue.empty()) continue;
        if (s_.respectRobots && h.robots == RobotsState::Unknown) {
          startRobots(key, h);
          continue;
        }
        if (s_.respectRobots && h.robots == RobotsState::Pending) continue;
        if (h.active >= h.concurrency) continue;
        if (now < h.nextAllowedMs) {
          wait = std::min(wait, h.nextAllowedMs - now);
          continue;
        }
        if (!best || EntryOrder{}(*h.queue.begin(), *best->queue.begin())) {
          best = &h;
          bestKey = key;
        }
      }
      if (!best) break;
      Entry e = *best->queue.begin();
      best->queue.erase(best->queue.begin());
      auto p = parseHttpUrl(e.url);
      if (s_.respectRobots && !best->rules.allowed(pathAndQuery(*p))) {
        sum_.robotsDenied++;
        note("robots.txt disallows " + e.url.substr(0, 300));
        continue;
      }
      best->active++;
      best->nextAllowedMs = now + best->delayMs;
      pagesStarted_++;
      sum_.requests++;
      FetchRequest r;
      r.url = e.url;
      r.tag = nextTag_++;
      r.maxBytes = std::min<uint64_t>(s_.maxPageBytes, maxBytes_ - std::min(maxBytes_, sum_.bytes) + 1);
      r.maxRedirects = 0;
      pending_.emplace(r.tag, std::make_pair(bestKey, std::move(e)));
      fetcher_.submit(std::move(r));
    }
    if (!limitHit()) {
      if (pagesStarted_ >= maxPages_ && fetcher_.inFlight() == 0) sum_.limitReached = "maxPages";
      if (sum_.bytes >= maxBytes_ && fetcher_.inFlight() == 0) sum_.limitReached = "maxBytes";
      if (!sum_.limitReached.empty() && frontierEmpty()) {
        // Hitting a cap exactly when the frontier ran dry is not a truncated crawl.
        sum_.limitReached.clear();
      }
    }
    return wait;
  }

  void startRobots(const std::string& key, HostState& h) {
    h.robots = RobotsState::Pending;
    FetchRequest r;
    r.url = h.scheme + "://" + key + "/robots.txt";
    r.tag = kRobotsTagBit | nextTag_++;
    r.maxBytes = 512 * 1024;
    r.maxRedirects = 5;
    r.accept = "text/plain,*/*;q=0.5";
    robotsPending_[r.tag] = key;
    fetcher_.submit(std::move(r));
  }

  void handleRobots(const FetchResult& r) {
    auto it = robotsPending_.find(r.tag);
    if (it == robotsPending_.end()) return;
    HostState& h = hosts_[it->second];
    std::string key = it->second;
    robotsPending_.erase(it);
    h.robots = RobotsState::Ready;
    h.concurrency = std::max(1, s_.perHostConcurrency);
    h.delayMs = s_.perHostDelayMilliseconds;
    if (r.refused || (!r.error.empty() && r.status == 0)) {
      h.rules = RobotsRules::allowAll();  // the page fetches report the refusal / network error themselves
    } else if (r.status >= 200 && r.status < 300) {
      h.rules = parseRobots(r.body, CrawlSettings::kProductToken);
      if (auto d = h.rules.crawlDelaySeconds()) {
        double capped = std::min<double>(*d, s_.maxCrawlDelaySeconds);
        h.delayMs = std::max<int64_t>(h.delayMs, static_cast<int64_t>(std::llround(capped * 1000)));
        h.concurrency = 1;
      }
    } else if (r.status >= 500) {
      h.rules = RobotsRules::disallowAll();
      note("robots.txt of " + key + " answered " + std::to_string(r.status) + "; nothing is fetched from that host");
    } else {
      h.rules = RobotsRules::allowAll();  // 4xx: no robots.txt
    }
  }

  void handle(FetchResult r) {
    if (r.tag & kRobotsTagBit) return handleRobots(r);
    auto it = pending_.find(r.tag);
    if (it == pending_.end()) return;
    std::string hostKeyStr = it->second.first;
    Entry e = std::move(it->second.second);
    pending_.erase(it);
    HostState& h = hosts_[hostKeyStr];
    h.active = std::max(0, h.active - 1);
    sum_.bytes += r.body.size();
    if (sum_.bytes >= maxBytes_ && sum_.limitReached.empty()) {
      sum_.limitReached = "maxBytes";
      note("The crawl reached its byte limit (" + std::to_string(maxBytes_) + " bytes).");
    }

    if (r.refused) {
      sum_.refused++;
      note(r.error);
      return;
    }
    if (!r.error.empty()) {
      sum_.failed++;
      note("Fetching " + e.url.substr(0, 300) + " failed: " + r.error);
      return;
    }
    if (r.isRedirect()) return followRedirect(e, *r.location);
    if ((r.status == 429 || r.status == 503) && !e.retried) {
      int after = std::min(30, r.retryAfterSeconds.value_or(5));
      h.nextAllowedMs = std::max(h.nextAllowedMs, nowMs() + after * 1000);
      e.retried = true;
      pagesStarted_--;
      h.queue.insert(std::move(e));
      return;
    }
    if (r.status < 200 || r.status >= 300) {
      sum_.failed++;
      note("Broken link " + e.url.substr(0, 300) + " (HTTP " + std::to_string(r.status) + ")");
      return;
    }
    process(e, r);
  }

  void followRedirect(const Entry& from, const std::string& location) {
    if (from.redirects >= s_.maxRedirects) {
      sum_.failed++;
      note("Too many redirects from " + from.requestedUrl.substr(0, 300));
      return;
    }
    auto n = normalizeUrl(location);
    if (!n) {
      sum_.refused++;
      note("Redirect from " + from.url.substr(0, 300) + " to a non-http(s) target refused: " + location.substr(0, 200));
      return;
    }
    auto d = guard_.checkSyntax(*n);
    if (!d.allowed) {
      sum_.refused++;
      note("Redirect from " + from.url.substr(0, 300) + " refused: " + d.reason);
      return;
    }
    auto p = parseHttpUrl(*n);
    if (from.starter) {
      bool known = std::any_of(scope_.begin(), scope_.end(), [&](const SitePrefix& s) { return s.host == stripWww(p->host); });
      if (!known) scope_.push_back({stripWww(p->host), docPrefix(p->path)});
    } else if (!inScope(*p, from.specHint, false)) {
      note("Redirect from " + from.url.substr(0, 300) + " leaves the crawl scope: " + n->substr(0, 300));
      return;
    }
    Entry e = from;
    e.url = *n;
    e.redirects = from.redirects + 1;
    e.priority = from.priority + 1;
    e.retried = false;
    if (!enqueue(std::move(e), *p)) {
      // Already seen: an alias of a page we have (or a loop).
      if (urlIdentityKey(*n) == urlIdentityKey(from.requestedUrl) || from.redirects > 0)
        note("Redirect loop or repeated target at " + n->substr(0, 300));
    }
  }

  void process(const Entry& e, FetchResult& r) {
    auto kind = classifyResponse(r.finalUrl, r.contentType, r.body);
    if (!kind) {
      note("Skipped " + e.url.substr(0, 300) + ": content type '" + mediaType(r.contentType) + "' is not documentation");
      return;
    }
    CrawledPage page;
    page.url = e.url;
    page.requestedUrl = e.requestedUrl;
    page.depth = e.depth;
    page.contentType = r.contentType;
    page.kind = *kind;
    page.body = std::move(r.body);
    sum_.pagesProcessed++;
    if (page.kind == PageKind::Spec) sum_.specsFound++;
    if (page.kind != PageKind::Html) {
      if (ev_.onPage) ev_.onPage(page);
      return;
    }
    ingest::HtmlConversion html = ingest::htmlToMarkdown(page.body);
    if (visibleText(html.markdown).size() < 20) {
      bool hasScript = toLower(page.body.substr(0, 1 << 20)).find("<script") != std::string::npos;
      if (hasScript) renderIfPossible(page, html);
    }
    if (ev_.onPage) ev_.onPage(page);
    std::string base = e.url;
    if (!html.baseHref.empty())
      if (auto b = resolveLink(e.url, html.baseHref)) base = *b;
    for (const auto& spec : html.specUrls) addLink(base, spec, "", e.depth + 1 <= maxDepth_ ? e.depth + 1 : e.depth, true);
    size_t taken = 0;
    size_t limit = s_.maxLinksPerPage > 0 ? static_cast<size_t>(s_.maxLinksPerPage) : html.links.size();
    if (html.links.size() > limit)
      note("Page " + e.url.substr(0, 300) + " has " + std::to_string(html.links.size()) + " links; the first " +
           std::to_string(limit) + " are considered");
    for (const auto& l : html.links) {
      if (taken++ >= limit) break;
      addLink(base, l.href, l.text, e.depth + 1, false);
    }
  }

  void renderIfPossible(CrawledPage& page, ingest::HtmlConversion& html) {
    if (!s_.renderJs) {
      note("Page " + page.url.substr(0, 300) +
           " has no text without JavaScript; rendering is disabled (SCRAPE__RENDER_JS=false)");
      return;
    }
    if (access(s_.chromiumPath.c_str(), X_OK) != 0) {
      note("Page " + page.url.substr(0, 300) + " needs JavaScript but Chromium is not installed at " + s_.chromiumPath +
           "; stored without rendering");
      return;
    }
    auto d = guard_.check(page.url);
    if (!d.allowed || !d.pinnedAddress) return;
    std::string error;
    auto dom = renderWithChromium(s_.chromiumPath, page.url, d.url.host, d.pinnedAddress->toString(), s_.userAgent,
                                  s_.renderTimeoutSeconds, s_.maxPageBytes, error);
    if (!dom) {
      note("Rendering " + page.url.substr(0, 300) + " failed: " + error);
      return;
    }
    page.body = std::move(*dom);
    page.rendered = true;
    html = ingest::htmlToMarkdown(page.body);
  }

  void reportProgress(bool force) {
    int minDepth = maxDepth_ + 1;
    for (auto& [_, h] : hosts_)
      if (!h.queue.empty()) minDepth = std::min(minDepth, h.queue.begin()->depth);
    for (auto& [_, pe] : pending_) minDepth = std::min(minDepth, pe.second.depth);
    if (force || minDepth != lastLevel_) {
      lastLevel_ = minDepth;
      if (ev_.onProgress) ev_.onProgress(std::min(minDepth, maxDepth_ + 1), maxDepth_ + 1);
    }
  }

  const CrawlSettings& s_;
  const UrlGuard& guard_;
  CrawlEvents& ev_;
  Fetcher fetcher_;
  int maxPages_ = 0;
  int maxDepth_ = 0;
  uint64_t maxBytes_ = 0;
  int64_t start_ = 0;
  std::vector<SitePrefix> scope_;
  std::unordered_set<std::string> seen_;
  std::map<std::string, HostState> hosts_;
  std::map<uint64_t, std::pair<std::string, Entry>> pending_;
  std::map<uint64_t, std::string> robotsPending_;
  uint64_t seq_ = 0;
  uint64_t nextTag_ = 1;
  int pagesStarted_ = 0;
  int notes_ = 0;
  int lastLevel_ = -1;
  bool depthLimitHit_ = false;
  CrawlSummary sum_;
};
}  // namespace

std::optional<PageKind> classifyResponse(const std::string& url, const std::string& contentType, std::string_view body) {
  if (body.empty()) return std::nullopt;
  std::string filename;
  if (auto p = parseHttpUrl(url)) filename = p->path.substr(p->path.rfind('/') + 1);
  auto type = ingest::detectDocumentType(body, mediaType(contentType), filename);
  if (!type.supported) return std::nullopt;
  switch (type.kind) {
    case ingest::DocumentKind::OpenApi:
    case ingest::DocumentKind::Scim: return PageKind::Spec;
    case ingest::DocumentKind::Html: return PageKind::Html;
    case ingest::DocumentKind::Json:
    case ingest::DocumentKind::Yaml:
    case ingest::DocumentKind::Xml:
    case ingest::DocumentKind::Csv:
    case ingest::DocumentKind::Empty: return std::nullopt;  // data that is not an API description
    default: return PageKind::Document;
  }
}

std::optional<std::string> renderWithChromium(const std::string& chromiumPath, const std::string& url,
                                              const std::string& host, const std::string& pinnedAddress,
                                              const std::string& userAgent, int timeoutSeconds, size_t maxBytes,
                                              std::string& error) {
  int fds[2];
  if (pipe(fds) != 0) {
    error = "pipe failed";
    return std::nullopt;
  }
  std::string rules = "--host-resolver-rules=MAP " + host + " " + pinnedAddress + ", MAP * ~NOTFOUND";
  std::string ua = "--user-agent=" + userAgent;
  std::vector<std::string> args = {chromiumPath, "--headless", "--disable-gpu", "--no-sandbox", "--incognito",
                                   "--no-first-run", "--disable-extensions", "--proxy-server=direct://",
                                   rules, ua, "--virtual-time-budget=5000", "--dump-dom", url};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, chromiumPath.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    error = "cannot start " + chromiumPath;
    return std::nullopt;
  }
  std::string out;
  auto deadline = Clock::now() + std::chrono::seconds(timeoutSeconds);
  bool timedOut = false;
  char buf[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int pr = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left, 500)));
    if (pr < 0) break;
    if (pr == 0) continue;
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > maxBytes) {
      timedOut = true;
      break;
    }
  }
  close(fds[0]);
  if (timedOut) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timedOut) {
    error = "Chromium timed out or produced more than the page byte limit";
    return std::nullopt;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty()) {
    error = "Chromium failed (exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
    return std::nullopt;
  }
  return out;
}

CrawlSummary crawlSite(const std::vector<std::string>& starterLinks, const CrawlSettings& settings,
                       const CrawlRequestLimits& limits, const UrlGuard& guard, CrawlEvents& events) {
  Crawler c(settings, limits, guard, events);
  return c.run(starterLinks);
}
}  // namespace cg::crawl
