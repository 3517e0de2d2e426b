// Fuzz target: URL parsing, link resolution, normalisation, identity keys, the guard's syntax
// check and link scoring on arbitrary bytes (first line = base URL, second = link). Nothing may
// throw; a normalised URL must normalise to itself and parse as http(s).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "crawl/crawl_url.h"
#include "crawl/link_scoring.h"
#include "crawl/url_guard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cg::crawl;
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string base = text.substr(0, nl);
  std::string href = nl == std::string::npos ? "" : text.substr(nl + 1);
  (void)parseHttpUrl(base);
  (void)urlIdentityKey(base);
  if (auto n = normalizeUrl(base)) {
    if (!parseHttpUrl(*n)) std::abort();
    auto again = normalizeUrl(*n);
    if (!again || *again != *n) std::abort();
  }
  if (auto r = resolveLink(base, href)) {
    if (!parseHttpUrl(*r)) std::abort();
    if (auto p = parseHttpUrl(*r)) {
      (void)crawlLinkPriority(*p, href);
      (void)looksLikeSpecUrl(*p);
    }
  }
  UrlGuard guard(GuardOptions{}, [](const std::string&, std::string& e) {
    e = "offline";
    return std::vector<IpAddress>{};
  });
  (void)guard.checkSyntax(href);
  (void)scoreCandidate(base, href, applicationTokens(href), "REST", {"login", "blog"});
  (void)HostAllowlist::parse(href);
  return 0;
}
