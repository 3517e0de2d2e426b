// The crawler tests' view of the loopback test server (unit/common/loopback_http_server.h): handlers
// map a request target (and its headers) to a response, HTML by default; every target is recorded.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../common/loopback_http_server.h"

namespace cgtest {
struct HttpReply {
  int status = 200;
  std::string contentType = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delayMs = 0;
};

class TestHttpServer {
 public:
  using Handler = std::function<HttpReply(const std::string& target, const std::map<std::string, std::string>& headers)>;
  explicit TestHttpServer(Handler h)
      : server_([h = std::move(h)](const LoopbackRequest& r, int) {
          HttpReply x = h(r.target, r.headers);
          return LoopbackReply{x.status, x.contentType, x.body, x.headers, x.delayMs};
        }) {}
  int port() const { return server_.port(); }
  std::string base() const { return server_.origin(); }
  std::vector<std::string> requests() {
    std::vector<std::string> targets;
    for (const auto& r : server_.requests()) targets.push_back(r.target);
    return targets;
  }
  // Headers of the last request for `target` (empty when there was none).
  std::map<std::string, std::string> lastHeaders(const std::string& target) {
    std::map<std::string, std::string> last;
    for (const auto& r : server_.requests())
      if (r.target == target) last = r.headers;
    return last;
  }

 private:
  LoopbackHttpServer server_;
};
}  // namespace cgtest
