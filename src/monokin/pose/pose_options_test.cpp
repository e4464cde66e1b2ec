// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "monokin/pose/model_files.h"
#include "monokin/pose/pose_estimator.h"

namespace monokin::pose {
namespace {

TEST(PoseOptionsTest, DefaultsAreValid) { EXPECT_TRUE(PoseOptions{}.Validate().ok()); }

TEST(PoseOptionsTest, ValidateReportsEveryBadField) {
  PoseOptions o;
  o.model = "huge";
  o.min_presence = 1.5f;
  o.threads = 0;
  o.box_scale = 0.1f;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("pose.model"), std::string::npos);
  EXPECT_NE(s.message().find("'huge'"), std::string::npos);
  EXPECT_NE(s.message().find("pose.min_presence"), std::string::npos);
  EXPECT_NE(s.message().find("pose.threads"), std::string::npos);
  EXPECT_NE(s.message().find("pose.box_scale"), std::string::npos);
}

TEST(PoseOptionsTest, JsonRoundTripsAndKeepsDefaultsForMissingKeys) {
  PoseOptions o;
  o.model = "heavy";
  o.models_dir = "/m";
  o.min_presence = 0.7f;
  o.threads = 2;
  o.box_scale = 1.3f;
  o.seed_with_detector = false;
  nlohmann::json j = o;
  const PoseOptions back = j.get<PoseOptions>();
  EXPECT_EQ(back.model, "heavy");
  EXPECT_EQ(back.models_dir, "/m");
  EXPECT_FLOAT_EQ(back.min_presence, 0.7f);
  EXPECT_EQ(back.threads, 2);
  EXPECT_FLOAT_EQ(back.box_scale, 1.3f);
  EXPECT_FALSE(back.seed_with_detector);
  const PoseOptions partial = nlohmann::json{{"model", "lite"}}.get<PoseOptions>();
  EXPECT_EQ(partial.model, "lite");
  EXPECT_FLOAT_EQ(partial.min_presence, PoseOptions{}.min_presence);
}

TEST(ModelFilesTest, MissingModelIsNotFoundNamingTheFolderAndSetup) {
  const auto r = FindModelFile("/nonexistent/monokin-models", {LandmarkModelFile("full")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("pose_landmark_full.tflite"), std::string::npos);
  EXPECT_NE(r.status().message().find("/nonexistent/monokin-models"), std::string::npos);
  EXPECT_NE(r.status().message().find("scripts/setup"), std::string::npos);
}

TEST(ModelFilesTest, DefaultFoldersEndWithTheSourceTree) {
  const std::vector<std::string> dirs = DefaultModelDirs();
  ASSERT_GE(dirs.size(), 4u);
  EXPECT_EQ(dirs.back(), std::string(MONOKIN_SOURCE_DIR) + "/models/node_modules/@mediapipe/pose");
}

TEST(ModelFilesTest, FindsAFileInTheGivenFolder) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "monokin_pose_model_files_test";
  std::filesystem::create_directories(dir);
  {
    std::FILE* f = std::fopen((dir / "pose_detection.tflite").c_str(), "wb");
    std::fclose(f);
  }
  const auto r = FindModelFile(dir.string(), {kDetectorModelFile, kDetectorModelFileAlt});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (dir / "pose_detection.tflite").string());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace monokin::pose
