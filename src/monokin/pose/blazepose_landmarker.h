// SPDX-License-Identifier: Apache-2.0
// Runs a BlazePose landmark model (lite, full or heavy) on one rotated region of a frame.
//
//   MK_ASSIGN_OR_RETURN(auto lm, BlazePoseLandmarker::Create(path, 1));
//   MK_ASSIGN_OR_RETURN(LandmarkDecoding out, lm.Run(frame.bgr, region));
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/pose/landmark_decoding.h"
#include "monokin/pose/region.h"

namespace monokin::infer {
class Model;
}

namespace monokin::pose {

// The landmark model's input: `region` of `bgr` warped into 256x256 (bilinear, replicated
// border, as MediaPipe's landmark ImageToTensor), RGB, values in [0, 1], NHWC.
std::vector<float> LandmarkInputTensor(const cv::Mat& bgr, const PoseRegion& region);

// Not thread-safe: one instance per thread.
class BlazePoseLandmarker {
 public:
  // kNotFound / kUnsupported from the model loader; kUnsupported when the inputs or outputs
  // are not a BlazePose landmark model's.
  static Result<BlazePoseLandmarker> Create(const std::string& model_path, int threads);

  // Landmarks of the person in `region` of `bgr` (8-bit BGR). kInvalidArgument for an empty
  // image or an empty region.
  Result<LandmarkDecoding> Run(const cv::Mat& bgr, const PoseRegion& region);

  const std::string& model_path() const { return model_path_; }

  BlazePoseLandmarker(BlazePoseLandmarker&&) noexcept;
  BlazePoseLandmarker& operator=(BlazePoseLandmarker&&) noexcept;
  ~BlazePoseLandmarker();

 private:
  BlazePoseLandmarker() = default;
  std::unique_ptr<infer::Model> model_;
  std::string model_path_;
  int landmarks_output_ = -1;  // 195 values
  int presence_output_ = -1;   // 1 value
  int heatmap_output_ = -1;    // 64 x 64 x 39 (optional)
  int world_output_ = -1;      // 117 values (optional)
};

}  // namespace monokin::pose
