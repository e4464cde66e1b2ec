// SPDX-License-Identifier: Apache-2.0
// frames.jsonl, tracks.txt and athletes/<id>.csv writers on generated results.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "monokin/output/athlete_csv_writer.h"
#include "monokin/output/frames_jsonl_writer.h"
#include "monokin/output/mot_writer.h"
#include "monokin/output/output_test_util.h"

namespace monokin::output {
namespace {

using testing::MakeResult;
using testing::ReadLines;
using testing::Split;
using testing::TempDir;

TEST(FramesJsonlWriterTest, WritesOneParsableLinePerFrameInOrder) {
  TempDir tmp;
  FramesJsonlWriter w;
  ASSERT_TRUE(w.Open(tmp / "f.jsonl").ok());
  for (FrameIndex i = 0; i < 5; ++i) ASSERT_TRUE(w.Write(MakeResult(i, {1, 2}, i == 3)).ok());
  ASSERT_TRUE(w.Close().ok());
  const auto lines = ReadLines(tmp / "f.jsonl");
  ASSERT_EQ(lines.size(), 5u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto j = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(j.at("frame").get<int64_t>(), static_cast<int64_t>(i));
    EXPECT_EQ(j.at("athletes").size(), 2u);
    EXPECT_EQ(j["athletes"][0].contains("pose"), i == 3);
  }
}

TEST(MotWriterTest, WritesTenFieldsPerAthleteWithOneBasedFrames) {
  TempDir tmp;
  MotWriter w;
  ASSERT_TRUE(w.Open(tmp / "tracks.txt").ok());
  ASSERT_TRUE(w.Write(MakeResult(0, {1, 2})).ok());
  ASSERT_TRUE(w.Write(MakeResult(1, {})).ok());  // nobody: no line
  ASSERT_TRUE(w.Write(MakeResult(2, {2})).ok());
  ASSERT_TRUE(w.Close().ok());
  const auto lines = ReadLines(tmp / "tracks.txt");
  ASSERT_EQ(lines.size(), 3u);
  const FrameResult expected = MakeResult(0, {1, 2});
  const auto f = Split(lines[1], ',');
  ASSERT_EQ(f.size(), 10u) << lines[1];
  EXPECT_EQ(f[0], "1");
  EXPECT_EQ(f[1], "2");
  EXPECT_NEAR(std::stod(f[2]), expected.athletes[1].box.x, 0.005);
  EXPECT_NEAR(std::stod(f[3]), expected.athletes[1].box.y, 0.005);
  EXPECT_EQ(f[4], "20.50");
  EXPECT_EQ(f[5], "60.25");
  EXPECT_EQ(f[6], "0.87");  // 0.86654 at 2 decimals
  EXPECT_EQ(f[7], "-1");
  EXPECT_EQ(f[8], "-1");
  EXPECT_EQ(f[9], "-1");
  EXPECT_EQ(Split(lines[2], ',')[0], "3");  // frame index 2 -> MOT frame 3
  for (const auto& line : lines) EXPECT_EQ(Split(line, ',').size(), 10u) << line;
}

TEST(MotWriterTest, SkipsAthletesWithoutId) {
  Athlete a;
  a.id = -1;
  FrameResult r = MakeResult(0, {5});
  r.athletes.push_back(a);
  TempDir tmp;
  MotWriter w;
  ASSERT_TRUE(w.Open(tmp / "t.txt").ok());
  ASSERT_TRUE(w.Write(r).ok());
  EXPECT_EQ(ReadLines(tmp / "t.txt").size(), 1u);
}

TEST(AthleteCsvWriterTest, WritesOneFilePerIdWithHeaderAndRows) {
  TempDir tmp;
  AthleteCsvWriter w;
  ASSERT_TRUE(w.Open(tmp / "athletes").ok());
  ASSERT_TRUE(w.Write(MakeResult(0, {4})).ok());
  ASSERT_TRUE(w.Write(MakeResult(1, {4, 7})).ok());
  ASSERT_TRUE(w.Write(MakeResult(2, {7})).ok());
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(w.created(), (std::vector<std::string>{"4.csv", "7.csv"}));
  const auto four = ReadLines(tmp / "athletes/4.csv");
  ASSERT_EQ(four.size(), 3u);
  EXPECT_EQ(four[0], "frame,t_s,x_px,y_px,w_px,h_px,score,cx_px,cy_px");
  EXPECT_EQ(four[1], "0,0.000000,5.12,10.46,20.50,60.25,0.8765,15.37,40.58");
  EXPECT_EQ(Split(four[2], ',')[0], "1");
  EXPECT_EQ(Split(four[2], ',')[1], "0.040000");
  const auto seven = ReadLines(tmp / "athletes/7.csv");
  ASSERT_EQ(seven.size(), 3u);
  EXPECT_EQ(Split(seven[1], ',')[0], "1");
  EXPECT_EQ(Split(seven[2], ',')[0], "2");
  for (const auto& line : seven) EXPECT_EQ(Split(line, ',').size(), 9u);
}

TEST(AthleteCsvWriterTest, KeepsOpenFilesBoundedAndLosesNoRow) {
  TempDir tmp;
  constexpr std::size_t kMaxOpen = 4;
  AthleteCsvWriter w(DefaultAthleteColumns(), kMaxOpen);
  ASSERT_TRUE(w.Open(tmp / "athletes").ok());
  // 12 ids, each seen in 3 non-consecutive frames, so files are closed and reopened.
  constexpr int kIds = 12;
  for (FrameIndex f = 0; f < 9; ++f) {
    std::vector<TrackId> ids;
    for (TrackId id = 0; id < kIds; ++id) {
      if ((id + f) % 3 == 0) ids.push_back(id);
    }
    ASSERT_TRUE(w.Write(MakeResult(f, ids)).ok());
    EXPECT_LE(w.open_count(), kMaxOpen);
  }
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(w.open_count(), 0u);
  ASSERT_EQ(w.created().size(), static_cast<std::size_t>(kIds));
  for (TrackId id = 0; id < kIds; ++id) {
    const auto lines = ReadLines(tmp / ("athletes/" + std::to_string(id) + ".csv"));
    ASSERT_EQ(lines.size(), 4u) << "id " << id;  // header written once, then 3 rows
    EXPECT_EQ(lines[0].substr(0, 6), "frame,");
    for (std::size_t r = 1; r < lines.size(); ++r) {
      const FrameIndex frame = std::stoll(Split(lines[r], ',')[0]);
      EXPECT_EQ((id + frame) % 3, 0) << "id " << id << " row " << lines[r];
    }
  }
}

TEST(AthleteCsvWriterTest, TakesExtraColumns) {
  auto columns = DefaultAthleteColumns();
  columns.push_back({"pose_score", [](const FrameInfo&, const Athlete& a) {
                       return a.pose ? std::to_string(a.pose->keypoints.size()) : std::string();
                     }});
  TempDir tmp;
  AthleteCsvWriter w(std::move(columns));
  ASSERT_TRUE(w.Open(tmp / "a").ok());
  ASSERT_TRUE(w.Write(MakeResult(0, {1, 2}, true)).ok());
  const auto one = ReadLines(tmp / "a/1.csv");
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(Split(one[0], ',').back(), "pose_score");
  EXPECT_EQ(Split(one[1], ',').back(), "33");
  const auto two = ReadLines(tmp / "a/2.csv");
  EXPECT_EQ(Split(two[1], ',').size(), 10u);
  EXPECT_EQ(Split(two[1], ',').back(), "");
}

}  // namespace
}  // namespace monokin::output
