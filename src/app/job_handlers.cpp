#include "app/job_handlers.h"

#include <chrono>
#include <thread>

namespace cg {
void registerJobHandlers(JobRegistry& registry, const ApiSettings& settings) {
  registerApiJobHandlers(registry, settings);
  registerDigesterJobHandlers(registry, settings);
  registerCodegenJobHandlers(registry, settings);
  registerCrawlJobHandlers(registry, settings);
  // Diagnostic job type used by the operational tests (crash recovery, multi-process draining):
  // sleeps for input.sleepMs (bounded, cancellable) and returns its input.
  registry.add("system.sleep", [](JobContext& ctx) {
    int64_t ms = ctx.input().value("sleepMs", int64_t{0});
    ms = std::clamp<int64_t>(ms, 0, 600'000);
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
      ctx.checkCancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(ms, 20)));
    }
    JobOutcome out;
    out.result = {{"sleptMs", ms}, {"attempt", ctx.job().attempts}};
    return out;
  });
}
}  // namespace cg
