// SPDX-License-Identifier: Apache-2.0
// Camera-motion compensation from the frames: the image motion between consecutive frames as
// a 2D affine map, estimated from sparse features on the background (people masked out) with
// RANSAC. Static cameras are detected and then only re-checked now and then, so they cost
// almost nothing. Used by the "byte" tracker to move its tracks with the camera.
//
//   CameraMotionEstimator cmc(options);
//   CameraMotion m = cmc.Estimate(frame.bgr, frame.info, person_boxes);
//   if (m.estimated) kalman.Warp(m.affine);
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <span>
#include <string>

#include "monokin/core/status.h"
#include "monokin/core/types.h"

namespace monokin::track {

struct CameraMotionOptions {
  // "auto": estimate, but once the camera has been still for static_after_s only re-check
  // every recheck_s; "on": every frame; "off": never.
  std::string mode = "auto";
  double max_width_px = 640;    // frames are downscaled to at most this width first
  int max_features = 300;       // background corners tracked per frame
  double static_after_s = 2.0;  // still this long -> the camera counts as static
  double recheck_s = 1.0;       // a static camera is re-checked this often
  // Motion below this fraction of the frame diagonal (translation, or the displacement the
  // linear part causes at the frame corners) counts as "still".
  double still_fraction = 0.002;
  Status Validate() const;  // every bad field, one per line ("track.byte.camera_motion....")
};
void to_json(nlohmann::json& j, const CameraMotionOptions& o);
void from_json(const nlohmann::json& j, CameraMotionOptions& o);

struct CameraMotion {
  // Maps pixel coordinates of the previous frame given to Estimate to this frame's
  // (full-resolution pixels). Identity when not estimated. After frames skipped by the
  // static-camera shortcut it maps the last frame examined (the motion over the skipped
  // frames is included, so applying every returned map keeps tracks with the camera).
  cv::Matx23d affine = cv::Matx23d(1, 0, 0, 0, 1, 0);
  bool estimated = false;  // false: skipped (static camera, first frame) or too few features
  bool skipped = false;    // true when the static-camera shortcut skipped this frame
  int inliers = 0;         // RANSAC inliers behind `affine`
};

class CameraMotionEstimator {
 public:
  explicit CameraMotionEstimator(const CameraMotionOptions& options);
  ~CameraMotionEstimator();
  CameraMotionEstimator(CameraMotionEstimator&&) noexcept;
  CameraMotionEstimator& operator=(CameraMotionEstimator&&) noexcept;

  // `bgr`: this frame (8-bit, 1 or 3 channels); `frame` gives its time; `foreground`: boxes
  // of people (detections) to leave out of the feature search, in full-resolution pixels.
  // Never fails: an empty or unusable image gives estimated = false.
  CameraMotion Estimate(const cv::Mat& bgr, const FrameInfo& frame,
                        std::span<const BoxPx> foreground = {});
  bool camera_static() const;  // the static-camera shortcut is active

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace monokin::track
