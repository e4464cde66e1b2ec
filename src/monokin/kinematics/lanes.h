// SPDX-License-Identifier: Apache-2.0
// Several frames at once: the angle and centre-of-mass code works on V, a vector of doubles with
// one frame per lane: V2 (two, one SSE2 register: every x86-64 CPU) or V4 (four, one AVX
// register: the entry points for V4 are compiled for AVX, call them only when the CPU has it).
// Every operation acts lane by lane as the scalar code would (IEEE, no contraction: neither
// target has FMA), so a lane's result is the value the scalar form gives for that frame, bit for
// bit, whatever the width. Skeleton (one frame) forms put it in every lane of a V2.
#pragma once

// Templates below are instantiated for V4 in code built for SSE2 (the AVX entry points inline
// them); GCC notes that returning such a vector would change the ABI, which no call here does
// (the V4 helpers are always inlined into functions built for AVX).
#pragma GCC diagnostic ignored "-Wpsabi"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "monokin/kinematics/angles.h"
#include "monokin/kinematics/body.h"
#include "monokin/kinematics/cpu_avx.h"
#include "monokin/kinematics/series_frame.h"

namespace monokin::kinematics::lanes {

using V2 = double __attribute__((vector_size(16)));
using V4 = double __attribute__((vector_size(32)));
template <typename V>
inline constexpr int kWidth = static_cast<int>(sizeof(V) / sizeof(double));
// Lane masks (-1 true, 0 false), as comparisons of V give.
template <typename V>
using MaskOf = decltype(V{} < V{});
// Integer lanes for table indices.
template <typename V>
struct IndexVector;
template <>
struct IndexVector<V2> {
  using type = std::int32_t __attribute__((vector_size(8)));
};
template <>
struct IndexVector<V4> {
  using type = std::int32_t __attribute__((vector_size(16)));
};
template <typename V>
using IndexOf = typename IndexVector<V>::type;

template <typename V>
[[gnu::always_inline]] inline V Splat(double a) {
  V r = {};
  for (int l = 0; l < kWidth<V>; ++l) r[l] = a;
  return r;
}
template <typename M, typename V>
[[gnu::always_inline]] inline V Sel(M m, V a, V b) {
  return m ? a : b;
}
template <typename V>
[[gnu::always_inline]] inline MaskOf<V> IsFinite(V x) {
  return (x - x) == 0;  // NaN for inf, NaN
}
template <typename V>
[[gnu::always_inline]] inline MaskOf<V> IsNan(V x) {
  return x != x;
}
template <typename V>
[[gnu::always_inline]] inline MaskOf<V> SignBit(V x) {
  return std::bit_cast<MaskOf<V>>(x) < 0;
}
template <typename V>
[[gnu::always_inline]] inline V Abs(V x) {
  return std::bit_cast<V>(std::bit_cast<MaskOf<V>>(x) & std::numeric_limits<std::int64_t>::max());
}
template <typename V>
[[gnu::always_inline]] inline bool Any(MaskOf<V> m) {
  bool any = false;
  for (int l = 0; l < kWidth<V>; ++l) any |= m[l] != 0;
  return any;
}
// Lane by lane (one sqrtpd / vsqrtpd: GCC vectorises the loop).
template <typename V>
[[gnu::always_inline]] inline V Sqrt(V x) {
  V r = {};
  for (int l = 0; l < kWidth<V>; ++l) r[l] = std::sqrt(x[l]);
  return r;
}

// A point of kWidth<V> frames.
template <typename V>
struct P {
  V x, y, z;
};
template <typename V>
[[gnu::always_inline]] inline P<V> operator-(P<V> a, P<V> b) {
  return {a.x - b.x, a.y - b.y, a.z - b.z};
}
template <typename V>
[[gnu::always_inline]] inline P<V> operator+(P<V> a, P<V> b) {
  return {a.x + b.x, a.y + b.y, a.z + b.z};
}
template <typename V>
[[gnu::always_inline]] inline P<V> operator*(double s, P<V> a) {
  return {s * a.x, s * a.y, s * a.z};
}
template <typename V>
[[gnu::always_inline]] inline P<V> operator*(V s, P<V> a) {
  return {s * a.x, s * a.y, s * a.z};
}
template <typename V>
[[gnu::always_inline]] inline V Dot(P<V> a, P<V> b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
template <typename V>
[[gnu::always_inline]] inline P<V> Cross(P<V> a, P<V> b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
template <typename V>
[[gnu::always_inline]] inline V Norm(P<V> a) {
  return Sqrt(Dot(a, a));
}
template <typename V>
[[gnu::always_inline]] inline MaskOf<V> Finite(P<V> a) {
  return IsFinite(a.x) & IsFinite(a.y) & IsFinite(a.z);
}
template <typename V>
[[gnu::always_inline]] inline P<V> Mid(P<V> a, P<V> b) {
  return {(a.x + b.x) / 2.0, (a.y + b.y) / 2.0, (a.z + b.z) / 2.0};
}

// kWidth<V> skeletons, point by point (keypoints outside kSeriesKeypoints are not read).
template <typename V>
struct Skeletons {
  P<V> at[bp::kCount];
  const P<V>& operator[](int j) const { return at[j]; }
};

// s in every lane.
inline Skeletons<V2> Both(const Skeleton& s) {
  Skeletons<V2> b;
  for (int j = 0; j < bp::kCount; ++j) {
    b.at[j] = {Splat<V2>(s[j].x), Splat<V2>(s[j].y), Splat<V2>(s[j].z)};
  }
  return b;
}

// Frames t, t + 1, ... (the last frame again past the end); 2D (no z coordinate): z 0.
template <typename V>
[[gnu::always_inline]] inline Skeletons<V> Load(const SeriesFrames& f, size_t t) {
  constexpr int W = kWidth<V>;
  const bool full = t + W <= f.size();
  const size_t cy = f.first.coord_stride;
  const bool with_z = f.first.z_coord >= 0;
  const size_t cz = with_z ? static_cast<size_t>(f.first.z_coord) * cy : 0;
  auto read = [&](const double* a) {
    V v = {};
    if (full) {
      std::memcpy(&v, a, sizeof v);
    } else {
      for (int l = 0; l < W; ++l) v[l] = a[std::min(t + l, f.size() - 1) - t];
    }
    return v;
  };
  Skeletons<V> b;
  for (int j : kSeriesKeypoints) {
    const double* a = f[t].p + static_cast<size_t>(kSeriesIndex[j]) * f.first.keypoint_stride;
    b.at[j].x = read(a);
    b.at[j].y = read(a + cy);
    b.at[j].z = with_z ? read(a + cz) * f.first.z_scale : Splat<V>(0.0);
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

// Angles2D, JointAngles3D, SegmentAngles3D and CentreOfMass of every lane's skeleton: a[k]
// holds angle k of every frame. The V4 forms are built for AVX.
template <typename V>
struct JointsV {
  V a[kNumJointAngles];
};
template <typename V>
struct SegmentsV {
  V a[kNumSegmentAngles];
};
void Angles2DV(const Skeletons<V2>& s, double facing, JointsV<V2>& joint, SegmentsV<V2>& segment);
void Angles2DV(const Skeletons<V4>& s, double facing, JointsV<V4>& joint, SegmentsV<V4>& segment);
void JointAngles3DV(const Skeletons<V2>& s, JointsV<V2>& out);
void JointAngles3DV(const Skeletons<V4>& s, JointsV<V4>& out);
void SegmentAngles3DV(const Skeletons<V2>& s, SegmentsV<V2>& out);
void SegmentAngles3DV(const Skeletons<V4>& s, SegmentsV<V4>& out);
void CentreOfMassV(const Skeletons<V2>& s, Sex sex, P<V2>& out);
void CentreOfMassV(const Skeletons<V4>& s, Sex sex, P<V4>& out);

// Whether the V4 forms may run here (the CPU has AVX).
inline bool HaveV4() { return CpuHasAvx(); }

}  // namespace monokin::kinematics::lanes
