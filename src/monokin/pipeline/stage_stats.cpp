// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/stage_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace monokin::pipeline {
namespace {

// Nearest-rank percentile of sorted values, p in 0..100.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

StageSummary StageStats::Summarise() const {
  StageSummary s;
  s.name = name_;
  s.calls = static_cast<long long>(samples_ms_.size());
  if (samples_ms_.empty()) return s;
  std::vector<double> sorted = samples_ms_;
  std::sort(sorted.begin(), sorted.end());
  s.total_ms = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  s.mean_ms = s.total_ms / static_cast<double>(sorted.size());
  s.p50_ms = Percentile(sorted, 50);
  s.p95_ms = Percentile(sorted, 95);
  s.max_ms = sorted.back();
  return s;
}

void to_json(nlohmann::json& j, const StageSummary& s) {
  j = nlohmann::json{{"stage", s.name},         {"calls", s.calls},
                     {"total_ms", Round3(s.total_ms)}, {"mean_ms", Round3(s.mean_ms)},
                     {"p50_ms", Round3(s.p50_ms)},     {"p95_ms", Round3(s.p95_ms)},
                     {"max_ms", Round3(s.max_ms)}};
}

}  // namespace monokin::pipeline
