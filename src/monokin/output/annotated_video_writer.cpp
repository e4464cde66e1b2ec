// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/annotated_video_writer.h"

#include <fmt/format.h>

#include <cmath>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

#include "monokin/core/log.h"

namespace monokin::output {
namespace {

int FourCc(const std::string& s) { return cv::VideoWriter::fourcc(s[0], s[1], s[2], s[3]); }

// Restores OpenCV's log level when the scope ends.
class QuietOpenCv {
 public:
  QuietOpenCv()
      : previous_(cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT)) {}
  ~QuietOpenCv() { cv::utils::logging::setLogLevel(previous_); }
  QuietOpenCv(const QuietOpenCv&) = delete;
  QuietOpenCv& operator=(const QuietOpenCv&) = delete;

 private:
  cv::utils::logging::LogLevel previous_;
};

// The picture as 8-bit BGR, or an empty Mat when it has another depth.
cv::Mat ToBgr(const cv::Mat& image) {
  if (image.depth() != CV_8U) return {};
  cv::Mat out;
  switch (image.channels()) {
    case 3:
      out = image.clone();
      break;  // never draw into the frame we were handed
    case 1:
      cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
      break;
    case 4:
      cv::cvtColor(image, out, cv::COLOR_BGRA2BGR);
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

std::vector<VideoCodecCandidate> VideoCodecCandidates(const std::string& video_codec) {
  // 'avc1' is the MP4 tag for H.264; some FFmpeg builds only accept 'H264' (and remap it).
  const std::vector<VideoCodecCandidate> h264 = {{"avc1", "h264"}, {"H264", "h264"}};
  if (video_codec == "h264") return h264;
  if (video_codec == "mp4v") return {{"mp4v", "mp4v"}};
  if (video_codec == "mjpg") return {{"MJPG", "mjpg"}};
  if (video_codec == "auto") {
    auto all = h264;
    all.push_back({"mp4v", "mp4v"});  // MPEG-4 part 2: in every FFmpeg build, plays less widely
    return all;
  }
  return {};
}

std::string AnnotatedVideoFileName(const std::string& video_codec) {
  return video_codec == "mjpg" ? "annotated.avi" : "annotated.mp4";
}

bool OpenVideoWithFfmpeg(cv::VideoWriter& writer, const std::string& path, int fourcc, double fps,
                         cv::Size size) {
  QuietOpenCv quiet;
  try {
    return writer.open(path, cv::CAP_FFMPEG, fourcc, fps, size, true) && writer.isOpened();
  } catch (const cv::Exception&) {
    return false;
  }
}

Result<std::size_t> OpenFirstWorkingCodec(cv::VideoWriter& writer, const std::string& path,
                                          const std::vector<VideoCodecCandidate>& candidates,
                                          double fps, cv::Size size, const VideoOpenFn& open) {
  std::string tried;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (open(writer, path, FourCc(candidates[i].fourcc), fps, size)) return i;
    tried += (tried.empty() ? "" : ", ") + candidates[i].fourcc;
  }
  return Unsupported(fmt::format(
      "cannot write video '{}': this OpenCV build opened none of the codecs tried ({}); "
      "choose another with output.video_codec or turn it off with output.annotated_video=false",
      path, tried.empty() ? "none" : tried));
}

AnnotatedVideoWriter::AnnotatedVideoWriter(std::string path, std::string video_codec,
                                           int trail_frames, double fps, VideoOpenFn open)
    : path_(std::move(path)),
      video_codec_(std::move(video_codec)),
      fps_(std::isfinite(fps) && fps > 0 ? fps : kDefaultFps),
      open_(std::move(open)),
      trails_(trail_frames) {}

AnnotatedVideoWriter::~AnnotatedVideoWriter() { (void)Close(); }

Status AnnotatedVideoWriter::OpenFor(cv::Size size) {
  const auto candidates = VideoCodecCandidates(video_codec_);
  MK_ASSIGN_OR_RETURN(std::size_t chosen,
                      OpenFirstWorkingCodec(writer_, path_, candidates, fps_, size, open_));
  opened_ = true;
  size_ = size;
  codec_used_ = candidates[chosen].name;
  MK_LOG(kInfo, "writing {} ({}x{}, {:.2f} fps, codec {} '{}')", path_, size.width, size.height,
         fps_, codec_used_, candidates[chosen].fourcc);
  return OkStatus();
}

Status AnnotatedVideoWriter::Write(const FrameResult& result, const cv::Mat& bgr) {
  if (closed_) return FailedPrecondition(fmt::format("'{}' is already closed", path_));
  cv::Mat canvas;
  try {
    if (bgr.empty()) {
      if (result.frame.width_px <= 0 || result.frame.height_px <= 0) {
        return InvalidArgument(fmt::format(
            "frame {}: no picture and no frame size for the annotated video", result.frame.index));
      }
      canvas = cv::Mat::zeros(result.frame.height_px, result.frame.width_px, CV_8UC3);
    } else {
      canvas = ToBgr(bgr);
      if (canvas.empty()) {
        return InvalidArgument(fmt::format(
            "frame {}: the annotated video needs an 8-bit picture with 1, 3 or 4 channels; got "
            "type {}",
            result.frame.index, bgr.type()));
      }
    }
    if (!opened_) MK_RETURN_IF_ERROR(OpenFor(canvas.size()));
    trails_.Update(result);
    DrawAthletes(canvas, result, trails_);
    if (canvas.size() != size_) cv::resize(canvas, canvas, size_, 0, 0, cv::INTER_AREA);
    writer_.write(canvas);
  } catch (const cv::Exception& e) {
    return DataLoss(
        fmt::format("frame {}: cannot write to '{}': {}", result.frame.index, path_, e.what()));
  }
  ++frames_written_;
  return OkStatus();
}

Status AnnotatedVideoWriter::Close() {
  closed_ = true;
  if (!opened_) return OkStatus();
  opened_ = false;
  try {
    writer_.release();
  } catch (const cv::Exception& e) {
    return DataLoss(fmt::format("cannot finish '{}': {}", path_, e.what()));
  }
  return OkStatus();
}

}  // namespace monokin::output
