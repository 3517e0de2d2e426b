// Router: maps (method, path) to a handler. Patterns are literal segments and `{name}` parameters;
// a final `{name:path}` parameter takes the rest of the path. Literal segments win over parameters
// (so `/documentation/status` beats `/documentation/{documentation_id}`). Each route carries the
// documentation the OpenAPI document is built from, so the document and the routes cannot drift.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "util/json.h"

namespace cg::http {
struct RouteDoc {
  std::string summary;
  std::string tag;
  int successStatus = 200;
  Json requestBody = nullptr;  // OpenAPI requestBody object, or null
  Json responses = nullptr;    // extra OpenAPI responses keyed by status, or null
  Json queryParams = Json::array();  // [{name, schema, description, required}]
  std::string description;
  bool hidden = false;  // not in the OpenAPI document (e.g. static files)
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;
  RouteDoc doc;
};

struct RouteMatch {
  enum class Kind { found, notFound, methodNotAllowed } kind = Kind::notFound;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;  // for methodNotAllowed
};

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler, RouteDoc doc = {});
  RouteMatch match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  // Returns a score (higher = more literal) when `route` matches `parts`, else -1.
  static int score(const Route& route, const std::vector<std::string>& parts, std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

std::vector<std::string> splitPath(const std::string& path);
}  // namespace cg::http
