// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/region.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace monokin::pose {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;
float Deg(float d) { return d * kPi / 180.0f; }

class RegionRotationTest : public ::testing::TestWithParam<float> {};

TEST_P(RegionRotationTest, PointsRoundTripThroughTheCrop) {
  const PoseRegion r{
      .cx_px = 310.5f, .cy_px = 220.25f, .size_px = 183.0f, .rotation_rad = Deg(GetParam())};
  for (cv::Point2f p : {cv::Point2f(0, 0), cv::Point2f(255, 17), cv::Point2f(128, 128),
                        cv::Point2f(40.5f, 250.25f), cv::Point2f(-30, 300)}) {
    const cv::Point2f img = CropToImage(r, 256, p);
    const cv::Point2f back = ImageToCrop(r, 256, img);
    EXPECT_NEAR(back.x, p.x, 1e-3) << GetParam();
    EXPECT_NEAR(back.y, p.y, 1e-3) << GetParam();
  }
  // The crop's centre is the region's centre; its top-middle lies half a side "up".
  const cv::Point2f centre = CropToImage(r, 256, {128, 128});
  EXPECT_NEAR(centre.x, r.cx_px, 1e-3);
  EXPECT_NEAR(centre.y, r.cy_px, 1e-3);
  const cv::Point2f top = CropToImage(r, 256, {128, 0});
  EXPECT_NEAR(top.x, r.cx_px + std::sin(r.rotation_rad) * r.size_px / 2, 1e-3);
  EXPECT_NEAR(top.y, r.cy_px - std::cos(r.rotation_rad) * r.size_px / 2, 1e-3);
}

TEST_P(RegionRotationTest, WarpPutsAnImageSpotWhereImageToCropSays) {
  cv::Mat img(480, 640, CV_8UC3, cv::Scalar::all(0));
  const cv::Point2f spot(350, 180);
  cv::circle(img, cv::Point(350, 180), 4, cv::Scalar(255, 255, 255), cv::FILLED);
  const PoseRegion r{.cx_px = 320, .cy_px = 240, .size_px = 300, .rotation_rad = Deg(GetParam())};
  const cv::Mat crop = WarpRegion(img, r, 256, cv::BORDER_REPLICATE);
  ASSERT_EQ(crop.size(), cv::Size(256, 256));
  cv::Mat grey;
  cv::cvtColor(crop, grey, cv::COLOR_BGR2GRAY);
  const cv::Moments m = cv::moments(grey);
  ASSERT_GT(m.m00, 0);
  const cv::Point2f expected = ImageToCrop(r, 256, spot);
  EXPECT_NEAR(m.m10 / m.m00, expected.x, 0.6);
  EXPECT_NEAR(m.m01 / m.m00, expected.y, 0.6);
}

INSTANTIATE_TEST_SUITE_P(Rotations, RegionRotationTest, ::testing::Values(0.0f, 30.0f, -90.0f));

TEST(RegionTest, AlignmentPointsGiveMediaPipesSizeAndRotation) {
  // Upright person: scale point straight above the hips -> no rotation.
  PoseRegion r = RegionFromAlignmentPoints({100, 200}, {100, 120}, 1.25f);
  EXPECT_FLOAT_EQ(r.cx_px, 100);
  EXPECT_FLOAT_EQ(r.cy_px, 200);
  EXPECT_FLOAT_EQ(r.size_px, 2 * 80 * 1.25f);
  EXPECT_NEAR(r.rotation_rad, 0, 1e-6);
  // Lying with the head to the right: +90 degrees.
  r = RegionFromAlignmentPoints({100, 200}, {160, 200}, 1.0f);
  EXPECT_NEAR(r.rotation_rad, kPi / 2, 1e-6);
  EXPECT_FLOAT_EQ(r.size_px, 120);
  // Upside down: +-180 degrees.
  r = RegionFromAlignmentPoints({100, 200}, {100, 260}, 1.0f);
  EXPECT_NEAR(std::abs(r.rotation_rad), kPi, 1e-6);
}

TEST(RegionTest, ScalePointLandsStraightAboveTheCropCentreForAnyDirection) {
  for (float deg = -180; deg < 180; deg += 15) {
    const cv::Point2f hip(300, 250);
    const cv::Point2f scale_pt = hip + cv::Point2f(std::cos(Deg(deg)), std::sin(Deg(deg))) * 70.f;
    const PoseRegion r = RegionFromAlignmentPoints(hip, scale_pt, 1.25f);
    const cv::Point2f c = ImageToCrop(r, 256, scale_pt);
    EXPECT_NEAR(c.x, 128, 1e-3) << deg;
    EXPECT_NEAR(c.y, 128 - 128 / 1.25f, 1e-3) << deg;
  }
}

TEST(RegionTest, NormalizeRadiansWrapsIntoMinusPiToPi) {
  EXPECT_NEAR(NormalizeRadians(3 * kPi / 2), -kPi / 2, 1e-5);
  EXPECT_NEAR(NormalizeRadians(-3 * kPi / 2), kPi / 2, 1e-5);
  EXPECT_NEAR(NormalizeRadians(0.3f), 0.3f, 1e-6);
}

TEST(RegionTest, BoxRegionIsAnUprightSquareAroundTheBox) {
  const PoseRegion r = RegionFromBox({10, 20, 100, 200}, 1.5f);
  EXPECT_FLOAT_EQ(r.cx_px, 60);
  EXPECT_FLOAT_EQ(r.cy_px, 120);
  EXPECT_FLOAT_EQ(r.size_px, 300);
  EXPECT_FLOAT_EQ(r.rotation_rad, 0);
  const BoxPx b = RegionBounds(r);
  EXPECT_FLOAT_EQ(b.w, 300);
  const BoxPx rotated = RegionBounds({0, 0, 100, kPi / 4});
  EXPECT_NEAR(rotated.w, 100 * std::sqrt(2.0f), 1e-3);
}

}  // namespace
}  // namespace monokin::pose
