// SSRF guard: decides whether the crawler may fetch a URL, and pins the address it may connect to.
//
// Contract: a URL is refused unless its scheme is http or https, it is at most `maxUrlLength`
// bytes, it carries no user:password, its port is a web port (80, 443, 8080, 8443) or the host is
// allowlisted, and EVERY address its host resolves to is public: loopback, private (RFC 1918,
// ULA), CGNAT, link-local (incl. the cloud metadata 169.254.169.254 and fd00:ec2::254),
// multicast, unspecified, broadcast, documentation/benchmark/reserved ranges, and IPv4 embedded
// in IPv4-mapped, NAT64 and 6to4 IPv6 addresses are checked. The allowlist (host names, "*.suffix"
// wildcards, IP addresses, CIDR ranges) lifts the address check for what it names. The first
// permitted address is returned so the fetcher can pin the connection to it (no second DNS
// lookup, so DNS rebinding cannot swap the target). `classifyAddress` and the allowlist are pure;
// `UrlGuard::check` does the DNS lookup through an injectable resolver and never throws.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crawl/crawl_url.h"

namespace cg::crawl {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4 bytes
  static std::optional<IpAddress> parse(std::string_view text);
  std::string toString() const;
  bool operator==(const IpAddress& o) const { return v6 == o.v6 && bytes == o.bytes; }
};

struct CidrRange {
  IpAddress base;
  int prefixBits = 0;
  static std::optional<CidrRange> parse(std::string_view text);  // "10.0.0.0/8", "fd00::/8", or a single IP
  bool contains(const IpAddress& ip) const;
};

// Why an address must not be fetched ("loopback", "private", "link-local", "cloud metadata", …),
// or nullopt for a public unicast address.
std::optional<std::string> classifyAddress(const IpAddress& ip);

class HostAllowlist {
 public:
  HostAllowlist() = default;
  // Entries separated by commas or whitespace; unparseable entries are reported in `invalid`.
  static HostAllowlist parse(std::string_view list, std::vector<std::string>* invalid = nullptr);
  bool allowsHost(std::string_view host) const;  // exact name or "*.suffix"
  bool allowsAddress(const IpAddress& ip) const;
  bool empty() const { return names_.empty() && ranges_.empty(); }

 private:
  std::vector<std::string> names_;
  std::vector<CidrRange> ranges_;
};

struct GuardOptions {
  size_t maxUrlLength = 2048;
  HostAllowlist allowlist;
  std::vector<uint16_t> allowedPorts = {80, 443, 8080, 8443};
};

struct GuardDecision {
  bool allowed = false;
  std::string reason;          // why refused (human readable, names the URL's host)
  UrlParts url;                // parsed URL (when it parsed)
  std::optional<IpAddress> pinnedAddress;  // where to connect
  bool allowlisted = false;
};

// host → addresses (empty on failure; `error` gets the resolver's message).
using Resolver = std::function<std::vector<IpAddress>(const std::string& host, std::string& error)>;
// getaddrinfo-based resolver.
std::vector<IpAddress> systemResolve(const std::string& host, std::string& error);

class UrlGuard {
 public:
  explicit UrlGuard(GuardOptions options, Resolver resolver = systemResolve);
  // Syntax + policy + DNS check of one URL (each redirect target must be checked again).
  GuardDecision check(std::string_view url) const;
  // Syntax and policy only (no DNS): used to pre-filter links cheaply.
  GuardDecision checkSyntax(std::string_view url) const;
  // True when a connection to `ip` is acceptable for a URL whose decision is `d` (socket-level check).
  bool connectAllowed(const GuardDecision& d, const IpAddress& ip) const;
  const GuardOptions& options() const { return options_; }

 private:
  GuardOptions options_;
  Resolver resolver_;
};

}  // namespace cg::crawl
