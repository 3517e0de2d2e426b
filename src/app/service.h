// Service wiring and lifecycle for the `serve`, `worker` and `migrate` commands: opens the store
// and migrates it, builds the router and worker pool, runs until SIGINT/SIGTERM, then shuts down in
// order (stop accepting, finish in-flight requests, stop workers after their current job, close
// the database).
#pragma once
#include "app/config.h"

namespace cg {
int runServe(const Config& config);
int runWorker(const Config& config);
int runMigrate(const Config& config);
}  // namespace cg
