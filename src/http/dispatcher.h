// Dispatcher: everything between the socket and a route handler, independent of Boost.Beast so
// it can be tested without sockets: request id, optional API-key check, routing (404/405 with
// Allow), mapping ApiError to the contract's JSON errors and other exceptions to a plain 500,
// metrics, and one JSON access-log line per request.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"

namespace cg::http {
struct DispatcherOptions {
  std::vector<std::string> apiKeys;  // empty: /api/ routes are open
  std::string apiPrefix = "/api/";
  bool accessLog = true;
};

class Dispatcher {
 public:
  Dispatcher(const Router& router, Metrics& metrics, DispatcherOptions options);
  // Fills requestId (echoes a sane X-Request-Id or generates one) and returns the response,
  // which always carries X-Request-Id.
  Response dispatch(Request& request) const;

 private:
  bool authorized(const Request& request) const;
  const Router& router_;
  Metrics& metrics_;
  DispatcherOptions opts_;
};

// The JSON body of an error response for an ApiError-like (status, detail).
Response errorResponse(int status, const OrderedJson& detail);
}  // namespace cg::http
