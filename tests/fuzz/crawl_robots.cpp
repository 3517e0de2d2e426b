// Fuzz target: robots.txt parsing and matching on arbitrary bytes. Nothing may throw; the first
// line of the input doubles as the path that is matched.
#include <cstddef>
#include <cstdint>
#include <string>

#include "crawl/robots.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto rules = cg::crawl::parseRobots(text, "connector-gen");
  std::string path = text.substr(0, std::min<size_t>(text.find('\n'), 256));
  (void)rules.allowed(path);
  (void)rules.allowed("/");
  for (const auto& r : rules.rules()) (void)cg::crawl::robotsPatternMatches(r.pattern, path);
  return 0;
}
