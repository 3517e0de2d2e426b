// Service routes outside /api/v1: health, the OpenAPI document, Swagger UI (local files from the
// swagger-ui-dist npm package) and Prometheus metrics.
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <fmt/format.h>

#include "api/api_context.h"
#include "util/api_error.h"
#include "util/strings.h"

namespace cg {
using http::Request;
using http::Response;

namespace {
const char* kSwaggerIndex = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} — API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect" });
</script>
</body>
</html>
)HTML";

std::string contentTypeFor(const std::string& name) {
  if (endsWith(name, ".js")) return "application/javascript";
  if (endsWith(name, ".css")) return "text/css";
  if (endsWith(name, ".html")) return "text/html; charset=utf-8";
  if (endsWith(name, ".png")) return "image/png";
  if (endsWith(name, ".map") || endsWith(name, ".json")) return "application/json";
  return "application/octet-stream";
}

std::string swaggerDir(const ApiSettings& s) {
  if (!s.swaggerUiDir.empty()) return s.swaggerUiDir;
  return std::string(CG_SOURCE_DIR) + "/third_party/npm/node_modules/swagger-ui-dist";
}

Response serveSwaggerFile(const ApiSettings& s, const std::string& name) {
  // Only plain file names from the package directory (no traversal).
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos || name[0] == '.')
    throw ApiError(404, "Not Found");
  std::filesystem::path p = std::filesystem::path(swaggerDir(s)) / name;
  std::ifstream in(p, std::ios::binary);
  if (!in)
    throw ApiError(404, "Swagger UI file '" + name + "' is not installed (run scripts/install-deps.sh).");
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r = Response::text(200, ss.str(), contentTypeFor(name));
  r.header("Cache-Control", "public, max-age=3600");
  return r;
}
}  // namespace

void registerSystemRoutes(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/health", [&ctx](Request&) {
    if (!ctx.store.ping()) throw ApiError(503, "Database is not reachable");
    return Response::json(200, OrderedJson{{"message", "OK"}});
  }, {"Health check (answers OK when the database answers)", "system"});

  r.add("GET", "/metrics", [&ctx](Request&) {
    return Response::text(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  }, {"Prometheus metrics", "system"});

  // The document is built on first request, after every route is registered.
  auto docCache = std::make_shared<std::pair<std::once_flag, std::string>>();
  r.add("GET", "/openapi.json", [&ctx, &r, docCache](Request&) {
    std::call_once(docCache->first, [&] { docCache->second = dumpJson(buildOpenApiDocument(r, ctx.settings)); });
    return Response::text(200, docCache->second, "application/json");
  }, {"This OpenAPI document", "system"});

  r.add("GET", "/docs", [&ctx](Request&) {
    std::string html = kSwaggerIndex;
    html.replace(html.find("{title}"), 7, ctx.settings.title);
    if (!std::filesystem::exists(std::filesystem::path(swaggerDir(ctx.settings)) / "swagger-ui-bundle.js"))
      throw ApiError(503, "Swagger UI files are not installed (run scripts/install-deps.sh).");
    return Response::text(200, html, "text/html; charset=utf-8");
  }, {"Swagger UI", "system", 200, nullptr, nullptr, Json::array(), "", true});

  r.add("GET", "/docs/oauth2-redirect", [&ctx](Request&) { return serveSwaggerFile(ctx.settings, "oauth2-redirect.html"); },
        {"Swagger UI OAuth2 redirect", "system", 200, nullptr, nullptr, Json::array(), "", true});
  r.add("GET", "/docs/static/{file}", [&ctx](Request& req) { return serveSwaggerFile(ctx.settings, req.param("file")); },
        {"Swagger UI static files", "system", 200, nullptr, nullptr, Json::array(), "", true});

  // Job metrics from the database (shared by every process) and this process's workers.
  ctx.metrics.addCollector([&ctx]() {
    std::string out;
    out += "# HELP cg_jobs Jobs in the database by type and status.\n# TYPE cg_jobs gauge\n";
    int64_t queued = 0;
    try {
      for (const auto& c : ctx.store.countJobs()) {
        out += fmt::format("cg_jobs{{type=\"{}\",status=\"{}\"}} {}\n", http::promLabel(c.type), c.status, c.count);
        if (c.status == "queued") queued += c.count;
      }
    } catch (const std::exception&) {
    }
    out += "# HELP cg_job_queue_depth Queued jobs waiting for a worker.\n# TYPE cg_job_queue_depth gauge\n";
    out += fmt::format("cg_job_queue_depth {}\n", queued);
    if (ctx.workers) {
      auto s = ctx.workers->stats();
      out += "# HELP cg_workers Worker threads in this process.\n# TYPE cg_workers gauge\n";
      out += fmt::format("cg_workers {}\n", s.threads);
      out += "# HELP cg_workers_busy Worker threads running a job.\n# TYPE cg_workers_busy gauge\n";
      out += fmt::format("cg_workers_busy {}\n", s.busy);
      out += "# HELP cg_worker_utilization Busy worker threads / worker threads.\n# TYPE cg_worker_utilization gauge\n";
      out += fmt::format("cg_worker_utilization {}\n", s.threads ? static_cast<double>(s.busy) / s.threads : 0.0);
      out += "# HELP cg_worker_jobs_total Jobs completed by this process's workers.\n# TYPE cg_worker_jobs_total counter\n";
      out += fmt::format("cg_worker_jobs_total{{outcome=\"finished\"}} {}\n", s.finished);
      out += fmt::format("cg_worker_jobs_total{{outcome=\"failed\"}} {}\n", s.failed);
    }
    return out;
  });
}

std::string ApiContext::startJob(NewJob job) const {
  job.maxAttempts = settings.jobMaxAttempts;
  std::string sid = job.sessionId;
  auto id = enqueueJob(store, job);
  if (!id) throw ApiError(404, "Session " + sid + " not found");
  jobEnqueued();
  return *id;
}

std::string ApiContext::startOperationJob(const std::string& sessionId, const std::string& type,
                                          const std::string& keyPrefix, const OrderedJson& sessionInput,
                                          const OrderedJson& jobExtra, JobProgress progress) const {
  NewJob nj;
  nj.sessionId = sessionId;
  nj.type = type;
  nj.input = sessionInput;
  for (auto it = jobExtra.begin(); it != jobExtra.end(); ++it) nj.input[it.key()] = it.value();
  nj.resultKey = keyPrefix + "Output";
  nj.initialProgress = std::move(progress);
  nj.sessionValues = {{keyPrefix + "Input", sessionInput}};
  nj.jobIdKey = keyPrefix + "JobId";
  return startJob(std::move(nj));
}

void registerAllRoutes(http::Router& router, ApiContext& ctx) {
  registerSessionRoutes(router, ctx);
  registerDocumentationRoutes(router, ctx);
  registerDiscoveryRoutes(router, ctx);
  registerScrapeRoutes(router, ctx);
  registerDigesterRoutes(router, ctx);
  registerCodegenRoutes(router, ctx);
  registerSystemRoutes(router, ctx);
}
}  // namespace cg
