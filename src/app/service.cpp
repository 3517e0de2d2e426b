#include "app/service.h"

#include <csignal>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/api_context.h"
#include "app/job_handlers.h"
#include "http/dispatcher.h"
#include "http/server.h"
#include "jobs/job_engine.h"
#include "store/store.h"
#include "util/log.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
namespace {
std::unique_ptr<Store> openAndMigrate(const Config& c) {
  auto store = openStore(c.databaseUrl, c.databasePoolSize);
  store->migrate();
  log::info("database ready", {{"backend", store->backendName()},
                               {"url", redactDatabaseUrl(c.databaseUrl.empty() ? "./data/connector-gen.db" : c.databaseUrl)},
                               {"schemaVersion", store->schemaVersion()}});
  return store;
}

ApiSettings apiSettings(const Config& c) {
  ApiSettings s;
  s.apiBaseUrl = c.apiBaseUrl;
  s.title = c.title;
  s.version = c.version;
  s.swaggerUiDir = c.swaggerUiDir;
  s.jobMaxAttempts = c.jobMaxAttempts;
  s.maxUploadBytes = c.maxUploadBytes;
  s.chunkTokens = static_cast<size_t>(c.chunkTokens);
  s.maxExtractedTextBytes = c.maxExtractedTextBytes;
  return s;
}

WorkerPoolOptions poolOptions(const Config& c, const std::string& prefix) {
  WorkerPoolOptions o;
  o.threads = c.workers;
  o.leaseMicros = int64_t{c.jobLeaseSeconds} * 1'000'000;
  o.pollMicros = int64_t{c.jobPollMilliseconds} * 1000;
  o.recoveryMicros = std::max<int64_t>(o.leaseMicros / 2, 1'000'000);
  o.ownerPrefix = prefix;
  return o;
}
}  // namespace

int runMigrate(const Config& c) {
  auto store = openAndMigrate(c);
  std::printf("schema version %d on %s\n", store->schemaVersion(), store->backendName().c_str());
  return 0;
}

int runServe(const Config& c) {
  auto store = openAndMigrate(c);
  JobRegistry registry;
  registerJobHandlers(registry, apiSettings(c));
  std::unique_ptr<WorkerPool> pool;
  if (c.workers > 0) pool = std::make_unique<WorkerPool>(*store, registry, poolOptions(c, "serve"));

  http::Metrics metrics;
  ApiContext ctx{*store, metrics, pool.get(), apiSettings(c)};
  http::Router router;
  registerAllRoutes(router, ctx);
  http::Dispatcher dispatcher(router, metrics, {c.apiKeys, c.apiBaseUrl + "/", c.accessLog});
  http::HttpServer server(dispatcher, {c.host, c.port, c.ioThreads, c.maxBodyBytes, 64u << 10, c.headerTimeoutSeconds,
                                       c.bodyTimeoutSeconds, c.keepAliveSeconds});
  server.bind();
  if (pool) pool->start();
  log::info("listening", {{"host", c.host}, {"port", server.boundPort()}, {"workers", c.workers},
                          {"apiKeys", !c.apiKeys.empty()}});
  server.run();
  log::info("http server stopped; stopping workers");
  if (pool) pool->stop();
  store.reset();
  log::info("shutdown complete");
  return 0;
}

int printRoutes(const Config& c) {
  auto store = openStore(":memory:", 1);
  http::Metrics metrics;
  ApiContext ctx{*store, metrics, nullptr, apiSettings(c)};
  http::Router router;
  registerAllRoutes(router, ctx);
  OrderedJson out = OrderedJson::array();
  for (const auto& r : router.routes())
    out.push_back({{"method", r.method}, {"path", r.pattern}, {"documented", !r.doc.hidden}});
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

int enqueueJobs(const Config& c, const std::string& sessionId, const std::string& type, const std::string& inputJson,
                int count, bool createSession) {
  auto id = parseUuid(sessionId);
  if (!id) throw std::invalid_argument("--session must be a UUID");
  OrderedJson input = OrderedJson::parse(inputJson, nullptr, false);
  if (input.is_discarded()) throw std::invalid_argument("--input must be valid JSON");
  auto store = openAndMigrate(c);
  if (createSession) store->createSession(*id, nowMicros());
  for (int i = 0; i < count; ++i) {
    NewJob nj;
    nj.sessionId = *id;
    nj.type = type;
    nj.input = input;
    nj.maxAttempts = c.jobMaxAttempts;
    auto jobId = enqueueJob(*store, nj);
    if (!jobId) throw std::invalid_argument("session " + *id + " does not exist");
    std::printf("%s\n", jobId->c_str());
  }
  return 0;
}

namespace {
volatile std::sig_atomic_t gStop = 0;
void onStopSignal(int) { gStop = 1; }
}  // namespace

int runWorker(const Config& c) {
  auto store = openAndMigrate(c);
  JobRegistry registry;
  registerJobHandlers(registry, apiSettings(c));
  WorkerPool pool(*store, registry, poolOptions(c, "worker"));
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  pool.start();
  log::info("worker started", {{"threads", std::max(1, c.workers)}, {"owner", pool.ownerId()}});
  while (!gStop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  log::info("worker stopping after current jobs");
  pool.stop();
  store.reset();
  log::info("worker stopped");
  return 0;
}
}  // namespace cg
