#include "http/metrics.h"

#include <fmt/format.h>

namespace cg::http {
std::string promLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void Metrics::observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  auto& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::addCollector(std::function<std::string()> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::string out;
  std::vector<std::function<std::string()>> collectors;
  {
    std::lock_guard lock(mu_);
    out += "# HELP cg_http_requests_total HTTP requests by route template, method and status.\n";
    out += "# TYPE cg_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
      out += fmt::format("cg_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         promLabel(std::get<0>(key)), std::get<1>(key), std::get<2>(key), n);
    out += "# HELP cg_http_request_duration_seconds HTTP request latency by route template.\n";
    out += "# TYPE cg_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      std::string r = promLabel(route);
      for (size_t i = 0; i < kBuckets.size(); ++i)
        out += fmt::format("cg_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r, kBuckets[i],
                           h.buckets[i]);
      out += fmt::format("cg_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r, h.count);
      out += fmt::format("cg_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
      out += fmt::format("cg_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r, h.count);
    }
    collectors = collectors_;
  }
  for (const auto& c : collectors) out += c();
  return out;
}
}  // namespace cg::http
