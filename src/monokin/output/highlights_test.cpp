// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/highlights.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

namespace monokin::output {
namespace {

namespace fs = std::filesystem;

constexpr double kFps = 25;
constexpr int kFrames = 120;  // 4.8 s

// A per-test folder under the system temp dir, removed at the end.
class Tmp {
 public:
  Tmp() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("monokin_highlights_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~Tmp() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path path() const { return path_; }

 private:
  fs::path path_;
};

// Frame k is a flat grey of level 2k (survives compression within a few levels), so a decoded
// frame tells which source frame it came from.
std::string MakeClip(const fs::path& dir) {
  const std::string path = (dir / "clip.avi").string();
  cv::VideoWriter w(path, cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), kFps,
                    cv::Size(160, 120), true);
  EXPECT_TRUE(w.isOpened());
  for (int k = 0; k < kFrames; ++k) {
    w.write(cv::Mat(120, 160, CV_8UC3, cv::Scalar::all(2 * k)));
  }
  return path;
}

struct Decoded {
  int frames = 0;
  double first_level = -1;  // mean grey of the first frame, in the region below the caption
};
Decoded Decode(const std::string& path) {
  Decoded d;
  cv::VideoCapture cap(path, cv::CAP_FFMPEG);
  if (!cap.isOpened()) return d;
  cv::Mat m;
  while (cap.read(m)) {
    if (d.frames == 0) d.first_level = cv::mean(m(cv::Rect(0, 80, 160, 40)))[0];
    ++d.frames;
  }
  return d;
}

KeyMoment Moment(std::string type, std::vector<TrackId> ids, double start, double end) {
  KeyMoment m;
  m.type = std::move(type);
  m.athletes = std::move(ids);
  m.start_s = start;
  m.peak_s = 0.5 * (start + end);
  m.end_s = end;
  m.values["duration_s"] = end - start;
  return m;
}

TEST(HighlightsTest, EachClipHoldsTheFramesOfItsMomentWithRolls) {
  Tmp tmp;
  const std::string video = MakeClip(tmp.path());
  // Given out of order: clips are numbered by start time.
  const std::vector<KeyMoment> moments = {Moment("sprint", {1}, 4.0, 4.7),  // post-roll clipped
                                          Moment("jump", {3}, 1.0, 1.4),
                                          Moment("contact", {2, 5}, 2.02, 2.2),
                                          Moment("fall", {4}, 0.1, 0.3)};  // pre-roll clipped
  const double pre = 0.5, post = 0.3;
  ASSERT_TRUE(CutHighlights(video, moments, pre, post, tmp.path().string()).ok());

  const std::vector<std::string> expected = {"1_fall_4.mp4", "2_jump_3.mp4", "3_contact_2-5.mp4",
                                             "4_sprint_1.mp4"};
  const std::vector<KeyMoment> sorted = {moments[3], moments[1], moments[2], moments[0]};
  int reel_frames = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const KeyMoment& m = sorted[i];
    const std::string name = HighlightClipName(static_cast<int>(i + 1), m);
    EXPECT_EQ(name, expected[i]);
    const fs::path clip = tmp.path() / "highlights" / name;
    ASSERT_TRUE(fs::exists(clip)) << clip;
    // The frames k with k / fps in [start - pre, end + post), within the video.
    const double a = std::max(0.0, m.start_s - pre), b = m.end_s + post;
    int first = static_cast<int>(std::ceil(a * kFps - 1e-6));
    int end = std::min(kFrames, static_cast<int>(std::ceil(b * kFps - 1e-6)));
    const Decoded d = Decode(clip.string());
    SCOPED_TRACE(name);
    EXPECT_EQ(d.frames, end - first);
    EXPECT_NEAR(d.first_level, 2 * first, 4.0) << "the clip does not start at frame " << first;
    reel_frames += end - first;
  }
  const Decoded reel = Decode((tmp.path() / "highlights.mp4").string());
  EXPECT_EQ(reel.frames, reel_frames);
}

TEST(HighlightsTest, FrameRangeFollowsTheRollsAndTheVideoEnds) {
  const KeyMoment m = Moment("jump", {1}, 2.0, 3.0);
  FrameRange r = HighlightFrames(m, 1.0, 0.5, 10, 1000);
  EXPECT_EQ(r.first, 10);
  EXPECT_EQ(r.end, 35);
  r = HighlightFrames(m, 5.0, 50, 10, 100);
  EXPECT_EQ(r.first, 0);
  EXPECT_EQ(r.end, 100);
  r = HighlightFrames(Moment("jump", {1}, 20, 21), 0, 0, 10, 100);  // after the end
  EXPECT_EQ(r.size(), 0);
}

TEST(HighlightsTest, MomentOutsideTheVideoGetsNoClip) {
  Tmp tmp;
  const std::string video = MakeClip(tmp.path());
  ASSERT_TRUE(CutHighlights(video, {Moment("jump", {1}, 10, 11), Moment("jump", {2}, 1, 1.2)}, 0, 0,
                            tmp.path().string())
                  .ok());
  // Numbered by start time: the moment at 1 s is the first.
  EXPECT_EQ(Decode((tmp.path() / "highlights" / "1_jump_2.mp4").string()).frames, 5);
  EXPECT_FALSE(fs::exists(tmp.path() / "highlights" / "2_jump_1.mp4"));
}

TEST(HighlightsTest, ErrorsSayWhatIsWrong) {
  Tmp tmp;
  Status missing = CutHighlights((tmp.path() / "nope.mp4").string(), {}, 1, 1, tmp.path().string());
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("nope.mp4"), std::string::npos);
  const std::string video = MakeClip(tmp.path());
  Status bad_roll = CutHighlights(video, {}, -1, 1, tmp.path().string());
  EXPECT_EQ(bad_roll.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_roll.message().find("pre-roll"), std::string::npos);
  const fs::path not_video = tmp.path() / "text.mp4";
  { std::ofstream(not_video) << "not a video"; }
  Status garbage =
      CutHighlights(not_video.string(), {Moment("jump", {1}, 0, 1)}, 0, 0, tmp.path().string());
  EXPECT_EQ(garbage.code(), StatusCode::kUnsupported) << garbage.ToString();
}

}  // namespace
}  // namespace monokin::output
