// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/annotated_video_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <set>

#include "monokin/output/annotate.h"
#include "monokin/output/output_test_util.h"

namespace monokin::output {
namespace {

using testing::MakeResult;
using testing::TempDir;

// Frames and size as decoded back; counts by reading (the container's count can be an estimate).
struct Decoded {
  int frames = 0;
  cv::Size size;
};
Decoded Decode(const std::string& path) {
  Decoded d;
  cv::VideoCapture cap(path, cv::CAP_FFMPEG);
  if (!cap.isOpened()) return d;
  cv::Mat m;
  while (cap.read(m)) {
    if (d.frames == 0) d.size = m.size();
    ++d.frames;
  }
  return d;
}

cv::Mat Gradient(int w, int h, int shift) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      m.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<uchar>((x + shift) % 256), static_cast<uchar>(y % 256), 60);
    }
  }
  return m;
}

void WriteClip(AnnotatedVideoWriter& w, int frames, int width, int height) {
  for (int i = 0; i < frames; ++i) {
    ASSERT_TRUE(
        w.Write(MakeResult(i, {1, 2}, i % 2 == 0, width, height), Gradient(width, height, i)).ok());
  }
}

TEST(AnnotatedVideoWriterTest, AutoWritesAnMp4WithEveryFrameAtTheFirstFrameSize) {
  TempDir tmp;
  AnnotatedVideoWriter w(tmp / "annotated.mp4", "auto", 10, 25.0);
  WriteClip(w, 12, 160, 120);
  EXPECT_TRUE(w.codec_used() == "h264" || w.codec_used() == "mp4v") << w.codec_used();
  ASSERT_TRUE(w.Close().ok());
  ASSERT_TRUE(w.Close().ok());  // idempotent
  const Decoded d = Decode(tmp / "annotated.mp4");
  EXPECT_EQ(d.frames, 12);
  EXPECT_EQ(d.size, cv::Size(160, 120));
}

TEST(AnnotatedVideoWriterTest, EachCodecOptionProducesAReadableFile) {
  for (const std::string codec : {"h264", "mp4v", "mjpg"}) {
    TempDir tmp;
    const std::string path = tmp / AnnotatedVideoFileName(codec);
    AnnotatedVideoWriter w(path, codec, 5, 30.0);
    const Status s = w.Write(MakeResult(0, {1}), Gradient(96, 64, 0));
    if (!s.ok() && codec == "h264") {
      EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
      continue;  // an OpenCV build without an H.264 encoder
    }
    ASSERT_TRUE(s.ok()) << codec << ": " << s.ToString();
    WriteClip(w, 4, 96, 64);
    EXPECT_EQ(w.codec_used(), codec);
    ASSERT_TRUE(w.Close().ok());
    const Decoded d = Decode(path);
    EXPECT_EQ(d.frames, 5) << codec;
    EXPECT_EQ(d.size, cv::Size(96, 64)) << codec;
  }
}

TEST(AnnotatedVideoWriterTest, FallsBackToTheNextCodecWhenOneCannotOpen) {
  std::vector<int> tried;
  VideoOpenFn only_mp4v = [&tried](cv::VideoWriter& writer, const std::string& path, int fourcc,
                                   double fps, cv::Size size) {
    tried.push_back(fourcc);
    if (fourcc != cv::VideoWriter::fourcc('m', 'p', '4', 'v')) return false;
    return OpenVideoWithFfmpeg(writer, path, fourcc, fps, size);
  };
  TempDir tmp;
  AnnotatedVideoWriter w(tmp / "annotated.mp4", "auto", 5, 30.0, only_mp4v);
  WriteClip(w, 3, 64, 48);
  EXPECT_EQ(w.codec_used(), "mp4v");
  EXPECT_EQ(tried.size(), 3u);  // avc1, H264, mp4v
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(Decode(tmp / "annotated.mp4").frames, 3);
}

TEST(AnnotatedVideoWriterTest, ReportsUnsupportedWhenNoCodecOpens) {
  VideoOpenFn never = [](cv::VideoWriter&, const std::string&, int, double, cv::Size) {
    return false;
  };
  TempDir tmp;
  AnnotatedVideoWriter w(tmp / "annotated.mp4", "h264", 5, 30.0, never);
  const Status s = w.Write(MakeResult(0, {1}), Gradient(64, 48, 0));
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("avc1, H264"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("output.annotated_video=false"), std::string::npos);
}

TEST(AnnotatedVideoWriterTest, ScalesLaterFramesOfAnotherSizeAndDrawsOnBlackWithoutPicture) {
  TempDir tmp;
  AnnotatedVideoWriter w(tmp / "annotated.mp4", "mp4v", 5, 30.0);
  ASSERT_TRUE(w.Write(MakeResult(0, {1}), Gradient(128, 96, 0)).ok());
  ASSERT_TRUE(w.Write(MakeResult(1, {1}), Gradient(64, 48, 0)).ok());
  ASSERT_TRUE(w.Write(MakeResult(2, {1}, false, 128, 96), cv::Mat()).ok());
  cv::Mat gray(96, 128, CV_8UC1, cv::Scalar(100));
  ASSERT_TRUE(w.Write(MakeResult(3, {1}), gray).ok());
  cv::Mat floats(96, 128, CV_32FC3);
  EXPECT_EQ(w.Write(MakeResult(4, {1}), floats).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(w.Write(MakeResult(5, {1}), gray).code(), StatusCode::kFailedPrecondition);
  const Decoded d = Decode(tmp / "annotated.mp4");
  EXPECT_EQ(d.frames, 4);
  EXPECT_EQ(d.size, cv::Size(128, 96));
}

TEST(AnnotateTest, ColoursAreStableAndNearbyIdsDiffer) {
  // Ids that share a frame are usually close in number: any two less than 8 apart must be
  // clearly different colours (distance in 8-bit BGR).
  for (TrackId id = 0; id < 200; ++id) {
    const cv::Scalar c = TrackColour(id);
    EXPECT_EQ(c, TrackColour(id));
    EXPECT_GT(std::max({c[0], c[1], c[2]}), 150.0) << "id " << id << " is too dark";
    for (TrackId other = id + 1; other < id + 8; ++other) {
      EXPECT_GT(cv::norm(c - TrackColour(other)), 60.0) << "ids " << id << " and " << other;
    }
  }
}

TEST(AnnotateTest, BlazePoseTopologyCoversAll33Points) {
  const auto bones = BlazePoseConnections();
  EXPECT_EQ(bones.size(), 35u);
  std::set<int> used;
  for (const auto& [a, b] : bones) {
    EXPECT_NE(a, b);
    EXPECT_GE(std::min(a, b), 0);
    EXPECT_LT(std::max(a, b), 33);
    used.insert(a);
    used.insert(b);
  }
  EXPECT_EQ(used.size(), 33u);
}

TEST(AnnotateTest, TrailKeepsTheLastFramesAndForgetsGoneIds) {
  TrailHistory trails(3);
  for (FrameIndex i = 0; i < 5; ++i) trails.Update(MakeResult(i, {1, 2}));
  const auto t = trails.Trail(1);
  ASSERT_EQ(t.size(), 3u);
  const FrameResult last = MakeResult(4, {1});
  EXPECT_FLOAT_EQ(t.back().x, last.athletes[0].box.cx());
  EXPECT_FLOAT_EQ(t.back().y, last.athletes[0].box.y + last.athletes[0].box.h);
  for (FrameIndex i = 5; i < 8; ++i) trails.Update(MakeResult(i, {1}));
  EXPECT_TRUE(trails.Trail(2).empty());
  EXPECT_EQ(trails.tracked_ids(), 1u);
}

TEST(AnnotateTest, DrawsBoxInTheTrackColourAndSkeletonOnlyForVisiblePoints) {
  cv::Mat canvas(120, 160, CV_8UC3, cv::Scalar(0, 0, 0));
  FrameResult r = MakeResult(0, {6});
  r.athletes[0].box = {40, 30, 50, 70};
  PersonPose pose;
  pose.keypoints.resize(33);
  // Visible left shoulder -> left elbow; the right arm is below the visibility threshold.
  pose.keypoints[11] = {60, 45, 0, 0.9f, 1};
  pose.keypoints[13] = {60, 75, 0, 0.9f, 1};
  pose.keypoints[12] = {80, 45, 0, 0.3f, 1};
  pose.keypoints[14] = {80, 75, 0, 0.3f, 1};
  r.athletes[0].pose = pose;
  TrailHistory trails(5);
  trails.Update(r);
  DrawAthletes(canvas, r, trails);
  const cv::Scalar colour = TrackColour(6);
  const cv::Vec3b on_box = canvas.at<cv::Vec3b>(99, 65);  // bottom edge of the box
  EXPECT_EQ(cv::Scalar(on_box[0], on_box[1], on_box[2]), colour);
  EXPECT_GT(cv::norm(canvas.at<cv::Vec3b>(60, 60)), 100.0);  // the left upper arm
  EXPECT_EQ(cv::norm(canvas.at<cv::Vec3b>(60, 80)), 0.0);    // no right upper arm
  EXPECT_EQ(cv::norm(canvas.at<cv::Vec3b>(110, 150)), 0.0);  // nothing far away
}

}  // namespace
}  // namespace monokin::output
