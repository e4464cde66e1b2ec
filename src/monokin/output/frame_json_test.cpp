// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/frame_json.h"

#include <gtest/gtest.h>

#include "monokin/output/output_test_util.h"

namespace monokin::output {
namespace {

using nlohmann::json;
using testing::MakeResult;

TEST(FrameJsonTest, HoldsFrameFieldsAndRoundedBoxes) {
  const FrameResult r = MakeResult(7, {3, 9});
  const json j = FrameResultToJson(r);
  EXPECT_EQ(j.at("frame").get<int64_t>(), 7);
  EXPECT_DOUBLE_EQ(j.at("t").get<double>(), 0.28);
  EXPECT_EQ(j.at("width").get<int>(), 160);
  EXPECT_EQ(j.at("height").get<int>(), 120);
  ASSERT_EQ(j.at("detections").size(), 2u);
  ASSERT_EQ(j.at("athletes").size(), 2u);
  const json& a = j.at("athletes")[1];
  EXPECT_EQ(a.at("id").get<int>(), 9);
  const auto box = a.at("box").get<std::vector<double>>();
  ASSERT_EQ(box.size(), 4u);
  EXPECT_DOUBLE_EQ(box[0], 49.12);  // 5 + 14 + 30 + 0.123, 2 decimals
  EXPECT_DOUBLE_EQ(box[1], 11.46);
  EXPECT_DOUBLE_EQ(box[2], 20.5);
  EXPECT_DOUBLE_EQ(box[3], 60.25);
  EXPECT_DOUBLE_EQ(a.at("score").get<double>(), 0.8665);  // 0.86654 at 4 decimals
  EXPECT_FALSE(a.contains("pose"));
}

TEST(FrameJsonTest, PoseAppearsOnlyWhenPresentWithAllPoints) {
  const FrameResult r = MakeResult(2, {1, 2}, /*with_pose=*/true);
  const json j = FrameResultToJson(r);
  ASSERT_TRUE(j["athletes"][0].contains("pose"));
  EXPECT_FALSE(j["athletes"][1].contains("pose"));
  const json& pose = j["athletes"][0]["pose"];
  const PersonPose& src = *r.athletes[0].pose;
  ASSERT_EQ(pose["keypoints"].size(), 33u);
  ASSERT_EQ(pose["world"].size(), 33u);
  EXPECT_NEAR(pose["score"].get<double>(), src.score, 5e-5);
  for (std::size_t k = 0; k < 33; ++k) {
    const auto kp = pose["keypoints"][k].get<std::vector<double>>();
    ASSERT_EQ(kp.size(), 5u);
    EXPECT_NEAR(kp[0], src.keypoints[k].x_px, 0.005);
    EXPECT_NEAR(kp[1], src.keypoints[k].y_px, 0.005);
    EXPECT_NEAR(kp[2], src.keypoints[k].z_px, 0.005);
    EXPECT_NEAR(kp[3], src.keypoints[k].visibility, 5e-5);
    EXPECT_NEAR(kp[4], src.keypoints[k].presence, 5e-5);
    const auto w = pose["world"][k].get<std::vector<double>>();
    ASSERT_EQ(w.size(), 3u);
    EXPECT_NEAR(w[0], src.world[k].x_m, 5e-5);
    EXPECT_NEAR(w[1], src.world[k].y_m, 5e-5);
    EXPECT_NEAR(w[2], src.world[k].z_m, 5e-5);
  }
}

TEST(FrameJsonTest, EmptyFrameHasEmptyLists) {
  FrameResult r;
  r.frame = {.index = 0, .pts = Micros(0), .width_px = 64, .height_px = 48};
  const json j = FrameResultToJson(r);
  EXPECT_TRUE(j.at("detections").is_array());
  EXPECT_TRUE(j.at("athletes").is_array());
  EXPECT_TRUE(j.at("athletes").empty());
}

TEST(FrameJsonTest, PrintsShortFixedPrecisionNumbersWithoutNegativeZero) {
  FrameResult r;
  r.frame.pts = Micros(1'234'567);
  Athlete a;
  a.id = 4;
  a.box = {-0.001f, 1.0f / 3.0f, 2.0f / 3.0f, 100.0f};
  a.score = 0.123456f;
  r.athletes.push_back(a);
  const std::string line = FrameResultToJson(r).dump();
  EXPECT_NE(line.find("\"box\":[0.0,0.33,0.67,100.0]"), std::string::npos) << line;
  EXPECT_NE(line.find("\"score\":0.1235"), std::string::npos) << line;
  EXPECT_NE(line.find("\"t\":1.234567"), std::string::npos) << line;
  EXPECT_EQ(line.find("-0.0"), std::string::npos) << line;
}

}  // namespace
}  // namespace monokin::output
