// SPDX-License-Identifier: Apache-2.0
// Per-athlete pose estimation. Backend "blazepose": MediaPipe's BlazePose landmark model
// (lite/full/heavy) run on a rotated region around each tracked athlete; 33 keypoints with
// visibility and presence, 3D world landmarks in metres. The region for the next frame comes
// from the landmarks; the tracker's box seeds it when there is no previous pose.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"

namespace monokin::pose {

struct PoseOptions {
  std::string model = "full";  // "lite" | "full" | "heavy" | "none"
  std::string models_dir;      // folder with the .tflite files; empty = search the defaults
  float min_presence = 0.5f;   // below this the pose is dropped and the region re-seeded
  int threads = 1;             // inference threads per landmark run
  // A track without a usable previous pose gets an upright square region of side
  // max(box w, h) * box_scale around its box centre ...
  float box_scale = 1.5f;
  // ... which the BlazePose detector, run on that square, refines into MediaPipe's own
  // rotated region when it finds a person whose hip centre lies in the box.
  bool seed_with_detector = true;
  Status Validate() const;
};
void to_json(nlohmann::json& j, const PoseOptions& o);
void from_json(const nlohmann::json& j, PoseOptions& o);

// Keeps per-track state (the region for the next frame). One thread at a time, frames in
// order.
class PoseEstimator {
 public:
  virtual ~PoseEstimator() = default;
  // One entry per element of `people`, in the same order; std::nullopt where no pose was found.
  virtual Result<std::vector<std::optional<PersonPose>>> Estimate(
      const cv::Mat& bgr, const FrameInfo& frame, std::span<const Track> people) = 0;
  // Model files loaded (for checksums in run.json).
  virtual std::vector<std::string> model_paths() const = 0;
};

// kNotFound when the model files are not found (the message says to run scripts/setup),
// kUnsupported when a file is not a valid model.
Result<std::unique_ptr<PoseEstimator>> MakePoseEstimator(const PoseOptions& options);

}  // namespace monokin::pose
