// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/landmark_decoding.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "monokin/core/check.h"
#include "monokin/pose/skeleton.h"

namespace monokin::pose {
namespace {

constexpr int kValuesPerLandmark = 5;
constexpr int kHipCentreIndex = 33;
constexpr int kScalePointIndex = 34;

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

void RefineWithHeatmap(std::span<cv::Point2f> points, std::span<const float> heatmap, int side,
                       int channels, int kernel, float min_confidence) {
  MK_CHECK(heatmap.size() == static_cast<std::size_t>(side) * side * channels &&
           points.size() <= static_cast<std::size_t>(channels))
      << "heatmap " << heatmap.size() << " points " << points.size();
  const int offset = (kernel - 1) / 2;
  for (std::size_t i = 0; i < points.size(); ++i) {
    // Truncation towards zero, as MediaPipe's int conversion does.
    const int col = static_cast<int>(points[i].x * side);
    const int row = static_cast<int>(points[i].y * side);
    if (points[i].x < 0 || points[i].y < 0 || col >= side || row >= side) continue;
    float sum = 0, weighted_col = 0, weighted_row = 0, best = 0;
    // The window shrinks at the heatmap's edges (zero border).
    for (int r = std::max(0, row - offset); r < std::min(side, row + offset + 1); ++r) {
      for (int c = std::max(0, col - offset); c < std::min(side, col + offset + 1); ++c) {
        const float conf =
            Sigmoid(heatmap[(static_cast<std::size_t>(r) * side + c) * channels + i]);
        sum += conf;
        best = std::max(best, conf);
        weighted_col += static_cast<float>(c) * conf;
        weighted_row += static_cast<float>(r) * conf;
      }
    }
    if (best >= min_confidence && sum > 0) {
      points[i] = {weighted_col / side / sum, weighted_row / side / sum};
    }
  }
}

LandmarkDecoding DecodeLandmarks(const LandmarkTensors& t, const PoseRegion& region) {
  MK_CHECK(t.landmarks.size() == kLandmarkOutputCount * kValuesPerLandmark)
      << "landmarks " << t.landmarks.size();
  MK_CHECK(t.world.empty() || t.world.size() == kLandmarkOutputCount * 3)
      << "world " << t.world.size();
  constexpr float kSide = static_cast<float>(kLandmarkInputPx);

  std::array<cv::Point2f, kLandmarkOutputCount> crop_norm;
  for (int i = 0; i < kLandmarkOutputCount; ++i) {
    crop_norm[i] = {t.landmarks[i * kValuesPerLandmark] / kSide,
                    t.landmarks[i * kValuesPerLandmark + 1] / kSide};
  }
  if (!t.heatmap.empty()) {
    RefineWithHeatmap(crop_norm, t.heatmap, kHeatmapSidePx, kLandmarkOutputCount, kHeatmapKernel,
                      kHeatmapMinConfidence);
  }

  LandmarkDecoding out;
  out.presence = t.presence;
  out.pose.score = t.presence;
  out.pose.keypoints.resize(kBlazePoseLandmarkCount);
  for (std::size_t i = 0; i < kBlazePoseLandmarkCount; ++i) {
    const float* v = t.landmarks.data() + i * kValuesPerLandmark;
    const cv::Point2f p = CropToImage(region, kLandmarkInputPx, crop_norm[i] * kSide);
    Keypoint& k = out.pose.keypoints[i];
    k.x_px = p.x;
    k.y_px = p.y;
    // LandmarkProjection scales z like x: crop-normalised z times the region's width.
    k.z_px = v[2] / kSide * region.size_px;
    k.visibility = Sigmoid(v[3]);
    k.presence = Sigmoid(v[4]);
  }
  out.hip_centre_px = CropToImage(region, kLandmarkInputPx, crop_norm[kHipCentreIndex] * kSide);
  out.scale_point_px = CropToImage(region, kLandmarkInputPx, crop_norm[kScalePointIndex] * kSide);
  out.next_region = RegionFromAlignmentPoints(out.hip_centre_px, out.scale_point_px, kRegionScale);

  if (!t.world.empty()) {
    // WorldLandmarkProjection: rotate x, y by the region's rotation (about the camera's axis);
    // z unchanged.
    const float c = std::cos(region.rotation_rad);
    const float s = std::sin(region.rotation_rad);
    out.pose.world.resize(kBlazePoseLandmarkCount);
    for (std::size_t i = 0; i < kBlazePoseLandmarkCount; ++i) {
      const float x = t.world[i * 3], y = t.world[i * 3 + 1];
      out.pose.world[i] = {c * x - s * y, s * x + c * y, t.world[i * 3 + 2]};
    }
  }
  return out;
}

}  // namespace monokin::pose
