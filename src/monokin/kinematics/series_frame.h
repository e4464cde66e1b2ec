// SPDX-License-Identifier: Apache-2.0
// Skeletons read in place from per-coordinate series (structure of arrays), so that
// ComputeKinematics keeps one copy of its points (the series it cleans) instead of also an array
// of skeletons: a frame view reads what a Skeleton would hold. The angle, body and swap
// functions take either (one implementation each, see their headers).
//
//   // series of keypoint q, coordinate c at soa + (q * 5 + c) * n; x, y image; 2, 3, 4 world
//   SeriesFrames image{{soa, 5 * n, n}, n};  // image[t][bp::kLeftKnee] is a Vec3 (z 0)
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include "monokin/kinematics/angles.h"

namespace monokin::kinematics {

// Keypoints kept as series (the face other than eyes and ears is not used).
inline constexpr std::array<int, 27> kSeriesKeypoints = {0,  2,  5,  7,  8,  11, 12, 13, 14,
                                                         15, 16, 17, 18, 19, 20, 21, 22, 23,
                                                         24, 25, 26, 27, 28, 29, 30, 31, 32};
// Index of each keypoint in kSeriesKeypoints, or -1.
inline constexpr std::array<int, bp::kCount> kSeriesIndex = [] {
  std::array<int, bp::kCount> a{};
  a.fill(-1);
  for (size_t q = 0; q < kSeriesKeypoints.size(); ++q) a[kSeriesKeypoints[q]] = static_cast<int>(q);
  return a;
}();

// One frame: keypoint j's coordinate c is p[kSeriesIndex[j] * keypoint_stride + c *
// coord_stride] (x = 0, y = 1, z = z_coord). Keypoints outside kSeriesKeypoints read as NaN.
// Without a z coordinate (z_coord < 0) z is 0 where x is finite, else NaN: a 2D skeleton.
struct SeriesFrame {
  const double* p = nullptr;
  size_t keypoint_stride = 0;
  size_t coord_stride = 0;
  int z_coord = -1;
  double z_scale = 1;  // z is the stored value times this (exact for 1)

  Vec3 operator[](int j) const {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    const int q = kSeriesIndex[static_cast<size_t>(j)];
    if (q < 0) return {kNaN, kNaN, kNaN};
    const double* a = p + static_cast<size_t>(q) * keypoint_stride;
    const double x = a[0];
    const double z = z_coord < 0 ? (std::isfinite(x) ? 0.0 : kNaN)
                                 : a[static_cast<size_t>(z_coord) * coord_stride] * z_scale;
    return {x, a[coord_stride], z};
  }
};

// Consecutive frames (frame t is `first` moved t samples along the series).
struct SeriesFrames {
  SeriesFrame first;
  size_t n = 0;
  size_t size() const { return n; }
  SeriesFrame operator[](size_t t) const {
    SeriesFrame f = first;
    f.p += t;
    return f;
  }
};

}  // namespace monokin::kinematics
