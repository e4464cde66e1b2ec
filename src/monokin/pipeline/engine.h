// SPDX-License-Identifier: Apache-2.0
// The Engine runs one analysis: video -> detect -> track -> pose -> outputs, each stage on its
// own thread, linked by bounded queues, so offline throughput is bounded by the slowest stage
// rather than the sum. Offline it never drops a frame; with run.realtime (and for cameras and
// streams) it drops frames at the entrance rather than falling behind.
//
//   MK_ASSIGN_OR_RETURN(auto engine, pipeline::Engine::Create(options, config_json));
//   pipeline::RunReport report = engine->Run(on_progress, &stop_flag);
//
// Outputs are written as the run goes; run.json is valid at every moment and records, at the
// end, whether the run completed, was interrupted (stop flag, SIGINT) or failed, and where.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monokin/core/status.h"
#include "monokin/pipeline/engine_options.h"
#include "monokin/pipeline/stage_stats.h"
#include "monokin/video/source.h"

namespace monokin::pipeline {

struct Progress {
  long long frames_done = 0;
  long long frames_total = -1;  // -1 when unknown (live input)
  double elapsed_s = 0;
  double fps = 0;               // frames written per wall-clock second so far
  double eta_s = -1;            // -1 when unknown
  double media_t_s = 0;         // timestamp of the last written frame
};
using ProgressCallback = std::function<void(const Progress&)>;

struct RunReport {
  Status status;                 // ok when completed; kCancelled when stopped; else the failure
  std::string state;             // "completed" | "interrupted" | "failed"
  std::string failed_stage;      // stage that failed, empty otherwise
  long long frames_written = 0;
  long long frames_dropped = 0;  // realtime only
  FrameIndex last_frame = -1;    // index of the last frame written, -1 if none
  double last_t_s = 0;
  double wall_s = 0;             // the whole run, steps after the frames included
  double fps = 0;                // frames written per second of the frame stages
  double latency_p50_ms = 0, latency_p95_ms = 0;  // from decoded to written, per frame
  std::vector<StageSummary> stages;
  std::string out_dir;
};

class Engine {
 public:
  // Validates the options, loads the models, opens the input and creates the output folder,
  // in that order, so a bad option costs no decoding. `config` is the effective config that
  // run.json records.
  static Result<std::unique_ptr<Engine>> Create(const EngineOptions& options,
                                                nlohmann::json config);
  ~Engine();

  const video::SourceInfo& source_info() const;

  // Runs to the end of the input, until `*stop` becomes true, or until a stage fails. Every
  // frame that was decoded before the stop is finished and written. Call once.
  RunReport Run(const ProgressCallback& on_progress = {}, const std::atomic<bool>* stop = nullptr);

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace monokin::pipeline
