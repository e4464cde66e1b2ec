// SPDX-License-Identifier: Apache-2.0
// Rotated square regions of interest (MediaPipe's NormalizedRect, in pixels) and the maps
// between a frame and the square model input cut from such a region.
//
//   PoseRegion r = RegionFromAlignmentPoints(hip_centre, scale_point, 1.25f);
//   cv::Mat crop = WarpRegion(rgb, r, 256, cv::BORDER_REPLICATE);
//   cv::Point2f p_img = CropToImage(r, 256, {128, 40});
#pragma once

#include <opencv2/core.hpp>

#include "monokin/core/types.h"

namespace monokin::pose {

// A square region of the frame: centre and side in frame pixels, rotation in radians.
// rotation is MediaPipe's: the crop's "up" points along (sin r, -cos r) in the frame
// (y down), so r > 0 turns the region clockwise on screen; 0 = upright.
struct PoseRegion {
  float cx_px = 0, cy_px = 0;
  float size_px = 0;
  float rotation_rad = 0;
};

// Angle wrapped into [-pi, pi).
float NormalizeRadians(float angle_rad);

// MediaPipe's AlignmentPointsRectsCalculator followed by RectTransformation (square_long,
// scale `scale`): centre = `centre`, side = 2 * |scale_point - centre| * scale, rotation that
// turns centre->scale_point to point up (target angle 90 degrees).
PoseRegion RegionFromAlignmentPoints(cv::Point2f centre, cv::Point2f scale_point, float scale);

// An upright square region centred on `box`, of side max(w, h) * scale.
PoseRegion RegionFromBox(const BoxPx& box, float scale);

// 2x3 affine map from crop pixels (0..side) to frame pixels. The region's corners map to the
// crop's corners 0 and side, as MediaPipe's ImageToTensor does.
cv::Matx23f CropToImageMatrix(const PoseRegion& region, int side_px);

// A point of the crop (pixels, 0..side) in frame pixels, and the way back.
cv::Point2f CropToImage(const PoseRegion& region, int side_px, cv::Point2f crop_px);
cv::Point2f ImageToCrop(const PoseRegion& region, int side_px, cv::Point2f image_px);

// Cuts the region out of `image` into a side x side picture (bilinear; border_mode is
// cv::BORDER_REPLICATE or cv::BORDER_CONSTANT with zeros). Same type as `image`.
cv::Mat WarpRegion(const cv::Mat& image, const PoseRegion& region, int side_px, int border_mode);

// Axis-aligned box around the rotated region (frame pixels, not clipped).
BoxPx RegionBounds(const PoseRegion& region);

}  // namespace monokin::pose
