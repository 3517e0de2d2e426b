#include "crawl/robots.h"

#include <algorithm>
#include <cctype>

#include "util/strings.h"

namespace cg::crawl {
namespace {
std::string upperEscapes(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i + 2 < out.size(); ++i)
    if (out[i] == '%' && std::isxdigit(static_cast<unsigned char>(out[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(out[i + 2]))) {
      out[i + 1] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i + 1])));
      out[i + 2] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i + 2])));
      i += 2;
    }
  return out;
}

// Full-string glob match where only '*' is special (linear-time greedy algorithm with backtracking
// to the last star).
bool globFull(std::string_view p, std::string_view s) {
  size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && p[pi] == s[si]) {
      ++pi;
      ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool userAgentMatches(std::string_view value, std::string_view token) {
  std::string v = toLower(trim(value));
  size_t cut = v.find_first_of("/ \t");
  if (cut != std::string::npos) v = v.substr(0, cut);
  if (v.empty() || v == "*") return false;
  std::string t = toLower(token);
  return t == v || startsWith(t, v);
}
}  // namespace

bool robotsPatternMatches(std::string_view pattern, std::string_view path) {
  if (!pattern.empty() && pattern.back() == '$') return globFull(pattern.substr(0, pattern.size() - 1), path);
  std::string p(pattern);
  p += '*';
  return globFull(p, path);
}

RobotsRules RobotsRules::allowAll() { return RobotsRules{}; }
RobotsRules RobotsRules::disallowAll() {
  RobotsRules r;
  r.disallowEverything_ = true;
  return r;
}

bool RobotsRules::allowed(std::string_view pathAndQuery) const {
  std::string path = pathAndQuery.empty() ? "/" : upperEscapes(pathAndQuery);
  if (path == "/robots.txt") return true;
  if (disallowEverything_) return false;
  const RobotsRule* best = nullptr;
  for (const auto& r : rules_) {
    if (!robotsPatternMatches(r.pattern, path)) continue;
    if (!best || r.pattern.size() > best->pattern.size() || (r.pattern.size() == best->pattern.size() && r.allow))
      best = &r;
  }
  return !best || best->allow;
}

RobotsRules parseRobots(std::string_view text, std::string_view productToken) {
  constexpr size_t kMaxBytes = 512 * 1024;
  if (text.size() > kMaxBytes) text = text.substr(0, kMaxBytes);
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF)
    text = text.substr(3);

  struct Group {
    bool matchesToken = false;
    bool matchesStar = false;
    std::vector<RobotsRule> rules;
    std::optional<double> delay;
  };
  std::vector<Group> groups;
  std::vector<std::string> sitemaps;
  bool inAgentLines = false;  // consecutive user-agent lines extend the same group

  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find_first_of("\r\n", pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() + 1 : eol + 1;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = toLower(trim(line.substr(0, colon)));
    std::string value = trim(line.substr(colon + 1));
    if (key == "user-agent" || key == "useragent" || key == "user agent") {
      if (!inAgentLines || groups.empty()) groups.emplace_back();
      inAgentLines = true;
      if (trim(value) == "*")
        groups.back().matchesStar = true;
      else if (userAgentMatches(value, productToken))
        groups.back().matchesToken = true;
      continue;
    }
    if (key == "sitemap") {
      if (!value.empty()) sitemaps.push_back(value);
      continue;
    }
    if (groups.empty()) continue;  // rules before any user-agent line belong to no group
    inAgentLines = false;
    if (key == "allow" || key == "disallow") {
      if (value.empty()) continue;  // "Disallow:" with no path means nothing is disallowed
      if (value.front() != '/' && value.front() != '*') value = "/" + value;
      groups.back().rules.push_back({key == "allow", upperEscapes(value)});
    } else if (key == "crawl-delay") {
      try {
        size_t used = 0;
        double d = std::stod(value, &used);
        if (used > 0 && d >= 0 && d < 86400) groups.back().delay = d;
      } catch (const std::exception&) {
      }
    }
  }

  RobotsRules out;
  out.sitemaps = std::move(sitemaps);
  bool anyToken = std::any_of(groups.begin(), groups.end(), [](const Group& g) { return g.matchesToken; });
  for (auto& g : groups) {
    if (anyToken ? !g.matchesToken : !g.matchesStar) continue;
    for (auto& r : g.rules) out.rules_.push_back(std::move(r));
    if (g.delay) out.crawlDelay_ = std::max(out.crawlDelay_.value_or(0.0), *g.delay);
  }
  return out;
}
}  // namespace cg::crawl
