// SPDX-License-Identifier: Apache-2.0
// Per-stage timing: how long each call of a stage took, summarised as mean, p50 and p95
// milliseconds. Each stage thread owns its StageStats; the Engine reads them when the thread
// has finished (or under the Engine's lock for periodic run.json updates).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace monokin::pipeline {

struct StageSummary {
  std::string name;
  long long calls = 0;
  double total_ms = 0, mean_ms = 0, p50_ms = 0, p95_ms = 0, max_ms = 0;
};
void to_json(nlohmann::json& j, const StageSummary& s);

class StageStats {
 public:
  explicit StageStats(std::string name) : name_(std::move(name)) {}
  void Add(std::chrono::steady_clock::duration d) {
    samples_ms_.push_back(std::chrono::duration<double, std::milli>(d).count());
  }
  StageSummary Summarise() const;

 private:
  std::string name_;
  std::vector<double> samples_ms_;
};

// Times one scope into a StageStats.
class ScopedStageTimer {
 public:
  explicit ScopedStageTimer(StageStats& stats)
      : stats_(stats), start_(std::chrono::steady_clock::now()) {}
  ~ScopedStageTimer() { stats_.Add(std::chrono::steady_clock::now() - start_); }
  ScopedStageTimer(const ScopedStageTimer&) = delete;
  ScopedStageTimer& operator=(const ScopedStageTimer&) = delete;

 private:
  StageStats& stats_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace monokin::pipeline
