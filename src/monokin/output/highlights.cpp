// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/highlights.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <thread>
#include <utility>

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

// Seeking pays off only when the next wanted frame is this far ahead: a seek lands on the
// keyframe before the target and decodes forward from there, so short gaps are cheaper to grab
// (decode without converting) through.
constexpr double kSeekAheadS = 5.0;

// Reads one video forward, frame by frame, for a list of frame ranges: frames between ranges
// are grabbed (decoded, never converted to BGR) or, when far ahead or behind, sought past.
class FrameReader {
 public:
  FrameReader(std::string path, double fps) : path_(std::move(path)), fps_(fps) {}

  Status Open() {
    if (!cap_.open(path_, cv::CAP_FFMPEG)) {
      return Unsupported(fmt::format("cannot decode video '{}' to cut highlights", path_));
    }
    next_ = 0;
    return OkStatus();
  }

  // Makes the next Read() return frame `target`. Seeks by time (checking where it landed) when
  // the target is behind or far ahead; when the container seeks wrongly, reopens and reads
  // forward from the start.
  Status SkipTo(std::int64_t target) {
    const auto far = static_cast<std::int64_t>(std::ceil(kSeekAheadS * fps_));
    if (target < next_ || target - next_ > far) {
      cap_.set(cv::CAP_PROP_POS_MSEC, (static_cast<double>(target) + 0.25) / fps_ * 1000.0);
      auto pos = static_cast<std::int64_t>(std::llround(cap_.get(cv::CAP_PROP_POS_FRAMES)));
      if (pos > target || pos < 0) {
        MK_LOG(kDebug, "seek in '{}' landed on frame {} for {}; reading from the start", path_, pos,
               target);
        cap_.release();
        if (!cap_.open(path_, cv::CAP_FFMPEG)) {
          return DataLoss(fmt::format("cannot reopen '{}' to reach frame {}", path_, target));
        }
        pos = 0;
      }
      next_ = pos;
    }
    for (; next_ < target; ++next_) {
      if (!cap_.grab()) {
        return DataLoss(
            fmt::format("'{}' ended at frame {} before frame {}", path_, next_, target));
      }
    }
    return OkStatus();
  }

  // Decodes the next frame into `out` (reusing its buffer); false at the end of the video.
  bool Read(cv::Mat& out) {
    if (!cap_.read(out) || out.empty()) return false;
    ++next_;
    return true;
  }

  std::int64_t next() const { return next_; }

 private:
  std::string path_;
  double fps_;
  cv::VideoCapture cap_;
  std::int64_t next_ = 0;  // index of the frame the next Read() returns
};

// One clip to cut: frames [range.first, range.end) into `path`, numbered `n` in the reel.
struct ClipJob {
  FrameRange range;
  std::string path;
  std::string line1, line2;  // the reel's caption
  int n = 0;
};

// What the two passes share: the video's frame rate and size, and a stop flag that lets one
// pass end the other early on failure.
struct PassContext {
  std::string video_path;
  double fps = 0;
  bool count_known = false;  // the container reported a frame count
  std::int64_t frames = 0;   // that count, or a huge number
  std::atomic<bool> stop{false};
};

// OpenFirstWorkingCodec changes OpenCV's (process-wide) log level while it tries codecs; the
// two passes open writers one at a time so that the level is restored properly.
std::mutex g_open_mutex;

Status OpenWriterLocked(cv::VideoWriter& w, const std::string& path, double fps, cv::Size size) {
  std::lock_guard lock(g_open_mutex);
  return OpenWriter(w, path, fps, size);
}

// A read of frame `k` failed: an error unless the frame count was an estimate and the video
// simply ended (then true: stop reading).
Status ReadFailed(const PassContext& ctx, std::int64_t k, int n) {
  if (ctx.count_known && k + 1 < ctx.frames) {
    return DataLoss(
        fmt::format("frame {} of '{}' could not be read for highlight {}", k, ctx.video_path, n));
  }
  return OkStatus();
}

// The clips: one forward pass over the union of the ranges (sorted by first frame), each frame
// decoded once and written to every clip whose range covers it.
Status WriteClips(PassContext& ctx, const std::vector<ClipJob>& jobs) {
  FrameReader reader(ctx.video_path, ctx.fps);
  MK_RETURN_IF_ERROR(reader.Open());
  std::vector<cv::VideoWriter> writers(jobs.size());
  std::vector<size_t> active;
  size_t next_job = 0;
  cv::Mat frame;
  while ((next_job < jobs.size() || !active.empty()) && !ctx.stop.load()) {
    if (active.empty()) MK_RETURN_IF_ERROR(reader.SkipTo(jobs[next_job].range.first));
    const std::int64_t k = reader.next();
    while (next_job < jobs.size() && jobs[next_job].range.first <= k) {
      active.push_back(next_job++);
    }
    if (!reader.Read(frame)) {
      MK_RETURN_IF_ERROR(ReadFailed(ctx, k, jobs[active.front()].n));
      break;  // the container's frame count was an estimate: the video ended
    }
    for (size_t j : active) {
      if (!writers[j].isOpened()) {
        MK_RETURN_IF_ERROR(OpenWriterLocked(writers[j], jobs[j].path, ctx.fps, frame.size()));
      }
      writers[j].write(frame);
    }
    std::erase_if(active, [&](size_t j) {
      if (jobs[j].range.end > k + 1) return false;
      writers[j].release();
      return true;
    });
  }
  for (cv::VideoWriter& w : writers) w.release();
  return OkStatus();
}

// The reel: the clips one after the other, each frame captioned. Ranges may overlap, so this
// pass has its own reader that goes back when the next clip starts before the last ended.
Status WriteReel(PassContext& ctx, const std::vector<ClipJob>& jobs, const std::string& path) {
  FrameReader reader(ctx.video_path, ctx.fps);
  MK_RETURN_IF_ERROR(reader.Open());
  cv::VideoWriter reel;
  cv::Mat frame;
  for (const ClipJob& job : jobs) {
    MK_RETURN_IF_ERROR(reader.SkipTo(job.range.first));
    bool ended = false;
    for (std::int64_t k = job.range.first; k < job.range.end; ++k) {
      if (ctx.stop.load()) return OkStatus();
      if (!reader.Read(frame)) {
        MK_RETURN_IF_ERROR(ReadFailed(ctx, k, job.n));
        ended = true;
        break;
      }
      if (!reel.isOpened()) MK_RETURN_IF_ERROR(OpenWriterLocked(reel, path, ctx.fps, frame.size()));
      DrawCaption(frame, job.line1, job.line2);  // the frame is ours: the next read replaces it
      reel.write(frame);
    }
    if (ended) break;
  }
  reel.release();
  return OkStatus();
}

// Runs `pass`, turning OpenCV and other exceptions into a status (for use on another thread).
template <typename Pass>
Status Guarded(const std::string& video_path, Pass pass) {
  try {
    return pass();
  } catch (const cv::Exception& e) {
    return Unsupported(
        fmt::format("cutting highlights from '{}' failed in OpenCV: {}", video_path, e.what()));
  } catch (const std::exception& e) {
    return Internal(fmt::format("cutting highlights from '{}' failed: {}", video_path, e.what()));
  }
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
  PassContext ctx;
  ctx.video_path = video_path;
  std::vector<ClipJob> jobs;
  std::string reel_path;
  Status probed = Guarded(video_path, [&]() -> Status {
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
    ctx.fps = fps;
    ctx.count_known = count > 0;
    ctx.frames = ctx.count_known ? static_cast<std::int64_t>(std::llround(count))
                                 : std::numeric_limits<std::int64_t>::max() / 2;
    return OkStatus();
  });
  MK_RETURN_IF_ERROR(probed);
  int n = 0, skipped = 0;
  for (size_t idx : order) {
    const KeyMoment& m = moments[idx];
    ++n;
    ClipJob job;
    job.range = HighlightFrames(m, pre_roll_s, post_roll_s, ctx.fps, ctx.frames);
    if (job.range.size() == 0) {
      ++skipped;
      continue;
    }
    job.n = n;
    job.path = (dir / HighlightClipName(n, m)).string();
    job.line1 = fmt::format("{}/{}  {}  #{}  {:.2f}-{:.2f} s", n, moments.size(), m.type,
                            Ids(m, ','), m.start_s, m.end_s);
    job.line2 = ValuesLine(m);
    jobs.push_back(std::move(job));
  }
  // Numbered in start order, so the first frames are already in order too.
  reel_path = (std::filesystem::path(out_dir) / "highlights.mp4").string();
  if (!jobs.empty()) {
    // The clips and the reel encode on two threads (encoding is most of the work).
    Status reel_status;
    std::thread reel_thread([&] {
      reel_status = Guarded(video_path, [&] { return WriteReel(ctx, jobs, reel_path); });
      if (!reel_status.ok()) ctx.stop = true;
    });
    Status clip_status = Guarded(video_path, [&] { return WriteClips(ctx, jobs); });
    if (!clip_status.ok()) ctx.stop = true;
    reel_thread.join();
    MK_RETURN_IF_ERROR(clip_status);
    MK_RETURN_IF_ERROR(reel_status);
  }
  if (skipped > 0) {
    MK_LOG(kWarning, "{} of {} moments lie outside '{}' and got no highlight clip", skipped,
           moments.size(), video_path);
  }
  MK_LOG(kInfo, "wrote {} highlight clips and {}", moments.size() - skipped, reel_path);
  return OkStatus();
}

}  // namespace monokin::output
