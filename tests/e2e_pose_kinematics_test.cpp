// SPDX-License-Identifier: Apache-2.0
// End-to-end on real sports clips (../shared/data/videos): BlazePose follows the athlete, and the
// movement decomposition counts what a person counts watching the clip.
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_runner.h"

namespace monokin::testing {
namespace {
namespace fs = std::filesystem;

std::string Clip(const std::string& name) {
  return std::string(MONOKIN_SOURCE_DIR) + "/../shared/data/videos/" + name;
}

bool ModelsInstalled() {
  return fs::exists(std::string(MONOKIN_SOURCE_DIR) +
                    "/models/node_modules/@mediapipe/pose/pose_landmark_full.tflite");
}

#define REQUIRE_CLIP_AND_MODELS(name)                                                       \
  if (!fs::exists(Clip(name))) GTEST_SKIP() << Clip(name) << " absent (../shared/data)";   \
  if (!ModelsInstalled()) GTEST_SKIP() << "BlazePose models absent: run scripts/setup"

// The lateral-raise clip: 18 s, one athlete facing the camera. Watching it (a contact sheet of
// every 15th frame), the arms go up and down 4 times, peaking near 2.5, 7, 11 and 14.7 s.
TEST(PoseKinematicsEndToEnd, DumbbellLateralRaisesAreCountedAndSkeletonFollows) {
  REQUIRE_CLIP_AND_MODELS("demo5_dumbbell_lateral_raise.mp4");
  const std::string dir = FreshDir("out");
  CommandResult r = RunMonokin({"analyze", Clip("demo5_dumbbell_lateral_raise.mp4"), "-o", dir,
                                "--detector", "blazepose", "--pose", "full", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The skeleton follows the athlete: a confident pose in nearly every frame, wrists below the
  // shoulders at rest (frame 0) and above them at the top of the first raise (2.5 s).
  const auto lines = ReadLines(dir + "/frames.jsonl");
  ASSERT_EQ(lines.size(), 540u);
  int confident = 0;
  for (const auto& l : lines) {
    const auto f = nlohmann::json::parse(l);
    for (const auto& a : f["athletes"]) {
      if (a.contains("pose") && a["pose"]["score"].get<double>() > 0.9) {
        ++confident;
        break;
      }
    }
  }
  EXPECT_GE(confident, 530) << "frames with a confident pose";
  auto wrist_minus_shoulder_y = [&](int frame) {
    const auto f = nlohmann::json::parse(lines[frame]);
    const auto& kp = f["athletes"][0]["pose"]["keypoints"];
    // BlazePose: 11/12 shoulders, 15/16 wrists; image y grows downwards.
    return (kp[15][1].get<double>() + kp[16][1].get<double>()) / 2 -
           (kp[11][1].get<double>() + kp[12][1].get<double>()) / 2;
  };
  EXPECT_GT(wrist_minus_shoulder_y(0), 100) << "arms down at rest";
  EXPECT_LT(wrist_minus_shoulder_y(75), 0) << "wrists above shoulders at the top of a raise";

  const nlohmann::json k = ReadJson(dir + "/kinematics.json");
  ASSERT_TRUE(k["athletes"].contains("1")) << k.dump();
  const auto& reps = k["athletes"]["1"]["repetitions"];
  EXPECT_EQ(reps["count"], 4) << reps.dump();
  for (const auto& rep : reps["items"]) EXPECT_GT(rep["range"].get<double>(), 60);
  EXPECT_TRUE(fs::exists(dir + "/athletes/1.trc"));
  EXPECT_TRUE(fs::exists(dir + "/athletes/1.mot"));
  // athletes/1.csv carries the angle columns.
  EXPECT_NE(ReadLines(dir + "/athletes/1.csv").at(0).find("angle_shoulder_left_deg"),
            std::string::npos);
}

// The side-view running clip (47 frames at 30 fps). Watching it frame by frame, the feet land
// at frames 3-4 (right), 12 (left), 21 (right) and 30-31 (left): a step every 8.5-9.5 frames,
// 190-210 steps/min. The measured cadence must fall within 10 % of 200.
TEST(PoseKinematicsEndToEnd, RunningCadenceIsPlausible) {
  REQUIRE_CLIP_AND_MODELS("demo3_running_side.mp4");
  const std::string dir = FreshDir("out");
  CommandResult r = RunMonokin({"analyze", Clip("demo3_running_side.mp4"), "-o", dir,
                                "--detector", "blazepose", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json k = ReadJson(dir + "/kinematics.json");
  ASSERT_TRUE(k["athletes"].contains("1")) << k.dump();
  const auto& gait = k["athletes"]["1"]["gait"];
  ASSERT_TRUE(gait.contains("cadence_spm")) << gait.dump();
  EXPECT_GE(gait["cadence_spm"].get<double>(), 180) << gait.dump();
  EXPECT_LE(gait["cadence_spm"].get<double>(), 220) << gait.dump();
}

}  // namespace
}  // namespace monokin::testing
