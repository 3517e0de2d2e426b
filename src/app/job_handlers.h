// Registers the handler of every job type this binary knows (documentation processing, digester,
// codegen, …). Both `serve` and `worker` processes use the same registry.
#pragma once
#include "api/api_context.h"
#include "jobs/job_engine.h"

namespace cg {
void registerJobHandlers(JobRegistry& registry, const ApiSettings& settings);
}  // namespace cg
