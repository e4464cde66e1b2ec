// SPDX-License-Identifier: Apache-2.0
// annotated.mp4: every frame with its athletes drawn (annotate.h). The writer opens at the first
// frame, with that frame's size; later frames of another size are scaled to it. Codec choice
// ("auto" tries H.264 then MPEG-4 part 2) happens at that moment; codec_used() says which won.
// "mjpg" writes annotated.avi instead (MJPEG is not allowed in MP4 by OpenCV's FFmpeg backend).
#pragma once

#include <functional>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"
#include "monokin/output/annotate.h"

namespace monokin::output {

struct VideoCodecCandidate {
  std::string fourcc;  // four characters, e.g. "avc1"
  std::string name;    // what run.json records, e.g. "h264"
};

// Candidates in order for an OutputOptions::video_codec value (empty when unknown).
std::vector<VideoCodecCandidate> VideoCodecCandidates(const std::string& video_codec);
// "annotated.mp4", or "annotated.avi" for "mjpg".
std::string AnnotatedVideoFileName(const std::string& video_codec);

// Opens `writer` on `path` with the given fourcc; true when it opened. Replaceable in tests.
using VideoOpenFn = std::function<bool(cv::VideoWriter& writer, const std::string& path, int fourcc,
                                       double fps, cv::Size size)>;
// The real one: cv::VideoWriter with CAP_FFMPEG; OpenCV's log is silenced during the attempt
// (a failed codec prints warnings) and cv::Exception is caught (returns false).
bool OpenVideoWithFfmpeg(cv::VideoWriter& writer, const std::string& path, int fourcc, double fps,
                         cv::Size size);

// Tries `candidates` in order; returns the index of the first that opens, or kUnsupported
// naming them all.
Result<std::size_t> OpenFirstWorkingCodec(cv::VideoWriter& writer, const std::string& path,
                                          const std::vector<VideoCodecCandidate>& candidates,
                                          double fps, cv::Size size, const VideoOpenFn& open);

class AnnotatedVideoWriter {
 public:
  // `path` is the output file; `fps` <= 0 or not finite falls back to kDefaultFps.
  AnnotatedVideoWriter(std::string path, std::string video_codec, int trail_frames, double fps,
                       VideoOpenFn open = OpenVideoWithFfmpeg);
  AnnotatedVideoWriter(const AnnotatedVideoWriter&) = delete;
  AnnotatedVideoWriter& operator=(const AnnotatedVideoWriter&) = delete;
  ~AnnotatedVideoWriter();

  static constexpr double kDefaultFps = 30.0;  // when the input reports no usable rate

  // Draws `result` on a copy of `bgr` (8-bit, 1, 3 or 4 channels) and appends it. An empty
  // `bgr` is drawn on black at the FrameInfo size. kUnsupported when no codec opens,
  // kInvalidArgument for an image it cannot encode, kDataLoss when OpenCV throws.
  Status Write(const FrameResult& result, const cv::Mat& bgr);
  // kFailedPrecondition after Close().
  // Releases the writer so the file gets its trailer. Idempotent.
  Status Close();

  bool is_open() const { return opened_; }
  const std::string& codec_used() const { return codec_used_; }  // "" until opened
  std::int64_t frames_written() const { return frames_written_; }

 private:
  Status OpenFor(cv::Size size);

  std::string path_;
  std::string video_codec_;
  double fps_;
  VideoOpenFn open_;
  TrailHistory trails_;
  cv::VideoWriter writer_;
  cv::Size size_;
  bool opened_ = false;
  bool closed_ = false;
  std::string codec_used_;
  std::int64_t frames_written_ = 0;
};

}  // namespace monokin::output
