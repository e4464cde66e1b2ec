// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/highlights.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <utility>
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

// Frame k of a longer clip shows k in base 8 as four flat vertical bands (most significant
// first), digit d at level 16 + 32 d: compression errors well under 16 levels still read back
// as k (k < 4096). The numbers are read below the reel's caption.
constexpr int kBands = 4;
cv::Mat NumberedFrame(int k) {
  cv::Mat m(120, 160, CV_8UC3, cv::Scalar::all(0));
  for (int b = kBands - 1, rest = k; b >= 0; --b, rest /= 8) {
    m(cv::Rect(40 * b, 0, 40, 120)).setTo(cv::Scalar::all(16 + 32 * (rest % 8)));
  }
  return m;
}
int FrameNumber(const cv::Mat& m) {
  int k = 0;
  for (int b = 0; b < kBands; ++b) {
    const double level = cv::mean(m(cv::Rect(40 * b + 8, 80, 24, 32)))[0];
    k = 8 * k + std::clamp(static_cast<int>(std::lround((level - 16) / 32)), 0, 7);
  }
  return k;
}
std::vector<int> FrameNumbers(const std::string& path) {
  std::vector<int> out;
  cv::VideoCapture cap(path, cv::CAP_FFMPEG);
  cv::Mat m;
  while (cap.isOpened() && cap.read(m)) out.push_back(FrameNumber(m));
  return out;
}
std::vector<int> Iota(std::int64_t first, std::int64_t end) {
  std::vector<int> v;
  for (auto k = first; k < end; ++k) v.push_back(static_cast<int>(k));
  return v;
}

// Overlapping moments, a moment far after the others (the reader seeks ahead) and one that
// starts before the previous ended (the reel goes back): every clip and the reel hold exactly
// the source frames of their ranges, in order, on an MJPG and on an H.264 input (long GOPs, so
// a seek lands on a keyframe well before the target).
TEST(HighlightsTest, ClipsAndReelHoldExactlyTheFramesOfOverlappingAndDistantRanges) {
  constexpr int kLongFrames = 600;  // 24 s at 25 fps
  for (const auto& [name, fourcc] :
       {std::pair{"long.avi", cv::VideoWriter::fourcc('M', 'J', 'P', 'G')},
        std::pair{"long.mp4", cv::VideoWriter::fourcc('a', 'v', 'c', '1')}}) {
    SCOPED_TRACE(name);
    Tmp tmp;
    const std::string video = (tmp.path() / name).string();
    {
      cv::VideoWriter w(video, cv::CAP_FFMPEG, fourcc, kFps, cv::Size(160, 120), true);
      if (!w.isOpened()) {
        ADD_FAILURE() << "cannot write the test input " << name;
        continue;
      }
      for (int k = 0; k < kLongFrames; ++k) w.write(NumberedFrame(k));
    }
    ASSERT_EQ(FrameNumbers(video), Iota(0, kLongFrames)) << "the test input does not round-trip";
    const std::vector<KeyMoment> moments = {
        Moment("jump", {1}, 1.0, 2.0),      // frames 0..74 with the rolls
        Moment("jump", {2}, 1.6, 2.4),      // overlaps the first
        Moment("sprint", {3}, 19.0, 20.0),  // far ahead: a seek
        Moment("fall", {4}, 18.5, 19.1)};   // numbered before the sprint, overlapping it
    const double pre = 1.0, post = 1.0;
    ASSERT_TRUE(CutHighlights(video, moments, pre, post, tmp.path().string()).ok());
    const std::vector<KeyMoment> sorted = {moments[0], moments[1], moments[3], moments[2]};
    std::vector<int> reel_expected;
    for (size_t i = 0; i < sorted.size(); ++i) {
      const std::string clip = HighlightClipName(static_cast<int>(i + 1), sorted[i]);
      SCOPED_TRACE(clip);
      const FrameRange r = HighlightFrames(sorted[i], pre, post, kFps, kLongFrames);
      // The range itself, from the times: the frames k with k / fps in [start - pre, end + post).
      const double a = sorted[i].start_s - pre, b = sorted[i].end_s + post;
      EXPECT_EQ(r.first, static_cast<int>(std::ceil(a * kFps - 1e-6)));
      EXPECT_EQ(r.end, static_cast<int>(std::ceil(b * kFps - 1e-6)));
      const std::vector<int> got = FrameNumbers((tmp.path() / "highlights" / clip).string());
      ASSERT_EQ(got.size(), static_cast<size_t>(r.size()));
      // The first frame is the first source frame at or after start - pre (its time k / fps),
      // the last the last before end + post.
      EXPECT_GE(got.front() / kFps, a - 1e-9);
      EXPECT_LT(got.front() / kFps, a + 1 / kFps - 1e-9);
      EXPECT_LT(got.back() / kFps, b - 1e-9);
      EXPECT_GE(got.back() / kFps, b - 1 / kFps - 1e-9);
      EXPECT_EQ(got, Iota(r.first, r.end));
      const std::vector<int> span = Iota(r.first, r.end);
      reel_expected.insert(reel_expected.end(), span.begin(), span.end());
    }
    EXPECT_EQ(FrameNumbers((tmp.path() / "highlights.mp4").string()), reel_expected);
  }
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
