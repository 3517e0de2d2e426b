// Internal: greedy packing of ordered units (OpenAPI paths, schemas, JSON entries, SQL
// statements, sections) into chunks under a token budget.
//
// Contract of packUnits: units are visited in order; each chunk is a run [i, j) of consecutive
// units. A run is extended while the estimated cost (baseTokens + unit tokens + tokens of
// dependencies not yet in the run) stays within `limit`; a new group (a change of
// PackUnit::group) joins the run only when the whole group fits. tryEmit(i, j) must build the
// chunk exactly and return false when it exceeds the real budget; the run is then shortened and
// retried. When a single unit fails, emitOversized(i) is called (it must cut the unit itself).
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

namespace cg::ingest::chunking {

struct PackUnit {
  size_t tokens = 0;
  size_t group = 0;
  std::vector<size_t> deps;  // indices into PackPlan::depTokens
};

struct PackPlan {
  size_t baseTokens = 0;
  size_t limit = 0;
  std::vector<size_t> depTokens;
};

void packUnits(const std::vector<PackUnit>& units, const PackPlan& plan,
               const std::function<bool(size_t, size_t)>& tryEmit, const std::function<void(size_t)>& emitOversized);

}  // namespace cg::ingest::chunking
