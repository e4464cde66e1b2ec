// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/landmark_decoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace monokin::pose {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;

// 39 landmarks placed on a grid of the crop, logits chosen per landmark.
std::vector<float> SyntheticLandmarks() {
  std::vector<float> v(39 * 5);
  for (int i = 0; i < 39; ++i) {
    v[i * 5 + 0] = 20.0f + 5.0f * i;   // x, crop px
    v[i * 5 + 1] = 230.0f - 4.0f * i;  // y
    v[i * 5 + 2] = -10.0f + i;         // z
    v[i * 5 + 3] = 0.1f * (i - 19);    // visibility logit
    v[i * 5 + 4] = -0.2f * (i - 19);   // presence logit
  }
  // Hip centre (33) at the crop centre, scale point (34) 80 px above it.
  v[33 * 5 + 0] = 128;
  v[33 * 5 + 1] = 128;
  v[34 * 5 + 0] = 128;
  v[34 * 5 + 1] = 48;
  return v;
}

TEST(DecodeLandmarksTest, ProjectsThroughTheRotatedRegion) {
  const std::vector<float> lm = SyntheticLandmarks();
  std::vector<float> world(39 * 3);
  for (int i = 0; i < 39 * 3; ++i) world[i] = 0.01f * i - 0.3f;
  const PoseRegion region{.cx_px = 400, .cy_px = 300, .size_px = 320, .rotation_rad = kPi / 6};
  LandmarkTensors t;
  t.landmarks = lm;
  t.presence = 0.93f;
  t.world = world;
  const LandmarkDecoding d = DecodeLandmarks(t, region);
  ASSERT_EQ(d.pose.keypoints.size(), 33u);
  ASSERT_EQ(d.pose.world.size(), 33u);
  EXPECT_FLOAT_EQ(d.presence, 0.93f);
  EXPECT_FLOAT_EQ(d.pose.score, 0.93f);
  for (int i = 0; i < 33; ++i) {
    const cv::Point2f crop =
        ImageToCrop(region, 256, {d.pose.keypoints[i].x_px, d.pose.keypoints[i].y_px});
    EXPECT_NEAR(crop.x, lm[i * 5], 1e-2) << i;
    EXPECT_NEAR(crop.y, lm[i * 5 + 1], 1e-2) << i;
    EXPECT_NEAR(d.pose.keypoints[i].z_px, lm[i * 5 + 2] * 320.0f / 256.0f, 1e-4);
    EXPECT_NEAR(d.pose.keypoints[i].visibility, 1 / (1 + std::exp(-lm[i * 5 + 3])), 1e-6);
    EXPECT_NEAR(d.pose.keypoints[i].presence, 1 / (1 + std::exp(-lm[i * 5 + 4])), 1e-6);
    // World points: x, y turned by the region's rotation, z and length unchanged.
    const float x = world[i * 3], y = world[i * 3 + 1];
    EXPECT_NEAR(d.pose.world[i].x_m, std::cos(kPi / 6) * x - std::sin(kPi / 6) * y, 1e-6);
    EXPECT_NEAR(d.pose.world[i].y_m, std::sin(kPi / 6) * x + std::cos(kPi / 6) * y, 1e-6);
    EXPECT_FLOAT_EQ(d.pose.world[i].z_m, world[i * 3 + 2]);
  }
  // The hip centre is the region's centre; the next region keeps the rotation (the scale
  // point sits straight "up" in the crop) and is 2 * 80 crop px * 1.25 = 200 crop px wide.
  EXPECT_NEAR(d.hip_centre_px.x, 400, 1e-3);
  EXPECT_NEAR(d.hip_centre_px.y, 300, 1e-3);
  EXPECT_NEAR(d.next_region.cx_px, 400, 1e-3);
  EXPECT_NEAR(d.next_region.rotation_rad, kPi / 6, 1e-5);
  EXPECT_NEAR(d.next_region.size_px, 200.0f * 320.0f / 256.0f, 1e-3);
}

TEST(DecodeLandmarksTest, WorksWithoutWorldOrHeatmap) {
  const std::vector<float> lm = SyntheticLandmarks();
  LandmarkTensors t;
  t.landmarks = lm;
  t.presence = 0.1f;
  // A 256 px region centred on (128, 128) without rotation maps the crop onto itself.
  const LandmarkDecoding d = DecodeLandmarks(t, {128, 128, 256, 0});
  EXPECT_TRUE(d.pose.world.empty());
  EXPECT_NEAR(d.pose.keypoints[5].x_px, lm[5 * 5], 1e-4);
  EXPECT_NEAR(d.pose.keypoints[5].y_px, lm[5 * 5 + 1], 1e-4);
}

TEST(HeatmapRefinementTest, MovesAPointToTheWeightedPeakNearIt) {
  const int side = 64, channels = 3;
  std::vector<float> heat(side * side * channels, -20.0f);  // sigmoid ~ 0
  // Channel 1: a confident peak at column 20, row 30, and a weaker one at column 21.
  heat[(30 * side + 20) * channels + 1] = 5.0f;
  heat[(30 * side + 21) * channels + 1] = 0.0f;  // sigmoid 0.5
  // Channel 2: only low confidence around the point: left unrefined.
  heat[(10 * side + 10) * channels + 2] = -1.0f;
  std::vector<cv::Point2f> pts = {{0.5f, 0.5f}, {18.7f / 64, 31.2f / 64}, {10.2f / 64, 10.1f / 64}};
  const std::vector<cv::Point2f> before = pts;
  RefineWithHeatmap(pts, heat, side, channels, 7, 0.5f);
  // Channel 0 has no confident cell: unchanged.
  EXPECT_FLOAT_EQ(pts[0].x, before[0].x);
  const float s5 = 1 / (1 + std::exp(-5.0f));
  const float tiny = 1 / (1 + std::exp(20.0f));
  // Window around (18, 31) is columns 15..21, rows 28..34: 49 cells.
  const float sum = s5 + 0.5f + 47 * tiny;
  float wc = 20 * s5 + 21 * 0.5f, wr = 30 * s5 + 30 * 0.5f;
  for (int r = 28; r <= 34; ++r) {
    for (int c = 15; c <= 21; ++c) {
      if (r == 30 && (c == 20 || c == 21)) continue;
      wc += c * tiny;
      wr += r * tiny;
    }
  }
  EXPECT_NEAR(pts[1].x, wc / 64 / sum, 1e-5);
  EXPECT_NEAR(pts[1].y, wr / 64 / sum, 1e-5);
  EXPECT_FLOAT_EQ(pts[2].x, before[2].x);
}

}  // namespace
}  // namespace monokin::pose
