#include "crawl/robots.h"

#include <gtest/gtest.h>

using namespace cg::crawl;

TEST(Robots, LongestMatchWinsAndTiesGoToAllow) {
  auto r = parseRobots("User-agent: *\nDisallow: /docs/\nAllow: /docs/api/\nDisallow: /docs/api/private\n", "connector-gen");
  EXPECT_TRUE(r.allowed("/"));
  EXPECT_FALSE(r.allowed("/docs/intro"));
  EXPECT_TRUE(r.allowed("/docs/api/users"));
  EXPECT_FALSE(r.allowed("/docs/api/private/keys"));
  auto tie = parseRobots("User-agent: *\nDisallow: /page\nAllow: /page\n", "connector-gen");
  EXPECT_TRUE(tie.allowed("/page"));
}

TEST(Robots, WildcardsAndEndAnchor) {
  auto r = parseRobots("User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?session=\nDisallow: /private*/data\n", "connector-gen");
  EXPECT_FALSE(r.allowed("/files/manual.pdf"));
  EXPECT_TRUE(r.allowed("/files/manual.pdf.html"));
  EXPECT_FALSE(r.allowed("/a?session=1"));
  EXPECT_TRUE(r.allowed("/a?x=1"));
  EXPECT_FALSE(r.allowed("/private-stuff/data/x"));
  EXPECT_TRUE(robotsPatternMatches("/a*b*c", "/axxbyyc"));
  EXPECT_FALSE(robotsPatternMatches("/a*b*c$", "/axxbyycd"));
}

TEST(Robots, SpecificGroupBeatsStarAndGroupsMerge) {
  const char* text =
      "User-agent: *\nDisallow: /\n\n"
      "User-agent: Connector-Gen/1.0\nUser-agent: otherbot\nDisallow: /admin\nCrawl-delay: 2.5\n\n"
      "User-agent: connector-gen\nDisallow: /tmp\n";
  auto r = parseRobots(text, "connector-gen");
  EXPECT_TRUE(r.allowed("/docs"));
  EXPECT_FALSE(r.allowed("/admin/x"));
  EXPECT_FALSE(r.allowed("/tmp/x"));
  ASSERT_TRUE(r.crawlDelaySeconds());
  EXPECT_DOUBLE_EQ(*r.crawlDelaySeconds(), 2.5);
  auto other = parseRobots(text, "somebot");
  EXPECT_FALSE(other.allowed("/docs"));
}

TEST(Robots, EmptyDisallowCommentsCrlfBomAndRobotsTxtItself) {
  auto r = parseRobots("\xEF\xBB\xBFUser-agent: * # all\r\nDisallow:\r\nDisallow: /x # comment\r\n", "connector-gen");
  EXPECT_TRUE(r.allowed("/anything"));
  EXPECT_FALSE(r.allowed("/x/y"));
  auto all = parseRobots("User-agent: *\nDisallow: /\n", "connector-gen");
  EXPECT_FALSE(all.allowed("/docs"));
  EXPECT_TRUE(all.allowed("/robots.txt"));
  EXPECT_FALSE(RobotsRules::disallowAll().allowed("/"));
  EXPECT_TRUE(RobotsRules::allowAll().allowed("/"));
}

TEST(Robots, NoMatchingGroupAllowsAndRulesBeforeAgentsIgnored) {
  auto r = parseRobots("Disallow: /\nUser-agent: googlebot\nDisallow: /\nSitemap: https://x/sitemap.xml\n", "connector-gen");
  EXPECT_TRUE(r.allowed("/docs"));
  ASSERT_EQ(r.sitemaps.size(), 1u);
}

TEST(Robots, PercentEscapesCompareCaseInsensitively) {
  auto r = parseRobots("User-agent: *\nDisallow: /a%3cb\n", "connector-gen");
  EXPECT_FALSE(r.allowed("/a%3Cb"));
}
