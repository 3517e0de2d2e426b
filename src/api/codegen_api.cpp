// Codegen routes (api-contract.md B.7), the codegen.* jobs and the connector package extension.
// Scripts are generated deterministically from the session's digester outputs (overrides
// included, src/api/session_model.h), validated by the Groovy 4 checker (one long-lived JVM per
// process) and the DSL conformance check; repair mode fixes known midPoint errors in place.
#include <mutex>

#include "api/api_context.h"
#include "api/llm_support.h"
#include "api/session_model.h"
#include "api/validation.h"
#include "codegen/generators.h"
#include "codegen/package_archive.h"
#include "codegen/package_generator.h"
#include "codegen/repair.h"
#include "codegen/script_validator.h"
#include "jobs/status.h"
#include "llm/assistants.h"
#include "util/api_error.h"
#include "util/log.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
using http::Request;
using http::Response;
using codegen::ArtifactKind;

namespace {
std::string normalizeOc(const std::string& raw) { return toLower(trim(raw)); }

codegen::GroovyChecker& groovyChecker() {
  static codegen::GroovyChecker checker;
  return checker;
}

struct Artifact {
  ArtifactKind kind;
  const char* jobType;
  const char* keySuffix;   // {oc}<suffix>JobId …
  const char* what;        // GET 404: "No <what> job found for {oc} …"
  const char* putLabel;    // PUT: "<label> for {oc} overridden successfully"
  StatusEnvelope envelope;
  const char* initialStage;
  const char* initialMessage;
};

const Artifact kNative{ArtifactKind::NativeSchema, "codegen.getNativeSchema", "NativeSchema", "native schema",
                       "Native schema", StatusEnvelope::stage, "queue", "Queued code generation"};
const Artifact kConnId{ArtifactKind::ConnId, "codegen.getConnID", "Connid", "ConnID", "ConnID", StatusEnvelope::stage,
                       "queue", "Queued code generation"};
const Artifact kCreate{ArtifactKind::Create, "codegen.getCreate", "Create", "create", "Create code",
                       StatusEnvelope::multiDoc, "preparing", "Preparing code generation from relevant chunks"};
const Artifact kUpdate{ArtifactKind::Update, "codegen.getUpdate", "Update", "update", "Update code",
                       StatusEnvelope::multiDoc, "preparing", "Preparing code generation from relevant chunks"};
const Artifact kDelete{ArtifactKind::Delete, "codegen.getDelete", "Delete", "delete", "Delete code",
                       StatusEnvelope::multiDoc, "preparing", "Preparing code generation from relevant chunks"};

// E.10 CodegenRepairContext / CodegenOperationInput from an optional body.
OrderedJson repairContext(const Request& req, bool operationInput, bool required) {
  OrderedJson out = OrderedJson::object();
  if (trim(req.body).empty()) {
    if (required) throwValidation("missing", OrderedJson::array({"body"}), "Field required", nullptr);
    return out;
  }
  OrderedJson body = api::jsonBody(req);
  if (!body.is_object())
    throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                    "Input should be a valid dictionary or object to extract fields from", body);
  if (body.contains("currentScript") && !body["currentScript"].is_null()) {
    if (!body["currentScript"].is_string())
      throwValidation("string_type", OrderedJson::array({"body", "currentScript"}), "Input should be a valid string",
                      body["currentScript"]);
    std::string s = trim(body["currentScript"].get<std::string>());
    if (!s.empty()) out["currentScript"] = s;
  }
  if (body.contains("midpointErrors") && !body["midpointErrors"].is_null()) {
    if (!body["midpointErrors"].is_array())
      throwValidation("list_type", OrderedJson::array({"body", "midpointErrors"}), "Input should be a valid list",
                      body["midpointErrors"]);
    OrderedJson errs = OrderedJson::array();
    for (size_t i = 0; i < body["midpointErrors"].size(); ++i) {
      const auto& e = body["midpointErrors"][i];
      if (!e.is_string())
        throwValidation("string_type", OrderedJson::array({"body", "midpointErrors", i}), "Input should be a valid string", e);
      std::string s = trim(e.get<std::string>());
      if (!s.empty()) errs.push_back(s);
    }
    if (!errs.empty()) out["midpointErrors"] = errs;
  }
  if (operationInput && body.contains("preferredEndpoints") && !body["preferredEndpoints"].is_null()) {
    if (!body["preferredEndpoints"].is_array())
      throwValidation("list_type", OrderedJson::array({"body", "preferredEndpoints"}), "Input should be a valid list",
                      body["preferredEndpoints"]);
    OrderedJson eps = OrderedJson::array();
    for (size_t i = 0; i < body["preferredEndpoints"].size(); ++i) {
      const auto& e = body["preferredEndpoints"][i];
      std::string method = e.is_object() && e.value("method", OrderedJson()).is_string() ? trim(e["method"].get<std::string>()) : "";
      std::string path = e.is_object() && e.value("path", OrderedJson()).is_string() ? trim(e["path"].get<std::string>()) : "";
      if (method.empty() || path.empty())
        throwValidation("value_error", OrderedJson::array({"body", "preferredEndpoints", i}),
                        "Value error, preferred endpoints need a non-empty method and path", e);
      eps.push_back({{"method", toUpperAscii(method)}, {"path", path}});
    }
    out["preferredEndpoints"] = eps;
  }
  return out;
}

std::vector<codegen::PreferredEndpoint> preferredEndpoints(const OrderedJson& input) {
  std::vector<codegen::PreferredEndpoint> out;
  if (input.contains("preferredEndpoints") && input["preferredEndpoints"].is_array())
    for (const auto& e : input["preferredEndpoints"]) out.push_back({e.value("method", ""), e.value("path", "")});
  return out;
}

std::vector<std::string> midpointErrors(const OrderedJson& input) {
  std::vector<std::string> out;
  if (input.contains("midpointErrors") && input["midpointErrors"].is_array())
    for (const auto& e : input["midpointErrors"])
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

codegen::GeneratedScript generateArtifact(const SessionModel& sm, ArtifactKind kind, const std::string& oc,
                                          const OrderedJson& input) {
  const digest::ObjectClass* cls = sm.model.findClass(oc);
  if (!cls) throw JobFailure("Object class '" + oc + "' is not in the session's object classes.");
  codegen::ClassCodegenInput in = codegen::classInputFromDigest(sm.model, *cls);
  in.preferredEndpoints = preferredEndpoints(input);
  switch (kind) {
    case ArtifactKind::NativeSchema: return codegen::generateNativeSchema(in);
    case ArtifactKind::ConnId: return codegen::generateConnIdSchema(in);
    case ArtifactKind::SearchAll: return codegen::generateSearch(in, codegen::SearchIntent::All);
    case ArtifactKind::SearchFilter: return codegen::generateSearch(in, codegen::SearchIntent::Filter);
    case ArtifactKind::SearchId: return codegen::generateSearch(in, codegen::SearchIntent::Id);
    case ArtifactKind::Create: return codegen::generateCreate(in);
    case ArtifactKind::Update: return codegen::generateUpdate(in);
    case ArtifactKind::Delete: return codegen::generateDelete(in);
    default: break;
  }
  throw JobFailure("unsupported artifact");
}

// The DSL grammar in short, for the LLM repair prompt: the top-level blocks the script's role allows
// plus where each builder scope comes from.
std::string grammarSummaryFor(codegen::ScriptRole role) {
  std::string s;
  switch (role) {
    case codegen::ScriptRole::Schema: s = "Allowed top-level blocks: objectClass, relationship.\n"; break;
    case codegen::ScriptRole::Operation: s = "Allowed top-level blocks: objectClass, test, authentication.\n"; break;
    case codegen::ScriptRole::Authentication: s = "Allowed top-level blocks: authentication.\n"; break;
    case codegen::ScriptRole::Any: s = "Allowed top-level blocks: objectClass, relationship, test, authentication.\n"; break;
  }
  s += "Builder scopes (scope: runtime interface):\n";
  for (const auto& line : codegen::grammarSources()) s += "- " + line + "\n";
  return s;
}

// Issue 7 item 4: asks the model to repair a script that deterministic repair could not fix. The
// proposal replaces `code` (and `validation`) only when it passes validateScript; otherwise the
// caller keeps its deterministic result and the reason is added to the errors. Returns whether the
// proposal was accepted; `usage` receives the job's LLM usage.
bool llmRepairScript(JobContext& ctx, ArtifactKind kind, const std::string& name, codegen::ScriptRole role,
                     const std::vector<std::string>& midpointErrors, std::string& code,
                     codegen::ScriptValidation& validation, std::vector<std::string>& errors, OrderedJson& usage) {
  auto budget = makeJobLlmBudget();
  llm::LlmCallOptions options;
  options.shouldStop = [&ctx] { return ctx.cancelled(); };
  llm::CodegenRepairInput input;
  input.artifact = name;
  input.currentScript = code;
  input.midpointErrors = midpointErrors;
  input.grammarSummary = grammarSummaryFor(role);
  for (const auto& issue : validation.errors) input.validatorFindings.push_back(codegen::formatIssue(issue));
  ctx.progress("llm_repair", "Asking " + processLlmSettings().model + " to repair " + name);
  llm::ScriptRepairProposal proposal = llm::proposeScriptRepair(processLlmClient(), *budget, input, options);
  bool accepted = false;
  if (!proposal.ok) {
    errors.push_back("LLM repair rejected: " + proposal.error);
  } else {
    std::string candidate = codegen::normalizeGroovyCode(proposal.code);
    auto v = codegen::validateScript(candidate, role, &groovyChecker(), codegen::artifactFileName(kind, name));
    if (v.ok) {
      code = std::move(candidate);
      validation = std::move(v);
      accepted = true;
      errors.push_back("repair: LLM repair accepted" +
                       (proposal.explanation.empty() ? std::string() : ": " + proposal.explanation));
    } else {
      errors.push_back("LLM repair rejected: the proposed script fails validation (" + v.message() + ")");
    }
  }
  usage = budget->usage().toJson();
  return accepted;
}

// Repair mode. Local fixes of recognised runtime messages come first. When one error has no local
// fix: with an LLM configured the model repairs the user's script (keeping their edits) and its
// answer is accepted only if it validates; otherwise, or without an LLM, the script is
// regenerated from the model. A result that still fails validation gets one more LLM attempt.
void repairMode(JobContext& ctx, ArtifactKind kind, const std::string& name, codegen::ScriptRole role,
                const std::vector<std::string>& errors, const std::function<codegen::GeneratedScript()>& generate,
                JobOutcome& out, std::string& code, std::optional<codegen::ScriptValidation>& validated,
                std::optional<OrderedJson>& llmUsage) {
  const std::string current = ctx.input()["currentScript"].get<std::string>();
  const std::string file = codegen::artifactFileName(kind, name);
  if (!llmEnabled()) {
    codegen::RepairResult r = codegen::repairScript(current, errors, role, generate);
    code = r.code;
    for (auto& c : r.changes) out.errors.push_back("repair: " + c);
    if (r.regenerated)
      out.errors.push_back("repair: no LLM configured to repair the script itself, so it was regenerated");
    return;
  }
  codegen::RepairResult r = codegen::repairScript(current, errors, role, nullptr);
  code = r.code;
  for (auto& c : r.changes) out.errors.push_back("repair: " + c);
  auto v = codegen::validateScript(code, role, &groovyChecker(), file);
  bool accepted = false;
  OrderedJson usage;
  if (r.needsRegeneration) {
    accepted = llmRepairScript(ctx, kind, name, role, errors, code, v, out.errors, usage);
    llmUsage = usage;
    if (!accepted) {
      codegen::GeneratedScript g = generate();
      code = g.code;
      out.errors.push_back("repair: script regenerated from the digested model");
      for (auto& n : g.notes) out.errors.push_back("repair: " + n);
      v = codegen::validateScript(code, role, &groovyChecker(), file);
    }
  }
  if (!v.ok && !accepted && !llmUsage) {
    llmRepairScript(ctx, kind, name, role, errors, code, v, out.errors, usage);
    llmUsage = usage;
  }
  validated = std::move(v);
}

// Generates (or repairs), validates, and returns the job outcome {"code"}.
JobOutcome finishScript(JobContext& ctx, ArtifactKind kind, const std::string& name,
                        const std::function<codegen::GeneratedScript()>& generate) {
  const OrderedJson& input = ctx.input();
  auto errors = midpointErrors(input);
  codegen::ScriptRole role = codegen::roleForArtifact(kind);
  JobOutcome out;
  std::string code;
  std::optional<codegen::ScriptValidation> validated;
  std::optional<OrderedJson> llmUsage;
  if (!errors.empty() && input.contains("currentScript")) {
    ctx.progress("generating", "Repairing " + name);
    repairMode(ctx, kind, name, role, errors, generate, out, code, validated, llmUsage);
  } else {
    ctx.progress("generating", "Generating " + name);
    codegen::GeneratedScript g = generate();
    code = g.code;
    for (auto& n : g.notes) out.errors.push_back(n);
  }
  auto v = validated ? std::move(*validated)
                     : codegen::validateScript(code, role, &groovyChecker(), codegen::artifactFileName(kind, name));
  if (!v.groovySkipped.empty()) out.errors.push_back(v.groovySkipped);
  for (const auto& issue : v.errors) out.errors.push_back("validation error: " + codegen::formatIssue(issue));
  for (const auto& issue : v.warnings) out.errors.push_back("validation warning: " + codegen::formatIssue(issue));
  out.result = {{"code", code}};
  if (llmUsage) out.result["llmUsage"] = *llmUsage;
  return out;
}

std::string startCodegenJob(ApiContext& ctx, const std::string& sid, const std::string& type, const std::string& keyPrefix,
                            OrderedJson input, OrderedJson jobExtra, JobProgress progress) {
  return ctx.startOperationJob(sid, type, keyPrefix, input, jobExtra, std::move(progress));
}

// The stored code of a PUT override: normalized, validated; 422 E2 otherwise.
std::string validatedOverride(const Request& req, ArtifactKind kind) {
  OrderedJson body = api::jsonBody(req);
  if (!body.is_object())
    throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                    "Input should be a valid dictionary or object to extract fields from", body);
  if (!body.contains("code")) throwValidation("missing", OrderedJson::array({"body", "code"}), "Field required", body);
  if (!body["code"].is_string())
    throwValidation("string_type", OrderedJson::array({"body", "code"}), "Input should be a valid string", body["code"]);
  std::string code = codegen::normalizeGroovyCode(body["code"].get<std::string>());
  if (code.empty())
    throwValidation("value_error", OrderedJson::array({"body", "code"}), "Value error, Groovy code cannot be empty",
                    body["code"]);
  auto v = codegen::validateScript(code, codegen::roleForArtifact(kind), &groovyChecker());
  if (!v.ok)
    throwValidation("value_error", OrderedJson::array({"body", "code"}), "Value error, " + v.message(), body["code"]);
  return code;
}

void requireAttributes(Store& store, const std::string& sid, const std::string& oc) {
  auto attrs = store.getSessionValue(sid, oc + "AttributesOutput");
  bool empty = !attrs || !attrs->is_object() || attrs->empty() ||
               (attrs->contains("attributes") && (*attrs)["attributes"].is_object() && (*attrs)["attributes"].empty());
  if (empty)
    throw ApiError(404, "No attributes found for " + oc + " in session " + sid + ". Please run /classes/" + oc +
                            "/attributes endpoint first.");
}

std::string sessionProtocol(Store& store, const std::string& sid) {
  auto meta = store.getSessionValue(sid, "metadataOutput");
  std::vector<std::string> types;
  if (meta) {
    auto info = digest::infoFromResponse(*meta);
    if (info) types = info->apiType;
  }
  return std::string(codegen::protocolName(codegen::protocolFromApiTypes(types)));
}

void requireEndpoints(Store& store, const std::string& sid, const std::string& oc) {
  std::string protocol = sessionProtocol(store, sid);
  if (protocol == "scim") return;
  if (!store.getSessionValue(sid, oc + "EndpointsOutput")) {
    if (protocol == "sql")
      throw ApiError(404, "No SQL table metadata found for " + oc + " in session " + sid +
                              ". Please run the table/schema extraction step for this object class first.");
    throw ApiError(404, "No endpoints found for " + oc + " in session " + sid + ". Please run /classes/" + oc +
                            "/endpoints endpoint first.");
  }
}

Json skipCacheDoc() {
  return Json::array({{{"name", "skipCache"}, {"required", false}, {"schema", {{"type", "boolean"}, {"default", false}}}}});
}
Json jobIdDoc() {
  return Json::array({{{"name", "jobId"}, {"required", false}, {"schema", {{"type", "string"}, {"format", "uuid"}}}}});
}
Json optionalJsonBody() {
  return Json{{"required", false}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
}
Json codeBody() {
  Json schema = {{"type", "object"}, {"required", {"code"}}, {"properties", {{"code", {{"type", "string"}}}}}};
  Json content = {{"application/json", {{"schema", schema}}}};
  return Json{{"required", true}, {"content", content}};
}

const char* kPackageKey = "package";

Json zipResponseDoc() {
  Json schema = {{"type", "string"}, {"format", "binary"}};
  Json content = {{"application/zip", {{"schema", schema}}}};
  return Json{{"200", {{"description", "The package"}, {"content", content}}}};
}
}  // namespace

void registerCodegenRoutes(http::Router& r, ApiContext& ctx) {
  const std::string base = ctx.v1() + "/codegen/{session_id}";

  // ---- per-class artifacts (native-schema, connid, create, update, delete)
  for (const Artifact* a : {&kNative, &kConnId, &kCreate, &kUpdate, &kDelete}) {
    std::string sub = a->kind == ArtifactKind::NativeSchema ? "native-schema"
                      : a->kind == ArtifactKind::ConnId     ? "connid"
                      : a->kind == ArtifactKind::Create     ? "create"
                      : a->kind == ArtifactKind::Update     ? "update"
                                                            : "delete";
    bool operation = a->kind != ArtifactKind::NativeSchema && a->kind != ArtifactKind::ConnId;
    r.add("POST", base + "/classes/{object_class}/" + sub, [&ctx, a, operation](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      bool skip = api::boolQuery(req, "skipCache", false);
      std::string oc = normalizeOc(req.param("object_class"));
      OrderedJson repair = repairContext(req, operation, false);
      requireSession(ctx.store, sid);
      requireAttributes(ctx.store, sid, oc);
      if (operation) requireEndpoints(ctx.store, sid, oc);
      OrderedJson input = {{"objectClass", oc}};
      input["attributes"] = ctx.store.getSessionValue(sid, oc + "AttributesOutput").value_or(OrderedJson::object());
      if (operation)
        if (auto eps = ctx.store.getSessionValue(sid, oc + "EndpointsOutput")) input["endpoints"] = *eps;
      for (auto it = repair.begin(); it != repair.end(); ++it) input[it.key()] = it.value();
      std::string id = startCodegenJob(ctx, sid, a->jobType, oc + a->keySuffix, input, {{"skipCache", skip}},
                                       {a->initialStage, a->initialMessage, std::nullopt, std::nullopt});
      return Response::json(200, OrderedJson{{"jobId", id}});
    }, {std::string("Generate the class's ") + a->what + " script", "codegen", 200, optionalJsonBody(), nullptr,
        skipCacheDoc()});
    r.add("GET", base + "/classes/{object_class}/" + sub, [&ctx, a](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      auto jobId = api::uuidQuery(req, "jobId");
      std::string oc = normalizeOc(req.param("object_class"));
      return Response::json(200, resolveJobStatus(ctx.store, sid, jobId, oc + a->keySuffix + "JobId",
                                                  std::string("No ") + a->what + " job found for " + oc + " in session " + sid,
                                                  a->envelope));
    }, {std::string("Status and code of the class's ") + a->what + " job", "codegen", 200, nullptr, nullptr, jobIdDoc()});
    r.add("PUT", base + "/classes/{object_class}/" + sub, [&ctx, a](Request& req) {
      std::string sid = api::uuidParam(req, "session_id");
      std::string oc = normalizeOc(req.param("object_class"));
      std::string code = validatedOverride(req, a->kind);
      requireSession(ctx.store, sid);
      ctx.store.putSessionData(sid, {{oc + a->keySuffix + "Output", OrderedJson{{"code", code}}}}, nowMicros());
      return Response::json(200, OrderedJson{{"message", std::string(a->putLabel) + " for " + oc + " overridden successfully"},
                                             {"sessionId", sid},
                                             {"objectClass", oc}});
    }, {std::string("Override the class's ") + a->what + " script (validated)", "codegen", 200, codeBody()});
  }

  // ---- search/{intent}
  auto intentOf = [](const Request& req) {
    const std::string& intent = req.param("intent");
    if (intent != "all" && intent != "filter" && intent != "id")
      throwValidation("enum", OrderedJson::array({"path", "intent"}), "Input should be 'all', 'filter' or 'id'", intent,
                      OrderedJson{{"expected", "'all', 'filter' or 'id'"}});
    return intent;
  };
  auto opKey = [](const std::string& oc, const std::string& intent) {
    return oc + "Search" + (intent == "all" ? "All" : intent == "filter" ? "Filter" : "Id");
  };
  r.add("POST", base + "/classes/{object_class}/search/{intent}", [&ctx, intentOf, opKey](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string intent = intentOf(req);
    bool skip = api::boolQuery(req, "skipCache", false);
    std::string oc = normalizeOc(req.param("object_class"));
    OrderedJson repair = repairContext(req, true, false);
    requireSession(ctx.store, sid);
    requireAttributes(ctx.store, sid, oc);
    requireEndpoints(ctx.store, sid, oc);
    OrderedJson input = {{"objectClass", oc}};
    input["attributes"] = ctx.store.getSessionValue(sid, oc + "AttributesOutput").value_or(OrderedJson::object());
    input["intent"] = intent;
    if (auto eps = ctx.store.getSessionValue(sid, oc + "EndpointsOutput")) input["endpoints"] = *eps;
    for (auto it = repair.begin(); it != repair.end(); ++it) input[it.key()] = it.value();
    std::string id = startCodegenJob(ctx, sid, "codegen.getSearch", opKey(oc, intent), input, {{"skipCache", skip}},
                                     {"preparing", "Preparing code generation from relevant chunks", std::nullopt, std::nullopt});
    return Response::json(200, OrderedJson{{"jobId", id}});
  }, {"Generate a search script (all, filter or id)", "codegen", 200, optionalJsonBody(), nullptr, skipCacheDoc()});
  r.add("GET", base + "/classes/{object_class}/search/{intent}", [&ctx, intentOf, opKey](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string intent = intentOf(req);
    auto jobId = api::uuidQuery(req, "jobId");
    std::string oc = normalizeOc(req.param("object_class"));
    return Response::json(200, resolveJobStatus(ctx.store, sid, jobId, opKey(oc, intent) + "JobId",
                                                "No search job found for " + oc + " intent=" + intent + " in session " + sid,
                                                StatusEnvelope::multiDoc));
  }, {"Status and code of a search job", "codegen", 200, nullptr, nullptr, jobIdDoc()});
  r.add("PUT", base + "/classes/{object_class}/search/{intent}", [&ctx, intentOf, opKey](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string intent = intentOf(req);
    std::string oc = normalizeOc(req.param("object_class"));
    ArtifactKind kind = intent == "all" ? ArtifactKind::SearchAll : intent == "filter" ? ArtifactKind::SearchFilter : ArtifactKind::SearchId;
    std::string code = validatedOverride(req, kind);
    requireSession(ctx.store, sid);
    ctx.store.putSessionData(sid, {{opKey(oc, intent) + "Output", OrderedJson{{"code", code}}}}, nowMicros());
    return Response::json(200, OrderedJson{{"message", "Search code for " + oc + " overridden successfully"},
                                           {"sessionId", sid},
                                           {"objectClass", oc}});
  }, {"Override a search script (validated)", "codegen", 200, codeBody()});

  // ---- relations/{relation_name}
  r.add("POST", base + "/relations/{relation_name}", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    bool skip = api::boolQuery(req, "skipCache", false);
    const std::string& name = req.param("relation_name");
    requireSession(ctx.store, sid);
    auto rels = ctx.store.getSessionValue(sid, "relationsOutput");
    if (!rels) throw ApiError(404, "No relations found in session " + sid + ". Please run /relations endpoint first.");
    if (!rels->is_object() || !rels->contains("relations") || !(*rels)["relations"].is_array()) {
      OrderedJson detail = {{"message", "Stored relationsOutput is invalid. Re-run relations extraction or override the relations payload."},
                            {"errors", OrderedJson::array({{{"type", "list_type"}, {"loc", {"relations"}}, {"msg", "Input should be a valid list"}}})}};
      throw ApiError(422, detail);
    }
    const OrderedJson* found = nullptr;
    for (const auto& rel : (*rels)["relations"])
      if (rel.is_object() && rel.value("name", "") == name) found = &rel;
    if (!found) throw ApiError(404, "Relation " + name + " not found in session " + sid + ".");
    OrderedJson input = {{"relations", {{"relations", OrderedJson::array({*found})}}}};
    std::string id = startCodegenJob(ctx, sid, "codegen.getRelation", name + "Code", input, {{"skipCache", skip}},
                                     {"preparing", "Queued code generation from relevant chunks", std::nullopt, std::nullopt});
    return Response::json(200, OrderedJson{{"jobId", id}});
  }, {"Generate a relationship script", "codegen", 200, nullptr, nullptr, skipCacheDoc()});
  r.add("GET", base + "/relations/{relation_name}", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    auto jobId = api::uuidQuery(req, "jobId");
    const std::string& name = req.param("relation_name");
    return Response::json(200, resolveJobStatus(ctx.store, sid, jobId, name + "CodeJobId",
                                                "No relation code job found for " + name + " in session " + sid,
                                                StatusEnvelope::multiDoc));
  }, {"Status and code of a relationship job", "codegen", 200, nullptr, nullptr, jobIdDoc()});
  r.add("PUT", base + "/relations/{relation_name}", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    const std::string& name = req.param("relation_name");
    std::string code = validatedOverride(req, ArtifactKind::Relation);
    requireSession(ctx.store, sid);
    ctx.store.putSessionData(sid, {{name + "CodeOutput", OrderedJson{{"code", code}}}}, nowMicros());
    return Response::json(200, OrderedJson{{"message", "Relation code for " + name + " overridden successfully"},
                                           {"sessionId", sid},
                                           {"relationName", name}});
  }, {"Override a relationship script (validated)", "codegen", 200, codeBody()});

  // ---- authorization
  r.add("POST", base + "/authorization", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    bool skip = api::boolQuery(req, "skipCache", false);
    OrderedJson repair = repairContext(req, false, true);
    OrderedJson body = api::jsonBody(req);
    if (!body.contains("preferredAuthorizations"))
      throwValidation("missing", OrderedJson::array({"body", "preferredAuthorizations"}), "Field required", body);
    OrderedJson pref = body["preferredAuthorizations"];
    if (pref.is_object()) pref = OrderedJson::array({pref});
    if (!pref.is_array() || pref.empty())
      throwValidation("too_short", OrderedJson::array({"body", "preferredAuthorizations"}),
                      "List should have at least 1 item after validation", body["preferredAuthorizations"]);
    requireSession(ctx.store, sid);
    auto documented = digest::authFromResponse(ctx.store.getSessionValue(sid, "authOutput").value_or(OrderedJson::object()));
    OrderedJson enriched = OrderedJson::array();
    for (size_t i = 0; i < pref.size(); ++i) {
      const auto& p = pref[i];
      std::string name = p.is_object() && p.value("name", OrderedJson()).is_string() ? trim(p["name"].get<std::string>()) : "";
      if (name.empty())
        throwValidation("value_error", OrderedJson::array({"body", "preferredAuthorizations", i, "name"}),
                        "Value error, name must not be empty", p);
      std::string type = p.value("type", OrderedJson()).is_string() ? p["type"].get<std::string>() : "";
      std::string quirks = p.value("quirks", OrderedJson()).is_string() ? p["quirks"].get<std::string>() : "";
      for (const auto& d : documented)
        if (toLower(d.name) == toLower(name)) {
          if (type.empty()) type = d.type;
          if (quirks.empty()) quirks = d.quirks;
        }
      std::string normalized = digest::normalizeAuthType(type);
      enriched.push_back({{"name", name}, {"type", normalized.empty() ? type : normalized}, {"quirks", quirks}});
    }
    OrderedJson input = {{"preferredAuthorizations", enriched}};
    for (auto it = repair.begin(); it != repair.end(); ++it) input[it.key()] = it.value();
    std::string id = startCodegenJob(ctx, sid, "codegen.getAuthorization", "authorization", input, {{"skipCache", skip}},
                                     {"preparing", "Preparing authorization code generation from relevant chunks",
                                      std::nullopt, std::nullopt});
    return Response::json(200, OrderedJson{{"jobId", id}});
  }, {"Generate the authentication script for the preferred methods", "codegen", 200,
      Json{{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}, {"required", {"preferredAuthorizations"}}}}}}}}},
      nullptr, skipCacheDoc()});
  r.add("GET", base + "/authorization", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    auto jobId = api::uuidQuery(req, "jobId");
    return Response::json(200, resolveJobStatus(ctx.store, sid, jobId, "authorizationJobId",
                                                "No authorization job found in session " + sid, StatusEnvelope::multiDoc));
  }, {"Status and code of the authentication job", "codegen", 200, nullptr, nullptr, jobIdDoc()});
  r.add("PUT", base + "/authorization", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string code = validatedOverride(req, ArtifactKind::Authentication);
    requireSession(ctx.store, sid);
    ctx.store.putSessionData(sid, {{"authorizationOutput", OrderedJson{{"code", code}}}}, nowMicros());
    return Response::json(200, OrderedJson{{"message", "Authorization code overridden successfully"}, {"sessionId", sid}});
  }, {"Override the authentication script (validated)", "codegen", 200, codeBody()});

  // ---- connector package (extension)
  r.add("POST", base + "/package", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    OrderedJson input = OrderedJson::object();
    if (!trim(req.body).empty()) {
      OrderedJson body = api::jsonBody(req);
      if (!body.is_object())
        throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                        "Input should be a valid dictionary or object to extract fields from", body);
      if (body.contains("preferredAuthorizations")) input["preferredAuthorizations"] = body["preferredAuthorizations"];
    }
    requireSession(ctx.store, sid);
    std::string id = startCodegenJob(ctx, sid, "codegen.getPackage", kPackageKey, input, OrderedJson::object(),
                                     {"queue", "Queued connector package generation", std::nullopt, std::nullopt});
    return Response::json(200, OrderedJson{{"jobId", id}});
  }, {"Build the whole connector package (runs missing digester and codegen steps)", "codegen", 200, optionalJsonBody(),
      nullptr, Json::array(),
      "Extension: one job (codegen.getPackage) produces every script for the session's relevant classes, the connector "
      "manifest and a README; download it from /package/download."});
  r.add("GET", base + "/package", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    auto jobId = api::uuidQuery(req, "jobId");
    return Response::json(200, resolveJobStatus(ctx.store, sid, jobId, std::string(kPackageKey) + "JobId",
                                                "No package job found in session " + sid, StatusEnvelope::multiDoc));
  }, {"Status of the package job", "codegen", 200, nullptr, nullptr, jobIdDoc()});
  r.add("GET", base + "/package/download", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    requireSession(ctx.store, sid);
    auto jobId = ctx.store.getSessionValue(sid, std::string(kPackageKey) + "JobId");
    if (!jobId || !jobId->is_string()) throw ApiError(404, "No package job found in session " + sid);
    auto job = ctx.store.getJob(jobId->get<std::string>());
    if (!job || job->status != JobStatus::finished)
      throw ApiError(409, "The package of session " + sid + " is not ready (job status: " +
                              (job ? toString(job->status) : "not_found") + ").");
    auto zip = ctx.store.getJobPayload(job->id);
    if (!zip) throw ApiError(404, "The package archive of session " + sid + " is no longer stored; run the package job again.");
    Response res = Response::text(200, std::move(*zip), "application/zip");
    res.header("Content-Disposition", "attachment; filename=\"connector-" + sid.substr(0, 8) + ".zip\"");
    return res;
  }, {"Download the connector package (application/zip)", "codegen", 200, nullptr,
      zipResponseDoc(),
      Json::array(), "Extension."});
}

// A package job stores its archive as the job's payload (the download route reads it).
void registerCodegenJobHandlers(JobRegistry& registry, const ApiSettings&) {
  for (const Artifact* a : {&kNative, &kConnId, &kCreate, &kUpdate, &kDelete}) {
    registry.add(a->jobType, [a](JobContext& ctx) {
      std::string oc = ctx.input().value("objectClass", "");
      SessionModel sm = loadSessionModel(ctx.store(), ctx.job().sessionId, false, false);
      const digest::ObjectClass* cls = sm.model.findClass(oc);
      std::string name = cls ? cls->name : oc;
      return finishScript(ctx, a->kind, name, [&] { return generateArtifact(sm, a->kind, oc, ctx.input()); });
    });
  }
  registry.add("codegen.getSearch", [](JobContext& ctx) {
    std::string oc = ctx.input().value("objectClass", "");
    std::string intent = ctx.input().value("intent", "all");
    ArtifactKind kind = intent == "filter" ? ArtifactKind::SearchFilter : intent == "id" ? ArtifactKind::SearchId : ArtifactKind::SearchAll;
    SessionModel sm = loadSessionModel(ctx.store(), ctx.job().sessionId, false, false);
    const digest::ObjectClass* cls = sm.model.findClass(oc);
    return finishScript(ctx, kind, cls ? cls->name : oc, [&] { return generateArtifact(sm, kind, oc, ctx.input()); });
  });
  registry.add("codegen.getRelation", [](JobContext& ctx) {
    auto rels = digest::relationsFromResponse(ctx.input()["relations"]);
    if (rels.empty()) throw JobFailure("The relation to generate is missing from the job input.");
    SessionModel sm = loadSessionModel(ctx.store(), ctx.job().sessionId, false, false);
    codegen::RelationCodegenInput in;
    in.relation = rels[0];
    for (const auto& c : sm.model.objectClasses) in.knownClasses.push_back(c.name);
    return finishScript(ctx, ArtifactKind::Relation, rels[0].name, [&] { return codegen::generateRelation(in); });
  });
  registry.add("codegen.getAuthorization", [](JobContext& ctx) {
    SessionModel sm = loadSessionModel(ctx.store(), ctx.job().sessionId, false, false);
    codegen::AuthCodegenInput in;
    in.protocol = codegen::protocolFromApiTypes(sm.model.info ? sm.model.info->apiType : std::vector<std::string>{});
    for (const auto& p : ctx.input()["preferredAuthorizations"])
      in.preferred.push_back({p.value("name", ""), p.value("type", ""), p.value("quirks", "")});
    in.documented = sm.model.auth;
    return finishScript(ctx, ArtifactKind::Authentication, "authentication",
                        [&] { return codegen::generateAuthentication(in); });
  });

  registry.add("codegen.getPackage", [](JobContext& ctx) {
    const std::string& sid = ctx.job().sessionId;
    awaitDocumentation(ctx);
    ctx.progress("processing", "Running the missing digester steps");
    std::optional<OrderedJson> llmUsage;
    std::vector<std::string> llmErrors;
    SessionModel sm = loadSessionModel(ctx.store(), sid, true, true, [&] {
      JobDigest jd = jobSessionDigest(ctx, sid);
      llmUsage = jd.llmUsage;
      llmErrors = jd.errors;
      return jd.digest;
    });
    if (sm.model.objectClasses.empty())
      throw JobFailure("No object classes: upload OpenAPI, SCIM or SQL documentation, prose with an LLM configured, or PUT the classes first.");
    codegen::PackageOptions options;
    if (ctx.input().contains("preferredAuthorizations") && ctx.input()["preferredAuthorizations"].is_array())
      for (const auto& p : ctx.input()["preferredAuthorizations"])
        if (p.is_object())
          options.preferredAuthorizations.push_back(
              {p.value("name", ""), digest::normalizeAuthType(p.value("type", "")), p.value("quirks", "")});
    auto scripts = codegen::generatePackage(sm.model, options);
    auto data = ctx.store().getSessionData(sid);
    std::vector<codegen::PackageFile> files;
    std::vector<codegen::PackageReportEntry> report;
    size_t failed = 0, total = scripts.size();
    ctx.progress("generating", "Validating " + std::to_string(total) + " scripts", static_cast<int64_t>(total), 0);
    size_t done = 0;
    OrderedJson index = OrderedJson::array();
    std::vector<std::pair<std::string, OrderedJson>> outputs;
    // First pass: which code each file gets (a script the user overrode (PUT) or generated earlier
    // through its route is kept as it is); then ONE batch validation (few Groovy compilation units).
    std::vector<codegen::ScriptToValidate> toValidate;
    std::vector<bool> keptExisting;
    toValidate.reserve(scripts.size());
    for (auto& s : scripts) {
      ctx.checkCancelled();
      std::string key;
      if (s.kind == ArtifactKind::Authentication)
        key = "authorizationOutput";
      else if (s.kind == ArtifactKind::Relation)
        key = s.name + "CodeOutput";
      else
        key = toLower(s.name) + std::string(codegen::artifactKeySuffix(s.kind)) + "Output";
      std::string code = s.script.code;
      bool kept = false;
      if (auto it = data.find(key); it != data.end() && it->second.is_object() && it->second.value("code", OrderedJson()).is_string()) {
        code = it->second["code"].get<std::string>();
        kept = true;
      } else {
        outputs.emplace_back(key, OrderedJson{{"code", code}});
      }
      toValidate.push_back({s.fileName, std::move(code), codegen::roleForArtifact(s.kind)});
      keptExisting.push_back(kept);
    }
    ctx.checkCancelled();
    auto validations = codegen::validateScripts(toValidate, &groovyChecker());
    for (size_t i = 0; i < scripts.size(); ++i) {
      const auto& s = scripts[i];
      const auto& v = validations[i];
      codegen::PackageReportEntry entry;
      entry.fileName = s.fileName;
      entry.ok = v.ok;
      entry.validation = v.ok ? (v.groovyCompiled ? "Groovy 4 compiled; DSL conformant" : "DSL conformant; " + v.groovySkipped)
                              : v.message();
      entry.notes = keptExisting[i] ? std::vector<std::string>{"kept the session's existing script"} : s.script.notes;
      for (const auto& w : v.warnings) entry.notes.push_back("warning: " + codegen::formatIssue(w));
      if (!v.ok) ++failed;
      index.push_back({{"file", s.fileName}, {"ok", v.ok}, {"validation", entry.validation}});
      report.push_back(std::move(entry));
      files.push_back({s.fileName, std::move(toValidate[i].source)});
      if (++done % 25 == 0) ctx.progress(std::nullopt, std::nullopt, static_cast<int64_t>(total), static_cast<int64_t>(done));
    }
    if (!outputs.empty()) ctx.store().putSessionData(sid, outputs, nowMicros());
    std::string appName = sm.model.info ? sm.model.info->name : "";
    files.push_back({"connector.manifest", codegen::connectorManifest(scripts)});
    files.push_back({"README.md", codegen::packageReadme(sm.model, report, appName)});
    std::string zip = codegen::zipArchive(files);
    ctx.store().deleteJobPayload(ctx.job().id);
    // Stored as the job payload, served by GET …/package/download.
    ctx.store().putJobPayload(ctx.job().id, zip);
    ctx.progress(std::nullopt, std::nullopt, static_cast<int64_t>(total), static_cast<int64_t>(total));
    JobOutcome out;
    out.result = {{"files", files.size()},
                  {"scripts", total},
                  {"failedValidation", failed},
                  {"bytes", zip.size()},
                  {"classes", sm.model.objectClasses.size()},
                  {"relations", sm.model.relations.size()},
                  {"scriptsReport", index}};
    if (llmUsage) out.result["llmUsage"] = *llmUsage;
    out.errors.insert(out.errors.end(), llmErrors.begin(), llmErrors.end());
    if (failed) out.errors.push_back(std::to_string(failed) + " of " + std::to_string(total) + " scripts failed validation (see README.md)");
    auto reason = groovyChecker().unavailableReason();
    if (!reason.empty()) out.errors.push_back("Groovy compilation skipped: " + reason);
    return out;
  });
}
}  // namespace cg
