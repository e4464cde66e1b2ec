// SPDX-License-Identifier: Apache-2.0
// After the frames: each athlete's movement decomposition, written beside the per-frame files.
// athletes/<id>.csv gains the kinematics columns (joined by frame), athletes/<id>.trc and
// athletes/<id>.mot are OpenSim marker and angle files, and kinematics.json holds each
// athlete's summary (ranges of motion, repetitions, gait, scale source).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monokin/core/series.h"
#include "monokin/kinematics/kinematics.h"

namespace monokin::pipeline {

struct KinematicsReport {
  std::vector<AthleteKinematics> athletes;  // one per athlete with enough pose samples
  nlohmann::json summary;                   // what run.json records: counts, files, problems
};

// Computes and writes the kinematics of every series with at least `min_pose_samples` poses.
// An athlete whose kinematics fail is skipped and named in summary["problems"]; only a failure
// to write files is an error.
Result<KinematicsReport> WriteKinematicsOutputs(const std::vector<AthleteSeries>& series,
                                                const kinematics::KinematicsOptions& options,
                                                const std::string& out_dir,
                                                int min_pose_samples = 10);

}  // namespace monokin::pipeline
