#include <gtest/gtest.h>

#include "http/dispatcher.h"
#include "http/router.h"
#include "util/api_error.h"

using namespace cg;
using namespace cg::http;

namespace {
Handler named(std::string n) {
  return [n](Request& r) { return Response::json(200, Json{{"route", n}, {"params", r.params}}); };
}
}  // namespace

TEST(Router, LiteralSegmentsBeatParameters) {
  Router r;
  r.add("GET", "/s/{session_id}/documentation/{documentation_id}", named("doc"));
  r.add("GET", "/s/{session_id}/documentation/status", named("status"));
  r.add("DELETE", "/s/{session_id}/documentation/{documentation_id}", named("del"));
  auto m = r.match("GET", "/s/abc/documentation/status");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.route->pattern, "/s/{session_id}/documentation/status");
  EXPECT_EQ(m.params.at("session_id"), "abc");
  m = r.match("GET", "/s/abc/documentation/xyz");
  EXPECT_EQ(m.params.at("documentation_id"), "xyz");
  // A method that only the parameter route has still routes there (like Starlette).
  m = r.match("DELETE", "/s/abc/documentation/status");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.params.at("documentation_id"), "status");
}

TEST(Router, NotFoundAndMethodNotAllowed) {
  Router r;
  r.add("GET", "/a/{x}", named("get"));
  r.add("POST", "/a/{x}", named("post"));
  r.add("GET", "/files/{rest:path}", named("files"));
  EXPECT_EQ(r.match("GET", "/b").kind, RouteMatch::Kind::notFound);
  EXPECT_EQ(r.match("GET", "/a/1/2").kind, RouteMatch::Kind::notFound);
  auto m = r.match("PUT", "/a/1");
  ASSERT_EQ(m.kind, RouteMatch::Kind::methodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
  m = r.match("GET", "/files/x/y.js");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.params.at("rest"), "x/y.js");
}

TEST(Dispatcher, MapsErrorsAndChecksApiKeys) {
  Router r;
  r.add("GET", "/api/v1/boom", [](Request&) -> Response { throw std::runtime_error("secret internals"); });
  r.add("GET", "/api/v1/missing", [](Request&) -> Response { throw ApiError(404, "Session x not found"); });
  r.add("GET", "/health", [](Request&) { return Response::json(200, Json{{"message", "OK"}}); });
  Metrics metrics;
  Dispatcher open(r, metrics, {{}, "/api/", false});
  Request req;
  req.method = "GET";
  req.path = "/api/v1/boom";
  auto res = open.dispatch(req);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body, "Internal Server Error");
  req.path = "/api/v1/missing";
  res = open.dispatch(req);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, R"({"detail":"Session x not found"})");
  req.path = "/nope";
  res = open.dispatch(req);
  EXPECT_EQ(res.body, R"({"detail":"Not Found"})");
  EXPECT_NE(metrics.render().find(R"(route="/api/v1/missing",method="GET",status="404")"), std::string::npos);

  Dispatcher locked(r, metrics, {{"k1"}, "/api/", false});
  Request a;
  a.method = "GET";
  a.path = "/api/v1/missing";
  EXPECT_EQ(locked.dispatch(a).status, 401);
  a.headers = {{"authorization", "Bearer k1"}};
  EXPECT_EQ(locked.dispatch(a).status, 404);
  Request h;
  h.method = "GET";
  h.path = "/health";
  EXPECT_EQ(locked.dispatch(h).status, 200);
}

TEST(Message, TargetParsing) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> q;
  parseTarget("/a%20b/c?x=1&y=a+b&z=%2F&flag", path, q);
  EXPECT_EQ(path, "/a b/c");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[1].second, "a b");
  EXPECT_EQ(q[2].second, "/");
  EXPECT_EQ(q[3].first, "flag");
}
