// HTTP fetcher on libcurl's multi interface: many transfers driven from one thread.
//
// Contract: every URL (and every redirect target) passes the UrlGuard before a connection is
// made; the connection is pinned to the address the guard checked (CURLOPT_RESOLVE) and the
// socket-open callback refuses any other non-public address, so DNS rebinding cannot redirect a
// transfer. Only http/https, no proxy, no cookies, TLS verified. Redirects are never followed by
// libcurl: with `maxRedirects > 0` the fetcher follows them itself (each target re-checked; custom
// headers — e.g. API keys — are dropped when the host changes); with 0 the 3xx is returned with
// `location` so the caller can apply its own rules. Bodies are decoded (gzip, deflate, br, zstd)
// and capped at `maxBytes` decoded bytes (declared Content-Length is checked first): a larger
// response is aborted and reported `tooLarge`. Nothing here throws; failures are in `error`.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crawl/url_guard.h"

namespace cg::crawl {

struct FetchRequest {
  std::string url;
  uint64_t tag = 0;                  // caller's id, returned in the result
  uint64_t maxBytes = 16ull << 20;
  int maxRedirects = 0;
  bool trusted = false;              // operator-configured endpoint (search provider): address checks skipped
  std::vector<std::string> headers;  // "Name: value"
  std::string accept =
      "text/html,application/xhtml+xml,application/json;q=0.9,application/yaml;q=0.9,text/plain;q=0.8,*/*;q=0.5";
};

struct FetchResult {
  uint64_t tag = 0;
  std::string requestedUrl;
  std::string finalUrl;
  long status = 0;
  std::string contentType;           // as sent (parameters kept)
  std::string body;
  std::optional<std::string> location;  // absolute target of an unfollowed 3xx
  std::vector<std::string> redirects;   // URLs fetched before finalUrl
  std::string error;                 // network/policy failure ("" when a response arrived)
  bool refused = false;              // the guard refused the URL or a redirect target
  bool tooLarge = false;
  bool timedOut = false;
  std::optional<int> retryAfterSeconds;
  double seconds = 0;
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  bool isRedirect() const { return error.empty() && status >= 300 && status < 400 && location.has_value(); }
};

struct FetcherOptions {
  std::string userAgent = "connector-gen (+documentation crawler)";
  int connectTimeoutSeconds = 10;
  int requestTimeoutSeconds = 30;
  int lowSpeedSeconds = 15;          // abort when below 64 bytes/s for this long
  long maxConnections = 16;
};

class Fetcher {
 public:
  // `guard` may be null only when every request is trusted.
  Fetcher(FetcherOptions options, const UrlGuard* guard);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  void submit(FetchRequest request);
  size_t inFlight() const;  // submitted and not yet returned by wait()
  // Drives transfers for up to `timeoutMs` and returns those that completed (possibly none).
  std::vector<FetchResult> wait(int timeoutMs);
  // Blocking convenience for one request (other in-flight results are kept for later wait()).
  FetchResult fetch(FetchRequest request);

 private:
  struct Transfer;
  void start(std::unique_ptr<Transfer> t);
  void complete(Transfer* t, int curlCode);
  std::vector<FetchResult> drainReady();

  FetcherOptions options_;
  const UrlGuard* guard_;
  void* multi_ = nullptr;
  std::map<void*, std::unique_ptr<Transfer>> active_;
  std::deque<FetchResult> ready_;
};

// Value of a header's media type without parameters, lower-cased ("text/html").
std::string mediaType(const std::string& contentType);

}  // namespace cg::crawl
