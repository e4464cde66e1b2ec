// SPDX-License-Identifier: Apache-2.0
#include "monokin/infer/run_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace monokin::infer {
namespace {

const std::string kDetector =
    std::string(MONOKIN_SOURCE_DIR) +
    "/models/node_modules/@mediapipe/pose/pose_solution_packed_assets.data";

class RunFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kDetector)) {
      GTEST_SKIP() << kDetector << " is missing; run scripts/setup to install the models";
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("monokin_run_files_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string WriteInput(std::size_t floats) {
    const std::string path = (dir_ / "in.bin").string();
    std::vector<float> v(floats, 0.25f);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(RunFilesTest, WritesEveryOutputAndAnIndex) {
  const std::string out = (dir_ / "out").string();
  ASSERT_TRUE(RunModelOnFiles(kDetector, {WriteInput(224 * 224 * 3)}, out, 1).ok());
  std::ifstream jf(out + "/outputs.json");
  const nlohmann::json j = nlohmann::json::parse(jf);
  ASSERT_EQ(j["outputs"].size(), 2u);
  EXPECT_EQ(j["outputs"][0]["name"], "Identity");
  EXPECT_EQ(j["outputs"][0]["shape"], (std::vector<int>{1, 2254, 12}));
  EXPECT_EQ(std::filesystem::file_size(out + "/Identity.bin"), 2254u * 12 * 4);
  EXPECT_EQ(std::filesystem::file_size(out + "/Identity_1.bin"), 2254u * 4);
  EXPECT_EQ(j["outputs"][1]["sha256"].get<std::string>().size(), 64u);
}

TEST_F(RunFilesTest, WrongInputSizeSaysHowManyBytes) {
  const Status s = RunModelOnFiles(kDetector, {WriteInput(100)}, (dir_ / "out").string(), 1);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("602112 bytes"), std::string::npos) << s.message();
}

TEST_F(RunFilesTest, MissingInputIsNotFoundAndInputCountIsChecked) {
  EXPECT_EQ(RunModelOnFiles(kDetector, {"/nonexistent.bin"}, dir_.string(), 1).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(RunModelOnFiles(kDetector, {}, dir_.string(), 1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace monokin::infer
