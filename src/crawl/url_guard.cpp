#include "crawl/url_guard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "util/strings.h"

namespace cg::crawl {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  std::string t = trim(text);
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  if (auto pct = t.find('%'); pct != std::string::npos) t = t.substr(0, pct);  // zone id
  IpAddress ip;
  in_addr a4{};
  if (inet_pton(AF_INET, t.c_str(), &a4) == 1) {
    std::memcpy(ip.bytes.data(), &a4, 4);
    return ip;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, t.c_str(), &a6) == 1) {
    ip.v6 = true;
    std::memcpy(ip.bytes.data(), &a6, 16);
    return ip;
  }
  return std::nullopt;
}

std::string IpAddress::toString() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (v6)
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof(buf));
  else
    inet_ntop(AF_INET, bytes.data(), buf, sizeof(buf));
  return buf;
}

std::optional<CidrRange> CidrRange::parse(std::string_view text) {
  std::string t = trim(text);
  CidrRange r;
  size_t slash = t.find('/');
  auto ip = IpAddress::parse(slash == std::string::npos ? t : t.substr(0, slash));
  if (!ip) return std::nullopt;
  r.base = *ip;
  int maxBits = ip->v6 ? 128 : 32;
  if (slash == std::string::npos) {
    r.prefixBits = maxBits;
  } else {
    std::string bits = t.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), ::isdigit)) return std::nullopt;
    r.prefixBits = std::stoi(bits);
    if (r.prefixBits > maxBits) return std::nullopt;
  }
  return r;
}

bool CidrRange::contains(const IpAddress& ip) const {
  if (ip.v6 != base.v6) return false;
  int bits = prefixBits;
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((ip.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
  }
  return true;
}

namespace {
struct NamedRange {
  const char* cidr;
  const char* reason;
};

std::optional<std::string> classifyV4(const uint8_t* b) {
  static const NamedRange ranges[] = {
      {"169.254.169.254/32", "cloud metadata"}, {"0.0.0.0/8", "unspecified"},    {"10.0.0.0/8", "private"},
      {"100.64.0.0/10", "shared address space (CGNAT)"},                          {"127.0.0.0/8", "loopback"},
      {"169.254.0.0/16", "link-local"},         {"172.16.0.0/12", "private"},    {"192.0.0.0/24", "IETF protocol assignments"},
      {"192.0.2.0/24", "documentation"},        {"192.88.99.0/24", "6to4 relay"}, {"192.168.0.0/16", "private"},
      {"198.18.0.0/15", "benchmarking"},        {"198.51.100.0/24", "documentation"},
      {"203.0.113.0/24", "documentation"},      {"224.0.0.0/4", "multicast"},    {"240.0.0.0/4", "reserved"},
  };
  IpAddress ip;
  std::memcpy(ip.bytes.data(), b, 4);
  for (const auto& r : ranges)
    if (CidrRange::parse(r.cidr)->contains(ip)) return std::string(r.reason);
  return std::nullopt;
}
}  // namespace

std::optional<std::string> classifyAddress(const IpAddress& ip) {
  if (!ip.v6) return classifyV4(ip.bytes.data());
  const auto& b = ip.bytes;
  static const NamedRange ranges[] = {
      {"fd00:ec2::254/128", "cloud metadata"}, {"::/128", "unspecified"},       {"::1/128", "loopback"},
      {"fc00::/7", "private (unique local)"},  {"fe80::/10", "link-local"},     {"fec0::/10", "site-local"},
      {"ff00::/8", "multicast"},               {"2001:db8::/32", "documentation"}, {"100::/64", "discard-only"},
      {"2001::/23", "IETF protocol assignments"},
  };
  // Embedded IPv4: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16).
  if (CidrRange::parse("::ffff:0:0/96")->contains(ip) || CidrRange::parse("64:ff9b::/96")->contains(ip) ||
      (CidrRange::parse("::/96")->contains(ip) && !CidrRange::parse("::/127")->contains(ip))) {
    if (auto r = classifyV4(b.data() + 12)) return *r + " (embedded IPv4)";
    return std::nullopt;
  }
  if (CidrRange::parse("2002::/16")->contains(ip)) {
    if (auto r = classifyV4(b.data() + 2)) return *r + " (6to4 embedded IPv4)";
    return std::nullopt;
  }
  for (const auto& r : ranges)
    if (CidrRange::parse(r.cidr)->contains(ip)) return std::string(r.reason);
  return std::nullopt;
}

HostAllowlist HostAllowlist::parse(std::string_view list, std::vector<std::string>* invalid) {
  HostAllowlist out;
  std::string cur;
  auto flush = [&] {
    std::string e = toLower(trim(cur));
    cur.clear();
    if (e.empty()) return;
    if (auto r = CidrRange::parse(e)) {
      out.ranges_.push_back(*r);
      return;
    }
    bool okName = !e.empty() && std::all_of(e.begin(), e.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '*' || c == '_';
    });
    if (okName && (e.find('*') == std::string::npos || (startsWith(e, "*.") && e.find('*', 1) == std::string::npos))) {
      while (!e.empty() && e.back() == '.') e.pop_back();
      out.names_.push_back(e);
    } else if (invalid) {
      invalid->push_back(e);
    }
  };
  for (char c : list) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == ';')
      flush();
    else
      cur += c;
  }
  flush();
  return out;
}

bool HostAllowlist::allowsHost(std::string_view host) const {
  std::string h = toLower(host);
  for (const auto& n : names_) {
    if (startsWith(n, "*.")) {
      std::string suffix = n.substr(1);  // ".example.com"
      if (endsWith(h, suffix) && h.size() > suffix.size()) return true;
    } else if (h == n) {
      return true;
    }
  }
  if (auto ip = IpAddress::parse(h)) return allowsAddress(*ip);
  return false;
}

bool HostAllowlist::allowsAddress(const IpAddress& ip) const {
  for (const auto& r : ranges_)
    if (r.contains(ip)) return true;
  return false;
}

std::vector<IpAddress> systemResolve(const std::string& host, std::string& error) {
  std::vector<IpAddress> out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0) {
    error = gai_strerror(rc);
    return out;
  }
  for (addrinfo* p = res; p; p = p->ai_next) {
    IpAddress ip;
    if (p->ai_family == AF_INET) {
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, 4);
    } else if (p->ai_family == AF_INET6) {
      ip.v6 = true;
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    if (std::find(out.begin(), out.end(), ip) == out.end()) out.push_back(ip);
  }
  freeaddrinfo(res);
  if (out.empty()) error = "no addresses";
  return out;
}

UrlGuard::UrlGuard(GuardOptions options, Resolver resolver) : options_(std::move(options)), resolver_(std::move(resolver)) {}

GuardDecision UrlGuard::checkSyntax(std::string_view url) const {
  GuardDecision d;
  std::string u = trim(url);
  if (u.size() > options_.maxUrlLength) {
    d.reason = "URL is longer than " + std::to_string(options_.maxUrlLength) + " characters";
    return d;
  }
  auto parts = parseHttpUrl(u);
  if (!parts) {
    std::string scheme = urlScheme(u);
    d.reason = scheme.empty() || scheme == "http" || scheme == "https"
                   ? "not a valid absolute http(s) URL: " + u.substr(0, 200)
                   : "scheme '" + scheme + "' is not allowed (only http and https)";
    return d;
  }
  d.url = *parts;
  if (parts->hasUserInfo) {
    d.reason = "URLs with credentials (user:password@) are not fetched";
    return d;
  }
  d.allowlisted = options_.allowlist.allowsHost(parts->host);
  if (!d.allowlisted &&
      std::find(options_.allowedPorts.begin(), options_.allowedPorts.end(), parts->port) == options_.allowedPorts.end()) {
    d.reason = "port " + std::to_string(parts->port) + " of " + parts->host + " is not a web port";
    return d;
  }
  if (parts->hostIsIp && !d.allowlisted) {
    auto ip = IpAddress::parse(parts->host);
    if (ip) {
      if (auto why = classifyAddress(*ip)) {
        d.reason = "address " + parts->host + " is " + *why + " and not in SCRAPE_AND_PROCESS__ALLOWED_HOSTS";
        return d;
      }
    }
  }
  if (!parts->hostIsIp) {
    std::string h = parts->host;
    if (h == "localhost" || endsWith(h, ".localhost") || endsWith(h, ".internal") || endsWith(h, ".local")) {
      if (!d.allowlisted) {
        d.reason = "host " + h + " is a local name and not in SCRAPE_AND_PROCESS__ALLOWED_HOSTS";
        return d;
      }
    }
  }
  d.allowed = true;
  return d;
}

GuardDecision UrlGuard::check(std::string_view url) const {
  GuardDecision d = checkSyntax(url);
  if (!d.allowed) return d;
  d.allowed = false;
  std::vector<IpAddress> addresses;
  if (d.url.hostIsIp) {
    addresses.push_back(*IpAddress::parse(d.url.host));
  } else {
    std::string error;
    addresses = resolver_(d.url.host, error);
    if (addresses.empty()) {
      d.reason = "cannot resolve host " + d.url.host + (error.empty() ? "" : ": " + error);
      return d;
    }
  }
  for (const auto& ip : addresses) {
    auto why = classifyAddress(ip);
    if (why && !d.allowlisted && !options_.allowlist.allowsAddress(ip)) {
      d.reason = "host " + d.url.host + " resolves to " + ip.toString() + " (" + *why +
                 "), which is not in SCRAPE_AND_PROCESS__ALLOWED_HOSTS";
      return d;
    }
  }
  // Prefer IPv4 (test servers and many docs hosts listen only there).
  auto v4 = std::find_if(addresses.begin(), addresses.end(), [](const IpAddress& a) { return !a.v6; });
  d.pinnedAddress = v4 != addresses.end() ? *v4 : addresses.front();
  d.allowed = true;
  return d;
}

bool UrlGuard::connectAllowed(const GuardDecision& d, const IpAddress& ip) const {
  if (d.pinnedAddress && *d.pinnedAddress == ip) return true;
  if (!classifyAddress(ip)) return true;
  return d.allowlisted || options_.allowlist.allowsAddress(ip);
}
}  // namespace cg::crawl
