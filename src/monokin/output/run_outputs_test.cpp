// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/run_outputs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <opencv2/videoio.hpp>

#include "monokin/output/output_test_util.h"

namespace monokin::output {
namespace {

using testing::MakeResult;
using testing::ReadAll;
using testing::ReadLines;
using testing::Split;
using testing::TempDir;

cv::Mat Picture(int w, int h, int i) { return cv::Mat(h, w, CV_8UC3, cv::Scalar(20 * i, 80, 40)); }

TEST(RunOutputsTest, CreatesNestedFolderAndWritesEveryFile) {
  TempDir tmp;
  const std::string dir = tmp / "a/b/run";
  auto outputs = RunOutputs::Create(dir, OutputOptions{}, 25.0);
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  constexpr int kFrames = 6;
  for (int i = 0; i < kFrames; ++i) {
    const std::vector<TrackId> ids = i < 3 ? std::vector<TrackId>{1} : std::vector<TrackId>{1, 2};
    ASSERT_TRUE((*outputs)->Write(MakeResult(i, ids, true), Picture(160, 120, i)).ok());
  }
  ASSERT_TRUE((*outputs)->Close().ok());
  ASSERT_TRUE((*outputs)->Close().ok());
  EXPECT_EQ((*outputs)->Write(MakeResult(9, {1}), Picture(160, 120, 0)).code(),
            StatusCode::kFailedPrecondition);

  const auto files = (*outputs)->files();
  EXPECT_EQ(files, (std::vector<std::string>{"frames.jsonl", "tracks.txt", "athletes/1.csv",
                                             "athletes/2.csv", "annotated.mp4"}));
  for (const auto& f : files) EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f;
  EXPECT_FALSE((*outputs)->video_codec_used().empty());

  EXPECT_EQ(ReadLines(dir + "/frames.jsonl").size(), static_cast<std::size_t>(kFrames));
  EXPECT_EQ(ReadLines(dir + "/tracks.txt").size(), 3u + 2u * 3u);
  EXPECT_EQ(ReadLines(dir + "/athletes/1.csv").size(), 1u + kFrames);
  EXPECT_EQ(ReadLines(dir + "/athletes/2.csv").size(), 1u + 3u);
  cv::VideoCapture cap(dir + "/annotated.mp4", cv::CAP_FFMPEG);
  ASSERT_TRUE(cap.isOpened());
  int frames = 0;
  for (cv::Mat m; cap.read(m);) ++frames;
  EXPECT_EQ(frames, kFrames);
  // No probe or temporary file is left behind.
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find("probe"), std::string::npos);
  }
}

TEST(RunOutputsTest, LinesAreCompleteWithoutCloseAsAfterACrash) {
  TempDir tmp;
  auto outputs = RunOutputs::Create(tmp.str(), OutputOptions{}, 25.0);
  ASSERT_TRUE(outputs.ok());
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE((*outputs)->Write(MakeResult(i, {3, 8}, i == 1), Picture(96, 64, i)).ok());
  }
  // Read while every writer is still open and nothing was closed or destroyed.
  const std::string jsonl = ReadAll(tmp / "frames.jsonl");
  ASSERT_FALSE(jsonl.empty());
  EXPECT_EQ(jsonl.back(), '\n');
  const auto lines = ReadLines(tmp / "frames.jsonl");
  ASSERT_EQ(lines.size(), 4u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto j = nlohmann::json::parse(lines[i]);  // throws (fails) on a torn line
    EXPECT_EQ(j.at("frame").get<int>(), static_cast<int>(i));
    EXPECT_EQ(j.at("athletes").size(), 2u);
  }
  EXPECT_EQ(ReadLines(tmp / "tracks.txt").size(), 8u);
  EXPECT_EQ(ReadLines(tmp / "athletes/8.csv").size(), 5u);
}

TEST(RunOutputsTest, WritesOnlyTheEnabledFiles) {
  TempDir tmp;
  OutputOptions o;
  o.annotated_video = false;
  o.mot = false;
  o.athletes_csv = false;
  auto outputs = RunOutputs::Create(tmp.str(), o, 0.0);
  ASSERT_TRUE(outputs.ok());
  ASSERT_TRUE((*outputs)->Write(MakeResult(0, {1}), cv::Mat()).ok());
  ASSERT_TRUE((*outputs)->Close().ok());
  EXPECT_EQ((*outputs)->files(), std::vector<std::string>{"frames.jsonl"});
  EXPECT_EQ((*outputs)->video_codec_used(), "");
  EXPECT_FALSE(std::filesystem::exists(tmp / "tracks.txt"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "annotated.mp4"));
}

TEST(RunOutputsTest, UnwritableFolderIsAFailedPreconditionNamingPathAndReason) {
  TempDir tmp;
  { std::ofstream(tmp / "file.txt") << "x"; }
  const std::string dir = tmp / "file.txt/out";
  auto outputs = RunOutputs::Create(dir, OutputOptions{}, 25.0);
  ASSERT_FALSE(outputs.ok());
  EXPECT_EQ(outputs.status().code(), StatusCode::kFailedPrecondition);
  const std::string m = outputs.status().message();
  EXPECT_NE(m.find("cannot write to output folder '" + dir + "'"), std::string::npos) << m;
  EXPECT_NE(m.find("Not a directory"), std::string::npos) << m;
  EXPECT_NE(m.find("-o"), std::string::npos) << m;
}

TEST(RunOutputsTest, RejectsInvalidOptions) {
  TempDir tmp;
  OutputOptions o;
  o.video_codec = "hevc";
  auto outputs = RunOutputs::Create(tmp.str(), o, 25.0);
  ASSERT_FALSE(outputs.ok());
  EXPECT_EQ(outputs.status().code(), StatusCode::kInvalidArgument);
}

TEST(OutputOptionsTest, ValidateReportsEveryBadField) {
  EXPECT_TRUE(OutputOptions{}.Validate().ok());
  OutputOptions o;
  o.video_codec = "xvid";
  o.trail_frames = -1;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("output.video_codec"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("'xvid'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("output.trail_frames"), std::string::npos) << s.message();
  o = {};
  o.trail_frames = 1'000'000;
  EXPECT_EQ(o.Validate().code(), StatusCode::kInvalidArgument);
  for (const char* codec : {"auto", "h264", "mp4v", "mjpg"}) {
    o = {};
    o.video_codec = codec;
    EXPECT_TRUE(o.Validate().ok()) << codec;
  }
}

TEST(OutputOptionsTest, JsonRoundTripsWithFieldNamesAsKeys) {
  OutputOptions o;
  o.annotated_video = false;
  o.video_codec = "mjpg";
  o.trail_frames = 12;
  o.frames_jsonl = false;
  o.athletes_csv = false;
  o.mot = false;
  o.highlights = false;
  o.highlight_pre_roll_s = 1.5;
  o.highlight_post_roll_s = 3;
  const nlohmann::json j = o;
  EXPECT_EQ(j, nlohmann::json::parse(R"({"annotated_video": false, "video_codec": "mjpg",
      "trail_frames": 12, "frames_jsonl": false, "athletes_csv": false, "mot": false,
      "highlights": false, "highlight_pre_roll_s": 1.5, "highlight_post_roll_s": 3.0})"));
  const auto back = j.get<OutputOptions>();
  EXPECT_EQ(nlohmann::json(back), j);
  // Absent keys keep their defaults.
  const auto partial = nlohmann::json::parse(R"({"trail_frames": 3})").get<OutputOptions>();
  EXPECT_EQ(partial.trail_frames, 3);
  EXPECT_EQ(partial.video_codec, "auto");
  EXPECT_TRUE(partial.mot);
}

TEST(OutputOptionsTest, HighlightRollsMustBeBetweenZeroAndAMinute) {
  OutputOptions o;
  o.highlight_pre_roll_s = -1;
  o.highlight_post_roll_s = 600;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("output.highlight_pre_roll_s"), std::string::npos);
  EXPECT_NE(s.message().find("output.highlight_post_roll_s"), std::string::npos);
}

TEST(WriteJsonFileAtomicTest, WritesPrettyJsonAndLeavesNoTemporary) {
  TempDir tmp;
  const nlohmann::json j = {{"version", "0.1.0"}, {"frames", 12}, {"list", {1, 2}}};
  ASSERT_TRUE(WriteJsonFileAtomic(tmp / "run.json", j).ok());
  ASSERT_TRUE(WriteJsonFileAtomic(tmp / "run.json", j).ok());  // replaces
  const std::string text = ReadAll(tmp / "run.json");
  EXPECT_EQ(nlohmann::json::parse(text), j);
  EXPECT_NE(text.find("\n  \"frames\": 12"), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(tmp / "run.json.tmp"));
}

TEST(WriteJsonFileAtomicTest, FailsWithPathWhenFolderIsUnwritable) {
  TempDir tmp;
  { std::ofstream(tmp / "file.txt") << "x"; }
  const Status s = WriteJsonFileAtomic(tmp / "file.txt/run.json", nlohmann::json::object());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("file.txt/run.json"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace monokin::output
