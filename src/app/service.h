// Service wiring and lifecycle for the `serve`, `worker` and `migrate` commands: opens the store
// and migrates it, builds the router and worker pool, runs until SIGINT/SIGTERM, then shuts down in
// order (stop accepting, finish in-flight requests, stop workers after their current job, close
// the database).
#pragma once
#include <string>

#include "app/config.h"

namespace cg {
int runServe(const Config& config);
int runWorker(const Config& config);
int runMigrate(const Config& config);
// Prints [{"method","path"}…] of every route the service registers.
int printRoutes(const Config& config);
// Queues `count` jobs of `type` with `inputJson` for a session; prints their ids, one per line.
int enqueueJobs(const Config& config, const std::string& sessionId, const std::string& type,
                const std::string& inputJson, int count, bool createSession);
}  // namespace cg
