// Documentation routes (api-contract.md B.3) and the documentation.processUpload job.
// Differences from the reference, on purpose: an upload's chunks and its whole normalized text are
// stored in one transaction when processing succeeds (HEAD answers 204 only for a complete
// document, a failed upload stores nothing); re-uploading a docId replaces that document; a
// replace-all upload removes the old documentation in the same transaction that stores the new one,
// so a failed replacement loses nothing.
#include <algorithm>
#include <map>
#include <set>

#include "api/api_context.h"
#include "api/chunk_summaries.h"
#include "api/validation.h"
#include "http/multipart.h"
#include "ingest/pipeline.h"
#include "jobs/status.h"
#include "util/api_error.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
using http::Request;
using http::Response;

namespace {
const char* kUploadJob = "documentation.processUpload";

std::string uploadJobKey(const std::string& docId) { return "documentation.processUpload_" + docId + "_job_id"; }

// Groups chunks into Documentation bundles by (source, docId | own chunkId), in order of appearance.
OrderedJson bundles(const std::vector<ChunkRow>& chunks) {
  OrderedJson out = OrderedJson::array();
  std::map<std::pair<std::string, std::string>, size_t> index;
  for (const auto& c : chunks) {
    auto key = std::make_pair(c.source, c.docId ? *c.docId : "chunk:" + c.chunkId);
    auto it = index.find(key);
    if (it == index.end()) {
      OrderedJson b = OrderedJson::object();
      b["docId"] = c.docId ? OrderedJson(*c.docId) : OrderedJson(nullptr);
      b["chunks"] = OrderedJson::array();
      out.push_back(std::move(b));
      it = index.emplace(key, out.size() - 1).first;
    }
    out[it->second]["chunks"].push_back(chunkToJson(c));
  }
  return out;
}

struct UploadedFile {
  std::string filename;
  std::string contentType;
  std::string bytes;
};

UploadedFile readUpload(const Request& req, const ApiSettings& settings) {
  auto ct = req.header("content-type").value_or("");
  auto parsed = http::parseMultipart(ct, req.body);
  const http::MultipartPart* part = nullptr;
  for (const auto& p : parsed.parts)
    if (p.name == "documentation") part = &p;
  if (!part)
    throwValidation("missing", OrderedJson::array({"body", "documentation"}),
                    parsed.error.empty() ? "Field required" : "Field required (" + parsed.error + ")", nullptr);
  UploadedFile f;
  f.filename = part->filename && !trim(*part->filename).empty() ? trim(*part->filename) : "unknown";
  // Only the base name of a client-supplied path.
  if (auto slash = f.filename.find_last_of("/\\"); slash != std::string::npos && slash + 1 < f.filename.size())
    f.filename = f.filename.substr(slash + 1);
  f.contentType = part->contentType;
  if (part->data.size() > settings.maxUploadBytes)
    throw ApiError(413, "Uploaded documentation " + f.filename + " is too large (" + std::to_string(part->data.size()) +
                            " bytes; the limit is " + std::to_string(settings.maxUploadBytes) + " bytes).");
  if (part->data.empty()) throw ApiError(422, "Uploaded documentation " + f.filename + " is empty.");
  f.bytes.assign(part->data);
  return f;
}

Response queueUpload(ApiContext& ctx, const std::string& sessionId, const std::string& docId, const UploadedFile& f,
                     bool skipCache, bool replaceAll, const std::string& message) {
  NewJob nj;
  nj.sessionId = sessionId;
  nj.type = kUploadJob;
  nj.input = {{"docId", docId},
              {"filename", f.filename},
              {"contentType", f.contentType},
              {"size", f.bytes.size()},
              {"sha256", sha256Hex(f.bytes)},
              {"skipCache", skipCache},
              {"replaceAll", replaceAll}};
  nj.initialProgress = {"queue", "Queued uploaded documentation for processing", std::nullopt, std::nullopt};
  nj.jobIdKey = uploadJobKey(docId);
  nj.payload = f.bytes;
  std::string jobId = ctx.startJob(std::move(nj));
  return Response::json(200, OrderedJson{{"message", message},
                                         {"sessionId", sessionId},
                                         {"jobId", jobId},
                                         {"docId", docId},
                                         {"status", "queued"}});
}

OrderedJson uploadRequestBody() {
  return {{"required", true},
          {"content",
           {{"multipart/form-data",
             {{"schema",
               {{"type", "object"},
                {"required", {"documentation"}},
                {"properties", {{"documentation", {{"type", "string"}, {"format", "binary"}}}}}}}}}}}};
}
Json skipCacheParam() {
  return Json::array({{{"name", "skipCache"}, {"required", false}, {"schema", {{"type", "boolean"}, {"default", false}}}}});
}

// Parses one DocumentationChunk of an import body; throws 422 with a clear message.
ChunkRow importedChunk(const OrderedJson& c, size_t index, const std::string& sessionId, const std::string& docId) {
  auto field = [&](std::initializer_list<const char*> names) -> const OrderedJson* {
    for (const char* n : names)
      if (c.contains(n)) return &c[n];
    return nullptr;
  };
  auto loc = [&](const char* f) { return OrderedJson::array({"body", "chunks", index, f}); };
  if (!c.is_object())
    throwValidation("model_attributes_type", OrderedJson::array({"body", "chunks", index}),
                    "Input should be a valid dictionary or object to extract fields from", c);
  ChunkRow row;
  row.sessionId = sessionId;
  row.docId = docId;
  const OrderedJson* id = field({"chunkId", "chunk_id"});
  if (!id) throwValidation("missing", loc("chunkId"), "Field required", c);
  auto parsedId = id->is_string() ? parseUuid(id->get<std::string>()) : std::nullopt;
  if (!parsedId) throwValidation("uuid_parsing", loc("chunkId"), "Input should be a valid UUID", *id);
  row.chunkId = *parsedId;
  const OrderedJson* source = field({"source"});
  if (!source) throwValidation("missing", loc("source"), "Field required", c);
  if (!source->is_string()) throwValidation("string_type", loc("source"), "Input should be a valid string", *source);
  row.source = source->get<std::string>();
  const OrderedJson* content = field({"content"});
  if (!content) throwValidation("missing", loc("content"), "Field required", c);
  if (!content->is_string()) throwValidation("string_type", loc("content"), "Input should be a valid string", *content);
  row.content = content->get<std::string>();
  const OrderedJson* created = field({"createdAt", "created_at"});
  if (!created) throwValidation("missing", loc("createdAt"), "Field required", c);
  auto ts = created->is_string() ? parseTimestamp(created->get<std::string>()) : std::nullopt;
  if (!ts) throw ApiError(422, "Invalid createdAt for chunk " + row.chunkId + ": expected an ISO-8601 date-time");
  row.createdAt = *ts;
  if (const OrderedJson* url = field({"url"}); url && !url->is_null()) {
    if (!url->is_string()) throwValidation("string_type", loc("url"), "Input should be a valid string", *url);
    row.url = url->get<std::string>();
  }
  if (const OrderedJson* summary = field({"summary"}); summary && !summary->is_null()) {
    if (!summary->is_string()) throwValidation("string_type", loc("summary"), "Input should be a valid string", *summary);
    row.summary = summary->get<std::string>();
  }
  if (const OrderedJson* meta = field({"metadata", "@metadata"}); meta && !meta->is_null()) {
    if (!meta->is_object()) throwValidation("dict_type", loc("metadata"), "Input should be a valid dictionary", *meta);
    row.metadata = *meta;
  }
  if (const OrderedJson* ids = field({"scrapeJobIds", "scrape_job_ids"}); ids && !ids->is_null()) {
    if (!ids->is_array()) throwValidation("list_type", loc("scrapeJobIds"), "Input should be a valid list", *ids);
    for (const auto& v : *ids) row.scrapeJobIds.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  return row;
}
}  // namespace

OrderedJson chunkToJson(const ChunkRow& c) {
  OrderedJson j = OrderedJson::object();
  j["chunkId"] = c.chunkId;
  j["source"] = c.source;
  j["url"] = c.url ? OrderedJson(*c.url) : OrderedJson(nullptr);
  j["summary"] = c.summary ? OrderedJson(*c.summary) : OrderedJson(nullptr);
  j["content"] = c.content;
  j["metadata"] = c.metadata;
  j["createdAt"] = formatTimestamp(c.createdAt);
  j["scrapeJobIds"] = c.scrapeJobIds;
  return j;
}

void registerDocumentationRoutes(http::Router& r, ApiContext& ctx) {
  const std::string base = ctx.v1() + "/session/{session_id}/documentation";
  Store& store = ctx.store;

  r.add("GET", base + "/status", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    requireSession(store, sid);
    OrderedJson jobs = OrderedJson::array();
    for (const auto& j : store.listJobs(sid))
      if (startsWith(j.type, kUploadJob)) jobs.push_back(jobListItem(j));
    size_t n = jobs.size();
    return Response::json(200, OrderedJson{{"sessionId", sid}, {"uploadJobs", std::move(jobs)}, {"totalUploads", n}});
  }, {"Status of the session's documentation uploads", "documentation"});

  r.add("GET", base, [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    requireSession(store, sid);
    auto chunks = store.listChunks(sid);
    if (chunks.empty()) throw ApiError(404, "No documentation found in session " + sid);
    return Response::json(200, bundles(chunks));
  }, {"All documentation of the session, grouped by document", "documentation"});

  r.add("POST", base, [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    requireSession(ctx.store, sid);
    UploadedFile f = readUpload(req, ctx.settings);
    return queueUpload(ctx, sid, newUuid(), f, false, false, "Documentation upload queued for processing");
  }, {"Upload a document (OpenAPI, SCIM, SQL, HTML, Markdown, PDF, DOCX, …)", "documentation", 200, uploadRequestBody()});

  r.add("PUT", base, [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    bool skipCache = api::boolQuery(req, "skipCache", false);
    requireSession(ctx.store, sid);
    UploadedFile f = readUpload(req, ctx.settings);
    return queueUpload(ctx, sid, newUuid(), f, skipCache, true, "Documentation replacement queued for processing");
  }, {"Replace all documentation of the session with one uploaded document", "documentation", 200, uploadRequestBody(),
      nullptr, skipCacheParam(),
      "The existing documentation is removed in the same transaction that stores the new document, so a failed "
      "replacement keeps it."});

  r.add("DELETE", base, [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    requireSession(store, sid);
    store.deleteAllDocumentation(sid);
    return Response::json(200, OrderedJson{{"message", "All documentation deleted successfully"}, {"sessionId", sid}});
  }, {"Delete all documentation of the session", "documentation"});

  r.add("GET", base + "/{documentation_id}", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string docId = api::uuidParam(req, "documentation_id");
    requireSession(store, sid);
    auto chunks = store.listChunksByDoc(sid, docId);
    if (chunks.empty()) throw ApiError(404, "Documentation " + docId + " not found in session " + sid);
    OrderedJson out = OrderedJson::object();
    out["docId"] = docId;
    out["chunks"] = OrderedJson::array();
    for (const auto& c : chunks) out["chunks"].push_back(chunkToJson(c));
    return Response::json(200, out);
  }, {"One document's chunks", "documentation"});

  r.add("HEAD", base + "/{documentation_id}", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string docId = api::uuidParam(req, "documentation_id");
    requireSession(store, sid);
    if (store.countChunksByDoc(sid, docId) > 0) return Response::empty(204);
    if (auto jobId = store.getSessionValue(sid, uploadJobKey(docId)); jobId && jobId->is_string()) {
      auto job = store.getJob(jobId->get<std::string>());
      if (job && (job->status == JobStatus::queued || job->status == JobStatus::running)) {
        Response res = Response::empty(202);
        res.header("X-Documentation-Status", "processing");
        res.header("X-Job-Id", job->id);
        return res;
      }
    }
    throw ApiError(404, "Documentation " + docId + " not found in session " + sid);
  }, {"Is the document stored (204), still processing (202), or unknown (404)?", "documentation", 204});

  r.add("POST", base + "/{documentation_id}", [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string docId = api::uuidParam(req, "documentation_id");
    bool skipCache = api::boolQuery(req, "skipCache", false);
    requireSession(ctx.store, sid);
    UploadedFile f = readUpload(req, ctx.settings);
    return queueUpload(ctx, sid, docId, f, skipCache, false, "Documentation upload queued for processing");
  }, {"Upload a document under a caller-chosen docId (replaces that document when processing succeeds)",
      "documentation", 200, uploadRequestBody(), nullptr, skipCacheParam()});

  r.add("PUT", base + "/{documentation_id}", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string docId = api::uuidParam(req, "documentation_id");
    OrderedJson body = api::jsonBody(req);
    if (!body.is_object())
      throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                      "Input should be a valid dictionary or object to extract fields from", body);
    requireSession(store, sid);
    const OrderedJson* bodyDoc = body.contains("docId") ? &body["docId"] : body.contains("doc_id") ? &body["doc_id"] : nullptr;
    if (bodyDoc && !bodyDoc->is_null()) {
      auto parsed = bodyDoc->is_string() ? parseUuid(bodyDoc->get<std::string>()) : std::nullopt;
      if (!parsed) throwValidation("uuid_parsing", OrderedJson::array({"body", "docId"}), "Input should be a valid UUID", *bodyDoc);
      if (*parsed != docId)
        throw ApiError(422, "Body docId (" + *parsed + ") must match path documentation_id (" + docId + ")");
    }
    OrderedJson chunks = body.value("chunks", OrderedJson::array());
    if (!chunks.is_array()) throwValidation("list_type", OrderedJson::array({"body", "chunks"}), "Input should be a valid list", chunks);
    std::vector<ChunkRow> rows;
    std::set<std::string> seen;
    for (size_t i = 0; i < chunks.size(); ++i) {
      rows.push_back(importedChunk(chunks[i], i, sid, docId));
      if (!seen.insert(rows.back().chunkId).second)
        throw ApiError(422, "Duplicate chunkId in import payload: " + rows.back().chunkId);
    }
    try {
      store.replaceDocumentChunks(sid, docId, rows, std::nullopt);
    } catch (const StoreConflict& e) {
      throw ApiError(409, std::string("Import failed due to DB data conflict. Most likely duplicate chunkId (chunk_id is "
                                      "globally unique across all sessions) or a source other than 'scraper'/'upload'. "
                                      "DB says: ") + e.what());
    }
    return Response::json(200, OrderedJson{{"message", "Documentation imported successfully"},
                                           {"sessionId", sid},
                                           {"docId", docId},
                                           {"importedChunks", rows.size()}});
  }, {"Import pre-processed chunks for a document (atomic replace)", "documentation", 200,
      Json{{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}});

  r.add("DELETE", base + "/{documentation_id}", [&store](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    std::string docId = api::uuidParam(req, "documentation_id");
    requireSession(store, sid);
    int64_t n = store.deleteChunksByDoc(sid, docId);
    if (n == 0) throw ApiError(404, "Documentation with documentation_id " + docId + " not found in session " + sid);
    return Response::json(200, OrderedJson{{"message", "Documentation deleted successfully (" + std::to_string(n) +
                                                           " chunk(s) removed)"},
                                           {"sessionId", sid},
                                           {"deletedPageId", docId},
                                           {"deletedChunks", n}});
  }, {"Delete one document", "documentation"});
}

void registerApiJobHandlers(JobRegistry& registry, const ApiSettings& settings) {
  registry.add(kUploadJob, [settings](JobContext& ctx) {
    const auto& in = ctx.input();
    std::string docId = in.value("docId", "");
    std::string filename = in.value("filename", "unknown");
    std::string declared = in.value("contentType", "");
    bool replaceAll = in.value("replaceAll", false);
    auto bytes = ctx.store().getJobPayload(ctx.job().id);
    if (!bytes) throw JobFailure("The uploaded bytes of " + filename + " are no longer available.");
    ctx.progress("processing", "Parsing uploaded documentation " + filename);
    ingest::IngestOptions options;
    options.chunking.maxTokens = settings.chunkTokens;
    options.extract.maxExtractedTextBytes = settings.maxExtractedTextBytes;
    ingest::IngestResult result = ingest::ingestDocument(*bytes, declared, filename, options);
    ctx.checkCancelled();
    if (!result.ok()) {
      ctx.store().deleteJobPayload(ctx.job().id);
      throw JobFailure(result.error->jobMessage());
    }
    // Issue 7 item 3: the model's summaries for prose chunks when the LLM is configured.
    ChunkSummarizer summarizer(ctx, "llm_summaries");
    summarizer.summarize(result.type.parser, "upload://" + filename, result.chunks);
    std::vector<std::string> llmErrors = summarizer.finish();
    std::optional<OrderedJson> llmUsage = summarizer.usage();
    ctx.checkCancelled();
    int64_t total = static_cast<int64_t>(result.chunks.size());
    ctx.progress("processing_chunks", "Processing " + std::to_string(total) + " chunks", total, 0);
    int64_t now = nowMicros();
    std::vector<ChunkRow> rows;
    rows.reserve(result.chunks.size());
    for (size_t i = 0; i < result.chunks.size(); ++i) {
      auto& c = result.chunks[i];
      ChunkRow row;
      row.chunkId = newUuid();
      row.sessionId = ctx.job().sessionId;
      row.docId = docId;
      row.source = "upload";
      row.url = "upload://" + filename;
      row.summary = c.summary;
      row.content = std::move(c.content);
      row.metadata = std::move(c.metadata);
      row.createdAt = now + static_cast<int64_t>(i);  // keeps chunk order
      row.scrapeJobIds = {ctx.job().id};
      rows.push_back(std::move(row));
    }
    DocumentRow doc;
    doc.docId = docId;
    doc.sessionId = ctx.job().sessionId;
    doc.source = "upload";
    doc.url = "upload://" + filename;
    doc.filename = filename;
    doc.contentType = result.type.contentType;
    doc.detectedType = std::string(ingest::documentKindName(result.type.kind));
    doc.text = std::move(result.text);
    doc.sha256 = in.value("sha256", "");
    doc.jobId = ctx.job().id;
    doc.metadata = {{"parser", result.type.parser},
                    {"category", result.type.category},
                    {"reason", result.type.reason},
                    {"specVersion", result.type.specVersion},
                    {"title", result.title},
                    {"declaredContentType", result.type.declaredContentType},
                    {"chunks", total}};
    doc.createdAt = now;
    ctx.store().replaceDocumentChunks(ctx.job().sessionId, docId, rows, doc, replaceAll);
    ctx.store().deleteJobPayload(ctx.job().id);
    ctx.progress(std::nullopt, std::nullopt, total, total);
    JobOutcome out;
    out.result = {{"chunks_processed", total},
                  {"doc_id", docId},
                  {"filename", filename},
                  {"content_type", result.type.contentType}};
    if (llmUsage) out.result["llmUsage"] = *llmUsage;
    out.errors = result.warnings;
    out.errors.insert(out.errors.end(), llmErrors.begin(), llmErrors.end());
    return out;
  });
}
}  // namespace cg
