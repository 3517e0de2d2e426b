// SSRF guard: address classification, allowlist, URL policy, DNS answers (injected resolver).
#include "crawl/url_guard.h"

#include <gtest/gtest.h>

#include <map>

using namespace cg::crawl;

namespace {
IpAddress ip(const char* s) { return *IpAddress::parse(s); }

Resolver fakeDns(std::map<std::string, std::vector<std::string>> table) {
  return [table](const std::string& host, std::string& error) {
    std::vector<IpAddress> out;
    auto it = table.find(host);
    if (it == table.end()) {
      error = "unknown host";
      return out;
    }
    for (auto& a : it->second) out.push_back(*IpAddress::parse(a));
    return out;
  };
}
}  // namespace

TEST(AddressClassification, BlocksNonPublicRanges) {
  for (const char* a : {"127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1",
                        "169.254.169.254", "169.254.1.1", "0.0.0.0", "100.64.0.1", "224.0.0.1", "239.1.2.3",
                        "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
                        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:db8::1"})
    EXPECT_TRUE(classifyAddress(ip(a)).has_value()) << a;
  EXPECT_EQ(*classifyAddress(ip("169.254.169.254")), "cloud metadata");
  EXPECT_EQ(*classifyAddress(ip("fd00:ec2::254")), "cloud metadata");
  EXPECT_EQ(*classifyAddress(ip("127.0.0.1")), "loopback");
}

TEST(AddressClassification, AllowsPublicAddresses) {
  for (const char* a : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8",
                        "2002:0808:0808::1"})
    EXPECT_FALSE(classifyAddress(ip(a)).has_value()) << a;
}

TEST(Cidr, ContainsAndParses) {
  auto r = CidrRange::parse("10.0.0.0/8");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(ip("10.200.3.4")));
  EXPECT_FALSE(r->contains(ip("11.0.0.1")));
  EXPECT_FALSE(r->contains(ip("::ffff:10.0.0.1")));  // different family
  EXPECT_FALSE(CidrRange::parse("10.0.0.0/33"));
  EXPECT_FALSE(CidrRange::parse("nonsense/8"));
  EXPECT_TRUE(CidrRange::parse("fd00::/8")->contains(ip("fd12::1")));
}

TEST(HostAllowlist, NamesWildcardsIpsAndCidrs) {
  std::vector<std::string> invalid;
  auto a = HostAllowlist::parse("docs.internal, *.corp.example , 127.0.0.1, 10.1.0.0/16, bad*name", &invalid);
  EXPECT_TRUE(a.allowsHost("docs.internal"));
  EXPECT_TRUE(a.allowsHost("DOCS.internal"));
  EXPECT_TRUE(a.allowsHost("wiki.corp.example"));
  EXPECT_FALSE(a.allowsHost("corp.example"));
  EXPECT_TRUE(a.allowsHost("127.0.0.1"));
  EXPECT_TRUE(a.allowsAddress(ip("10.1.2.3")));
  EXPECT_FALSE(a.allowsAddress(ip("10.2.0.1")));
  EXPECT_EQ(invalid, std::vector<std::string>{"bad*name"});
}

TEST(UrlGuard, RefusesTheSsrfMatrixWithoutAllowlist) {
  UrlGuard g(GuardOptions{}, fakeDns({{"rebind.example", {"93.184.216.34", "127.0.0.1"}},
                                      {"metadata.example", {"169.254.169.254"}}}));
  for (const char* u : {"http://127.0.0.1/", "http://127.0.0.1:8080/x", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                        "http://[::1]/", "http://[fd00:ec2::254]/", "file:///etc/passwd", "gopher://example.com/",
                        "ftp://example.com/x", "http://localhost/", "http://rebind.example/", "http://metadata.example/",
                        "http://user:pw@public.example/", "javascript:alert(1)", "http://0x7f000001/"}) {
    auto d = g.check(u);
    EXPECT_FALSE(d.allowed) << u;
    EXPECT_FALSE(d.reason.empty()) << u;
  }
  EXPECT_NE(g.check("file:///etc/passwd").reason.find("scheme 'file'"), std::string::npos);
}

TEST(UrlGuard, AllowsPublicHostsAndPinsTheCheckedAddress) {
  UrlGuard g(GuardOptions{}, fakeDns({{"docs.example.com", {"2606:4700::1", "93.184.216.34"}}}));
  auto d = g.check("https://docs.example.com/api");
  ASSERT_TRUE(d.allowed) << d.reason;
  ASSERT_TRUE(d.pinnedAddress);
  EXPECT_EQ(d.pinnedAddress->toString(), "93.184.216.34");  // IPv4 preferred
  EXPECT_TRUE(g.connectAllowed(d, ip("93.184.216.34")));
  EXPECT_FALSE(g.connectAllowed(d, ip("127.0.0.1")));  // a rebinding answer at connect time
  EXPECT_FALSE(g.check("https://docs.example.com:6379/").allowed);  // not a web port
  EXPECT_FALSE(g.check("https://nowhere.example/").allowed);        // unresolvable
}

TEST(UrlGuard, AllowlistPermitsLoopbackOnAnyPort) {
  GuardOptions o;
  o.allowlist = HostAllowlist::parse("127.0.0.1");
  UrlGuard g(o, fakeDns({}));
  auto d = g.check("http://127.0.0.1:34567/docs/");
  EXPECT_TRUE(d.allowed) << d.reason;
  EXPECT_FALSE(g.check("http://10.0.0.1/").allowed);
  EXPECT_FALSE(g.check("http://169.254.169.254/").allowed);
}

TEST(UrlGuard, RefusesOverlongUrls) {
  GuardOptions o;
  o.maxUrlLength = 64;
  UrlGuard g(o, fakeDns({{"a.example", {"93.184.216.34"}}}));
  EXPECT_TRUE(g.check("http://a.example/short").allowed);
  auto d = g.check("http://a.example/" + std::string(100, 'x'));
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("longer than 64"), std::string::npos);
}
