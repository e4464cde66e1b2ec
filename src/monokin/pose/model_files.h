// SPDX-License-Identifier: Apache-2.0
// Where the BlazePose model files are: the npm package @mediapipe/pose installed by
// scripts/setup into models/node_modules/@mediapipe/pose.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "monokin/core/status.h"

namespace monokin::pose {

// The detector: MediaPipe ships pose_detection.tflite as pose_solution_packed_assets.data.
inline constexpr const char* kDetectorModelFile = "pose_solution_packed_assets.data";
inline constexpr const char* kDetectorModelFileAlt = "pose_detection.tflite";

// "pose_landmark_<variant>.tflite" for "lite", "full" or "heavy".
std::string LandmarkModelFile(std::string_view variant);

// Folders searched when no models_dir is given, in order: $MONOKIN_MODELS (itself, then its
// node_modules/@mediapipe/pose), <exe dir>/../models/..., <exe dir>/../../models/...,
// <exe dir>/../../../models/... (each .../node_modules/@mediapipe/pose), and the source
// tree's models/node_modules/@mediapipe/pose.
std::vector<std::string> DefaultModelDirs();

// Path of the first existing `file_name` among `file_names` in `models_dir`, or in the default
// folders when models_dir is empty. kNotFound names every folder searched and says to run
// scripts/setup.
Result<std::string> FindModelFile(const std::string& models_dir,
                                  const std::vector<std::string>& file_names);

}  // namespace monokin::pose
