// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/source.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "monokin/video/test_clips.h"

namespace monokin::video {
namespace {

using testing::RunFfmpeg;
using testing::TempDir;
using testing::TestPicture;

// Reads every frame; fails the test on an error status.
std::vector<Frame> ReadAll(Source& source) {
  std::vector<Frame> frames;
  while (true) {
    Result<std::optional<Frame>> next = source.Next();
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) break;
    frames.push_back(std::move(**next));
  }
  return frames;
}

void ExpectStrictlyIncreasing(const std::vector<Frame>& frames) {
  for (std::size_t i = 1; i < frames.size(); ++i) {
    ASSERT_GT(frames[i].info.pts, frames[i - 1].info.pts) << "frame " << i;
  }
}

TEST(GuessKindTest, TellsCamerasUrlsFoldersAndFilesApart) {
  TempDir dir;
  EXPECT_EQ(GuessKind("0"), SourceKind::kCamera);
  EXPECT_EQ(GuessKind("12"), SourceKind::kCamera);
  EXPECT_EQ(GuessKind("rtsp://10.0.0.2/live"), SourceKind::kUrl);
  EXPECT_EQ(GuessKind("HTTPS://example.org/a.mp4"), SourceKind::kUrl);
  EXPECT_EQ(GuessKind(dir.dir().string()), SourceKind::kImageFolder);
  EXPECT_EQ(GuessKind("clip.mp4"), SourceKind::kFile);
  EXPECT_EQ(GuessKind("0.mp4"), SourceKind::kFile);
  EXPECT_EQ(GuessKind("c:/x.mp4"), SourceKind::kFile);
  EXPECT_STREQ(SourceKindName(SourceKind::kImageFolder), "image folder");
}

TEST(SourceOptionsTest, DefaultsAreValid) { EXPECT_TRUE(SourceOptions{}.Validate().ok()); }

TEST(SourceOptionsTest, ValidateReportsEveryBadField) {
  SourceOptions o;
  o.folder_fps = 0;
  o.open_timeout_ms = -5;
  o.read_timeout_ms = 0;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("video.folder_fps"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("video.open_timeout_ms"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("video.read_timeout_ms"), std::string::npos) << s.message();
  o = SourceOptions{};
  o.folder_fps = std::nan("");
  EXPECT_EQ(o.Validate().code(), StatusCode::kInvalidArgument);
}

TEST(SourceOptionsTest, JsonRoundTripLeavesUriOut) {
  SourceOptions o{
      .uri = "clip.mp4", .folder_fps = 12.5, .open_timeout_ms = 1500, .read_timeout_ms = 2500};
  const nlohmann::json j = o;
  EXPECT_FALSE(j.contains("uri"));
  EXPECT_EQ(j.size(), 3u);
  SourceOptions back{.uri = "kept.mp4"};
  j.get_to(back);
  EXPECT_EQ(back.uri, "kept.mp4");
  EXPECT_DOUBLE_EQ(back.folder_fps, 12.5);
  EXPECT_EQ(back.open_timeout_ms, 1500);
  EXPECT_EQ(back.read_timeout_ms, 2500);
}

TEST(FileSourceTest, ReadsMjpgAviWithContainerTimes) {
  TempDir dir;
  const std::string path = dir.Path("clip.avi");
  ASSERT_TRUE(testing::WriteMjpgAvi(path, 12, 25.0));
  Result<std::unique_ptr<Source>> source = OpenSource({.uri = path});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const SourceInfo& info = (*source)->info();
  EXPECT_EQ(info.kind, SourceKind::kFile);
  EXPECT_FALSE(info.live);
  EXPECT_EQ(info.width_px, 160);
  EXPECT_EQ(info.height_px, 120);
  EXPECT_DOUBLE_EQ(info.fps, 25.0);
  EXPECT_EQ(info.frame_count, 12);
  EXPECT_EQ(info.codec, "MJPG");
  EXPECT_EQ(info.rotation_deg, 0);
  const std::vector<Frame> frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 12u);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].info.index, static_cast<FrameIndex>(i));
    EXPECT_EQ(frames[i].info.pts, Micros(40'000 * static_cast<std::int64_t>(i)));
    EXPECT_EQ(frames[i].bgr.type(), CV_8UC3);
    EXPECT_EQ(frames[i].info.width_px, 160);
    // The picture survives (MJPG is lossy: compare loosely).
    cv::Mat diff;
    cv::absdiff(frames[i].bgr, TestPicture(static_cast<int>(i)), diff);
    EXPECT_LT(cv::mean(diff)[0], 6.0) << "frame " << i;
  }
  // The end stays the end.
  Result<std::optional<Frame>> again = (*source)->Next();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST(FileSourceTest, OpenCvSampleHasAllFramesInIncreasingTime) {
  if (!std::filesystem::exists(testing::VtestPath())) {
    GTEST_SKIP() << "install opencv-doc for " << testing::VtestPath();
  }
  auto source = OpenSource({.uri = testing::VtestPath()});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->info().frame_count, 795);
  EXPECT_EQ((*source)->info().width_px, 768);
  EXPECT_EQ((*source)->info().height_px, 576);
  const std::vector<Frame> frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 795u);
  EXPECT_EQ(frames.front().info.pts, Micros(0));
  ExpectStrictlyIncreasing(frames);
  // 10 fps: the container times are exact multiples of 100 ms, up to the last frame.
  EXPECT_EQ(frames.back().info.pts, Micros(794 * 100'000));
}

TEST(FileSourceTest, MeasureDecodeFpsCountsFrames) {
  TempDir dir;
  const std::string path = dir.Path("clip.avi");
  ASSERT_TRUE(testing::WriteMjpgAvi(path, 20, 25.0));
  Result<double> fps = MeasureDecodeFps({.uri = path}, 10);
  ASSERT_TRUE(fps.ok()) << fps.status().ToString();
  EXPECT_GT(*fps, 0.0);
  EXPECT_EQ(MeasureDecodeFps({.uri = dir.Path("missing.avi")}, 10).status().code(),
            StatusCode::kNotFound);
}

// Frame times as FFmpeg's own ffprobe reads them, in microseconds.
std::vector<Micros> ProbeFrameTimes(const std::string& path, const TempDir& dir) {
  const std::string out = dir.Path("pts.txt");
  const std::string cmd = fmt::format(
      "ffprobe -v error -select_streams v:0 -show_entries frame=pts_time -of csv=p=0 '{}' > '{}'",
      path, out);
  std::vector<Micros> times;
  if (std::system(cmd.c_str()) != 0) return times;
  std::ifstream in(out);
  for (std::string line; std::getline(in, line);) {  // "0.040000," (a trailing comma)
    if (!line.empty()) times.push_back(Micros(std::llround(std::stod(line) * 1e6)));
  }
  return times;
}

TEST(FileSourceTest, VariableFrameRateKeepsContainerTimes) {
  TempDir dir;
  const std::string path = dir.Path("vfr.mkv");
  // 10 frames 40 ms apart, then 10 frames about 120 ms apart.
  ASSERT_TRUE(RunFfmpeg(
      fmt::format("-f lavfi -i testsrc=size=160x120:rate=25 -frames:v 20 "
                  "-vf \"setpts='if(lt(N,10),N*0.04,0.4+(N-10)*0.12)/TB'\" -fps_mode passthrough "
                  "-enc_time_base 1:1000 -c:v libx264 -bf 0 -pix_fmt yuv420p '{}'",
                  path)));
  const std::vector<Micros> truth = ProbeFrameTimes(path, dir);
  ASSERT_EQ(truth.size(), 20u);
  ASSERT_EQ(truth[1] - truth[0], Micros(40'000));
  ASSERT_GE(truth[12] - truth[11], Micros(80'000));  // the fixture really is irregular

  auto source = OpenSource({.uri = path});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const std::vector<Frame> frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(frames[i].info.pts, truth[i]) << "frame " << i;
}

TEST(FileSourceTest, FramesDrainedFromTheDecoderGetExtrapolatedTimes) {
  // With B-frames, the last frames leave the decoder after the input ends and OpenCV 4.6
  // reports no pts for them; they must still be increasing and close to the truth.
  TempDir dir;
  const std::string path = dir.Path("bframes.mp4");
  ASSERT_TRUE(RunFfmpeg(
      fmt::format("-f lavfi -i testsrc=size=160x120:rate=25 -frames:v 30 -c:v libx264 -bf 2 "
                  "-pix_fmt yuv420p '{}'",
                  path)));
  auto source = OpenSource({.uri = path});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const std::vector<Frame> frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 30u);
  ExpectStrictlyIncreasing(frames);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(frames[i].info.pts, Micros(i * 40'000)) << "frame " << i;
}

TEST(FileSourceTest, RotationMetadataMakesFramesUpright) {
  TempDir dir;
  const std::string plain = dir.Path("plain.avi"), rotated = dir.Path("rotated.mp4"),
                    reference = dir.Path("upright.png");
  ASSERT_TRUE(testing::WriteMjpgAvi(plain, 5, 25.0));
  // FFmpeg 5.1 turns the stream's "rotate" tag into a display matrix when stream-copying.
  const std::string lossless = dir.Path("lossless.mp4");
  ASSERT_TRUE(
      RunFfmpeg(fmt::format("-i '{}' -c:v libx264 -pix_fmt yuv444p -qp 0 '{}'", plain, lossless)));
  ASSERT_TRUE(
      RunFfmpeg(fmt::format("-i '{}' -c copy -metadata:s:v:0 rotate=90 '{}'", lossless, rotated)));
  // The ffmpeg tool applies the display matrix itself: its output is the upright picture.
  ASSERT_TRUE(RunFfmpeg(fmt::format("-i '{}' -frames:v 1 '{}'", rotated, reference)));
  const cv::Mat upright = cv::imread(reference, cv::IMREAD_COLOR);
  ASSERT_EQ(upright.cols, 120);
  ASSERT_EQ(upright.rows, 160);

  auto source = OpenSource({.uri = rotated});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const SourceInfo& info = (*source)->info();
  EXPECT_TRUE(info.rotation_deg == 90 || info.rotation_deg == 270) << info.rotation_deg;
  EXPECT_EQ(info.width_px, 120);
  EXPECT_EQ(info.height_px, 160);
  auto first = (*source)->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  const Frame& frame = **first;
  ASSERT_EQ(frame.bgr.size(), upright.size());
  EXPECT_EQ(frame.info.width_px, 120);
  cv::Mat diff;
  cv::absdiff(frame.bgr, upright, diff);
  EXPECT_LT(cv::mean(diff)[0], 8.0) << "frame is not rotated the way FFmpeg displays it";
}

TEST(FolderSourceTest, ReadsImagesInNaturalOrderTimedByFolderFps) {
  TempDir dir;
  // Written out of order, with names that sort differently as plain strings.
  const std::vector<int> order = {10, 2, 1, 9};
  for (int n : order) {
    ASSERT_TRUE(cv::imwrite(dir.Path(fmt::format("f{}.png", n)), TestPicture(n)));
  }
  std::filesystem::create_directory(dir.Path("sub.png"));  // a folder, not an image
  { std::ofstream(dir.Path("readme.txt")) << "not an image"; }

  auto source = OpenSource({.uri = dir.dir().string(), .folder_fps = 20.0});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->info().kind, SourceKind::kImageFolder);
  EXPECT_EQ((*source)->info().frame_count, 4);
  const std::vector<Frame> frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 4u);
  const std::vector<int> expected = {1, 2, 9, 10};
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].info.index, static_cast<FrameIndex>(i));
    EXPECT_EQ(frames[i].info.pts, Micros(50'000 * static_cast<std::int64_t>(i)));
    EXPECT_EQ(cv::norm(frames[i].bgr, TestPicture(expected[i]), cv::NORM_INF), 0.0)
        << "frame " << i << " should be f" << expected[i] << ".png";
  }
}

TEST(FolderSourceTest, ConvertsGrayAndBgraToBgr) {
  TempDir dir;
  cv::Mat gray(30, 40, CV_8UC1, cv::Scalar(77));
  cv::Mat bgra(30, 40, CV_8UC4, cv::Scalar(10, 20, 30, 128));
  cv::Mat deep(30, 40, CV_16UC3, cv::Scalar(65535, 0, 257 * 100));
  ASSERT_TRUE(cv::imwrite(dir.Path("a.png"), gray));
  ASSERT_TRUE(cv::imwrite(dir.Path("b.png"), bgra));
  ASSERT_TRUE(cv::imwrite(dir.Path("c.png"), deep));
  auto source = OpenSource({.uri = dir.dir().string()});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const std::vector<Frame> frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 3u);
  for (const Frame& f : frames) EXPECT_EQ(f.bgr.type(), CV_8UC3);
  EXPECT_EQ(frames[0].bgr.at<cv::Vec3b>(5, 5), cv::Vec3b(77, 77, 77));
  EXPECT_EQ(frames[1].bgr.at<cv::Vec3b>(5, 5), cv::Vec3b(10, 20, 30));
  EXPECT_EQ(frames[2].bgr.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 0, 100));
}

}  // namespace
}  // namespace monokin::video
