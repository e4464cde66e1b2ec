// SPDX-License-Identifier: Apache-2.0
// keypoints.json: every pose of the run in the COCO keypoints format, so COCO tools read it.
// One "image" per frame that has a pose (id = frame index + 1; file_name "frame_<index>"),
// one "annotation" per athlete per frame with the 17 COCO keypoints mapped from BlazePose's 33
// ([x, y, v] with v = 2 when visibility >= 0.5, 1 when presence >= 0.5, else 0), the track id,
// the box and the pose score, plus the full 33 BlazePose keypoints in "keypoints_blazepose33"
// ([x, y, z, visibility, presence] each) and, when present, "world_blazepose33" (metres).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monokin/core/series.h"
#include "monokin/core/status.h"

namespace monokin::pipeline {

nlohmann::json CocoKeypointsJson(const std::vector<AthleteSeries>& series);

// Writes CocoKeypointsJson(series) to out_dir/keypoints.json.
Status WriteKeypointsJson(const std::vector<AthleteSeries>& series, const std::string& out_dir);

}  // namespace monokin::pipeline
