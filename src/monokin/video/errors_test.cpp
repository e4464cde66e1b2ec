// SPDX-License-Identifier: Apache-2.0
// Bad input: each case gives the right StatusCode and a message naming the problem.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "monokin/video/source.h"
#include "monokin/video/test_clips.h"

namespace monokin::video {
namespace {

using testing::RunFfmpeg;
using testing::TempDir;

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

Status OpenStatus(const SourceOptions& options) {
  Result<std::unique_ptr<Source>> r = OpenSource(options);
  return r.ok() ? OkStatus() : r.status();
}

// Reads until the end or an error; returns that status and counts the good frames.
Status ReadToEnd(Source& source, int& frames) {
  frames = 0;
  while (true) {
    Result<std::optional<Frame>> next = source.Next();
    if (!next.ok()) return next.status();
    if (!*next) return OkStatus();
    ++frames;
  }
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(SourceErrorsTest, MissingFileIsNotFound) {
  const Status s = OpenStatus({.uri = "/nonexistent/clip.mp4"});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(s.message(), "/nonexistent/clip.mp4")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "no such file")) << s.message();
}

TEST(SourceErrorsTest, EmptyUriAndBadOptionsAreInvalidArguments) {
  EXPECT_EQ(OpenStatus({}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStatus({.uri = "x.mp4", .folder_fps = -1}).code(), StatusCode::kInvalidArgument);
}

TEST(SourceErrorsTest, FolderWithoutImagesListsTheExtensionsRead) {
  TempDir dir;
  { std::ofstream(dir.Path("a.txt")) << "x"; }
  const Status s = OpenStatus({.uri = dir.dir().string()});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(s.message(), "no images")) << s.message();
  EXPECT_TRUE(Contains(s.message(), ".jpg")) << s.message();
  EXPECT_TRUE(Contains(s.message(), ".png")) << s.message();
}

TEST(SourceErrorsTest, UnreadableImageInFolderStopsWithDataLoss) {
  TempDir dir;
  ASSERT_TRUE(cv::imwrite(dir.Path("f1.png"), testing::TestPicture(1)));
  ASSERT_TRUE(cv::imwrite(dir.Path("f2.png"), testing::TestPicture(2)));
  { std::ofstream(dir.Path("f3.png")) << "this is not a png"; }
  auto source = OpenSource({.uri = dir.dir().string()});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  int frames = 0;
  const Status s = ReadToEnd(**source, frames);
  EXPECT_EQ(frames, 2);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_TRUE(Contains(s.message(), "f3.png")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "frame 2")) << s.message();
}

TEST(SourceErrorsTest, TextFileIsUnsupported) {
  TempDir dir;
  { std::ofstream(dir.Path("notes.mp4")) << "these are my notes, not a video\n"; }
  const Status s = OpenStatus({.uri = dir.Path("notes.mp4")});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(s.message(), "text file")) << s.message();
}

TEST(SourceErrorsTest, EmptyAndRandomBytesAreUnsupported) {
  TempDir dir;
  { std::ofstream(dir.Path("empty.mp4")); }
  EXPECT_EQ(OpenStatus({.uri = dir.Path("empty.mp4")}).code(), StatusCode::kUnsupported);
  {
    std::ofstream out(dir.Path("noise.avi"), std::ios::binary);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 7919 + 13) % 251 + 1));
  }
  const Status s = OpenStatus({.uri = dir.Path("noise.avi")});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(s.message(), "not a video format")) << s.message();
}

TEST(SourceErrorsTest, UnknownCodecIsUnsupportedWithAConversionHint) {
  TempDir dir;
  const std::string good = dir.Path("good.avi"), bad = dir.Path("zzzz.avi");
  ASSERT_TRUE(testing::WriteMjpgAvi(good, 5, 25.0));
  // Rename the codec in the AVI header (the 'strh' handler and the BITMAPINFOHEADER
  // compression field) to a FourCC no decoder knows.
  std::ifstream in(good, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int replaced = 0;
  for (std::size_t p = bytes.find("MJPG"); p != std::string::npos && p < 4096;
       p = bytes.find("MJPG", p + 4)) {
    bytes.replace(p, 4, "ZZZZ");
    ++replaced;
  }
  ASSERT_GE(replaced, 1);
  std::ofstream(bad, std::ios::binary) << bytes;
  const Status s = OpenStatus({.uri = bad});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "'ZZZZ'")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "ffmpeg -i")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "libx264")) << s.message();
}

TEST(SourceErrorsTest, VideoWithZeroFramesIsDataLoss) {
  TempDir dir;
  const std::string path = dir.Path("zero.avi");
  ASSERT_TRUE(testing::WriteMjpgAvi(path, 0, 25.0));
  const Status s = OpenStatus({.uri = path});
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "no video frames")) << s.message();
}

TEST(SourceErrorsTest, Mp4WithoutAVideoTrackIsUnsupported) {
  TempDir dir;
  const std::string path = dir.Path("audio.mp4");
  ASSERT_TRUE(RunFfmpeg("-f lavfi -i sine=duration=0.2 -c:a aac '" + path + "'"));
  const Status s = OpenStatus({.uri = path});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "no video stream")) << s.message();
}

TEST(SourceErrorsTest, TruncatedAviReturnsFramesThenDataLoss) {
  if (!std::filesystem::exists(testing::VtestPath())) {
    GTEST_SKIP() << "install opencv-doc for " << testing::VtestPath();
  }
  TempDir dir;
  const std::string path = dir.Path("half.avi");
  ASSERT_TRUE(testing::CopyPrefix(testing::VtestPath(), path,
                                  std::filesystem::file_size(testing::VtestPath()) / 2));
  auto source = OpenSource({.uri = path});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  int frames = 0;
  const Status s = ReadToEnd(**source, frames);
  EXPECT_GT(frames, 300);
  EXPECT_LT(frames, 500);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "frame " + std::to_string(frames))) << s.message();
  EXPECT_TRUE(Contains(s.message(), "truncated")) << s.message();
  EXPECT_TRUE(Contains(s.message(), " s)")) << s.message();  // says at which time
  // The error stays.
  EXPECT_EQ((*source)->Next().status().code(), StatusCode::kDataLoss);
}

TEST(SourceErrorsTest, DamageInTheMiddleEndsWithDataLoss) {
  if (!std::filesystem::exists(testing::VtestPath())) {
    GTEST_SKIP() << "install opencv-doc for " << testing::VtestPath();
  }
  TempDir dir;
  const std::string path = dir.Path("holed.avi");
  std::ifstream in(testing::VtestPath(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes.replace(bytes.size() / 2, 300'000, 300'000, '\0');  // wipe about 30 frames
  std::ofstream(path, std::ios::binary) << bytes;
  auto source = OpenSource({.uri = path});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  int frames = 0;
  Micros last{-1}, biggest_step{0};
  Status end;
  while (true) {
    Result<std::optional<Frame>> next = (*source)->Next();
    if (!next.ok()) {
      end = next.status();
      break;
    }
    if (!*next) break;
    const Micros pts = (**next).info.pts;
    ASSERT_GT(pts, last);
    if (last.count() >= 0) biggest_step = std::max(biggest_step, pts - last);
    last = pts;
    ++frames;
  }
  EXPECT_LT(frames, 795);
  EXPECT_GT(frames, 700);
  // AVI has no per-frame times: after the hole, FFmpeg numbers the surviving frames on, so
  // there is no gap in time and later frames come early. Times still increase evenly.
  EXPECT_EQ(biggest_step, Micros(100'000));
  EXPECT_EQ(end.code(), StatusCode::kDataLoss) << end.ToString();
  EXPECT_TRUE(Contains(end.message(), "795 frames")) << end.message();
}

TEST(SourceErrorsTest, TruncatedMatroskaIsDataLossByDuration) {
  // Matroska has no frame index: OpenCV's frame count is duration x fps, so the check is on
  // time covered.
  TempDir dir;
  const std::string full = dir.Path("full.mkv"), half = dir.Path("half.mkv");
  ASSERT_TRUE(RunFfmpeg("-f lavfi -i testsrc=size=320x240:rate=25 -frames:v 100 -c:v mjpeg '" +
                        full + "'"));
  ASSERT_TRUE(testing::CopyPrefix(full, half, std::filesystem::file_size(full) / 2));
  auto source = OpenSource({.uri = half});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  int frames = 0;
  const Status s = ReadToEnd(**source, frames);
  EXPECT_GT(frames, 20);
  EXPECT_LT(frames, 80);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();

  // The complete file ends cleanly.
  auto whole = OpenSource({.uri = full});
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_TRUE(ReadToEnd(**whole, frames).ok());
  EXPECT_EQ(frames, 100);
}

TEST(SourceErrorsTest, UnreachableUrlsAreUnavailableQuickly) {
  for (const char* url : {"rtsp://127.0.0.1:9/x", "http://127.0.0.1:9/x.mp4"}) {
    const auto t0 = std::chrono::steady_clock::now();
    const Status s = OpenStatus({.uri = url, .open_timeout_ms = 2000, .read_timeout_ms = 2000});
    EXPECT_LT(SecondsSince(t0), 5.0) << url;
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << url << ": " << s.ToString();
    EXPECT_TRUE(Contains(s.message(), url)) << s.message();
  }
}

TEST(SourceErrorsTest, SilentServerTimesOutWithinOpenTimeout) {
  // A socket that accepts connections (the kernel completes the handshake) but never answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);
  for (const std::string scheme : {"http", "rtsp"}) {
    const std::string url = scheme + "://127.0.0.1:" + std::to_string(port) + "/x";
    const auto t0 = std::chrono::steady_clock::now();
    const Status s = OpenStatus({.uri = url, .open_timeout_ms = 1000, .read_timeout_ms = 1000});
    EXPECT_LT(SecondsSince(t0), 4.0) << url;
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << url << ": " << s.ToString();
  }
  ::close(fd);
}

TEST(SourceErrorsTest, UnknownUrlSchemeIsUnsupported) {
  const Status s = OpenStatus({.uri = "gopher://127.0.0.1/x"});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(s.message(), "rtsp")) << s.message();
}

TEST(SourceErrorsTest, MissingCameraIsUnavailable) {
  const auto t0 = std::chrono::steady_clock::now();
  const Status s = OpenStatus({.uri = "63"});
  EXPECT_LT(SecondsSince(t0), 5.0);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "camera 63")) << s.message();
}

}  // namespace
}  // namespace monokin::video
