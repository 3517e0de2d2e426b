// Registers the handler of every job type this binary knows (documentation processing, digester,
// codegen, …). Both `serve` and `worker` processes use the same registry.
#pragma once
#include "jobs/job_engine.h"

namespace cg {
void registerJobHandlers(JobRegistry& registry);
}  // namespace cg
