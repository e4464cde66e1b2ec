// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/camera_motion.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#include <vector>

#include "monokin/core/options.h"

namespace monokin::track {
namespace {

// Person boxes are grown by this fraction of their size on each side before they are masked:
// detector boxes are tight or a little short, and the corner detector looks at a window around
// each pixel, so limbs just outside the box would otherwise give moving "background" corners.
constexpr double kBoxGrowFraction = 0.1;
// Corner detector (Shi-Tomasi): weakest corner kept, as a fraction of the strongest one
// (OpenCV's usual 0.01), and the spacing between corners as a fraction of the (downscaled)
// width, so that they spread over the frame rather than cluster on one textured patch.
constexpr double kCornerQuality = 0.01;
constexpr double kCornerSpacingFraction = 1.0 / 80;
constexpr int kCornerBlockPx = 3;
// Corners are searched on the first pyramid level (half the tracking resolution): 4x cheaper
// than at full tracking resolution, and Lucas-Kanade only needs textured patches, not exact
// corner positions.
constexpr int kCornerLevel = 1;
// Pyramidal Lucas-Kanade: a 15 px window and 3 pyramid levels follow motions up to about
// 15 * 2^3 / 2 = 60 px (more with the iterations of every level) of the downscaled frame
// between two examined frames, enough for fast pans and for the motion accumulated across a
// static-mode re-check gap. 10 iterations to 0.03 px: the tracking error stays well below the
// RANSAC threshold, at about 60 % of the cost of OpenCV's defaults (21 px, 30 iterations).
constexpr int kFlowWindowPx = 15;
constexpr int kFlowLevels = 3;
constexpr int kFlowIterations = 10;
constexpr double kFlowEpsilonPx = 0.03;
// No forward-backward check: it doubles the tracking cost, and RANSAC (below) already rejects
// points whose motion disagrees with the camera's by more than a pixel.
// RANSAC: a point is an inlier within this distance (downscaled pixels) of the model.
constexpr double kRansacThresholdPx = 1.0;
constexpr size_t kRansacIterations = 500;
constexpr double kRansacConfidence = 0.995;
// Fewer inliers than this, or below this fraction of the tracked points, and the motion is
// not trusted (a 4-parameter model from a handful of points is mostly noise).
constexpr int kMinInliers = 12;
constexpr double kMinInlierFraction = 0.5;
// The inliers must spread over at least this fraction of the frame's width and of its height:
// a camera motion moves the whole background, while a cluster of inliers is usually one
// unmasked moving object (a person on a textureless wall gives most of the strong corners).
constexpr double kMinInlierSpreadFraction = 0.3;
// A camera does not zoom by more than this factor between two examined frames; a larger scale
// is a bad fit (e.g. most points on one moving object), not a camera motion.
constexpr double kMaxScaleChange = 1.5;
// Below this size (downscaled pixels) there is not enough image to find corners in.
constexpr int kMinImageSidePx = 32;
// When pts do not advance (missing timestamps), each index step counts as this long, the same
// fallback the trackers use.
constexpr double kFallbackFrameS = 1.0 / 30;

using Mat3 = cv::Matx33d;

Mat3 To3(const cv::Matx23d& m) {
  return Mat3(m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2), 0, 0, 1);
}

cv::Matx23d To23(const Mat3& m) {
  return cv::Matx23d(m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2));
}

// The largest distance a frame corner moves under `m`, in the frame's pixels.
double MaxCornerMotionPx(const cv::Matx23d& m, double width, double height) {
  double most = 0;
  for (const auto& [x, y] : {std::pair{0.0, 0.0}, {width, 0.0}, {0.0, height}, {width, height}}) {
    const double dx = m(0, 0) * x + m(0, 1) * y + m(0, 2) - x;
    const double dy = m(1, 0) * x + m(1, 1) * y + m(1, 2) - y;
    most = std::max(most, std::hypot(dx, dy));
  }
  return most;
}

}  // namespace

struct CameraMotionEstimator::Impl {
  explicit Impl(const CameraMotionOptions& o) : options(o) {}

  // The frame to compare the next examined frame with.
  struct Reference {
    cv::Mat gray;                      // downscaled
    std::vector<cv::Mat> pyramid;      // of `gray`, for Lucas-Kanade
    std::vector<cv::Point2f> corners;  // background corners in `gray`
    cv::Size full_size;                // size of the full-resolution frame
    double scale = 1;                  // downscaled / full-resolution pixels
  };

  CameraMotion Estimate(const cv::Mat& image, const FrameInfo& frame,
                        std::span<const BoxPx> foreground);
  double FrameTime(const FrameInfo& frame);
  // Converts and downscales `image`, finds its background corners; false if unusable.
  bool Prepare(const cv::Mat& image, std::span<const BoxPx> foreground, Reference& out) const;
  // The motion from `from` to `to`, in full-resolution pixels.
  CameraMotion Match(const Reference& from, const Reference& to) const;
  bool Still(const CameraMotion& m, const cv::Size& size) const;

  CameraMotionOptions options;
  bool has_reference = false;
  Reference reference;
  // Frame time.
  bool has_time = false;
  double last_time_s = 0;
  FrameIndex last_index = 0;
  // Static-camera detection ("auto").
  bool still_run = false;    // the last examined frames were still...
  double still_since_s = 0;  // ...since this time (the reference of the first still match)
  bool is_static = false;    // the shortcut is active
  double last_examined_s = 0;
};

double CameraMotionEstimator::Impl::FrameTime(const FrameInfo& frame) {
  double t = ToSeconds(frame.pts);
  if (has_time && !(t > last_time_s)) {
    t = last_time_s +
        kFallbackFrameS * static_cast<double>(std::max<FrameIndex>(1, frame.index - last_index));
  }
  has_time = true;
  last_time_s = t;
  last_index = frame.index;
  return t;
}

bool CameraMotionEstimator::Impl::Prepare(const cv::Mat& image, std::span<const BoxPx> foreground,
                                          Reference& out) const {
  if (image.empty() || image.depth() != CV_8U || image.dims != 2) return false;
  const int channels = image.channels();
  if (channels != 1 && channels != 3 && channels != 4) return false;
  const double scale = std::min(1.0, options.max_width_px / image.cols);
  const cv::Size small(static_cast<int>(std::lround(image.cols * scale)),
                       static_cast<int>(std::lround(image.rows * scale)));
  if (small.width < kMinImageSidePx || small.height < kMinImageSidePx) return false;
  out.full_size = image.size();
  out.scale = static_cast<double>(small.width) / image.cols;
  // Convert first, then downscale the one channel: INTER_AREA (averaging, no aliasing) costs
  // per channel, and a 3-channel 1080p resize costs more than the conversion saves.
  cv::Mat gray;
  if (channels == 3) {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  } else if (channels == 4) {
    cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  } else {
    gray = image;
  }
  if (small == image.size()) {
    out.gray = channels == 1 ? gray.clone() : gray;  // the caller may reuse its buffer
  } else {
    cv::resize(gray, out.gray, small, 0, 0, cv::INTER_AREA);
  }
  const cv::Size window(kFlowWindowPx, kFlowWindowPx);
  // With derivatives (the default), level k is element 2k of the pyramid.
  const int levels = cv::buildOpticalFlowPyramid(out.gray, out.pyramid, window, kFlowLevels);

  const int level = std::min(kCornerLevel, levels);
  const cv::Mat& detect = out.pyramid[2 * static_cast<size_t>(level)];
  const double to_detect = out.scale / (1 << level);
  cv::Mat mask(detect.size(), CV_8U, cv::Scalar(255));
  for (const BoxPx& b : foreground) {
    if (!(b.w > 0 && b.h > 0)) continue;
    const double gx = kBoxGrowFraction * b.w, gy = kBoxGrowFraction * b.h;
    const cv::Rect r(cv::Point(static_cast<int>(std::floor((b.x - gx) * to_detect)),
                               static_cast<int>(std::floor((b.y - gy) * to_detect))),
                     cv::Point(static_cast<int>(std::ceil((b.x + b.w + gx) * to_detect)),
                               static_cast<int>(std::ceil((b.y + b.h + gy) * to_detect))));
    const cv::Rect clipped = r & cv::Rect(cv::Point(0, 0), detect.size());
    if (!clipped.empty()) mask(clipped).setTo(0);
  }
  out.corners.clear();
  const double spacing = std::max(2.0, kCornerSpacingFraction * detect.cols);
  cv::goodFeaturesToTrack(detect, out.corners, options.max_features, kCornerQuality, spacing, mask,
                          kCornerBlockPx);
  // To tracking-resolution pixels (pyrDown keeps the even pixels: x = 2^k x_k).
  const auto up = static_cast<float>(1 << level);
  for (cv::Point2f& p : out.corners) p *= up;
  return true;
}

CameraMotion CameraMotionEstimator::Impl::Match(const Reference& from, const Reference& to) const {
  CameraMotion result;
  if (from.full_size != to.full_size || from.corners.size() < static_cast<size_t>(kMinInliers)) {
    return result;
  }
  std::vector<cv::Point2f> forward;
  std::vector<uchar> ok;
  std::vector<float> error;
  cv::calcOpticalFlowPyrLK(from.pyramid, to.pyramid, from.corners, forward, ok, error,
                           cv::Size(kFlowWindowPx, kFlowWindowPx), kFlowLevels,
                           cv::TermCriteria(cv::TermCriteria::COUNT | cv::TermCriteria::EPS,
                                            kFlowIterations, kFlowEpsilonPx));
  std::vector<cv::Point2f> src, dst;
  src.reserve(forward.size());
  dst.reserve(forward.size());
  for (size_t i = 0; i < forward.size(); ++i) {
    if (!ok[i]) continue;
    src.push_back(from.corners[i]);
    dst.push_back(forward[i]);
  }
  if (src.size() < static_cast<size_t>(kMinInliers)) return result;

  std::vector<uchar> inlier_flags;
  const cv::Mat fit = cv::estimateAffinePartial2D(
      src, dst, inlier_flags, cv::RANSAC, kRansacThresholdPx, kRansacIterations, kRansacConfidence);
  if (fit.empty()) return result;
  const int inliers = cv::countNonZero(inlier_flags);
  if (inliers < kMinInliers || inliers < kMinInlierFraction * static_cast<double>(src.size())) {
    return result;
  }
  float x_min = FLT_MAX, x_max = -FLT_MAX, y_min = FLT_MAX, y_max = -FLT_MAX;
  for (size_t i = 0; i < src.size(); ++i) {
    if (!inlier_flags[i]) continue;
    x_min = std::min(x_min, src[i].x);
    x_max = std::max(x_max, src[i].x);
    y_min = std::min(y_min, src[i].y);
    y_max = std::max(y_max, src[i].y);
  }
  if (x_max - x_min < kMinInlierSpreadFraction * from.gray.cols ||
      y_max - y_min < kMinInlierSpreadFraction * from.gray.rows) {
    return result;
  }
  const cv::Matx23d small_affine(fit);
  const double zoom = std::sqrt(
      std::abs(small_affine(0, 0) * small_affine(1, 1) - small_affine(0, 1) * small_affine(1, 0)));
  if (!(zoom < kMaxScaleChange && zoom > 1 / kMaxScaleChange)) return result;

  // Back to full resolution. resize maps pixel centres: x_small = s (x + 0.5) - 0.5, so the
  // full-resolution map is D^-1 M D with D that map.
  const double s = to.scale, o = 0.5 * s - 0.5;
  const Mat3 down(s, 0, o, 0, s, o, 0, 0, 1);
  const Mat3 up(1 / s, 0, -o / s, 0, 1 / s, -o / s, 0, 0, 1);
  result.affine = To23(up * To3(small_affine) * down);
  result.estimated = true;
  result.inliers = inliers;
  return result;
}

bool CameraMotionEstimator::Impl::Still(const CameraMotion& m, const cv::Size& size) const {
  if (!m.estimated) return false;
  const double diagonal = std::hypot(size.width, size.height);
  return MaxCornerMotionPx(m.affine, size.width, size.height) < options.still_fraction * diagonal;
}

CameraMotion CameraMotionEstimator::Impl::Estimate(const cv::Mat& image, const FrameInfo& frame,
                                                   std::span<const BoxPx> foreground) {
  if (options.mode == "off") return {};
  const double t = FrameTime(frame);
  const bool automatic = options.mode == "auto";
  if (automatic && is_static && has_reference && t - last_examined_s < options.recheck_s) {
    CameraMotion skipped;
    skipped.skipped = true;
    return skipped;
  }
  Reference current;
  bool usable = false;
  try {
    usable = Prepare(image, foreground, current);
  } catch (const cv::Exception&) {
    usable = false;  // a frame OpenCV cannot read is a frame without an estimate
  }
  if (!usable) {
    // No image to compare with: start over at the next usable frame.
    has_reference = false;
    is_static = false;
    still_run = false;
    return {};
  }
  CameraMotion result;
  if (has_reference) {
    try {
      result = Match(reference, current);
    } catch (const cv::Exception&) {
      result = {};
    }
  }
  if (automatic && has_reference) {
    if (Still(result, current.full_size)) {
      if (!still_run) {
        still_run = true;
        still_since_s = last_examined_s;  // still from the reference frame on
      }
      if (t - still_since_s >= options.static_after_s) is_static = true;
    } else {
      // Motion, or no estimate: watch every frame again.
      still_run = false;
      is_static = false;
    }
  }
  reference = std::move(current);
  has_reference = true;
  last_examined_s = t;
  return result;
}

CameraMotionEstimator::CameraMotionEstimator(const CameraMotionOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}
CameraMotionEstimator::~CameraMotionEstimator() = default;
CameraMotionEstimator::CameraMotionEstimator(CameraMotionEstimator&&) noexcept = default;
CameraMotionEstimator& CameraMotionEstimator::operator=(CameraMotionEstimator&&) noexcept = default;

CameraMotion CameraMotionEstimator::Estimate(const cv::Mat& bgr, const FrameInfo& frame,
                                             std::span<const BoxPx> foreground) {
  return impl_->Estimate(bgr, frame, foreground);
}

bool CameraMotionEstimator::camera_static() const { return impl_->is_static; }

Status CameraMotionOptions::Validate() const {
  OptionErrors e("track.byte.camera_motion.");
  e.Require(mode == "auto" || mode == "on" || mode == "off", "mode",
            "must be \"auto\", \"on\" or \"off\"", fmt::format("\"{}\"", mode));
  // Below ~64 px wide there are too few corners; above 4K it is only slower.
  e.Between("max_width_px", max_width_px, 64, 4096);
  e.Between("max_features", max_features, kMinInliers, 10000);
  constexpr double kHour = 3600;  // longer is a typo, not a camera setting
  e.Require(static_after_s > 0 && static_after_s <= kHour, "static_after_s",
            fmt::format("must be above 0 and at most {} seconds", kHour), static_after_s);
  e.Require(recheck_s > 0 && recheck_s <= kHour, "recheck_s",
            fmt::format("must be above 0 and at most {} seconds", kHour), recheck_s);
  e.Between("still_fraction", still_fraction, 0, 0.1);
  return e.ToStatus();
}

namespace {

template <typename O, typename F>
void CameraMotionFields(O& o, F&& f) {
  f("mode", o.mode);
  f("max_width_px", o.max_width_px);
  f("max_features", o.max_features);
  f("static_after_s", o.static_after_s);
  f("recheck_s", o.recheck_s);
  f("still_fraction", o.still_fraction);
}

}  // namespace

void to_json(nlohmann::json& j, const CameraMotionOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { CameraMotionFields(oo, f); });
}

void from_json(const nlohmann::json& j, CameraMotionOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { CameraMotionFields(oo, f); });
}

}  // namespace monokin::track
