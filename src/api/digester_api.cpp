// Digester routes (api-contract.md B.6) and the digester.* jobs. Every job runs the deterministic
// engines over the session's stored whole documents (src/digest/session_digest.h) and stores its
// part of the result; the digest of one set of documents is computed once per process and reused
// by the seven jobs. Outputs are stored without relevance fields; relevance rows go to the
// relevance store and are re-attached ("hydrated") by the GET routes, which always show the
// current session value (so PUT overrides are visible consistently).
#include <algorithm>
#include <chrono>
#include <list>
#include <set>
#include <mutex>
#include <thread>

#include "api/api_context.h"
#include "api/validation.h"
#include "api/llm_support.h"
#include "api/session_model.h"
#include "digest/session_digest.h"
#include "jobs/status.h"
#include "util/api_error.h"
#include "util/log.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
using http::Request;
using http::Response;

namespace {
const char* kClassesKey = "objectClassesOutput";

std::string normalizeOc(const std::string& raw) { return toLower(trim(raw)); }

// {docId, chunkId} references of an item (either key spelling).
std::vector<std::pair<std::string, std::string>> refsOf(const OrderedJson& item) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* key : {"relevantDocumentations", "relevant_documentations"}) {
    if (!item.is_object() || !item.contains(key) || !item[key].is_array()) continue;
    for (const auto& r : item[key]) {
      if (!r.is_object()) continue;
      std::string doc = r.value("docId", r.value("doc_id", ""));
      std::string chunk = r.value("chunkId", r.value("chunk_id", ""));
      auto docId = parseUuid(doc), chunkId = parseUuid(chunk);
      if (chunkId) out.emplace_back(docId ? *docId : doc, *chunkId);
    }
  }
  return out;
}

enum class OutputKind { classes, attributes, endpoints, connectivity, auth, relations, metadata };

// Relevance rows of an output value, keyed per D.4.
std::vector<RelevanceRow> relevanceRows(const std::string& resultKey, const OrderedJson& value, OutputKind kind) {
  std::vector<RelevanceRow> rows;
  auto add = [&](const std::string& entity, const OrderedJson& item) {
    for (auto& [doc, chunk] : refsOf(item)) rows.push_back({resultKey, entity, doc, chunk, OrderedJson::object()});
  };
  if (kind == OutputKind::classes && value.contains("objectClasses") && value["objectClasses"].is_array()) {
    for (const auto& c : value["objectClasses"])
      if (c.is_object()) add(toLower(c.value("name", "")), c);
  } else if (kind == OutputKind::attributes) {
    const OrderedJson& map = value.contains("attributes") && value["attributes"].is_object() ? value["attributes"] : value;
    if (map.is_object())
      for (auto it = map.begin(); it != map.end(); ++it) add(toLower(it.key()), it.value());
  } else if ((kind == OutputKind::endpoints || kind == OutputKind::connectivity) && value.contains("endpoints") &&
             value["endpoints"].is_array()) {
    for (const auto& e : value["endpoints"])
      if (e.is_object()) add(toUpperAscii(e.value("method", "")) + " " + e.value("path", ""), e);
  } else if (kind == OutputKind::auth && value.contains("auth") && value["auth"].is_array()) {
    for (const auto& a : value["auth"])
      if (a.is_object()) add(toLower(a.value("name", "")) + "|" + toLower(a.value("type", "")), a);
  }
  return rows;
}

// Re-attaches relevantDocumentations from the relevance store to an output value.
OrderedJson hydrate(Store& store, const std::string& sid, const std::string& resultKey, OrderedJson value,
                    OutputKind kind) {
  std::map<std::string, OrderedJson> byEntity;
  for (const auto& r : store.listRelevance(sid, resultKey)) {
    auto& list = byEntity[r.entityKey];
    if (!list.is_array()) list = OrderedJson::array();
    OrderedJson ref = {{"docId", r.docId}, {"chunkId", r.chunkId}};
    if (r.sequence.is_object() && !r.sequence.empty()) ref["relevantSequence"] = r.sequence;
    list.push_back(ref);
  }
  auto refs = [&](const std::string& entity) {
    auto it = byEntity.find(entity);
    return it == byEntity.end() ? OrderedJson::array() : it->second;
  };
  if (kind == OutputKind::classes && value.contains("objectClasses") && value["objectClasses"].is_array()) {
    for (auto& c : value["objectClasses"])
      if (c.is_object()) c["relevantDocumentations"] = refs(toLower(c.value("name", "")));
  } else if (kind == OutputKind::attributes) {
    OrderedJson& map = value.contains("attributes") && value["attributes"].is_object() ? value["attributes"] : value;
    if (map.is_object())
      for (auto it = map.begin(); it != map.end(); ++it)
        if (it.value().is_object()) it.value()["relevantDocumentations"] = refs(toLower(it.key()));
  } else if ((kind == OutputKind::endpoints || kind == OutputKind::connectivity) && value.contains("endpoints") &&
             value["endpoints"].is_array()) {
    for (auto& e : value["endpoints"])
      if (e.is_object())
        e["relevantDocumentations"] = refs(toUpperAscii(e.value("method", "")) + " " + e.value("path", ""));
  }
  return value;
}

void requireDocumentation(Store& store, const std::string& sid) {
  if (store.listDocuments(sid).empty() && store.listChunks(sid).empty())
    throw JobFailure("Session with ID " + sid + " has no documentation items stored.");
}

std::vector<std::string> diagnosticLines(const digest::DigestResult& r, size_t max = 20) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) {
    if (d.severity == digest::Diagnostic::Severity::Info) continue;
    if (out.size() >= max) {
      out.push_back("… " + std::to_string(r.diagnostics.size() - max) + " more findings");
      break;
    }
    out.push_back(std::string(digest::severityName(d.severity)) + ": " + d.message +
                  (d.location.empty() ? "" : " (at " + d.location + ")"));
  }
  return out;
}

JobOutcome digesterOutcome(Store& store, const std::string& sid, const std::string& resultKey, const OrderedJson& full,
                           OutputKind kind, std::vector<std::string> errors) {
  store.replaceRelevance(sid, resultKey, relevanceRows(resultKey, full, kind));
  JobOutcome out;
  out.result = {{"result", full}};
  out.sessionValue = stripRelevance(full);
  out.errors = std::move(errors);
  return out;
}

// Adds the optional LLM step's usage (only for the job that made the calls) and its non-fatal errors.
JobOutcome withLlmStep(JobOutcome out, const JobDigest& jd) {
  if (jd.llmUsage) out.result["llmUsage"] = *jd.llmUsage;
  out.errors.insert(out.errors.end(), jd.errors.begin(), jd.errors.end());
  return out;
}

// Writes `field` (attributes or endpoints) into the class entry of objectClassesOutput.
void updateClassEntry(Store& store, const std::string& sid, const std::string& oc, const char* field,
                      const OrderedJson& value) {
  auto classes = store.getSessionValue(sid, kClassesKey);
  if (!classes || !classes->is_object() || !classes->contains("objectClasses") || !(*classes)["objectClasses"].is_array())
    return;
  for (auto& c : (*classes)["objectClasses"])
    if (c.is_object() && toLower(c.value("name", "")) == oc) c[field] = value;
  store.putSessionData(sid, {{kClassesKey, *classes}}, nowMicros());
}

// ---------------------------------------------------------------- request helpers

OrderedJson jobIdBody(const std::string& id) { return OrderedJson{{"jobId", id}}; }

std::string startJob(ApiContext& ctx, const std::string& sid, const std::string& type, const std::string& keyPrefix,
                     OrderedJson input, JobProgress progress) {
  return ctx.startOperationJob(sid, type, keyPrefix, input, OrderedJson{{"sessionId", sid}}, std::move(progress));
}

const OrderedJson* findClassEntry(const OrderedJson& classes, const std::string& oc) {
  if (!classes.contains("objectClasses") || !classes["objectClasses"].is_array()) return nullptr;
  for (const auto& c : classes["objectClasses"])
    if (c.is_object() && toLower(c.value("name", "")) == oc) return &c;
  return nullptr;
}

// B.6.6/B.6.7 pre-checks; returns the relevant documentation count for the class.
size_t classPrechecks(Store& store, const std::string& sid, const std::string& oc, const std::string& what) {
  requireSession(store, sid);
  auto classes = store.getSessionValue(sid, kClassesKey);
  if (!classes)
    throw ApiError(404, "No object classes found in session " + sid + ". Please run /classes endpoint first.");
  if (!classes->is_object() || !classes->contains("objectClasses") || !(*classes)["objectClasses"].is_array())
    throw ApiError(404, "Invalid object classes data in session " + sid);
  if (!findClassEntry(*classes, oc)) throw ApiError(404, "Object class '" + oc + "' not found in session " + sid);
  size_t n = 0;
  for (const auto& r : store.listRelevance(sid, kClassesKey))
    if (r.entityKey == oc) ++n;
  if (n == 0 && store.listDocuments(sid).empty())
    throw ApiError(400, "No relevant chunks found for object class '" + oc + "'. Cannot extract " + what + ".");
  return n;
}

std::string baseApiUrl(Store& store, const std::string& sid) {
  auto meta = store.getSessionValue(sid, "metadataOutput");
  if (!meta || !meta->is_object()) return "";
  const OrderedJson* info = meta->contains("infoMetadata") ? &(*meta)["infoMetadata"]
                            : meta->contains("InfoMetadata") ? &(*meta)["InfoMetadata"] : nullptr;
  if (!info || !info->is_object() || !info->contains("baseApiEndpoint") || !(*info)["baseApiEndpoint"].is_array())
    return "";
  for (const auto& e : (*info)["baseApiEndpoint"])
    if (e.is_object() && e.contains("uri") && e["uri"].is_string()) return e["uri"].get<std::string>();
  return "";
}

Json skipCacheDoc() {
  return Json::array({{{"name", "skipCache"}, {"required", false}, {"schema", {{"type", "boolean"}, {"default", false}}}}});
}
Json jobIdDoc() {
  return Json::array({{{"name", "jobId"}, {"required", false}, {"schema", {{"type", "string"}, {"format", "uuid"}}}}});
}
Json jsonBodyDoc() {
  return Json{{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
}

// Status GET with hydration of the current session value (classes/attributes/endpoints/connectivity)
// or the job's own result (relations/auth/metadata).
Response statusResponse(Store& store, const std::string& sid, const std::optional<std::string>& jobId,
                        const std::string& keyPrefix, const std::string& missing, OutputKind kind, bool fromSession) {
  OrderedJson st = resolveJobStatus(store, sid, jobId, keyPrefix + "JobId", missing, StatusEnvelope::multiDoc);
  if (st.value("status", "") == "finished" && st.contains("result") && !st["result"].is_null()) {
    OrderedJson inner = st["result"].is_object() && st["result"].contains("result") ? st["result"]["result"] : st["result"];
    // Present only when the optional LLM step ran in this job (LLM__* settings).
    if (st["result"].is_object() && st["result"].contains("llmUsage")) st["llmUsage"] = st["result"]["llmUsage"];
    if (fromSession) {
      if (auto current = store.getSessionValue(sid, keyPrefix + "Output")) inner = *current;
      inner = hydrate(store, sid, keyPrefix + "Output", inner, kind);
      if (kind == OutputKind::classes && inner.contains("objectClasses") && inner["objectClasses"].is_array())
        for (auto& c : inner["objectClasses"])
          if (c.is_object()) {
            c.erase("attributes");
            c.erase("endpoints");
          }
    }
    st["result"] = inner;
  }
  return Response::json(200, st);
}

void requireObjectBody(const OrderedJson& body) {
  if (!body.is_object())
    throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                    "Input should be a valid dictionary or object to extract fields from", body);
}

void requireArrayField(const OrderedJson& body, const char* field) {
  requireObjectBody(body);
  if (!body.contains(field)) throwValidation("missing", OrderedJson::array({"body", field}), "Field required", body);
  if (!body[field].is_array())
    throwValidation("list_type", OrderedJson::array({"body", field}), "Input should be a valid list", body[field]);
}

// Sorts classes by confidence (high, medium, low, missing) then lowercase name, if any has one.
void sortClasses(OrderedJson& list) {
  bool any = false;
  for (const auto& c : list) any = any || (c.is_object() && c.contains("confidence"));
  if (!any) return;
  auto rank = [](const OrderedJson& c) {
    std::string conf = c.is_object() ? c.value("confidence", "") : "";
    return conf == "high" ? 0 : conf == "medium" ? 1 : conf == "low" ? 2 : 3;
  };
  std::vector<OrderedJson> v(list.begin(), list.end());
  std::stable_sort(v.begin(), v.end(), [&](const OrderedJson& a, const OrderedJson& b) {
    int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    return toLower(a.is_object() ? a.value("name", "") : "") < toLower(b.is_object() ? b.value("name", "") : "");
  });
  list = OrderedJson(v);
}
}  // namespace

void registerDigesterRoutes(http::Router& r, ApiContext& ctx) {
  const std::string base = ctx.v1() + "/digester/{session_id}";
  Store& store = ctx.store;
  const JobProgress chunking{"chunking", "Preparing and splitting documentation", std::nullopt, std::nullopt};

  // ---- classes
  r.add("POST", base + "/classes", [&ctx, chunking](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    bool skip = api::boolQuery(req, "skipCache", false);
    requireSession(ctx.store, sid);
    return Response::json(200, jobIdBody(startJob(ctx, sid, "digester.getObjectClass", "objectClasses",
                                                  {{"skipCache", skip}}, chunking)));
  }, {"Extract object classes", "digester", 200, nullptr, nullptr, skipCacheDoc()});
  r.add("GET", base + "/classes", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    auto jobId = api::uuidQuery(req, "jobId");
    return statusResponse(store, sid, jobId, "objectClasses", "No object classes job found in session " + sid,
                          OutputKind::classes, true);
  }, {"Object classes job status and result", "digester", 200, nullptr, nullptr, jobIdDoc()});
  r.add("PUT", base + "/classes", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    OrderedJson body = api::jsonBody(req);
    requireObjectBody(body);
    requireSession(store, sid);
    store.putSessionData(sid, {{kClassesKey, stripRelevance(body)}}, nowMicros());
    store.replaceRelevance(sid, kClassesKey, relevanceRows(kClassesKey, body, OutputKind::classes));
    return Response::json(200, OrderedJson{{"message", "All object classes uploaded successfully"}, {"sessionId", sid}});
  }, {"Override the object classes", "digester", 200, jsonBodyDoc()});

  r.add("GET", base + "/classes/{object_class}", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string raw = req.param("object_class");
    std::string oc = normalizeOc(raw);
    requireSession(store, sid);
    auto classes = store.getSessionValue(sid, kClassesKey);
    if (!classes)
      throw ApiError(404, "No object classes found in session " + sid + ". Please run /classes endpoint first.");
    if (!classes->is_object() || !classes->contains("objectClasses") || !(*classes)["objectClasses"].is_array())
      throw ApiError(404, "Invalid object classes data in session " + sid);
    const OrderedJson* entry = findClassEntry(*classes, oc);
    if (!entry) throw ApiError(404, "Object class '" + raw + "' not found in session " + sid);
    OrderedJson out = *entry;
    OrderedJson refs = OrderedJson::array();
    for (const auto& row : store.listRelevance(sid, kClassesKey))
      if (row.entityKey == oc) refs.push_back({{"docId", row.docId}, {"chunkId", row.chunkId}});
    out["relevantDocumentations"] = refs;
    if (auto attrs = store.getSessionValue(sid, oc + "AttributesOutput")) {
      OrderedJson h = hydrate(store, sid, oc + "AttributesOutput", *attrs, OutputKind::attributes);
      out["attributes"] = h.contains("attributes") && h["attributes"].is_object() ? h["attributes"] : h;
    }
    if (auto eps = store.getSessionValue(sid, oc + "EndpointsOutput")) {
      OrderedJson h = hydrate(store, sid, oc + "EndpointsOutput", *eps, OutputKind::endpoints);
      out["endpoints"] = h.contains("endpoints") && h["endpoints"].is_array() ? h["endpoints"] : OrderedJson::array();
    }
    return Response::json(200, out);
  }, {"One object class with its attributes and endpoints", "digester"});

  r.add("PUT", base + "/classes/{object_class}", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string raw = req.param("object_class");
    std::string oc = normalizeOc(raw);
    OrderedJson body = api::jsonBody(req);
    requireObjectBody(body);
    requireSession(store, sid);
    OrderedJson classes = store.getSessionValue(sid, kClassesKey).value_or(OrderedJson::object());
    if (!classes.is_object()) classes = OrderedJson::object();
    if (!classes.contains("objectClasses") || !classes["objectClasses"].is_array())
      classes["objectClasses"] = OrderedJson::array();
    OrderedJson entry = stripRelevance(body);
    entry["name"] = raw;
    bool replaced = false;
    for (auto& c : classes["objectClasses"])
      if (c.is_object() && toLower(c.value("name", "")) == oc) {
        c = entry;
        replaced = true;
      }
    if (!replaced) classes["objectClasses"].push_back(entry);
    sortClasses(classes["objectClasses"]);
    store.putSessionData(sid, {{kClassesKey, classes}}, nowMicros());
    // Only this class's relevance rows change (the reference wiped every other class's rows).
    std::vector<RelevanceRow> rows;
    for (auto& row : store.listRelevance(sid, kClassesKey))
      if (row.entityKey != oc) rows.push_back(row);
    for (auto& [doc, chunk] : refsOf(body)) rows.push_back({kClassesKey, oc, doc, chunk, OrderedJson::object()});
    store.replaceRelevance(sid, kClassesKey, rows);
    return Response::json(200, OrderedJson{{"message", "Object class '" + raw + "' " +
                                                           (replaced ? "updated" : "added") + " successfully"},
                                           {"sessionId", sid}});
  }, {"Add or replace one object class", "digester", 200, jsonBodyDoc()});

  // ---- attributes and endpoints
  struct PerClass {
    const char* path;
    const char* jobType;
    const char* keySuffix;
    const char* what;
    const char* jobName;
    OutputKind kind;
    const char* field;
  };
  for (PerClass pc : {PerClass{"/attributes", "digester.getObjectClassSchema", "Attributes", "attributes", "attributes",
                               OutputKind::attributes, "attributes"},
                      PerClass{"/endpoints", "digester.getEndpoints", "Endpoints", "endpoints", "endpoints",
                               OutputKind::endpoints, "endpoints"}}) {
    r.add("POST", base + "/classes/{object_class}" + pc.path, [&ctx, pc](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      bool skip = api::boolQuery(req, "skipCache", false);
      std::string oc = normalizeOc(req.param("object_class"));
      size_t n = classPrechecks(ctx.store, sid, oc, pc.what);
      OrderedJson input = {{"objectClass", oc}, {"relevantDocumentationsCount", n}};
      if (pc.kind == OutputKind::endpoints) input["baseApiUrl"] = baseApiUrl(ctx.store, sid);
      OrderedJson jobInput = input;
      jobInput["skipCache"] = skip;
      std::string id = startJob(ctx, sid, pc.jobType, oc + pc.keySuffix, input,
                                {"chunking", "Processing " + std::to_string(n) + " relevant chunks for " + oc,
                                 std::nullopt, std::nullopt});
      return Response::json(200, jobIdBody(id));
    }, {std::string("Extract the class's ") + pc.what, "digester", 200, nullptr, nullptr, skipCacheDoc()});

    r.add("GET", base + "/classes/{object_class}" + pc.path, [&ctx, pc](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      auto jobId = api::uuidQuery(req, "jobId");
      std::string oc = normalizeOc(req.param("object_class"));
      return statusResponse(ctx.store, sid, jobId, oc + pc.keySuffix,
                            std::string("No ") + pc.jobName + " job found for " + oc + " in session " + sid, pc.kind, true);
    }, {std::string("Status and result of the class's ") + pc.what + " job", "digester", 200, nullptr, nullptr, jobIdDoc()});

    r.add("PUT", base + "/classes/{object_class}" + pc.path, [&ctx, pc](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      std::string oc = normalizeOc(req.param("object_class"));
      OrderedJson body = api::jsonBody(req);
      if (pc.kind == OutputKind::endpoints)
        requireArrayField(body, "endpoints");
      else
        requireObjectBody(body);
      requireSession(ctx.store, sid);
      if (pc.kind == OutputKind::attributes && ctx.store.listDocuments(sid).empty() && ctx.store.listChunks(sid).empty())
        throw ApiError(400, "Session " + sid + " has no stored documentation. Please upload documentation file or run scraper.");
      std::string key = oc + pc.keySuffix + "Output";
      ctx.store.putSessionData(ctx.store.getSession(sid) ? sid : sid, {{key, stripRelevance(body)}}, nowMicros());
      ctx.store.replaceRelevance(sid, key, relevanceRows(key, body, pc.kind));
      OrderedJson stored = stripRelevance(body);
      updateClassEntry(ctx.store, sid, oc, pc.field,
                       pc.kind == OutputKind::attributes
                           ? (stored.contains("attributes") && stored["attributes"].is_object() ? stored["attributes"] : stored)
                           : stored["endpoints"]);
      return Response::json(200, OrderedJson{{"message", std::string(pc.keySuffix) + " for " + oc + " overridden successfully"},
                                             {"sessionId", sid},
                                             {"objectClass", oc}});
    }, {std::string("Override the class's ") + pc.what, "digester", 200, jsonBodyDoc()});
  }

  // ---- session-level outputs
  struct SessionLevel {
    const char* path;
    const char* jobType;
    const char* keyPrefix;
    const char* jobName;
    OutputKind kind;
    bool fromSession;
    const char* arrayField;  // body validation for PUT ("" = infoMetadata)
    const char* putMessage;
  };
  // Every status GET shows the current session value once its job finished, so a PUT override is
  // visible the same way for all outputs (the reference did this only for four of them).
  for (SessionLevel sl : {SessionLevel{"/relations", "digester.getRelations", "relations", "relations", OutputKind::relations,
                                       true, "relations", "Relations overridden successfully"},
                          SessionLevel{"/connectivity-endpoint", "digester.getConnectivityEndpoint", "connectivityEndpoint",
                                       "connectivity endpoint", OutputKind::connectivity, true, "endpoints",
                                       "Connectivity endpoint overridden successfully"},
                          SessionLevel{"/auth", "digester.getAuth", "auth", "auth", OutputKind::auth, true, "auth",
                                       "Auth overridden successfully"},
                          SessionLevel{"/metadata", "digester.getInfoMetadata", "metadata", "metadata",
                                       OutputKind::metadata, true, "", "Metadata updated successfully"}}) {
    r.add("POST", base + sl.path, [&ctx, sl](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      bool skip = api::boolQuery(req, "skipCache", false);
      requireSession(ctx.store, sid);
      OrderedJson input = {{"skipCache", skip}};
      JobProgress progress{"chunking", "Preparing and splitting documentation", std::nullopt, std::nullopt};
      if (sl.kind == OutputKind::relations) {
        if (ctx.store.listDocuments(sid).empty() && ctx.store.listChunks(sid).empty())
          throw ApiError(404, "Session not found: Session with ID " + sid + " has no documentation items stored.");
        auto classes = ctx.store.getSessionValue(sid, kClassesKey);
        if (!classes) throw ApiError(404, "No object classes found in session. Please run /classes endpoint first.");
        input = {{"relevantObjectClasses", *classes}, {"skipCache", skip}};
      } else if (sl.kind == OutputKind::connectivity) {
        input = {{"baseApiUrl", baseApiUrl(ctx.store, sid)}, {"skipCache", skip}};
        progress.message = "Preparing documentation for connectivity endpoint extraction";
      }
      return Response::json(200, jobIdBody(startJob(ctx, sid, sl.jobType, sl.keyPrefix, input, progress)));
    }, {std::string("Extract ") + sl.jobName, "digester", 200, nullptr, nullptr, skipCacheDoc()});

    r.add("GET", base + sl.path, [&ctx, sl](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      auto jobId = api::uuidQuery(req, "jobId");
      return statusResponse(ctx.store, sid, jobId, sl.keyPrefix,
                            std::string("No ") + sl.jobName + " job found in session " + sid, sl.kind, sl.fromSession);
    }, {std::string("Status and result of the ") + sl.jobName + " job", "digester", 200, nullptr, nullptr, jobIdDoc()});

    r.add("PUT", base + sl.path, [&ctx, sl](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      OrderedJson body = api::jsonBody(req);
      if (std::string(sl.arrayField).empty()) {
        requireObjectBody(body);
        if (!body.contains("infoMetadata"))
          throwValidation("missing", OrderedJson::array({"body", "infoMetadata"}), "Field required", body);
        if (!body["infoMetadata"].is_null() && !body["infoMetadata"].is_object())
          throwValidation("model_type", OrderedJson::array({"body", "infoMetadata"}),
                          "Input should be a valid dictionary or instance of InfoMetadata", body["infoMetadata"]);
      } else {
        requireArrayField(body, sl.arrayField);
        for (size_t i = 0; i < body[sl.arrayField].size(); ++i)
          if (!body[sl.arrayField][i].is_object())
            throwValidation("model_type", OrderedJson::array({"body", sl.arrayField, i}),
                            "Input should be a valid dictionary", body[sl.arrayField][i]);
      }
      requireSession(ctx.store, sid);
      std::string key = std::string(sl.keyPrefix) + "Output";
      ctx.store.putSessionData(sid, {{key, stripRelevance(body)}}, nowMicros());
      ctx.store.replaceRelevance(sid, key, relevanceRows(key, body, sl.kind));
      // A later status GET shows the override for these outputs too (the job result is replaced).
      return Response::json(200, OrderedJson{{"message", sl.putMessage}, {"sessionId", sid}});
    }, {std::string("Override the ") + sl.jobName + " result", "digester", 200, jsonBodyDoc()});
  }
}

void registerDigesterJobHandlers(JobRegistry& registry, const ApiSettings&) {
  registry.add("digester.getObjectClass", [](JobContext& ctx) {
    const std::string& sid = ctx.job().sessionId;
    awaitDocumentation(ctx);
    requireDocumentation(ctx.store(), sid);
    ctx.progress("processing", "Parsing structured documentation");
    JobDigest jd = jobSessionDigest(ctx, sid);
    const auto& d = jd.digest;
    auto errors = diagnosticLines(d->result);
    if (d->result.objectClasses.empty())
      errors.push_back(d->documentsUsed == 0
                           ? "No document of the session describes an API this digester can read exactly (OpenAPI, "
                             "SCIM, SQL DDL, or prose with endpoint lines such as 'GET /users'): no object classes found."
                           : "No object classes were found in the structured documentation.");
    if (!llmEnabled()) {
      size_t maybe = 0;
      for (const auto& c : d->result.objectClasses) maybe += c.relevant == "maybe";
      if (maybe > 0)
        errors.push_back(std::to_string(maybe) +
                         " object class(es) keep relevant \"maybe\" (no LLM configured to judge their IGA relevance).");
    }
    ctx.progress("sorting_finished", "Found " + std::to_string(d->result.objectClasses.size()) + " object classes",
                 static_cast<int64_t>(d->documentsUsed), static_cast<int64_t>(d->documentsUsed));
    return withLlmStep(digesterOutcome(ctx.store(), sid, kClassesKey, digest::objectClassesResponse(d->result.objectClasses),
                                       OutputKind::classes, errors),
                       jd);
  });

  auto perClass = [](OutputKind kind) {
    return [kind](JobContext& ctx) {
      const std::string& sid = ctx.job().sessionId;
      std::string oc = ctx.input().value("objectClass", "");
      ctx.progress("processing_chunks", "Processing chunks");
      JobDigest jd = jobSessionDigest(ctx, sid);
      const auto& d = jd.digest;
      const digest::ObjectClass* cls = d->result.findClass(oc);
      std::vector<std::string> errors;
      OrderedJson full;
      std::string key = oc + (kind == OutputKind::attributes ? "AttributesOutput" : "EndpointsOutput");
      if (kind == OutputKind::attributes) {
        full = digest::attributesResponse(cls ? cls->attributes : std::vector<digest::Attribute>{});
        if (!cls || cls->attributes.empty())
          errors.push_back("No attributes found for object class '" + oc + "' in the structured documentation.");
      } else {
        auto sqlIt = d->sqlEndpoints.find(oc);
        if (sqlIt != d->sqlEndpoints.end()) {
          full = {{"endpoints", sqlIt->second}};
        } else {
          full = digest::endpointsResponse(cls ? cls->endpoints : std::vector<digest::Endpoint>{});
          if (!cls || cls->endpoints.empty())
            errors.push_back("No endpoints found for object class '" + oc + "' in the structured documentation.");
        }
      }
      JobOutcome out = digesterOutcome(ctx.store(), sid, key, full, kind, errors);
      OrderedJson stored = *out.sessionValue;
      updateClassEntry(ctx.store(), sid, oc, kind == OutputKind::attributes ? "attributes" : "endpoints",
                       kind == OutputKind::attributes ? stored["attributes"] : stored["endpoints"]);
      ctx.progress("schema_ready", "Done", 1, 1);
      return withLlmStep(std::move(out), jd);
    };
  };
  registry.add("digester.getObjectClassSchema", perClass(OutputKind::attributes));
  registry.add("digester.getEndpoints", perClass(OutputKind::endpoints));

  registry.add("digester.getRelations", [](JobContext& ctx) {
    const std::string& sid = ctx.job().sessionId;
    JobDigest jd = jobSessionDigest(ctx, sid);
    const auto& d = jd.digest;
    // Only relations between classes the session still lists (after any PUT of classes).
    std::set<std::string> known;
    auto classes = ctx.input().contains("relevantObjectClasses") ? ctx.input()["relevantObjectClasses"] : OrderedJson();
    if (classes.is_object() && classes.contains("objectClasses") && classes["objectClasses"].is_array())
      for (const auto& c : classes["objectClasses"])
        if (c.is_object()) known.insert(toLower(c.value("name", "")));
    std::vector<digest::Relation> rels;
    for (const auto& rel : d->result.relations)
      if (known.empty() || (known.count(toLower(rel.subject)) && known.count(toLower(rel.object)))) rels.push_back(rel);
    return withLlmStep(
        digesterOutcome(ctx.store(), sid, "relationsOutput", digest::relationsResponse(rels), OutputKind::relations, {}), jd);
  });
  registry.add("digester.getConnectivityEndpoint", [](JobContext& ctx) {
    const std::string& sid = ctx.job().sessionId;
    awaitDocumentation(ctx);
    requireDocumentation(ctx.store(), sid);
    JobDigest jd = jobSessionDigest(ctx, sid);
    const auto& d = jd.digest;
    return withLlmStep(digesterOutcome(ctx.store(), sid, "connectivityEndpointOutput",
                                       digest::connectivityResponse(d->result.connectivityEndpoints),
                                       OutputKind::connectivity, {}),
                       jd);
  });
  registry.add("digester.getAuth", [](JobContext& ctx) {
    const std::string& sid = ctx.job().sessionId;
    awaitDocumentation(ctx);
    requireDocumentation(ctx.store(), sid);
    JobDigest jd = jobSessionDigest(ctx, sid);
    const auto& d = jd.digest;
    std::vector<std::string> errors;
    if (d->result.auth.empty()) errors.push_back("No authentication method is described in the structured documentation.");
    return withLlmStep(
        digesterOutcome(ctx.store(), sid, "authOutput", digest::authResponse(d->result.auth), OutputKind::auth, errors), jd);
  });
  registry.add("digester.getInfoMetadata", [](JobContext& ctx) {
    const std::string& sid = ctx.job().sessionId;
    awaitDocumentation(ctx);
    requireDocumentation(ctx.store(), sid);
    JobDigest jd = jobSessionDigest(ctx, sid);
    const auto& d = jd.digest;
    return withLlmStep(digesterOutcome(ctx.store(), sid, "metadataOutput", digest::infoResponse(d->result.info),
                                       OutputKind::metadata, {}),
                       jd);
  });
}
}  // namespace cg
