// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/skeleton.h"

#include <gtest/gtest.h>

#include <set>

namespace monokin::pose {
namespace {

TEST(SkeletonTest, CocoKeypointsComeFromTheSameNamedBlazePoseLandmarks) {
  for (std::size_t i = 0; i < kCocoKeypointCount; ++i) {
    EXPECT_EQ(kCocoKeypointNames[i], kBlazePoseLandmarkNames[kCocoFromBlazePose[i]]) << i;
  }
  EXPECT_EQ(kCocoFromBlazePose[0], 0);    // nose
  EXPECT_EQ(kCocoFromBlazePose[1], 2);    // left eye
  EXPECT_EQ(kCocoFromBlazePose[4], 8);    // right ear
  EXPECT_EQ(kCocoFromBlazePose[11], 23);  // left hip
  EXPECT_EQ(kCocoFromBlazePose[16], 28);  // right ankle
}

TEST(SkeletonTest, LandmarkNamesAreUniqueAndConnectionsValid) {
  std::set<std::string_view> names(kBlazePoseLandmarkNames.begin(), kBlazePoseLandmarkNames.end());
  EXPECT_EQ(names.size(), kBlazePoseLandmarkCount);
  EXPECT_EQ(kBlazePoseLandmarkNames[0], "nose");
  EXPECT_EQ(kBlazePoseLandmarkNames[11], "left_shoulder");
  EXPECT_EQ(kBlazePoseLandmarkNames[32], "right_foot_index");
  std::set<int> used;
  for (auto [a, b] : kBlazePoseConnections) {
    EXPECT_GE(a, 0);
    EXPECT_LT(b, static_cast<int>(kBlazePoseLandmarkCount));
    EXPECT_NE(a, b);
    used.insert(a);
    used.insert(b);
  }
  EXPECT_EQ(used.size(), kBlazePoseLandmarkCount);  // every landmark is on some bone
}

TEST(SkeletonTest, ToCoco17PicksTheMappedKeypoints) {
  PersonPose bp;
  bp.track = 7;
  bp.score = 0.8f;
  for (std::size_t i = 0; i < kBlazePoseLandmarkCount; ++i) {
    bp.keypoints.push_back({.x_px = static_cast<float>(i), .y_px = 100.0f + i});
    bp.world.push_back({.x_m = static_cast<float>(i)});
  }
  const PersonPose coco = ToCoco17(bp);
  ASSERT_EQ(coco.keypoints.size(), kCocoKeypointCount);
  ASSERT_EQ(coco.world.size(), kCocoKeypointCount);
  EXPECT_EQ(coco.track, 7);
  EXPECT_FLOAT_EQ(coco.score, 0.8f);
  for (std::size_t i = 0; i < kCocoKeypointCount; ++i) {
    EXPECT_FLOAT_EQ(coco.keypoints[i].x_px, static_cast<float>(kCocoFromBlazePose[i]));
    EXPECT_FLOAT_EQ(coco.world[i].x_m, static_cast<float>(kCocoFromBlazePose[i]));
  }
  EXPECT_FLOAT_EQ(coco.keypoints[15].y_px, 127.0f);  // left ankle = landmark 27
}

}  // namespace
}  // namespace monokin::pose
