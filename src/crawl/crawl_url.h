// URL handling for the crawler and discovery: parsing into parts, resolving links against a page,
// normalisation (for fetching) and identity keys (for de-duplication).
//
// Contract: every function is pure, never throws, and returns nullopt / false for input that is not
// an absolute http(s) URL (after resolution). `normalizeUrl` lower-cases scheme and host, drops the
// default port, the fragment and tracking parameters (utm_*, gclid, fbclid, yclid, mc_cid, mc_eid,
// msclkid), resolves dot segments, normalises percent-encoding and turns an empty path into "/".
// `urlIdentityKey` goes further for de-duplication only: scheme and a leading "www." are ignored,
// one trailing "/" is ignored, and query parameters are sorted — so http/https, www/no-www and
// "/docs" vs "/docs/" variants of one page share a key.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cg::crawl {

struct UrlParts {
  std::string scheme;    // "http" | "https"
  std::string host;      // lower-case; IPv6 literals without brackets
  bool hostIsIp = false;
  bool hostIsIpv6 = false;
  uint16_t port = 0;     // effective port (80/443 when absent)
  bool explicitPort = false;
  std::string path;      // encoded, starts with "/"
  std::string query;     // encoded, without "?"
  bool hasUserInfo = false;
};

// Parses an absolute http(s) URL (any other scheme, a relative reference or garbage → nullopt).
std::optional<UrlParts> parseHttpUrl(std::string_view url);
// Any absolute URL's scheme, lower-cased ("" when there is none) — for error messages.
std::string urlScheme(std::string_view url);

// Resolves `href` (absolute, scheme-relative, root-relative or relative) against `base`; the
// fragment is removed. nullopt when the result is not http(s) (mailto:, javascript:, data:, …).
std::optional<std::string> resolveLink(std::string_view base, std::string_view href);

// Normalised absolute URL (see the header comment), or nullopt.
std::optional<std::string> normalizeUrl(std::string_view url);

// De-duplication key (see the header comment); "" when the URL is not http(s).
std::string urlIdentityKey(std::string_view url);

// "host" or "host:port" of a URL as used in scope and politeness maps ("" when not http(s)).
std::string hostKey(const UrlParts& parts);
// Host without a leading "www.".
std::string stripWww(std::string_view host);
// A rough registrable-domain key: the last two labels, or three when the second-to-last is a
// short generic second-level label (co.uk, com.au, …). IP literals are returned whole.
std::string siteKey(std::string_view host);
// True when the host belongs to a shared hosting domain whose tenants are unrelated
// (github.io, readthedocs.io, netlify.app, …): a site key must then not be widened beyond the host.
bool isSharedHostingDomain(std::string_view host);

// Percent-decodes (invalid escapes are kept verbatim).
std::string percentDecode(std::string_view s);
// Encodes a query component (application/x-www-form-urlencoded style, space as %20).
std::string encodeQueryComponent(std::string_view s);

}  // namespace cg::crawl
