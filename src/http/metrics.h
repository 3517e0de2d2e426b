// HTTP metrics in the Prometheus text exposition format: request counts by route template,
// method and status, and latency histograms by route template. Other modules append their own
// series through collectors (called at scrape time).
#pragma once
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace cg::http {
class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  void observe(const std::string& route, const std::string& method, int status, double seconds);
  void addCollector(std::function<std::string()> collector);
  std::string render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::vector<std::function<std::string()>> collectors_;
};

// Escapes a Prometheus label value.
std::string promLabel(const std::string& value);
}  // namespace cg::http
