#include "http/router.h"

#include <algorithm>

namespace cg::http {
std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler, RouteDoc doc) {
  routes_.push_back({method, pattern, splitPath(pattern), std::move(handler), std::move(doc)});
}

int Router::score(const Route& r, const std::vector<std::string>& parts, std::map<std::string, std::string>* params) {
  int s = 0;
  size_t i = 0;
  for (; i < r.segments.size(); ++i) {
    const std::string& seg = r.segments[i];
    bool isParam = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
    if (isParam && seg.find(":path}") != std::string::npos) {
      if (i >= parts.size()) return -1;
      std::string rest;
      for (size_t k = i; k < parts.size(); ++k) rest += (k > i ? "/" : "") + parts[k];
      if (params) (*params)[seg.substr(1, seg.find(':') - 1)] = rest;
      return s;
    }
    if (i >= parts.size()) return -1;
    if (isParam) {
      if (params) (*params)[seg.substr(1, seg.size() - 2)] = parts[i];
    } else if (seg == parts[i]) {
      s += 1 << std::min<size_t>(20, 20 - i);  // earlier literal segments weigh more
    } else {
      return -1;
    }
  }
  return i == parts.size() ? s : -1;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  // Like Starlette: the most specific route of this method wins; when only other methods match
  // the path, it is 405 with every matching method in Allow.
  RouteMatch m;
  auto parts = splitPath(path);
  int best = -1;
  bool anyPath = false;
  for (const auto& r : routes_) {
    int s = score(r, parts, nullptr);
    if (s < 0) continue;
    anyPath = true;
    if (r.method == method && s > best) {
      best = s;
      m.route = &r;
    }
  }
  if (m.route) {
    m.kind = RouteMatch::Kind::found;
    score(*m.route, parts, &m.params);
    return m;
  }
  if (!anyPath) return m;
  for (const auto& r : routes_)
    if (score(r, parts, nullptr) >= 0 && std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end())
      m.allowed.push_back(r.method);
  m.kind = RouteMatch::Kind::methodNotAllowed;
  return m;
}
}  // namespace cg::http
