// SPDX-License-Identifier: Apache-2.0
// Files, cameras and network streams through cv::VideoCapture (FFmpeg for files and URLs,
// V4L2 for cameras). The first frame is decoded at open time, so a file that opens but cannot
// be decoded fails in OpenSource() rather than on the first Next().
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/core/version.hpp>
#include <opencv2/videoio.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "monokin/core/log.h"
#include "monokin/video/detail/container_sniff.h"
#include "monokin/video/detail/pts_sequencer.h"
#include "monokin/video/detail/quiet_opencv.h"
#include "monokin/video/detail/sources.h"

namespace monokin::video::detail {
namespace {

using Clock = std::chrono::steady_clock;

// Decoded frames may fall short of a header's exact count by this much without counting as
// damage: an MP4 edit list can hide a frame or two, and some AVI writers count dropped frames.
constexpr std::int64_t kExactCountSlackFrames = 2;
constexpr double kExactCountSlackFraction = 0.01;
// Containers without a frame index (Matroska, MPEG-TS, ...) make OpenCV estimate the count as
// duration x nominal fps, which is meaningless for variable frame rate. For those we compare
// time instead: the decoded frames must cover this share of the header's duration.
constexpr double kMinDurationCovered = 0.9;

std::string FourCcString(double fourcc_prop) {
  const auto v = static_cast<std::uint32_t>(fourcc_prop);
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>((v >> (8 * i)) & 0xFF);
    if (c >= 0x20 && c < 0x7F) s.push_back(c);
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The clockwise rotation that makes frames upright, from CAP_PROP_ORIENTATION_META. OpenCV
// 4.6 reports FFmpeg's display-matrix angle, which is counter-clockwise (av_display_rotation_get);
// 4.5 and 4.7+ report the clockwise angle. Angles that are not a multiple of 90 are ignored.
int ClockwiseRotationDeg(double orientation_meta) {
  if (!std::isfinite(orientation_meta)) return 0;
  int deg = static_cast<int>(std::lround(orientation_meta));
#if CV_VERSION_MAJOR == 4 && CV_VERSION_MINOR == 6
  deg = -deg;
#endif
  deg = ((deg % 360) + 360) % 360;
  if (deg % 90 != 0) {
    MK_LOG(kWarning, "ignoring a rotation of {} degrees (not a multiple of 90)", deg);
    return 0;
  }
  return deg;
}

cv::Mat Rotate(const cv::Mat& image, int clockwise_deg) {
  if (image.empty() || clockwise_deg == 0) return image;
  cv::Mat out;
  switch (clockwise_deg) {
    case 90:
      cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 180:
      cv::rotate(image, out, cv::ROTATE_180);
      return out;
    case 270:
      cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return image;
  }
}

std::string ConvertHint(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path out = p.parent_path() / (p.stem().string() + "_h264.mp4");
  return fmt::format("convert with: ffmpeg -i '{}' -c:v libx264 '{}'", path, out.string());
}

// Why cv::VideoCapture refused a file that exists, from a look at its header bytes.
Status ExplainFileOpenFailure(const std::string& path) {
  const ContainerGuess g = SniffFile(path);
  if (g.looks_like_text) {
    return Unsupported(fmt::format(
        "cannot open video '{}': it is a text file, not a video; pass a video file", path));
  }
  if (g.format.empty()) {
    return Unsupported(fmt::format(
        "cannot open video '{}': not a video format FFmpeg recognises; pass a video file "
        "(mp4, mov, mkv, avi, ...)",
        path));
  }
  if (g.header_frames && *g.header_frames == 0) {
    return DataLoss(
        fmt::format("cannot read video '{}': its {} header lists 0 video frames", path, g.format));
  }
  if (!g.codec.empty()) {
    return Unsupported(fmt::format(
        "cannot open video '{}': no decoder for its codec '{}' in this OpenCV/FFmpeg build (or "
        "a damaged header); {}",
        path, g.codec, ConvertHint(path)));
  }
  return Unsupported(
      fmt::format("cannot open video '{}': its {} container has no video stream OpenCV can "
                  "open; pass a file with a video track",
                  path, g.format));
}

class CaptureSource final : public Source {
 public:
  CaptureSource(const SourceOptions& options, SourceKind kind, cv::VideoCapture cap)
      : options_(options), cap_(std::move(cap)), pts_(0, options.uri) {
    info_.uri = options.uri;
    info_.kind = kind;
    info_.live = kind != SourceKind::kFile;
  }

  // Reads the container's properties and decodes the first frame.
  Status Start() {
    try {
      QuietOpenCv quiet;
      if (info_.kind != SourceKind::kCamera) {
        // We rotate frames ourselves: OpenCV 4.6's CAP_PROP_ORIENTATION_AUTO turns them the
        // wrong way (opencv/opencv#22088), and OpenCV 4.11 switched it off by default.
        cap_.set(cv::CAP_PROP_ORIENTATION_AUTO, 0);
        info_.rotation_deg = ClockwiseRotationDeg(cap_.get(cv::CAP_PROP_ORIENTATION_META));
      }
      const double fps = cap_.get(cv::CAP_PROP_FPS);
      info_.fps = std::isfinite(fps) && fps > 0 ? fps : 0;
      const double count = cap_.get(cv::CAP_PROP_FRAME_COUNT);
      info_.frame_count = std::isfinite(count) && count > 0 ? std::llround(count) : -1;
      info_.codec = FourCcString(cap_.get(cv::CAP_PROP_FOURCC));
    } catch (const cv::Exception& e) {
      return Unsupported(
          fmt::format("cannot read the properties of '{}': {}", info_.uri, e.what()));
    }
    if (info_.kind == SourceKind::kFile) exact_count_ = SniffFile(info_.uri).exact_frame_count;
    pts_ = PtsSequencer(info_.fps, info_.uri);
    opened_at_ = Clock::now();

    std::string error;
    MK_ASSIGN_OR_RETURN(std::optional<Frame> frame, Decode(error));
    if (!frame) {
      if (info_.live) {
        return Unavailable(fmt::format(
            "opened '{}' but no frame arrived within {} ms; check that the {} is streaming",
            info_.uri, options_.read_timeout_ms, SourceKindName(info_.kind)));
      }
      if (info_.frame_count <= 0) {
        return DataLoss(
            fmt::format("cannot read video '{}': it contains no video frames", info_.uri));
      }
      return DataLoss(fmt::format(
          "cannot read video '{}': none of its {} frames (codec '{}') could be decoded; the file "
          "is damaged or the codec unsupported; {}",
          info_.uri, info_.frame_count, info_.codec, ConvertHint(info_.uri)));
    }
    info_.width_px = frame->info.width_px;
    info_.height_px = frame->info.height_px;
    first_ = std::move(frame);
    MK_LOG(kInfo, "opened {} {} ({}x{}, {:.2f} fps, {} frames, codec {}, rotation {} deg)",
           SourceKindName(info_.kind), info_.uri, info_.width_px, info_.height_px, info_.fps,
           info_.frame_count, info_.codec.empty() ? "?" : info_.codec, info_.rotation_deg);
    return OkStatus();
  }

  const SourceInfo& info() const override { return info_; }

  Result<std::optional<Frame>> Next() override {
    if (ended_) {
      if (ended_->ok()) return std::optional<Frame>();
      return *ended_;
    }
    if (first_) {
      std::optional<Frame> frame = std::move(first_);
      first_.reset();
      return frame;
    }
    std::string error;
    Result<std::optional<Frame>> frame = Decode(error);
    if (!frame.ok() || *frame) return frame;
    ended_ = EndStatus(error);
    if (ended_->ok()) return std::optional<Frame>();
    return *ended_;
  }

 private:
  // One frame; nullopt when there is none, with `error` set when OpenCV threw (empty on a
  // plain read failure); kUnsupported for a pixel layout we cannot convert.
  Result<std::optional<Frame>> Decode(std::string& error) {
    cv::Mat image;
    double pos_ms = 0;
    try {
      QuietOpenCv quiet;
      if (!cap_.read(image) || image.empty()) return std::optional<Frame>();
      pos_ms = cap_.get(cv::CAP_PROP_POS_MSEC);
    } catch (const cv::Exception& e) {
      error = e.what();
      return std::optional<Frame>();
    }
    Frame frame;
    frame.bgr = Rotate(ToBgr8(image), info_.rotation_deg);
    if (frame.bgr.empty()) {
      return Unsupported(fmt::format(
          "frame {} of '{}' has a pixel layout we cannot convert ({} channels, OpenCV depth {}); "
          "expected gray, BGR or BGRA; {}",
          next_index_, info_.uri, image.channels(), image.depth(), ConvertHint(info_.uri)));
    }
    frame.info.index = next_index_;
    frame.info.pts = pts_.Next(RawPtsUs(pos_ms), next_index_);
    frame.info.width_px = frame.bgr.cols;
    frame.info.height_px = frame.bgr.rows;
    last_pts_ = frame.info.pts;
    ++next_index_;
    return std::optional<Frame>(std::move(frame));
  }

  // Container pts in microseconds. Cameras report capture times on their own clock (V4L2:
  // system uptime), so those are shifted to start at 0; without one we use our steady clock.
  std::int64_t RawPtsUs(double pos_ms) {
    if (info_.kind != SourceKind::kCamera) {
      return std::isfinite(pos_ms) && pos_ms > 0 ? std::llround(pos_ms * 1000) : 0;
    }
    if (std::isfinite(pos_ms) && pos_ms > 0) {
      if (camera_base_ms_ < 0) camera_base_ms_ = pos_ms;
      return std::llround((pos_ms - camera_base_ms_) * 1000);
    }
    return std::chrono::duration_cast<Micros>(Clock::now() - opened_at_).count();
  }

  // What the end of the frames means: a clean end (ok), damage (kDataLoss) or a live source
  // that stopped answering (kUnavailable).
  Status EndStatus(const std::string& error) {
    const std::int64_t decoded = next_index_;
    const std::string where =
        fmt::format("stopping at {} frames ({:.1f} s)", decoded, ToSeconds(last_pts_));
    const bool file_like = info_.kind == SourceKind::kFile ||
                           (info_.kind == SourceKind::kUrl && info_.frame_count > 0);
    if (!file_like) {
      return Unavailable(
          fmt::format("{} '{}' sent no frame within {} ms{}; {}; check that it is still streaming",
                      SourceKindName(info_.kind), info_.uri, options_.read_timeout_ms,
                      error.empty() ? "" : " (" + error + ")", where));
    }
    if (!error.empty()) {
      return DataLoss(fmt::format("frame {} of '{}' could not be decoded ({}); {}", decoded,
                                  info_.uri, error, where));
    }
    if (LooksTruncated(decoded)) {
      // Damage in the middle makes FFmpeg skip frames and carry on, so the shortfall shows only
      // here; the message says where reading stopped, which is exact for a truncated file.
      return DataLoss(fmt::format(
          "reading '{}' stopped at frame {} ({:.1f} s) but its header lists {} frames; the file "
          "is truncated or damaged (frames returned so far are valid); re-export or re-copy it",
          info_.uri, decoded, ToSeconds(last_pts_), info_.frame_count));
    }
    MK_LOG(kDebug, "end of {}: {} frames, {:.3f} s", info_.uri, decoded, ToSeconds(last_pts_));
    return OkStatus();
  }

  bool LooksTruncated(std::int64_t decoded) const {
    const std::int64_t count = info_.frame_count;
    if (count <= 0) return false;
    const auto slack =
        std::max<std::int64_t>(kExactCountSlackFrames,
                               std::llround(kExactCountSlackFraction * static_cast<double>(count)));
    if (decoded + slack >= count) return false;
    if (exact_count_) return true;
    if (info_.fps <= 0) return false;
    const double covered_s = ToSeconds(last_pts_) + 1.0 / info_.fps;
    const double expected_s = static_cast<double>(count) / info_.fps;
    return covered_s < kMinDurationCovered * expected_s;
  }

  SourceOptions options_;
  cv::VideoCapture cap_;
  SourceInfo info_;
  PtsSequencer pts_;
  bool exact_count_ = false;  // the header's frame count is an index, not an estimate
  std::optional<Frame> first_;
  FrameIndex next_index_ = 0;
  Micros last_pts_{0};
  std::optional<Status> ended_;  // set once the input ended: ok for a clean end
  Clock::time_point opened_at_;
  double camera_base_ms_ = -1;
};

// cv::VideoCapture for `options.uri`, or why it could not be opened.
Result<cv::VideoCapture> OpenVideoCapture(const SourceOptions& options, SourceKind kind) {
  cv::VideoCapture cap;
  try {
    QuietOpenCv quiet;
    switch (kind) {
      case SourceKind::kCamera: {
        const int index = std::stoi(options.uri);
        // V4L2 first: it reports capture timestamps. CAP_ANY covers other platforms.
        if (!cap.open(index, cv::CAP_V4L2)) cap.open(index, cv::CAP_ANY);
        break;
      }
      case SourceKind::kUrl:
        cap.open(options.uri, cv::CAP_FFMPEG,
                 std::vector<int>{cv::CAP_PROP_OPEN_TIMEOUT_MSEC, options.open_timeout_ms,
                                  cv::CAP_PROP_READ_TIMEOUT_MSEC, options.read_timeout_ms});
        break;
      default:
        cap.open(options.uri, cv::CAP_FFMPEG);
        break;
    }
  } catch (const cv::Exception& e) {
    MK_LOG(kDebug, "OpenCV threw while opening {}: {}", options.uri, e.what());
    cap.release();
  } catch (const std::exception& e) {  // std::stoi on an index too large for int
    return InvalidArgument(
        fmt::format("camera index '{}' is not valid: {}", options.uri, e.what()));
  }
  if (cap.isOpened()) return cap;
  switch (kind) {
    case SourceKind::kCamera:
      return Unavailable(fmt::format(
          "cannot open camera {}: no such device, no permission, or it is busy; list cameras "
          "with: v4l2-ctl --list-devices",
          options.uri));
    case SourceKind::kUrl:
      return Unavailable(fmt::format(
          "cannot open stream '{}' within {} ms: nothing answered, or not with a video stream; "
          "check the address and that the stream is running",
          options.uri, options.open_timeout_ms));
    default:
      return ExplainFileOpenFailure(options.uri);
  }
}

}  // namespace

Result<std::unique_ptr<Source>> OpenCapture(const SourceOptions& options, SourceKind kind) {
  MK_ASSIGN_OR_RETURN(cv::VideoCapture cap, OpenVideoCapture(options, kind));
  auto source = std::make_unique<CaptureSource>(options, kind, std::move(cap));
  MK_RETURN_IF_ERROR(source->Start());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace monokin::video::detail
