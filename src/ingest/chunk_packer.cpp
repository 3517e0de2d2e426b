#include "ingest/chunk_packer.h"

#include <algorithm>
#include <unordered_set>

namespace cg::ingest::chunking {

void packUnits(const std::vector<PackUnit>& units, const PackPlan& plan,
               const std::function<bool(size_t, size_t)>& tryEmit, const std::function<void(size_t)>& emitOversized) {
  const size_t n = units.size();
  size_t i = 0;
  while (i < n) {
    std::unordered_set<size_t> deps;
    // Cost of unit k given the dependencies already counted in `base` and `extra`.
    auto costOf = [&](size_t k, const std::unordered_set<size_t>& extra) {
      size_t c = units[k].tokens;
      for (size_t d : units[k].deps)
        if (d < plan.depTokens.size() && !deps.count(d) && !extra.count(d)) c += plan.depTokens[d];
      return c;
    };
    auto addDeps = [&](size_t k, std::unordered_set<size_t>& into) {
      for (size_t d : units[k].deps)
        if (d < plan.depTokens.size() && !deps.count(d)) into.insert(d);
    };
    const std::unordered_set<size_t> none;
    size_t estimate = plan.baseTokens + costOf(i, none);
    addDeps(i, deps);
    size_t j = i + 1;
    while (j < n) {
      if (units[j].group != units[j - 1].group) {
        size_t groupEnd = j;
        while (groupEnd < n && units[groupEnd].group == units[j].group) ++groupEnd;
        std::unordered_set<size_t> fresh;
        size_t groupCost = 0;
        for (size_t k = j; k < groupEnd && estimate + groupCost <= plan.limit; ++k) {
          groupCost += costOf(k, fresh);
          addDeps(k, fresh);
        }
        if (estimate + groupCost > plan.limit) break;
        estimate += groupCost;
        deps.insert(fresh.begin(), fresh.end());
        j = groupEnd;
        continue;
      }
      size_t c = costOf(j, none);
      if (estimate + c > plan.limit) break;
      estimate += c;
      addDeps(j, deps);
      ++j;
    }
    while (true) {
      if (tryEmit(i, j)) break;
      if (j - i == 1) {
        emitOversized(i);
        break;
      }
      j = i + std::max<size_t>(1, (j - i) * 3 / 4);
    }
    i = j;
  }
}

}  // namespace cg::ingest::chunking
