// ApiContext: what route handlers need from the running service (storage, the local worker pool
// to wake, metrics, and a few settings). Built by app/ and passed to every register*Routes().
#pragma once
#include <cstdint>
#include <string>

#include "http/metrics.h"
#include "http/router.h"
#include "jobs/job_engine.h"
#include "store/store.h"

namespace cg {
struct ApiSettings {
  std::string apiBaseUrl = "/api";
  std::string title = "connector-gen";
  std::string version = "0.1.0";
  std::string swaggerUiDir;
  int jobMaxAttempts = 3;
  uint64_t maxUploadBytes = 50ull << 20;  // documentation uploads above this → 413
  size_t chunkTokens = 10'000;           // token budget per documentation chunk
  size_t maxExtractedTextBytes = 64ull << 20;
};

struct ApiContext {
  Store& store;
  http::Metrics& metrics;
  WorkerPool* workers = nullptr;  // null when this process runs no workers
  ApiSettings settings;
  // Wakes local workers after a job was enqueued (other processes poll).
  void jobEnqueued() const {
    if (workers) workers->notify();
  }
  std::string v1() const { return settings.apiBaseUrl + "/v1"; }
  // Enqueues a job (see enqueueJob), wakes local workers, returns its id; 404 "Session … not found"
  // when the session does not exist. maxAttempts comes from the settings.
  std::string startJob(NewJob job) const;
  // The contract's operation pattern: a job of `type` whose input (the session's `<keyPrefix>Input`
  // value plus `jobExtra`) is stored, whose id goes to `<keyPrefix>JobId` and whose result goes to
  // `<keyPrefix>Output`.
  std::string startOperationJob(const std::string& sessionId, const std::string& type, const std::string& keyPrefix,
                                const OrderedJson& sessionInput, const OrderedJson& jobExtra,
                                JobProgress progress) const;
};

void registerSessionRoutes(http::Router& router, ApiContext& ctx);
void registerSystemRoutes(http::Router& router, ApiContext& ctx);
void registerDocumentationRoutes(http::Router& router, ApiContext& ctx);
void registerDiscoveryRoutes(http::Router& router, ApiContext& ctx);  // src/api/discovery_api.cpp
void registerScrapeRoutes(http::Router& router, ApiContext& ctx);     // src/api/scrape_api.cpp
void registerDigesterRoutes(http::Router& router, ApiContext& ctx);   // src/api/digester_api.cpp
void registerCodegenRoutes(http::Router& router, ApiContext& ctx);    // src/api/codegen_api.cpp
// Job handlers implemented by the API areas (documentation.processUpload, …).
void registerApiJobHandlers(JobRegistry& registry, const ApiSettings& settings);
void registerCrawlJobHandlers(JobRegistry& registry, const ApiSettings& settings);     // discovery + scrape
void registerDigesterJobHandlers(JobRegistry& registry, const ApiSettings& settings);  // digester.*
void registerCodegenJobHandlers(JobRegistry& registry, const ApiSettings& settings);   // codegen.*
// Registers every route of the service (system routes last, so /openapi.json sees all others).
void registerAllRoutes(http::Router& router, ApiContext& ctx);
// The contract's DocumentationChunk JSON (E.1) of a stored chunk (documentation_api.cpp).
OrderedJson chunkToJson(const ChunkRow& chunk);

// The OpenAPI 3.1 document of the router's routes.
OrderedJson buildOpenApiDocument(const http::Router& router, const ApiSettings& settings);
}  // namespace cg
