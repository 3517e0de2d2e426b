#include "crawl/crawl_url.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>
#include <vector>

#include "util/strings.h"

namespace cg::crawl {
namespace urls = boost::urls;

namespace {
bool isTrackingParam(std::string_view rawKey) {
  std::string k = toLower(percentDecode(rawKey));
  if (startsWith(k, "utm_")) return true;
  static const char* names[] = {"gclid", "fbclid", "yclid", "mc_cid", "mc_eid", "msclkid", "_ga", "_hsenc", "_hsmi"};
  for (const char* n : names)
    if (k == n) return true;
  return false;
}

bool hasControlOrSpace(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return true;
  return false;
}

// Percent-encodes bytes a browser would encode before parsing (spaces, non-ASCII, quotes, …), so
// links written sloppily in HTML still parse.
std::string encodeLoose(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}') {
      if (c == '\\') {
        out += '/';
        continue;
      }
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::optional<urls::url> parseAbsolute(std::string_view raw) {
  std::string text = trim(raw);
  if (text.empty() || text.size() > 64 * 1024) return std::nullopt;
  if (hasControlOrSpace(text) || text.find_first_of("\"<>\\^`{|}") != std::string::npos) text = encodeLoose(text);
  auto r = urls::parse_uri(text);
  if (!r) return std::nullopt;
  urls::url u(*r);
  std::string scheme = toLower(std::string(u.scheme()));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  if (!u.has_authority() || u.encoded_host().empty()) return std::nullopt;
  if (u.has_port()) {
    std::string port(u.port());
    if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  }
  return u;
}
}  // namespace

std::string percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
      if (a >= 0 && b >= 0) {
        out += static_cast<char>(a * 16 + b);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string encodeQueryComponent(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string urlScheme(std::string_view url) {
  std::string t = trim(url);
  size_t colon = t.find(':');
  if (colon == std::string::npos || colon == 0) return "";
  for (size_t i = 0; i < colon; ++i) {
    char c = t[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return "";
  }
  return toLower(t.substr(0, colon));
}

std::optional<UrlParts> parseHttpUrl(std::string_view url) {
  auto u = parseAbsolute(url);
  if (!u) return std::nullopt;
  UrlParts p;
  p.scheme = toLower(std::string(u->scheme()));
  switch (u->host_type()) {
    case urls::host_type::ipv4:
      p.host = std::string(u->encoded_host());
      p.hostIsIp = true;
      break;
    case urls::host_type::ipv6:
      p.host = toLower(u->host_ipv6_address().to_string());
      p.hostIsIp = p.hostIsIpv6 = true;
      break;
    case urls::host_type::name:
      p.host = toLower(percentDecode(std::string(u->encoded_host())));
      break;
    default:
      return std::nullopt;  // IPvFuture or none
  }
  if (p.host.empty()) return std::nullopt;
  // A trailing dot names the same host; drop it so scope and allowlist checks see one spelling.
  while (!p.host.empty() && p.host.back() == '.') p.host.pop_back();
  if (p.host.empty()) return std::nullopt;
  if (u->has_port()) {
    std::string port(u->port());
    if (port.empty()) {
      p.port = p.scheme == "https" ? 443 : 80;
    } else {
      if (port.size() > 5) return std::nullopt;
      unsigned long n = std::stoul(port);
      if (n == 0 || n > 65535) return std::nullopt;
      p.port = static_cast<uint16_t>(n);
      p.explicitPort = true;
    }
  } else {
    p.port = p.scheme == "https" ? 443 : 80;
  }
  p.path = std::string(u->encoded_path());
  if (p.path.empty()) p.path = "/";
  p.query = u->has_query() ? std::string(u->encoded_query()) : "";
  p.hasUserInfo = u->has_userinfo();
  return p;
}

std::optional<std::string> resolveLink(std::string_view base, std::string_view href) {
  std::string h = trim(href);
  if (h.empty()) return std::nullopt;
  auto b = parseAbsolute(base);
  if (!b) return std::nullopt;
  std::string scheme = urlScheme(h);
  if (!scheme.empty() && scheme != "http" && scheme != "https") return std::nullopt;
  if (hasControlOrSpace(h) || h.find_first_of("\"<>\\^`{|}") != std::string::npos) h = encodeLoose(h);
  auto ref = urls::parse_uri_reference(h);
  if (!ref) return std::nullopt;
  b->remove_fragment();
  urls::url dest;
  auto rr = urls::resolve(*b, *ref, dest);
  if (!rr) return std::nullopt;
  dest.remove_fragment();
  std::string out(dest.buffer());
  if (!parseHttpUrl(out)) return std::nullopt;
  return out;
}

namespace {
std::optional<std::string> normalizeOnce(std::string_view url) {
  auto u = parseAbsolute(url);
  if (!u) return std::nullopt;
  try {
    u->remove_fragment();
    u->normalize();
    std::string scheme(u->scheme());
    if (u->has_port() && ((scheme == "http" && u->port() == "80") || (scheme == "https" && u->port() == "443") ||
                          u->port().empty()))
      u->remove_port();
    if (u->has_query()) {
      std::string kept;
      for (auto p : u->encoded_params()) {
        if (isTrackingParam(p.key)) continue;
        if (!kept.empty()) kept += '&';
        kept += std::string(p.key);
        if (p.has_value) kept += "=" + std::string(p.value);
      }
      if (kept.empty())
        u->remove_query();
      else
        u->set_encoded_query(kept);
    }
    // Host names are case-insensitive (normalize() already lower-cases them).
    std::string out(u->buffer());
    if (u->encoded_path().empty()) {
      out = std::string(u->scheme()) + "://" + std::string(u->encoded_authority()) + "/";
      if (u->has_query()) out += "?" + std::string(u->encoded_query());
    }
    if (!parseHttpUrl(out)) return std::nullopt;
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> normalizeUrl(std::string_view url) {
  // A second pass must not change the result; input on which it would (malformed authorities
  // that the parser reads differently once re-serialised) is rejected rather than guessed.
  auto once = normalizeOnce(url);
  if (!once) return std::nullopt;
  auto twice = normalizeOnce(*once);
  if (!twice || *twice != *once) return std::nullopt;
  return once;
}

std::string urlIdentityKey(std::string_view url) {
  auto n = normalizeUrl(url);
  if (!n) return "";
  auto p = parseHttpUrl(*n);
  if (!p) return "";
  std::string key = stripWww(p->host);
  if (p->hostIsIpv6) key = "[" + key + "]";
  bool defaultPort = (p->port == 80 || p->port == 443);
  if (!defaultPort) key += ":" + std::to_string(p->port);
  std::string path = p->path;
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  key += path;
  if (!p->query.empty()) {
    std::vector<std::string> params = split(p->query, '&', true);
    std::sort(params.begin(), params.end());
    key += "?" + join(params, "&");
  }
  return key;
}

std::string hostKey(const UrlParts& p) {
  std::string h = p.hostIsIpv6 ? "[" + p.host + "]" : p.host;
  bool defaultPort = (p.scheme == "http" && p.port == 80) || (p.scheme == "https" && p.port == 443);
  return defaultPort ? h : h + ":" + std::to_string(p.port);
}

std::string stripWww(std::string_view host) {
  std::string h(host);
  if (startsWith(h, "www.") && h.size() > 4) h = h.substr(4);
  return h;
}

bool isSharedHostingDomain(std::string_view host) {
  static const char* shared[] = {"github.io", "gitlab.io", "readthedocs.io", "readthedocs.org", "netlify.app",
                                 "vercel.app", "herokuapp.com", "pages.dev", "web.app", "firebaseapp.com",
                                 "azurewebsites.net", "cloudfront.net", "amazonaws.com", "appspot.com",
                                 "blogspot.com", "wordpress.com", "gitbook.io", "notion.site", "github.com",
                                 "githubusercontent.com", "gitlab.com", "bitbucket.org", "sourceforge.net",
                                 "stoplight.io", "readme.io", "postman.com", "apiary.io", "swaggerhub.com"};
  std::string h = toLower(host);
  for (const char* s : shared) {
    std::string_view sv(s);
    if (h == sv || endsWith(h, "." + std::string(sv))) return true;
  }
  return false;
}

std::string siteKey(std::string_view host) {
  std::string h = toLower(host);
  if (h.empty()) return h;
  if (h.find(':') != std::string::npos) return h;  // IPv6
  bool numeric = std::all_of(h.begin(), h.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
  if (numeric) return h;
  std::vector<std::string> labels = split(h, '.', true);
  if (labels.size() <= 2) return h;
  static const char* secondLevel[] = {"co", "com", "org", "net", "gov", "edu", "ac", "or", "ne", "go", "mil", "int"};
  const std::string& second = labels[labels.size() - 2];
  bool shortSecond = labels.back().size() == 2 &&
                     std::any_of(std::begin(secondLevel), std::end(secondLevel), [&](const char* s) { return second == s; });
  size_t keep = shortSecond ? 3 : 2;
  if (labels.size() <= keep) return h;
  std::vector<std::string> tail(labels.end() - static_cast<long>(keep), labels.end());
  return join(tail, ".");
}
}  // namespace cg::crawl
