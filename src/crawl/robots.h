// robots.txt (RFC 9309) parser and matcher.
//
// Contract: `parseRobots(text, productToken)` never throws. Groups are introduced by one or more
// `user-agent` lines; the crawler obeys the groups whose user-agent value matches its product token
// case-insensitively (the value up to the first '/' or space equals the token, or the token starts
// with it), merged when several match, otherwise the `*` groups, otherwise nothing (allow all).
// `allowed(path)` applies the longest matching Allow/Disallow pattern (length in bytes of the
// pattern); a tie goes to Allow; `*` matches any sequence, a trailing `$` anchors the end; an
// empty Disallow is no rule; "/robots.txt" is always allowed. Percent-escapes are compared with
// upper-case hex digits. `Crawl-delay` (seconds, fractional allowed) of the obeyed groups is
// reported. Only the first 512 KiB are parsed; BOM, comments, CR/LF variants and unknown
// directives are tolerated.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cg::crawl {

struct RobotsRule {
  bool allow = false;
  std::string pattern;
};

class RobotsRules {
 public:
  static RobotsRules allowAll();
  static RobotsRules disallowAll();  // e.g. robots.txt answered 5xx (RFC 9309 2.3.1.4)
  // `pathAndQuery` as sent in the request line ("/a/b?x=1").
  bool allowed(std::string_view pathAndQuery) const;
  std::optional<double> crawlDelaySeconds() const { return crawlDelay_; }
  const std::vector<RobotsRule>& rules() const { return rules_; }
  std::vector<std::string> sitemaps;

 private:
  friend RobotsRules parseRobots(std::string_view, std::string_view);
  std::vector<RobotsRule> rules_;
  std::optional<double> crawlDelay_;
  bool disallowEverything_ = false;
};

RobotsRules parseRobots(std::string_view text, std::string_view productToken);

// Glob match of a robots pattern against a path (prefix semantics unless the pattern ends in '$').
bool robotsPatternMatches(std::string_view pattern, std::string_view path);

}  // namespace cg::crawl
