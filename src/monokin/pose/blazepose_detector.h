// SPDX-License-Identifier: Apache-2.0
// The BlazePose person detector (pose_detection.tflite): finds people, each with a hip centre
// and a scale/rotation point that give MediaPipe's rotated region for the landmark model.
// A near-range detector: good for one or two athletes filling a good part of the frame.
//
//   MK_ASSIGN_OR_RETURN(auto det, BlazePoseDetector::CreateFromModelsDir("", 1));
//   MK_ASSIGN_OR_RETURN(std::vector<Detection> people, det.DetectPeopleBlazePose(frame.bgr));
#pragma once

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"
#include "monokin/pose/detector_decoding.h"
#include "monokin/pose/region.h"

namespace monokin::infer {
class Model;
}

namespace monokin::pose {

struct PoseDetection {
  float score = 0;   // 0..1
  BoxPx raw_box;     // the model's own box, frame pixels
  BoxPx person_box;  // box around the body: the alignment circle (hip centre, radius
                     // |scale point - hip centre|) clipped to the frame
  std::array<cv::Point2f, kDetectorKeypointCount> keypoints_px{};  // frame pixels
  PoseRegion region;  // the landmark model's region (pose_detection_to_roi)
};

// Not thread-safe: one instance per thread.
class BlazePoseDetector {
 public:
  // Loads the detector model. kNotFound / kUnsupported from the model loader, kUnsupported
  // when its inputs or outputs are not BlazePose's detector's.
  static Result<BlazePoseDetector> Create(const std::string& model_path, int threads);
  // Create() with the detector file found in `models_dir`, or in the default folders when it
  // is empty (model_files.h); kNotFound names the folders searched.
  static Result<BlazePoseDetector> CreateFromModelsDir(const std::string& models_dir, int threads);

  // People found in `bgr` (8-bit, 3 channels), or only within `area` (frame pixels; clipped to
  // the frame) when given. Sorted by score, descending; empty when nobody is found.
  Result<std::vector<PoseDetection>> Detect(const cv::Mat& bgr,
                                            std::optional<BoxPx> area = std::nullopt);

  // Detect() as person detections for the tracker: person_box with the score (0..1).
  Result<std::vector<Detection>> DetectPeopleBlazePose(const cv::Mat& bgr);

  const std::string& model_path() const { return model_path_; }

  BlazePoseDetector(BlazePoseDetector&&) noexcept;
  BlazePoseDetector& operator=(BlazePoseDetector&&) noexcept;
  ~BlazePoseDetector();

 private:
  BlazePoseDetector() = default;
  std::unique_ptr<infer::Model> model_;
  std::vector<Anchor> anchors_;
  std::string model_path_;
  int boxes_output_ = 0;   // index of the [1, 2254, 12] output
  int scores_output_ = 1;  // index of the [1, 2254, 1] output
};

}  // namespace monokin::pose
