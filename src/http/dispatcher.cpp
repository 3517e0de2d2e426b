#include "http/dispatcher.h"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "util/api_error.h"
#include "util/log.h"
#include "util/strings.h"
#include "util/uuid.h"

namespace cg::http {
namespace {
// Request ids need to be unique, not secret: a per-process random prefix and a counter avoid a
// random-number system call on every request.
std::string nextRequestId() {
  static const std::string prefix = newUuid().substr(0, 24);
  static std::atomic<uint64_t> counter{0};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(++counter & 0xffffffffffffULL));
  return prefix + buf;
}

bool saneRequestId(const std::string& v) {
  if (v.empty() || v.size() > 128) return false;
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':')) return false;
  return true;
}
}  // namespace

Response errorResponse(int status, const OrderedJson& detail) { return Response::json(status, OrderedJson{{"detail", detail}}); }

Dispatcher::Dispatcher(const Router& router, Metrics& metrics, DispatcherOptions options)
    : router_(router), metrics_(metrics), opts_(std::move(options)) {}

bool Dispatcher::authorized(const Request& req) const {
  if (opts_.apiKeys.empty() || !startsWith(req.path, opts_.apiPrefix)) return true;
  std::string presented;
  if (auto auth = req.header("authorization")) {
    std::string a = trim(*auth);
    if (a.size() > 7 && iequals(a.substr(0, 7), "bearer ")) presented = trim(a.substr(7));
  }
  if (presented.empty())
    if (auto key = req.header("x-api-key")) presented = trim(*key);
  if (presented.empty()) return false;
  bool ok = false;
  for (const auto& k : opts_.apiKeys) ok = constantTimeEquals(presented, k) || ok;  // no early exit
  return ok;
}

Response Dispatcher::dispatch(Request& req) const {
  auto start = std::chrono::steady_clock::now();
  auto incoming = req.header("x-request-id");
  req.requestId = incoming && saneRequestId(*incoming) ? *incoming : nextRequestId();
  Response res;
  std::string routeLabel = "unmatched";
  try {
    if (!authorized(req)) {
      res = errorResponse(401, "Not authenticated: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.");
      res.header("WWW-Authenticate", "Bearer");
    } else {
      RouteMatch m = router_.match(req.method, req.path);
      if (m.kind == RouteMatch::Kind::notFound) {
        res = errorResponse(404, "Not Found");
      } else if (m.kind == RouteMatch::Kind::methodNotAllowed) {
        res = errorResponse(405, "Method Not Allowed");
        res.header("Allow", join(m.allowed, ", "));
      } else {
        routeLabel = m.route->pattern;
        req.params = std::move(m.params);
        req.routeTemplate = m.route->pattern;
        res = m.route->handler(req);
      }
    }
  } catch (const ApiError& e) {
    res = errorResponse(e.status(), e.detail());
  } catch (const std::exception& e) {
    log::error("unhandled error", {{"requestId", req.requestId}, {"path", req.path}, {"error", e.what()}});
    res = Response::text(500, "Internal Server Error");
  }
  res.header("X-Request-Id", req.requestId);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe(routeLabel, req.method, res.status, seconds);
  if (opts_.accessLog && log::enabled(log::Level::info))
    log::info("request", {{"method", req.method},
                          {"path", req.path},
                          {"route", routeLabel},
                          {"status", res.status},
                          {"durationMs", seconds * 1000.0},
                          {"requestId", req.requestId}});
  return res;
}
}  // namespace cg::http
