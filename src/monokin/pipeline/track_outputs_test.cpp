// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/track_outputs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace monokin::pipeline {
namespace {

namespace fs = std::filesystem;

AthleteSample At(FrameIndex f, float x, int frames_since_seen = 0) {
  AthleteSample s;
  s.frame = {.index = f, .pts = Micros(f * 40000), .width_px = 640, .height_px = 480};
  s.time_s = ToSeconds(s.frame.pts);
  s.box = {x, 50, 40, 100};
  s.score = frames_since_seen > 0 ? 0.0f : 0.9f;
  s.frames_since_seen = frames_since_seen;
  return s;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Athlete 1 walks right at 2 px per frame (25 fps), is lost for 10 frames (the tracker reports
// two predicted boxes), and comes back as athlete 2 where 1 would be.
std::vector<AthleteSeries> BrokenWalk() {
  AthleteSeries a{.id = 1, .samples = {}}, b{.id = 2, .samples = {}};
  for (FrameIndex f = 0; f < 20; ++f) a.samples.push_back(At(f, 100 + 2.0f * f));
  a.samples.push_back(At(20, 140, 1));
  a.samples.push_back(At(21, 142, 2));
  for (FrameIndex f = 30; f < 50; ++f) b.samples.push_back(At(f, 100 + 2.0f * f));
  return {a, b};
}

TEST(TrackOutputs, MergeSeriesKeepsOneSamplePerFramePreferringDetections) {
  std::vector<AthleteSeries> series = BrokenWalk();
  series[1].samples.insert(series[1].samples.begin(), At(21, 999));  // detected, same frame
  MergeSeries(series, {{2, 1}});
  ASSERT_EQ(series.size(), 1u);
  const auto& s = series[0].samples;
  ASSERT_EQ(s.size(), 42u);
  for (std::size_t i = 1; i < s.size(); ++i) EXPECT_LT(s[i - 1].frame.index, s[i].frame.index);
  EXPECT_EQ(s[21].frame.index, 21);
  EXPECT_EQ(s[21].frames_since_seen, 0);
  EXPECT_EQ(s[21].box.x, 999);
}

TEST(TrackOutputs, RelinksMergesCsvAndRewritesTracksWithGapsFilled) {
  const fs::path dir = fs::temp_directory_path() / "monokin_track_outputs_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "athletes");
  std::ofstream(dir / "athletes/1.csv") << "frame\n0\n";
  std::ofstream(dir / "athletes/2.csv") << "frame\n30\n";
  std::ofstream(dir / "tracks.txt") << "live\n";
  std::vector<AthleteSeries> series = BrokenWalk();
  track::PostProcessOptions o;  // defaults: interpolate <= 2 s, re-link within 3 s
  Result<TrackPostReport> r = PostProcessRunTracks(series, o, 25, {}, dir.string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->summary["relinked"], (nlohmann::json{{"2", 1}}));
  EXPECT_EQ(r->summary["interpolated_boxes"], 10);  // frames 20..29, predictions replaced
  EXPECT_EQ(r->removed_files, (std::set<std::string>{"athletes/2.csv"}));
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].id, 1);
  EXPECT_FALSE(fs::exists(dir / "athletes/2.csv"));
  const std::string csv = Read(dir / "athletes/1.csv");
  EXPECT_EQ(csv.rfind("frame,t_s,x_px", 0), 0u) << csv.substr(0, 80);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 42);  // header + merged samples
  // tracks.txt: 50 rows of id 1, frame 25 (1-based 26) interpolated on the straight walk.
  const std::string mot = Read(dir / "tracks.txt");
  EXPECT_EQ(std::count(mot.begin(), mot.end(), '\n'), 50);
  EXPECT_NE(mot.find("\n26,1,150.00,50.00,40.00,100.00,"), std::string::npos) << mot;
  EXPECT_EQ(mot.find(",2,"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace monokin::pipeline
