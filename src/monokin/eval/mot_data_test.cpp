// SPDX-License-Identifier: Apache-2.0
#include "monokin/eval/mot_data.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace monokin::eval {
namespace {

// The error must be a DataLoss naming the file and the line, and say what is wrong.
void ExpectRowError(const std::string& text, MotFileKind kind, int line, const std::string& why,
                    int num_frames = 0) {
  const auto r = ParseMotText(text, "seq/gt.txt", kind, num_frames);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("seq/gt.txt:" + std::to_string(line) + ":"),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().message();
}

TEST(MotData, ParsesRowsGroupsByFrameAndKeepsOrder) {
  const auto r = ParseMotText("2,5,1,2,3,4,1,1,0.5\n\n1,7,10,20,30,40,0,7,1\r\n1,8,1,1,1,1,1,1,1\n",
                              "a/b/MOT17-02.txt", MotFileKind::kGroundTruth);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name, "MOT17-02");
  ASSERT_EQ(r->frames.size(), 2u);
  ASSERT_EQ(r->frames[0].size(), 2u);
  EXPECT_EQ(r->frames[0][0].id, 7);
  EXPECT_EQ(r->frames[0][0].class_id, 7);
  EXPECT_DOUBLE_EQ(r->frames[0][0].conf, 0.0);
  EXPECT_EQ(r->frames[0][0].line, 3);
  EXPECT_DOUBLE_EQ(r->frames[1][0].visibility, 0.5);
  EXPECT_EQ(r->num_columns, 9);
  EXPECT_EQ(r->num_rows(), 3u);
}

TEST(MotData, ReadsSportsMotSeparatorsAndZeroIdsAndSixColumnTrackerRows) {
  const auto r = ParseMotText("1, 0, 10.5, 20, 30, 40, 1, 1, 1\n1, 1, 0, 0, 5, 5\n",
                              "sportsmot.txt", MotFileKind::kTracker, 3);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->frames.size(), 3u);
  ASSERT_EQ(r->frames[0].size(), 2u);
  EXPECT_EQ(r->frames[0][0].id, 0);
  EXPECT_DOUBLE_EQ(r->frames[0][0].x, 10.5);
  EXPECT_DOUBLE_EQ(r->frames[0][1].conf, 1.0);
  EXPECT_EQ(r->frames[0][1].class_id, -1);
}

TEST(MotData, MalformedRowsNameFileAndLine) {
  const std::string ok = "1,1,0,0,10,10,1,1,1\n";
  ExpectRowError(ok + "2,1,0,0,10\n", MotFileKind::kGroundTruth, 2, "columns");
  ExpectRowError(ok + "2,1,0,abc,10,10,1,1,1\n", MotFileKind::kGroundTruth, 2, "not a number");
  ExpectRowError(ok + "2,1,0,nan,10,10,1,1,1\n", MotFileKind::kGroundTruth, 2, "not finite");
  ExpectRowError(ok + "2,1,0,0,-3,10,1,1,1\n", MotFileKind::kGroundTruth, 2, "negative box size");
  ExpectRowError(ok + "0,1,0,0,3,10,1,1,1\n", MotFileKind::kGroundTruth, 2, "frame");
  ExpectRowError(ok + "1.5,1,0,0,3,10,1,1,1\n", MotFileKind::kGroundTruth, 2, "frame");
  ExpectRowError(ok + "1,1,0,0,3,10,1,1,1\n", MotFileKind::kGroundTruth, 2, "twice");
  ExpectRowError(ok + "1,-1,0,0,3,10,1,1,1\n", MotFileKind::kTracker, 2, "id");
  ExpectRowError(ok + "1,1e300,0,0,3,10,1,1,1\n", MotFileKind::kTracker, 2, "id");
  ExpectRowError(ok + "9,2,0,0,3,10,1,1,1\n", MotFileKind::kTracker, 2, "sequence length", 5);
  ExpectRowError(ok + "1,,0,0,3,10,1,1,1\n", MotFileKind::kTracker, 2, "not a number");
}

TEST(MotData, DetectionFilesAllowNegativeIdsAndRepeats) {
  const auto r = ParseMotText("1,-1,0,0,3,10,0.3\n1,-1,5,5,3,10,2.5,-1,-1,-1\n", "det.txt",
                              MotFileKind::kDetections);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->frames[0].size(), 2u);
  EXPECT_DOUBLE_EQ(r->frames[0][1].conf, 2.5);
}

TEST(MotData, MissingFileIsNotFound) {
  const auto r = LoadMotFile("/nonexistent/gt.txt", MotFileKind::kGroundTruth);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

// py-motmetrics' MOTChallenge parse case (its expected rows are shifted by -1 in x and y).
TEST(MotData, ReadsPyMotmetricsIoCase) {
  const std::string path = std::string(MONOKIN_SOURCE_DIR) +
                           "/../shared/data/motmetrics/py-motmetrics/data/iotest/motchallenge.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const auto r = LoadMotFile(path, MotFileKind::kGroundTruth);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->frames.size(), 2u);
  ASSERT_EQ(r->frames[0].size(), 2u);
  ASSERT_EQ(r->frames[1].size(), 3u);
  EXPECT_EQ(r->frames[1][1].id, 3);
  EXPECT_DOUBLE_EQ(r->frames[1][1].x - 1, 70);
  EXPECT_DOUBLE_EQ(r->frames[1][1].y - 1, 150);
  EXPECT_DOUBLE_EQ(r->frames[1][1].w, 100);
  EXPECT_DOUBLE_EQ(r->frames[1][1].h, 284);
}

TEST(MotData, ReadsSeqInfo) {
  const std::string path =
      std::string(MONOKIN_SOURCE_DIR) + "/../shared/data/mot17-dev/train/MOT17-02-DPM/seqinfo.ini";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const auto info = LoadSeqInfo(path);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->length, 600);
  EXPECT_EQ(info->width_px, 1920);
  EXPECT_DOUBLE_EQ(info->frame_rate, 30);
}

}  // namespace
}  // namespace monokin::eval
