// SPDX-License-Identifier: Apache-2.0
// After the movement decomposition: the key moments of the run (moments.json timeline,
// moments.xml for video-analysis tools) and their highlight clips cut from the input video.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monokin/core/moment.h"
#include "monokin/core/series.h"
#include "monokin/moments/moments_options.h"
#include "monokin/output/run_outputs.h"

namespace monokin::pipeline {

// Detects the moments and writes moments.json and moments.xml into `out_dir`; `meta` goes into
// moments.json. Returns the moments (sorted by start).
Result<std::vector<KeyMoment>> WriteMomentsOutputs(const std::vector<AthleteSeries>& series,
                                                   const std::vector<AthleteKinematics>& kinematics,
                                                   const moments::MomentsOptions& options,
                                                   const nlohmann::json& meta,
                                                   const std::string& out_dir);

}  // namespace monokin::pipeline
