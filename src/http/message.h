// Request and Response: the HTTP types every handler sees. They hide Boost.Beast, which only
// src/http/server.cpp includes. Header names are stored lowercase.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/json.h"

namespace cg::http {
struct Request {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // raw request target
  std::string path;    // percent-decoded path without query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // lowercase names
  std::string body;
  std::map<std::string, std::string> params;  // path parameters of the matched route
  std::string routeTemplate;                  // e.g. /api/v1/session/{session_id}
  std::string requestId;
  std::string remoteAddress;

  std::optional<std::string> header(std::string_view lowercaseName) const;
  std::optional<std::string> queryParam(std::string_view name) const;
  const std::string& param(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response json(int status, const Json& body);
  static Response json(int status, const OrderedJson& body);
  static Response empty(int status);
  static Response text(int status, std::string body, std::string contentType = "text/plain; charset=utf-8");
  Response& header(std::string name, std::string value);
};

using Handler = std::function<Response(Request&)>;

// Percent-decodes `s`; '+' becomes a space when `plusAsSpace` (query strings).
std::string percentDecode(std::string_view s, bool plusAsSpace);
// Splits a request target into decoded path and query pairs.
void parseTarget(std::string_view target, std::string& path, std::vector<std::pair<std::string, std::string>>& query);
const char* statusReason(int status);
}  // namespace cg::http
