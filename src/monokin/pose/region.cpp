// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/region.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace monokin::pose {

float NormalizeRadians(float angle_rad) {
  constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;
  return angle_rad - kTwoPi * std::floor((angle_rad + std::numbers::pi_v<float>) / kTwoPi);
}

PoseRegion RegionFromAlignmentPoints(cv::Point2f centre, cv::Point2f scale_point, float scale) {
  const float dx = scale_point.x - centre.x;
  const float dy = scale_point.y - centre.y;
  PoseRegion r;
  r.cx_px = centre.x;
  r.cy_px = centre.y;
  // MediaPipe: box size = twice the distance from the centre to the scale point; square_long
  // keeps it square in pixels, then the rect is scaled by `scale`.
  r.size_px = 2.0f * std::sqrt(dx * dx + dy * dy) * scale;
  // DetectionsToRectsCalculator::ComputeRotation with a target angle of 90 degrees
  // (y is flipped to make the angle counter-clockwise).
  r.rotation_rad = NormalizeRadians(std::numbers::pi_v<float> / 2 - std::atan2(-dy, dx));
  return r;
}

PoseRegion RegionFromBox(const BoxPx& box, float scale) {
  return {box.cx(), box.cy(), std::max(box.w, box.h) * scale, 0.0f};
}

cv::Matx23f CropToImageMatrix(const PoseRegion& region, int side_px) {
  const float c = std::cos(region.rotation_rad);
  const float s = std::sin(region.rotation_rad);
  const float k = region.size_px / static_cast<float>(side_px);
  const float half = region.size_px / 2;
  // image = centre + R * (crop * k - half), R = [c -s; s c] (MediaPipe's LandmarkProjection).
  return {c * k, -s * k, region.cx_px - c * half + s * half,
          s * k, c * k,  region.cy_px - s * half - c * half};
}

cv::Point2f CropToImage(const PoseRegion& region, int side_px, cv::Point2f crop_px) {
  const cv::Matx23f m = CropToImageMatrix(region, side_px);
  return {m(0, 0) * crop_px.x + m(0, 1) * crop_px.y + m(0, 2),
          m(1, 0) * crop_px.x + m(1, 1) * crop_px.y + m(1, 2)};
}

cv::Point2f ImageToCrop(const PoseRegion& region, int side_px, cv::Point2f image_px) {
  const float c = std::cos(region.rotation_rad);
  const float s = std::sin(region.rotation_rad);
  const float k = static_cast<float>(side_px) / region.size_px;
  const float dx = image_px.x - region.cx_px;
  const float dy = image_px.y - region.cy_px;
  // Inverse rotation R^T, then scale into crop pixels.
  return {(c * dx + s * dy) * k + side_px / 2.0f, (-s * dx + c * dy) * k + side_px / 2.0f};
}

cv::Mat WarpRegion(const cv::Mat& image, const PoseRegion& region, int side_px, int border_mode) {
  cv::Mat out;
  cv::warpAffine(image, out, cv::Mat(CropToImageMatrix(region, side_px)),
                 cv::Size(side_px, side_px), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, border_mode,
                 cv::Scalar::all(0));
  return out;
}

BoxPx RegionBounds(const PoseRegion& region) {
  const float c = std::abs(std::cos(region.rotation_rad));
  const float s = std::abs(std::sin(region.rotation_rad));
  const float extent = region.size_px * (c + s);
  return {region.cx_px - extent / 2, region.cy_px - extent / 2, extent, extent};
}

}  // namespace monokin::pose
