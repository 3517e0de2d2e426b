// Session routes (api-contract.md B.2, B.8.1): create, create with id, get (full data map, as the
// seed documentation describes), head, delete (cascades and cancels jobs), patch (top-level merge),
// and the session's job list.
#include "api/api_context.h"
#include "api/validation.h"
#include "jobs/status.h"
#include "util/api_error.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
using http::Request;
using http::Response;

namespace {
OrderedJson sessionSchemaRef() { return OrderedJson{{"$ref", "#/components/schemas/Session"}}; }
OrderedJson jsonResponse(const std::string& description, OrderedJson schema = OrderedJson{{"type", "object"}}) {
  return OrderedJson{{"description", description}, {"content", {{"application/json", {{"schema", schema}}}}}};
}
}  // namespace

void registerSessionRoutes(http::Router& r, ApiContext& ctx) {
  const std::string base = ctx.v1() + "/session";
  Store& store = ctx.store;

  r.add("POST", base, [&store](Request&) {
    std::string id = newUuid();
    try {
      if (!store.createSession(id, nowMicros())) throw ApiError(500, "Unable to create session");
    } catch (const StoreError&) {
      throw ApiError(500, "Unable to create session");
    }
    return Response::json(201, OrderedJson{{"sessionId", id},
                                           {"message", "Session created successfully. Use this session_id in subsequent requests."}});
  }, {"Create a session", "session", 201, nullptr, {{"201", jsonResponse("Session created")}}});

  r.add("POST", base + "/{session_id}", [&store](Request& req) {
    std::string id = api::uuidParam(req, "session_id");
    bool created;
    try {
      created = store.createSession(id, nowMicros());
    } catch (const StoreError&) {
      throw ApiError(500, "Unable to create session");
    }
    if (!created) throw ApiError(409, "Session " + id + " already exists");
    return Response::json(201, OrderedJson{{"sessionId", id}, {"message", "Session created successfully with provided ID."}});
  }, {"Create a session with a caller-chosen id", "session", 201, nullptr,
      {{"201", jsonResponse("Session created")}, {"409", jsonResponse("Session exists")}}});

  r.add("GET", base + "/{session_id}", [&store](Request& req) {
    std::string id = api::uuidParam(req, "session_id");
    auto s = store.getSessionWithData(id);
    if (!s) throw ApiError(404, "Session " + id + " not found");
    OrderedJson data = OrderedJson::object();
    for (auto& [k, v] : s->second) data[k] = std::move(v);
    OrderedJson out = {{"sessionId", id},
                       {"data", std::move(data)},
                       {"createdAt", formatTimestamp(s->first.createdAt)},
                       {"updatedAt", formatTimestamp(s->first.updatedAt)}};
    return Response::json(200, out);
  }, {"Get a session with all its data", "session", 200, nullptr, {{"200", jsonResponse("The session", sessionSchemaRef())}}});

  r.add("HEAD", base + "/{session_id}", [&store](Request& req) {
    std::string id = api::uuidParam(req, "session_id");
    if (!store.getSession(id)) throw ApiError(404, "Session " + id + " not found");
    return Response::empty(204);
  }, {"Check that a session exists", "session", 204});

  r.add("DELETE", base + "/{session_id}", [&ctx](Request& req) {
    std::string id = api::uuidParam(req, "session_id");
    // Deleting cascades to data, jobs, documents, chunks and relevance rows; workers running one of
    // the session's jobs notice at their next lease renewal and stop.
    if (!ctx.store.deleteSession(id)) throw ApiError(404, "Session " + id + " not found");
    return Response::json(200, OrderedJson{{"message", "Session deleted successfully"}, {"sessionId", id}});
  }, {"Delete a session, its data, documentation and jobs", "session"});

  r.add("PATCH", base + "/{session_id}", [&store](Request& req) {
    std::string id = api::uuidParam(req, "session_id");
    OrderedJson body = api::jsonBody(req);
    const OrderedJson& data = api::objectField(body, "data");
    std::vector<std::pair<std::string, OrderedJson>> values;
    for (auto it = data.begin(); it != data.end(); ++it) {
      if (it.key().empty() || it.key().size() > 255)
        throwValidation("string_too_long", OrderedJson::array({"body", "data", it.key()}),
                        "Session data keys must be 1 to 255 characters long", it.key());
      values.emplace_back(it.key(), it.value());
    }
    if (!store.putSessionData(id, values, nowMicros())) throw ApiError(404, "Session " + id + " not found or update failed");
    return Response::json(200, OrderedJson{{"message", "Session updated successfully"}, {"sessionId", id}});
  }, {"Merge keys into the session data (top-level)", "session", 200,
      OrderedJson{{"required", true},
           {"content", {{"application/json", {{"schema", {{"type", "object"}, {"required", {"data"}},
                                                          {"properties", {{"data", {{"type", "object"}}}}}}}}}}}}});

  r.add("GET", base + "/{session_id}/jobs", [&store](Request& req) {
    std::string id = api::uuidParam(req, "session_id");
    requireSession(store, id);
    OrderedJson jobs = OrderedJson::array();
    for (const auto& j : store.listJobs(id)) jobs.push_back(jobListItem(j));
    return Response::json(200, OrderedJson{{"sessionId", id}, {"jobs", std::move(jobs)}});
  }, {"List the session's jobs, oldest first", "session"});
}
}  // namespace cg
