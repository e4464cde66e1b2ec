// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/keypoints_outputs.h"

#include <gtest/gtest.h>

namespace monokin::pipeline {
namespace {

AthleteSample Sample(FrameIndex index, float base) {
  AthleteSample s;
  s.frame = {.index = index, .pts = Micros(index * 40000), .width_px = 640, .height_px = 480};
  s.time_s = ToSeconds(s.frame.pts);
  s.box = {10, 20, 100, 200};
  PersonPose p;
  p.score = 0.9f;
  for (int i = 0; i < 33; ++i) {
    p.keypoints.push_back({base + i, base + 2.0f * i, 0, i == 0 ? 0.1f : 0.9f, 0.95f});
  }
  s.pose = p;
  return s;
}

TEST(CocoKeypointsTest, MapsBlazePoseToCocoOrderWithFlags) {
  AthleteSeries s{.id = 7, .samples = {Sample(0, 100), Sample(1, 200)}};
  s.samples.push_back(Sample(2, 0));
  s.samples.back().pose.reset();  // a frame without a pose gives no annotation
  const nlohmann::json j = CocoKeypointsJson({s});
  ASSERT_EQ(j["images"].size(), 2u);
  ASSERT_EQ(j["annotations"].size(), 2u);
  const auto& a = j["annotations"][1];
  EXPECT_EQ(a["image_id"], 2);
  EXPECT_EQ(a["track_id"], 7);
  ASSERT_EQ(a["keypoints"].size(), 51u);
  // COCO 0 = nose = BlazePose 0: visibility 0.1 but present -> flag 1.
  EXPECT_EQ(a["keypoints"][2], 1);
  // COCO 5 = left shoulder = BlazePose 11.
  EXPECT_DOUBLE_EQ(a["keypoints"][15].get<double>(), 211);
  EXPECT_DOUBLE_EQ(a["keypoints"][16].get<double>(), 222);
  EXPECT_EQ(a["keypoints"][17], 2);
  EXPECT_EQ(a["num_keypoints"], 17);
  EXPECT_EQ(a["keypoints_blazepose33"].size(), 33u);
  EXPECT_EQ(j["categories"][0]["keypoints"].size(), 17u);
}

TEST(CocoKeypointsTest, EmptyRunIsAValidEmptyDataset) {
  const nlohmann::json j = CocoKeypointsJson({});
  EXPECT_TRUE(j["images"].empty());
  EXPECT_TRUE(j["annotations"].empty());
  EXPECT_EQ(j["categories"].size(), 1u);
}

}  // namespace
}  // namespace monokin::pipeline
