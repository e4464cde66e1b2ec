// SPDX-License-Identifier: Apache-2.0
// Everything one analysis run needs to know, and its JSON form (the config file schema).
// The JSON keys are the stage names: {"video": {...}, "detect": {...}, "track": {...},
// "pose": {...}, "kinematics": {...}, "moments": {...}, "output": {...}, "engine": {...}}.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "monokin/core/status.h"
#include "monokin/detect/detector.h"
#include "monokin/kinematics/kinematics.h"
#include "monokin/moments/moments_options.h"
#include "monokin/output/run_outputs.h"
#include "monokin/pose/pose_estimator.h"
#include "monokin/track/tracker.h"
#include "monokin/video/source.h"

namespace monokin::pipeline {

struct RunOptions {
  bool realtime = false;         // pace a file at its frame rate and drop frames when behind
  int queue_frames = 8;          // capacity of each queue between stages, frames
  double status_interval_s = 2;  // how often run.json is refreshed during a run, seconds
  long long max_frames = 0;      // stop after this many decoded frames; 0 = the whole input
  Status Validate() const;
};

struct EngineOptions {
  video::SourceOptions source;  // source.uri is the input
  detect::DetectorOptions detect;
  track::TrackerOptions track;
  pose::PoseOptions pose;
  kinematics::KinematicsOptions kinematics;
  moments::MomentsOptions moments;
  output::OutputOptions output;
  RunOptions run;
  std::string out_dir = "out/run";
  // Every bad field of every stage, one per line; ok when all are valid.
  Status Validate() const;
};

// The config JSON of `options` (without input and output paths).
nlohmann::json ConfigToJson(const EngineOptions& options);

// Reads a config JSON (already checked against the defaults by MergeConfig) into `options`,
// keeping the input and output paths. kInvalidArgument on a value of the wrong type.
Status ConfigFromJson(const nlohmann::json& config, EngineOptions& options);

}  // namespace monokin::pipeline
