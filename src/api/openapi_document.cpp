// Builds the service's OpenAPI 3.1 document from the router's route table and the RouteDoc each
// route was registered with, so every served route is documented and nothing else is.
#include <algorithm>
#include <set>

#include "api/api_context.h"
#include "util/strings.h"

namespace cg {
namespace {
OrderedJson errorResponse(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/ErrorDetail"}}}}}}}};
}

std::string operationId(const std::string& method, const std::string& pattern) {
  std::string id = toLower(method);
  for (const auto& seg : http::splitPath(pattern)) {
    std::string s;
    bool upper = true;
    for (char c : seg) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        upper = true;
        continue;
      }
      s.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      upper = false;
    }
    id += s;
  }
  return id;
}
}  // namespace

OrderedJson buildOpenApiDocument(const http::Router& router, const ApiSettings& settings) {
  OrderedJson doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", settings.title},
                 {"version", settings.version},
                 {"description",
                  "Turns API documentation into midPoint connector scripts. Compatible with the midPilot Connector "
                  "Generator API; extensions are marked in their descriptions."}};
  OrderedJson paths = OrderedJson::object();
  for (const auto& route : router.routes()) {
    if (route.doc.hidden) continue;
    OrderedJson op;
    op["operationId"] = operationId(route.method, route.pattern);
    op["summary"] = route.doc.summary;
    if (!route.doc.description.empty()) op["description"] = route.doc.description;
    if (!route.doc.tag.empty()) op["tags"] = {route.doc.tag};
    OrderedJson params = OrderedJson::array();
    for (const auto& seg : route.segments) {
      if (seg.size() < 3 || seg.front() != '{') continue;
      std::string name = seg.substr(1, seg.size() - 2);
      name = name.substr(0, name.find(':'));
      OrderedJson schema = {{"type", "string"}};
      if (endsWith(name, "_id")) schema["format"] = "uuid";
      params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}});
    }
    for (const auto& q : route.doc.queryParams) {
      OrderedJson p = OrderedJson::parse(q.dump());
      p["in"] = "query";
      params.push_back(p);
    }
    if (!params.empty()) op["parameters"] = params;
    if (!route.doc.requestBody.is_null()) op["requestBody"] = OrderedJson::parse(route.doc.requestBody.dump());
    OrderedJson responses = OrderedJson::object();
    std::string ok = std::to_string(route.doc.successStatus);
    responses[ok] = {{"description", "Success"}};
    if (route.doc.responses.is_object())
      for (auto it = route.doc.responses.begin(); it != route.doc.responses.end(); ++it)
        responses[it.key()] = OrderedJson::parse(it.value().dump());
    bool hasParams = !params.empty() || !route.doc.requestBody.is_null();
    if (startsWith(route.pattern, settings.apiBaseUrl + "/")) {
      if (route.pattern.find("{session_id}") != std::string::npos && !responses.contains("404"))
        responses["404"] = errorResponse("Session (or the requested item) not found");
      if (hasParams && !responses.contains("422"))
        responses["422"] = {{"description", "Validation error"},
                            {"content",
                             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/HTTPValidationError"}}}}}}}};
    }
    op["responses"] = responses;
    paths[route.pattern][toLower(route.method)] = op;
  }
  doc["paths"] = paths;
  OrderedJson schemas = OrderedJson::object();
  schemas["ErrorDetail"] = {{"type", "object"}, {"properties", {{"detail", {{"type", "string"}}}}}, {"required", {"detail"}}};
  OrderedJson anyOf = OrderedJson::array();
  anyOf.push_back({{"type", "string"}});
  anyOf.push_back({{"type", "integer"}});
  OrderedJson loc = {{"type", "array"}, {"items", {{"anyOf", anyOf}}}};
  schemas["ValidationError"] = {{"type", "object"},
                                {"properties",
                                 {{"type", {{"type", "string"}}},
                                  {"loc", loc},
                                  {"msg", {{"type", "string"}}},
                                  {"input", OrderedJson::object()},
                                  {"ctx", {{"type", "object"}}}}},
                                {"required", {"type", "loc", "msg"}}};
  OrderedJson items = {{"$ref", "#/components/schemas/ValidationError"}};
  schemas["HTTPValidationError"] = {{"type", "object"},
                                    {"properties", {{"detail", {{"type", "array"}, {"items", items}}}}}};
  OrderedJson uuid = {{"type", "string"}, {"format", "uuid"}};
  OrderedJson dateTime = {{"type", "string"}, {"format", "date-time"}};
  schemas["Session"] = {{"type", "object"},
                        {"properties",
                         {{"sessionId", uuid},
                          {"data", {{"type", "object"}, {"description", "Every session data key and its JSON value"}}},
                          {"createdAt", dateTime},
                          {"updatedAt", dateTime}}},
                        {"required", {"sessionId", "data", "createdAt", "updatedAt"}}};
  doc["components"]["schemas"] = schemas;
  doc["components"]["securitySchemes"] = {
      {"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"description", "Only when APP__API_KEYS is set"}}},
      {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}};
  return doc;
}
}  // namespace cg
