// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/highlights.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "monokin/core/log.h"
#include "monokin/output/annotated_video_writer.h"

namespace monokin::output {
namespace {

// Seconds -> frames comparisons get this slack so that a moment at exactly k / fps starts at k.
constexpr double kFrameEps = 1e-6;

std::string Ids(const KeyMoment& m, char sep) {
  std::string s;
  for (TrackId id : m.athletes) {
    if (!s.empty()) s.push_back(sep);
    s.append(std::to_string(id));
  }
  return s.empty() ? "none" : s;
}

// H.264 first (plays everywhere), MPEG-4 part 2 when this FFmpeg has no H.264 encoder: the
// same choice as the annotated video's "auto".
Status OpenWriter(cv::VideoWriter& w, const std::string& path, double fps, cv::Size size) {
  Result<std::size_t> chosen =
      OpenFirstWorkingCodec(w, path, VideoCodecCandidates("auto"), fps, size, OpenVideoWithFfmpeg);
  return chosen.ok() ? OkStatus() : chosen.status().WithContext("highlights");
}

// Positions `cap` so that the next read returns frame `target`. Seeks by time, checks where it
// landed and, when the container seeked wrongly, reopens and reads forward from the start.
Status SeekTo(cv::VideoCapture& cap, const std::string& path, std::int64_t target, double fps) {
  cap.set(cv::CAP_PROP_POS_MSEC, (static_cast<double>(target) + 0.25) / fps * 1000.0);
  auto pos = static_cast<std::int64_t>(std::llround(cap.get(cv::CAP_PROP_POS_FRAMES)));
  if (pos > target || pos < 0) {
    MK_LOG(kDebug, "seek in '{}' landed on frame {} for {}; reading from the start", path, pos,
           target);
    cap.release();
    if (!cap.open(path, cv::CAP_FFMPEG)) {
      return DataLoss(fmt::format("cannot reopen '{}' to reach frame {}", path, target));
    }
    pos = 0;
  }
  for (; pos < target; ++pos) {
    if (!cap.grab()) {
      return DataLoss(fmt::format("'{}' ended at frame {} before frame {}", path, pos, target));
    }
  }
  return OkStatus();
}

void DrawCaption(cv::Mat& img, const std::string& line1, const std::string& line2) {
  const double scale = std::clamp(img.cols / 900.0, 0.35, 1.5);
  const int thick = std::max(1, static_cast<int>(std::lround(scale * 2)));
  const int line_h = static_cast<int>(std::lround(28 * scale));
  const int band = line_h * (line2.empty() ? 1 : 2) + line_h / 2;
  cv::Mat roi = img(cv::Rect(0, 0, img.cols, std::min(band, img.rows)));
  cv::Mat dark(roi.size(), roi.type(), cv::Scalar(0, 0, 0));
  cv::addWeighted(roi, 0.4, dark, 0.6, 0, roi);
  cv::putText(img, line1, {line_h / 3, line_h}, cv::FONT_HERSHEY_SIMPLEX, 0.8 * scale,
              cv::Scalar(255, 255, 255), thick, cv::LINE_AA);
  if (!line2.empty()) {
    cv::putText(img, line2, {line_h / 3, 2 * line_h}, cv::FONT_HERSHEY_SIMPLEX, 0.65 * scale,
                cv::Scalar(200, 230, 255), std::max(1, thick - 1), cv::LINE_AA);
  }
}

std::string ValuesLine(const KeyMoment& m) {
  std::string s;
  int shown = 0;
  for (const auto& [k, v] : m.values) {
    if (shown++ == 4) break;
    s += fmt::format("{}{}={:.3g}", s.empty() ? "" : "  ", k, v);
  }
  return s;
}

}  // namespace

std::string HighlightClipName(int n, const KeyMoment& moment) {
  return fmt::format("{}_{}_{}.mp4", n, moment.type, Ids(moment, '-'));
}

FrameRange HighlightFrames(const KeyMoment& moment, double pre_roll_s, double post_roll_s,
                           double fps, std::int64_t frame_count) {
  const double a = std::max(0.0, moment.start_s - pre_roll_s);
  const double b = std::max(moment.end_s, moment.start_s) + post_roll_s;
  FrameRange r;
  r.first = static_cast<std::int64_t>(std::ceil(a * fps - kFrameEps));
  r.end = static_cast<std::int64_t>(std::ceil(b * fps - kFrameEps));
  r.first = std::clamp<std::int64_t>(r.first, 0, frame_count);
  r.end = std::clamp<std::int64_t>(r.end, r.first, frame_count);
  return r;
}

Status CutHighlights(const std::string& video_path, const std::vector<KeyMoment>& moments,
                     double pre_roll_s, double post_roll_s, const std::string& out_dir) {
  if (!std::isfinite(pre_roll_s) || pre_roll_s < 0 || !std::isfinite(post_roll_s) ||
      post_roll_s < 0) {
    return InvalidArgument(
        fmt::format("highlight pre-roll and post-roll must be zero or more seconds; got {} and {}",
                    pre_roll_s, post_roll_s));
  }
  std::error_code ec;
  if (!std::filesystem::exists(video_path, ec)) {
    return NotFound(fmt::format("cannot cut highlights: video '{}' does not exist", video_path));
  }
  const std::filesystem::path dir = std::filesystem::path(out_dir) / "highlights";
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return NotFound(
        fmt::format("cannot create highlight folder '{}': {}", dir.string(), ec.message()));
  }
  std::vector<size_t> order(moments.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return moments[a].start_s < moments[b].start_s; });
  try {
    cv::VideoCapture cap(video_path, cv::CAP_FFMPEG);
    if (!cap.isOpened()) {
      return Unsupported(fmt::format("cannot decode video '{}' to cut highlights", video_path));
    }
    double fps = cap.get(cv::CAP_PROP_FPS);
    if (!std::isfinite(fps) || fps <= 0 || fps > 1000) {
      MK_LOG(kWarning, "'{}' reports no frame rate; assuming 30 fps for highlights", video_path);
      fps = 30;
    }
    const double count = cap.get(cv::CAP_PROP_FRAME_COUNT);
    const std::int64_t frames = count > 0 ? static_cast<std::int64_t>(std::llround(count))
                                          : std::numeric_limits<std::int64_t>::max() / 2;
    const std::string reel_path = (std::filesystem::path(out_dir) / "highlights.mp4").string();
    cv::VideoWriter reel;
    cv::Mat frame;
    int n = 0, skipped = 0;
    for (size_t idx : order) {
      const KeyMoment& m = moments[idx];
      ++n;
      const FrameRange range = HighlightFrames(m, pre_roll_s, post_roll_s, fps, frames);
      if (range.size() == 0) {
        ++skipped;
        continue;
      }
      MK_RETURN_IF_ERROR(SeekTo(cap, video_path, range.first, fps));
      const std::string clip_path = (dir / HighlightClipName(n, m)).string();
      cv::VideoWriter clip;
      const std::string line1 = fmt::format("{}/{}  {}  #{}  {:.2f}-{:.2f} s", n, moments.size(),
                                            m.type, Ids(m, ','), m.start_s, m.end_s);
      const std::string line2 = ValuesLine(m);
      for (std::int64_t k = range.first; k < range.end; ++k) {
        if (!cap.read(frame) || frame.empty()) {
          if (count > 0 && k + 1 < frames) {
            return DataLoss(fmt::format("frame {} of '{}' could not be read for highlight {}", k,
                                        video_path, n));
          }
          break;  // the container's frame count was an estimate: the video ended
        }
        if (!clip.isOpened()) MK_RETURN_IF_ERROR(OpenWriter(clip, clip_path, fps, frame.size()));
        if (!reel.isOpened()) MK_RETURN_IF_ERROR(OpenWriter(reel, reel_path, fps, frame.size()));
        clip.write(frame);
        cv::Mat captioned = frame.clone();
        DrawCaption(captioned, line1, line2);
        reel.write(captioned);
      }
      clip.release();
    }
    reel.release();
    if (skipped > 0) {
      MK_LOG(kWarning, "{} of {} moments lie outside '{}' and got no highlight clip", skipped,
             moments.size(), video_path);
    }
    MK_LOG(kInfo, "wrote {} highlight clips and {}", moments.size() - skipped, reel_path);
  } catch (const cv::Exception& e) {
    return Unsupported(
        fmt::format("cutting highlights from '{}' failed in OpenCV: {}", video_path, e.what()));
  }
  return OkStatus();
}

}  // namespace monokin::output
