// SPDX-License-Identifier: Apache-2.0
// Two frames at once: the angle and centre-of-mass code works on V, two doubles (one SSE2
// register), one frame per lane. Every operation acts lane by lane as the scalar code would
// (IEEE, no contraction: plain x86-64 has no FMA), so a lane's result is the value the scalar
// form gives for that frame, bit for bit. Skeleton (one frame) forms put it in both lanes.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "monokin/kinematics/angles.h"
#include "monokin/kinematics/body.h"
#include "monokin/kinematics/series_frame.h"

namespace monokin::kinematics::lanes {

constexpr int kLanes = 2;
using V = double __attribute__((vector_size(16)));
using M = std::int64_t __attribute__((vector_size(16)));  // lane masks: -1 true, 0 false
using I = std::int32_t __attribute__((vector_size(8)));

[[gnu::always_inline]] inline V Splat(double a) { return V{a, a}; }
[[gnu::always_inline]] inline V Sel(M m, V a, V b) { return m ? a : b; }
[[gnu::always_inline]] inline M IsFinite(V x) { return (x - x) == 0; }  // NaN for inf, NaN
[[gnu::always_inline]] inline M IsNan(V x) { return x != x; }
[[gnu::always_inline]] inline M SignBit(V x) { return std::bit_cast<M>(x) < 0; }
[[gnu::always_inline]] inline V Abs(V x) {
  return std::bit_cast<V>(std::bit_cast<M>(x) & std::numeric_limits<std::int64_t>::max());
}
[[gnu::always_inline]] inline V Sqrt(V x) {
#if defined(__SSE2__)
  return _mm_sqrt_pd(x);
#else
  return V{std::sqrt(x[0]), std::sqrt(x[1])};
#endif
}

// A point of two frames.
struct P {
  V x, y, z;
};
[[gnu::always_inline]] inline P operator-(P a, P b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
[[gnu::always_inline]] inline P operator+(P a, P b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
[[gnu::always_inline]] inline P operator*(double s, P a) { return {s * a.x, s * a.y, s * a.z}; }
[[gnu::always_inline]] inline P operator*(V s, P a) { return {s * a.x, s * a.y, s * a.z}; }
[[gnu::always_inline]] inline V Dot(P a, P b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
[[gnu::always_inline]] inline P Cross(P a, P b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
[[gnu::always_inline]] inline V Norm(P a) { return Sqrt(Dot(a, a)); }
[[gnu::always_inline]] inline M Finite(P a) {
  return IsFinite(a.x) & IsFinite(a.y) & IsFinite(a.z);
}
[[gnu::always_inline]] inline P Mid(P a, P b) {
  return {(a.x + b.x) / 2.0, (a.y + b.y) / 2.0, (a.z + b.z) / 2.0};
}

// Two skeletons, point by point (keypoints outside kSeriesKeypoints are not read).
struct Skeletons {
  P at[bp::kCount];
  const P& operator[](int j) const { return at[j]; }
};

inline Skeletons Both(const Skeleton& s) {
  Skeletons b;
  for (int j = 0; j < bp::kCount; ++j) b.at[j] = {Splat(s[j].x), Splat(s[j].y), Splat(s[j].z)};
  return b;
}

// Frames t and t + 1 (the last frame twice when t + 1 is past the end); 2D: z unread.
inline Skeletons Load(const SeriesFrames& f, size_t t, bool with_z) {
  const size_t t1 = t + 1 < f.size() ? t + 1 : t;
  Skeletons b;
  for (int j : kSeriesKeypoints) {
    const double* a = f[t].p + static_cast<size_t>(kSeriesIndex[j]) * f.first.keypoint_stride;
    const size_t d = t1 - t, cy = f.first.coord_stride;
    b.at[j].x = V{a[0], a[d]};
    b.at[j].y = V{a[cy], a[cy + d]};
    if (with_z) {
      const size_t cz = static_cast<size_t>(f.first.z_coord) * cy;
      b.at[j].z = V{a[cz], a[cz + d]} * f.first.z_scale;
    } else {
      b.at[j].z = Splat(0.0);
    }
  }
  return b;
}

// Requests the cache lines of frame t of the first `coords` coordinates of every series.
inline void Prefetch(const SeriesFrames& f, size_t t, size_t coords) {
  const double* p0 = f[t].p;
  for (size_t q = 0; q < kSeriesKeypoints.size(); ++q) {
    for (size_t c = 0; c < coords; ++c) {
      __builtin_prefetch(p0 + q * f.first.keypoint_stride + c * f.first.coord_stride);
    }
  }
}

// Angles2D, JointAngles3D, SegmentAngles3D and CentreOfMass of both lanes' skeletons: a[k] holds
// angle k of both frames.
struct JointsV {
  V a[kNumJointAngles];
};
struct SegmentsV {
  V a[kNumSegmentAngles];
};
void Angles2DV(const Skeletons& s, double facing, JointsV& joint, SegmentsV& segment);
void JointAngles3DV(const Skeletons& s, JointsV& out);
void SegmentAngles3DV(const Skeletons& s, SegmentsV& out);
P CentreOfMassV(const Skeletons& s, Sex sex);

}  // namespace monokin::kinematics::lanes
