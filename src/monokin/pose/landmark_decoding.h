// SPDX-License-Identifier: Apache-2.0
// Decoding of the BlazePose landmark models (pose_landmark_{lite,full,heavy}.tflite) as
// MediaPipe's pose_landmark_by_roi and pose_landmarks_to_roi graphs do it: 39 landmarks in
// 256-px crop units refined with the 64x64 heatmap, projected back through the region into the
// frame; world landmarks rotated back by the region's rotation; the next frame's region from
// the two auxiliary landmarks (33 = hip centre, 34 = scale point).
#pragma once

#include <opencv2/core.hpp>
#include <span>
#include <vector>

#include "monokin/core/types.h"
#include "monokin/pose/region.h"

namespace monokin::pose {

inline constexpr int kLandmarkInputPx = 256;
inline constexpr int kLandmarkOutputCount = 39;  // 33 body landmarks + 6 auxiliary
inline constexpr int kHeatmapSidePx = 64;
// RectTransformation scale_x/scale_y of pose_detection_to_roi and pose_landmarks_to_roi.
inline constexpr float kRegionScale = 1.25f;
// RefineLandmarksFromHeatmapCalculator: kernel_size 7, min_confidence_to_refine 0.5.
inline constexpr int kHeatmapKernel = 7;
inline constexpr float kHeatmapMinConfidence = 0.5f;

// The landmark model's outputs, as Run() returns them.
struct LandmarkTensors {
  std::span<const float> landmarks;  // Identity: 39 x (x, y, z, visibility, presence logits)
  float presence = 0;                // Identity_1: pose presence, 0..1
  std::span<const float> heatmap;    // Identity_3: 64 x 64 x 39 logits; empty = no refinement
  std::span<const float> world;      // Identity_4: 39 x 3 metres; empty = no world points
};

struct LandmarkDecoding {
  PersonPose pose;             // 33 keypoints in frame pixels, 33 world points (metres)
  float presence = 0;          // pose presence, 0..1
  cv::Point2f hip_centre_px;   // auxiliary landmark 33
  cv::Point2f scale_point_px;  // auxiliary landmark 34
  PoseRegion next_region;      // region for the next frame (pose_landmarks_to_roi)
};

// MediaPipe's heatmap refinement. `points` are normalised crop coordinates (0..1) of the
// first points.size() heatmap channels; each one inside the heatmap is replaced by the
// sigmoid-weighted mean position of the kernel x kernel window around it, when the window's
// highest confidence reaches min_confidence. heatmap is side x side x channels, HWC.
void RefineWithHeatmap(std::span<cv::Point2f> points, std::span<const float> heatmap, int side,
                       int channels, int kernel, float min_confidence);

// Decodes one run of the landmark model on `region` (the crop was kLandmarkInputPx square).
// `t.landmarks` must hold 39 x 5 values, `t.heatmap` 64 x 64 x 39 or none, `t.world` 39 x 3 or
// none (MK_CHECK otherwise: the caller checked the model's shapes).
LandmarkDecoding DecodeLandmarks(const LandmarkTensors& t, const PoseRegion& region);

}  // namespace monokin::pose
