// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/annotate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <string>

namespace monokin::output {
namespace {

// BlazePose landmark indices: 0 nose, 1-3 left eye, 4-6 right eye, 7-8 ears, 9-10 mouth,
// 11/12 shoulders, 13/14 elbows, 15/16 wrists, 17/18 pinkies, 19/20 index fingers,
// 21/22 thumbs, 23/24 hips, 25/26 knees, 27/28 ankles, 29/30 heels, 31/32 foot index.
constexpr std::array<std::pair<int, int>, 35> kBlazePoseBones = {{
    {0, 1},   {1, 2},   {2, 3},   {3, 7},   {0, 4},   {4, 5},   {5, 6},   {6, 8},   {9, 10},
    {11, 12}, {11, 13}, {13, 15}, {15, 17}, {15, 19}, {15, 21}, {17, 19}, {12, 14}, {14, 16},
    {16, 18}, {16, 20}, {16, 22}, {18, 20}, {11, 23}, {12, 24}, {23, 24}, {23, 25}, {24, 26},
    {25, 27}, {26, 28}, {27, 29}, {28, 30}, {29, 31}, {30, 32}, {27, 31}, {28, 32},
}};
constexpr std::size_t kBlazePosePoints = 33;

// Line widths and text size grow with the picture so a 4K video looks like a 720p one.
// 720 px is the height at which one-pixel lines and a 0.5 font read well.
constexpr double kReferenceHeightPx = 720.0;

// Fibonacci hashing: multiplying by 2^32 / golden ratio spreads consecutive ids (which often
// share a frame) around the hue circle as far apart as possible.
std::uint32_t HashId(TrackId id) { return static_cast<std::uint32_t>(id) * 2654435769U; }

cv::Point ToPoint(float x, float y) {
  return {static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y))};
}

bool Drawable(const Keypoint& k) {
  return k.visibility >= kMinVisibilityToDraw && std::isfinite(k.x_px) && std::isfinite(k.y_px);
}

void DrawSkeleton(cv::Mat& canvas, const PersonPose& pose, const cv::Scalar& colour,
                  int thickness) {
  const auto& kp = pose.keypoints;
  if (kp.size() == kBlazePosePoints) {
    for (const auto& [a, b] : kBlazePoseBones) {
      if (Drawable(kp[a]) && Drawable(kp[b])) {
        cv::line(canvas, ToPoint(kp[a].x_px, kp[a].y_px), ToPoint(kp[b].x_px, kp[b].y_px), colour,
                 thickness, cv::LINE_AA);
      }
    }
  }
  // Other skeletons have no known topology here: their points alone are still useful.
  for (const Keypoint& k : kp) {
    if (Drawable(k)) {
      cv::circle(canvas, ToPoint(k.x_px, k.y_px), thickness + 1, cv::Scalar(255, 255, 255),
                 cv::FILLED, cv::LINE_AA);
    }
  }
}

void DrawLabel(cv::Mat& canvas, const BoxPx& box, const std::string& text, const cv::Scalar& colour,
               double scale, int thickness) {
  int baseline = 0;
  const cv::Size size =
      cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
  const int pad = std::max(2, size.height / 4);
  const int w = size.width + 2 * pad, h = size.height + baseline + 2 * pad;
  cv::Point top_left = ToPoint(box.x, box.y - static_cast<float>(h));
  if (top_left.y < 0) top_left.y = static_cast<int>(std::lround(box.y));  // inside the box
  cv::rectangle(canvas, cv::Rect(top_left.x, top_left.y, w, h), colour, cv::FILLED);
  // Dark text on light colours, light text on dark ones (Rec. 601 luma).
  const double luma = 0.114 * colour[0] + 0.587 * colour[1] + 0.299 * colour[2];
  const cv::Scalar ink = luma > 140 ? cv::Scalar(0, 0, 0) : cv::Scalar(255, 255, 255);
  cv::putText(canvas, text, {top_left.x + pad, top_left.y + pad + size.height},
              cv::FONT_HERSHEY_SIMPLEX, scale, ink, thickness, cv::LINE_AA);
}

}  // namespace

std::span<const std::pair<int, int>> BlazePoseConnections() { return kBlazePoseBones; }

cv::Scalar TrackColour(TrackId id) {
  const std::uint32_t h = HashId(id);
  // OpenCV 8-bit HSV: hue 0..179 from the top bits (the best mixed). Saturation and value stay
  // high, varied by lower bits, so the colour shows on grass, courts and crowds alike.
  const int hue = static_cast<int>((static_cast<std::uint64_t>(h) * 180) >> 32);
  cv::Mat hsv(1, 1, CV_8UC3, cv::Scalar(hue, 180 + (h >> 8) % 76, 200 + (h >> 16) % 56));
  cv::Mat bgr;
  cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
  const cv::Vec3b c = bgr.at<cv::Vec3b>(0, 0);
  return {static_cast<double>(c[0]), static_cast<double>(c[1]), static_cast<double>(c[2])};
}

void TrailHistory::Update(const FrameResult& result) {
  const FrameIndex now = result.frame.index;
  if (trail_frames_ > 0) {
    for (const Athlete& a : result.athletes) {
      points_[a.id].emplace_back(now, cv::Point2f(a.box.cx(), a.box.y + a.box.h));
    }
  }
  for (auto it = points_.begin(); it != points_.end();) {
    auto& trail = it->second;
    while (!trail.empty() && now - trail.front().first >= trail_frames_) trail.pop_front();
    it = trail.empty() ? points_.erase(it) : std::next(it);
  }
}

std::vector<cv::Point2f> TrailHistory::Trail(TrackId id) const {
  std::vector<cv::Point2f> out;
  if (auto it = points_.find(id); it != points_.end()) {
    for (const auto& p : it->second) out.push_back(p.second);
  }
  return out;
}

void DrawAthletes(cv::Mat& canvas, const FrameResult& result, const TrailHistory& trails) {
  const double scale = std::max(1.0, canvas.rows / kReferenceHeightPx);
  const int thickness = static_cast<int>(std::lround(2 * scale));
  for (const Athlete& a : result.athletes) {
    const cv::Scalar colour = TrackColour(a.id);
    const std::vector<cv::Point2f> trail = trails.Trail(a.id);
    if (trail.size() >= 2) {
      std::vector<cv::Point> line;
      for (const auto& p : trail) line.push_back(ToPoint(p.x, p.y));
      cv::polylines(canvas, line, false, colour, thickness, cv::LINE_AA);
    }
    cv::rectangle(
        canvas, cv::Rect(ToPoint(a.box.x, a.box.y), ToPoint(a.box.x + a.box.w, a.box.y + a.box.h)),
        colour, thickness);
    if (a.pose.has_value()) DrawSkeleton(canvas, *a.pose, colour, thickness);
    DrawLabel(canvas, a.box, std::to_string(a.id), colour, 0.5 * scale, std::max(1, thickness / 2));
  }
}

}  // namespace monokin::output
