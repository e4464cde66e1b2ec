// SPDX-License-Identifier: Apache-2.0
// Helpers for this folder's tests: a fresh temporary folder per test and generated results.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "monokin/core/types.h"

namespace monokin::output::testing {

// A folder under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("monokin_output_") + info->test_suite_name() + "_" + info->name() + "_" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(s);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

// A BlazePose-shaped pose whose values depend on `seed` (all distinct, some invisible).
inline PersonPose MakePose(TrackId id, int seed) {
  PersonPose p;
  p.track = id;
  p.score = 0.9f - 0.01f * static_cast<float>(seed % 10);
  for (int k = 0; k < 33; ++k) {
    const float f = static_cast<float>(k + seed);
    p.keypoints.push_back(
        {10.0f + 1.25f * f, 20.0f + 0.75f * f, -0.5f * f, (k % 3 == 0) ? 0.2f : 0.8f, 0.95f});
    p.world.push_back({0.01f * f, -0.02f * f, 0.003f * f});
  }
  return p;
}

// Frame `index` (pts = index / 25 s) of a W x H video with athletes `ids` moving right; the
// first athlete carries a pose when `with_pose`.
inline FrameResult MakeResult(FrameIndex index, const std::vector<TrackId>& ids,
                              bool with_pose = false, int width = 160, int height = 120) {
  FrameResult r;
  r.frame.index = index;
  r.frame.pts = Micros(index * 40'000);
  r.frame.width_px = width;
  r.frame.height_px = height;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const float x = 5.0f + 2.0f * static_cast<float>(index) + 30.0f * static_cast<float>(i);
    Athlete a;
    a.id = ids[i];
    a.box = {x + 0.123f, 10.456f + static_cast<float>(i), 20.5f, 60.25f};
    a.score = 0.87654f - 0.01f * static_cast<float>(i);
    if (with_pose && i == 0) a.pose = MakePose(a.id, static_cast<int>(index));
    r.detections.push_back({a.box, a.score, 0});
    r.athletes.push_back(std::move(a));
  }
  return r;
}

}  // namespace monokin::output::testing
