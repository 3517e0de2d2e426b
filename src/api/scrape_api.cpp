// Scrape routes (api-contract.md B.5, E.3) and the scrape.getRelevantDocumentation job: a polite,
// SSRF-guarded crawl (crawl/crawler.h) whose pages go through the same ingestion pipeline as
// uploads. Differences from the reference, on purpose: each page is stored as soon as it is
// fetched (a crash keeps what was fetched); a page already in the session with the same URL and
// content is not stored again, and a changed page replaces the previous version of that URL
// (scraper documents only, uploads are never touched); OpenAPI/Swagger/SCIM documents are stored
// whole as structured documents; page/depth/byte limits can be set per request (maxPages,
// maxDepth, maxBytes). The cross-session reuse of the reference is not implemented: skipCache is
// accepted and recorded, every scrape fetches. With LLM settings (issue 7), the stored prose pages
// get the model's chunk summaries after the crawl, within one LLM budget per job.
#include <map>
#include <set>

#include "api/api_context.h"
#include "api/chunk_summaries.h"
#include "api/validation.h"
#include "crawl/crawl_settings.h"
#include "crawl/crawler.h"
#include "crawl/fetcher.h"
#include "ingest/pipeline.h"
#include "jobs/status.h"
#include "util/api_error.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
using http::Request;
using http::Response;

void registerDiscoveryJobHandler(JobRegistry& registry, const ApiSettings& settings);  // discovery_api.cpp

namespace {
const char* kScrapeJob = "scrape.getRelevantDocumentation";

OrderedJson loc(const char* name) { return OrderedJson::array({"body", name}); }

const OrderedJson* field(const OrderedJson& body, const char* camel, const char* snake) {
  if (auto it = body.find(camel); it != body.end()) return &*it;
  if (auto it = body.find(snake); it != body.end()) return &*it;
  return nullptr;
}

std::optional<int64_t> optionalInt(const OrderedJson& body, const char* camel, const char* snake, int64_t min, int64_t max) {
  const OrderedJson* v = field(body, camel, snake);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_number_integer()) throwValidation("int_type", loc(camel), "Input should be a valid integer", *v);
  int64_t n = v->get<int64_t>();
  if (n < min)
    throwValidation("greater_than_equal", loc(camel), "Input should be greater than or equal to " + std::to_string(min),
                    *v, OrderedJson{{"ge", min}});
  if (n > max)
    throwValidation("less_than_equal", loc(camel), "Input should be less than or equal to " + std::to_string(max), *v,
                    OrderedJson{{"le", max}});
  return n;
}

// ScrapeRequest (E.3) with the contract's version resolution (B.5.1) and optional crawl limits.
OrderedJson parseScrapeRequest(const OrderedJson& body, Store& store, const std::string& sid) {
  if (!body.is_object())
    throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                    "Input should be a valid dictionary or object to extract fields from", body);
  const OrderedJson* links = field(body, "starterLinks", "starter_links");
  if (!links) throwValidation("missing", loc("starterLinks"), "Field required", body);
  if (!links->is_array()) throwValidation("list_type", loc("starterLinks"), "Input should be a valid list", *links);
  OrderedJson starters = OrderedJson::array();
  for (size_t i = 0; i < links->size(); ++i) {
    const auto& l = (*links)[i];
    if (!l.is_string())
      throwValidation("string_type", OrderedJson::array({"body", "starterLinks", i}), "Input should be a valid string", l);
    starters.push_back(l.get<std::string>());
  }
  const OrderedJson* name = field(body, "applicationName", "application_name");
  if (!name) throwValidation("missing", loc("applicationName"), "Field required", body);
  if (!name->is_string()) throwValidation("string_type", loc("applicationName"), "Input should be a valid string", *name);
  const OrderedJson* version = field(body, "applicationVersion", "application_version");
  if (version && !version->is_null() && !version->is_string())
    throwValidation("string_type", loc("applicationVersion"), "Input should be a valid string", *version);
  bool skipCache = false;
  if (const OrderedJson* s = field(body, "skipCache", "skip_cache"); s && !s->is_null()) {
    if (!s->is_boolean()) throwValidation("bool_type", loc("skipCache"), "Input should be a valid boolean", *s);
    skipCache = s->get<bool>();
  }
  auto maxPages = optionalInt(body, "maxPages", "max_pages", 1, 100000);
  auto maxDepth = optionalInt(body, "maxDepth", "max_depth", 0, 50);
  auto maxBytes = optionalInt(body, "maxBytes", "max_bytes", 1024, int64_t{1} << 40);

  requireSession(store, sid);
  std::string resolved;
  if (version && version->is_string() && !trim(version->get<std::string>()).empty()) {
    resolved = trim(version->get<std::string>());
  } else {
    auto discovery = store.getSessionValue(sid, "discoveryInput");
    if (discovery && discovery->is_object() && discovery->contains("applicationVersion") &&
        (*discovery)["applicationVersion"].is_string() && !trim((*discovery)["applicationVersion"].get<std::string>()).empty())
      resolved = trim((*discovery)["applicationVersion"].get<std::string>());
    else
      resolved = "current";
  }
  OrderedJson in = {{"starterLinks", starters},
                    {"applicationName", name->get<std::string>()},
                    {"applicationVersion", resolved},
                    {"skipCache", skipCache}};
  if (maxPages) in["maxPages"] = *maxPages;
  if (maxDepth) in["maxDepth"] = *maxDepth;
  if (maxBytes) in["maxBytes"] = *maxBytes;
  return in;
}

OrderedJson scrapeBodySchema() {
  return {{"required", true},
          {"content",
           {{"application/json",
             {{"schema",
               {{"type", "object"},
                {"required", {"starterLinks", "applicationName"}},
                {"properties",
                 {{"starterLinks", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                  {"applicationName", {{"type", "string"}}},
                  {"applicationVersion", {{"type", "string"}, {"default", "current"}}},
                  {"skipCache", {{"type", "boolean"}, {"default", false}}},
                  {"maxPages", {{"type", "integer"}, {"minimum", 1}, {"description", "Extension: page limit of this crawl"}}},
                  {"maxDepth", {{"type", "integer"}, {"minimum", 0}, {"description", "Extension: link depth limit (starters = 0)"}}},
                  {"maxBytes", {{"type", "integer"}, {"minimum", 1024}, {"description", "Extension: byte limit of this crawl"}}}}}}}}}}}};
}

std::string filenameOf(const std::string& url) {
  auto p = crawl::parseHttpUrl(url);
  if (!p) return "page";
  std::string path = p->path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::string name = crawl::percentDecode(path.substr(path.rfind('/') + 1));
  return name.empty() ? p->host : name;
}

const char* kindName(crawl::PageKind k) {
  switch (k) {
    case crawl::PageKind::Html: return "html";
    case crawl::PageKind::Spec: return "spec";
    default: return "document";
  }
}

// Stores crawled pages of one job: dedup by (URL, content hash) against the session and within the
// job, replacement of changed scraper pages, one transaction per page.
class PageStore {
 public:
  PageStore(JobContext& ctx, const ApiSettings& settings) : ctx_(ctx), settings_(settings) {
    for (const auto& d : ctx.store().listDocuments(ctx.job().sessionId)) {
      if (!d.url) continue;
      std::string key = crawl::urlIdentityKey(*d.url);
      if (key.empty()) continue;
      known_[key + "\n" + d.sha256] = true;
      if (d.source == "scraper") scraperDocByUrl_[key] = d.docId;
    }
  }

  void store(const crawl::CrawledPage& page) {
    std::string key = crawl::urlIdentityKey(page.url);
    std::string sha = sha256Hex(page.body);
    if (known_.count(key + "\n" + sha)) {
      unchanged_++;
      return;
    }
    if (!jobHashes_.insert(sha).second) {
      duplicates_++;  // same content under another URL in this crawl (an alias)
      return;
    }
    ingest::IngestOptions options;
    options.chunking.maxTokens = settings_.chunkTokens;
    options.extract.maxExtractedTextBytes = settings_.maxExtractedTextBytes;
    std::string declared = page.rendered ? "text/html" : crawl::mediaType(page.contentType);
    ingest::IngestResult result = ingest::ingestDocument(page.body, declared, filenameOf(page.url), options);
    if (!result.ok()) {
      notes.push_back("Page " + page.url.substr(0, 300) + " was not stored: " + result.error->jobMessage());
      return;
    }
    if (result.chunks.empty()) {
      notes.push_back("Page " + page.url.substr(0, 300) + " has no text content; not stored");
      return;
    }
    std::string docId;
    if (auto it = scraperDocByUrl_.find(key); it != scraperDocByUrl_.end())
      docId = it->second;  // a changed page replaces its previous version
    else
      docId = newUuid();
    int64_t now = nowMicros();
    std::vector<ChunkRow> rows;
    for (size_t i = 0; i < result.chunks.size(); ++i) {
      auto& c = result.chunks[i];
      ChunkRow row;
      row.chunkId = newUuid();
      row.sessionId = ctx_.job().sessionId;
      row.docId = docId;
      row.source = "scraper";
      row.url = page.url;
      row.summary = c.summary;
      row.content = std::move(c.content);
      row.metadata = std::move(c.metadata);
      row.metadata.erase("filename");
      row.metadata["url"] = page.url;
      row.createdAt = now + static_cast<int64_t>(i);
      row.scrapeJobIds = {ctx_.job().id};
      rows.push_back(std::move(row));
    }
    DocumentRow doc;
    doc.docId = docId;
    doc.sessionId = ctx_.job().sessionId;
    doc.source = "scraper";
    doc.url = page.url;
    doc.filename = filenameOf(page.url);
    doc.contentType = result.type.contentType;
    doc.detectedType = std::string(ingest::documentKindName(result.type.kind));
    doc.text = std::move(result.text);
    doc.sha256 = sha;
    doc.jobId = ctx_.job().id;
    doc.metadata = {{"parser", result.type.parser},
                    {"category", result.type.category},
                    {"specVersion", result.type.specVersion},
                    {"title", result.title},
                    {"kind", kindName(page.kind)},
                    {"servedContentType", page.contentType},
                    {"requestedUrl", page.requestedUrl},
                    {"depth", page.depth},
                    {"rendered", page.rendered},
                    {"chunks", rows.size()}};
    doc.createdAt = now;
    ctx_.store().replaceDocumentChunks(ctx_.job().sessionId, docId, rows, doc);
    scraperDocByUrl_[key] = docId;
    known_[key + "\n" + sha] = true;
    storedDocs.push_back(docId);
    storedPages[docId] = {result.type.parser, rows.size()};
    storedChunks += static_cast<int64_t>(rows.size());
  }

  struct StoredPage {
    std::string parser;
    std::size_t chunks = 0;
  };
  std::vector<std::string> storedDocs;
  std::map<std::string, StoredPage> storedPages;  // by docId
  int64_t storedChunks = 0;
  std::vector<std::string> notes;
  int unchanged_ = 0;
  int duplicates_ = 0;

 private:
  JobContext& ctx_;
  const ApiSettings& settings_;
  std::map<std::string, bool> known_;
  std::map<std::string, std::string> scraperDocByUrl_;
  std::set<std::string> jobHashes_;
};

// Issue 7 item 3: the model's summaries, categories and tags for the prose pages this job stored
// (when the LLM is configured). It runs after the crawl, so model latency neither stalls the
// crawl's in-flight transfers nor counts against its time limit; a page's chunks are rewritten (same
// ids, one transaction) only when at least one of them got the model's summary. One budget for the
// whole job: once it is exhausted the remaining pages keep their deterministic summaries.
void summarizeStoredPages(JobContext& ctx, const PageStore& pages, ChunkSummarizer& summarizer) {
  const std::string& sid = ctx.job().sessionId;
  std::set<std::string> seen;
  for (const auto& docId : pages.storedDocs) {
    if (!seen.insert(docId).second) continue;
    auto page = pages.storedPages.find(docId);
    if (page == pages.storedPages.end() || !summarizer.wants(page->second.parser)) continue;
    if (summarizer.exhausted()) {
      summarizer.skip(page->second.chunks);
      continue;
    }
    ctx.checkCancelled();
    auto rows = ctx.store().listChunksByDoc(sid, docId);
    auto doc = ctx.store().getDocument(sid, docId);
    if (!doc || rows.empty()) continue;  // deleted in the meantime
    if (summarizer.summarize(page->second.parser, doc->url.value_or(""), rows) > 0)
      ctx.store().replaceDocumentChunks(sid, docId, rows, *doc);
  }
  ctx.checkCancelled();
}

JobOutcome runScrape(JobContext& ctx, const ApiSettings& settings, const crawl::CrawlSettings& cs) {
  const OrderedJson& in = ctx.input();
  JobOutcome out;
  auto emptyResult = [](const std::string& reason) {
    return OrderedJson{{"finishReason", reason},
                       {"savedDocumentationsCount", 0},
                       {"savedChunksCount", 0},
                       {"savedDocumentations", OrderedJson::array()}};
  };
  ctx.progress("running", "initializing scraper");
  std::vector<std::string> starters;
  if (in.contains("starterLinks") && in["starterLinks"].is_array())
    for (const auto& l : in["starterLinks"])
      if (l.is_string() && !trim(l.get<std::string>()).empty()) starters.push_back(trim(l.get<std::string>()));
  if (starters.empty()) {
    ctx.progress("failed", "no-starter-links provided");
    out.result = emptyResult("no-starter-links");
    return out;
  }
  crawl::CrawlRequestLimits limits;
  limits.maxPages = static_cast<int>(in.value("maxPages", int64_t{0}));
  limits.maxDepth = static_cast<int>(in.value("maxDepth", int64_t{-1}));
  limits.maxBytes = static_cast<uint64_t>(in.value("maxBytes", int64_t{0}));
  int depth = limits.maxDepth >= 0 ? limits.maxDepth : cs.maxDepth;
  int total = depth + 1;

  crawl::GuardOptions go;
  go.maxUrlLength = cs.maxUrlLength;
  std::vector<std::string> invalid;
  go.allowlist = crawl::HostAllowlist::parse(cs.allowedHosts, &invalid);
  for (const auto& i : invalid) out.errors.push_back("Ignored SCRAPE_AND_PROCESS__ALLOWED_HOSTS entry '" + i + "'");
  crawl::UrlGuard guard(go);

  PageStore pages(ctx, settings);
  std::vector<std::string> notes;
  crawl::CrawlEvents ev;
  ev.onPage = [&](const crawl::CrawledPage& p) { pages.store(p); };
  ev.onNote = [&](const std::string& n) { notes.push_back(n); };
  ev.onProgress = [&](int completed, int totalLevels) {
    int c = std::min(completed, totalLevels);
    std::string msg = c >= totalLevels ? "completed iteration " + std::to_string(totalLevels) + "/" + std::to_string(totalLevels)
                                       : "running iteration " + std::to_string(c + 1) + "/" + std::to_string(totalLevels);
    ctx.progress("scraping", msg, totalLevels, c);
  };
  ev.checkCancelled = [&] { ctx.checkCancelled(); };
  ctx.progress("scraping", "running iteration 1/" + std::to_string(total), total, 0);
  crawl::CrawlSummary summary = crawl::crawlSite(starters, cs, limits, guard, ev);

  for (auto& n : notes) out.errors.push_back(std::move(n));
  for (auto& n : pages.notes) out.errors.push_back(std::move(n));
  if (summary.pagesProcessed == 0 && summary.refused > 0 && summary.refused >= static_cast<int>(starters.size()) &&
      pages.storedDocs.empty()) {
    std::string msg = "No starter link could be fetched:";
    for (size_t i = 0; i < out.errors.size() && i < 10; ++i) msg += "\n" + out.errors[i];
    throw JobFailure(msg);
  }
  ctx.progress("processing_chunks", "finalizing chunk processing", total, total);
  ChunkSummarizer summarizer(ctx, "", in.value("applicationName", ""), in.value("applicationVersion", ""));
  summarizeStoredPages(ctx, pages, summarizer);
  for (auto& line : summarizer.finish()) out.errors.push_back(std::move(line));
  OrderedJson docs = OrderedJson::array();
  for (const auto& docId : pages.storedDocs) {
    OrderedJson b = {{"docId", docId}, {"chunks", OrderedJson::array()}};
    for (const auto& c : ctx.store().listChunksByDoc(ctx.job().sessionId, docId)) b["chunks"].push_back(chunkToJson(c));
    if (!b["chunks"].empty()) docs.push_back(std::move(b));
  }
  out.result = {{"finishReason", summary.finishReason},
                {"savedDocumentationsCount", pages.storedDocs.size()},
                {"savedChunksCount", pages.storedChunks},
                {"savedDocumentations", std::move(docs)},
                {"crawl",
                 {{"pagesProcessed", summary.pagesProcessed},
                  {"specsFound", summary.specsFound},
                  {"requests", summary.requests},
                  {"unchangedPages", pages.unchanged_},
                  {"duplicatePages", pages.duplicates_},
                  {"refused", summary.refused},
                  {"robotsDenied", summary.robotsDenied},
                  {"failed", summary.failed},
                  {"bytes", summary.bytes},
                  {"seconds", summary.seconds},
                  {"limitReached", summary.limitReached.empty() ? OrderedJson(nullptr) : OrderedJson(summary.limitReached)}}}};
  if (auto usage = summarizer.usage()) out.result["llmUsage"] = *usage;  // only with LLM settings
  return out;
}
}  // namespace

void registerScrapeRoutes(http::Router& r, ApiContext& ctx) {
  const std::string path = ctx.v1() + "/scrape/{session_id}/scrape";

  r.add("POST", path, [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    OrderedJson body = api::jsonBody(req);
    OrderedJson input = parseScrapeRequest(body, ctx.store, sid);
    std::string jobId = ctx.startOperationJob(sid, kScrapeJob, "scrape", input, OrderedJson::object(),
                                              {"queue", "Queued scraping job", std::nullopt, std::nullopt});
    return Response::json(200, OrderedJson{{"jobId", jobId}});
  }, {"Crawl documentation from starter links into the session", "scrape", 200, scrapeBodySchema()});

  r.add("GET", path, [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    auto jobId = api::uuidQuery(req, "jobId");
    return Response::json(200, resolveJobStatus(ctx.store, sid, jobId, "scrapeJobId",
                                                "No scrape job found in session " + sid, StatusEnvelope::iteration));
  }, {"Status and result of the session's scrape job", "scrape", 200, nullptr, nullptr,
      Json::array({{{"name", "jobId"}, {"required", false}, {"schema", {{"type", "string"}, {"format", "uuid"}}}}})});
}

void registerCrawlJobHandlers(JobRegistry& registry, const ApiSettings& settings) {
  registerDiscoveryJobHandler(registry, settings);
  auto cs = std::make_shared<crawl::CrawlSettings>(crawl::CrawlSettings::fromEnvironment(settings.version));
  registry.add(kScrapeJob, [settings, cs](JobContext& ctx) { return runScrape(ctx, settings, *cs); });
}
}  // namespace cg
