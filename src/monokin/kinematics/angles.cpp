// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/angles.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "monokin/kinematics/lanes.h"
#include "monokin/kinematics/series_frame.h"

namespace monokin::kinematics {
namespace {

using namespace lanes;  // NOLINT: the lane types and helpers

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDeg = 180.0 / std::numbers::pi;

double Wrap180(double a) {
  if (!std::isfinite(a)) return kNaN;
  // fmod leaves a value in [0, 360) as it is: most angles need no fmod (same result).
  const double shifted = a + 180.0;
  if (shifted > 0 && shifted < 360.0) return shifted - 180.0;
  a = std::fmod(a + 180.0, 360.0);
  if (a <= 0) a += 360.0;
  return a - 180.0;
}

// atan(j / 16), j = 0..16.
const std::array<double, 17> kAtanOfSixteenths = [] {
  std::array<double, 17> a{};
  for (int j = 0; j <= 16; ++j) a[j] = std::atan(j / 16.0);
  return a;
}();

// atan(num / den) for 0 <= num <= den (0 when den is 0): atan(c) from the table for the
// sixteenth c nearest to t = num / den, plus atan((t - c) / (1 + c t)) by its Taylor series
// (|argument| <= 1/32, so five terms leave an error below 1e-18). Within a few units in the last
// place of std::atan2 (tested), and several times faster than it. Lanes with other arguments
// (NaN: missing points) give garbage, which the callers replace.
template <typename V>
[[gnu::always_inline]] inline V AtanOfRatio(V num, V den) {
  V t = Sel(den > 0, num / den, Splat<V>(0.0));
  t = Sel((t >= 0) & (t <= 1), t, Splat<V>(0.0));  // only garbage lanes change (a safe index)
  const IndexOf<V> j = __builtin_convertvector(t * 16.0 + 0.5, IndexOf<V>);
  const V c = __builtin_convertvector(j, V) * (1.0 / 16);
  const V u = (t - c) / (1.0 + c * t);  // t - c is exact
  const V u2 = u * u;
  const V p = u2 * (-1.0 / 3 + u2 * (1.0 / 5 + u2 * (-1.0 / 7 + u2 * (1.0 / 9 - u2 * (1.0 / 11)))));
  V table = {};
  for (int l = 0; l < kWidth<V>; ++l) table[l] = kAtanOfSixteenths[static_cast<size_t>(j[l])];
  return table + (u + u * p);
}

// The angle in [0, pi/2] of the vector (|x|, |y|), for finite x, y.
template <typename V>
[[gnu::always_inline]] inline V FirstQuadrant(V ax, V ay) {
  // One arctangent whichever is larger.
  const MaskOf<V> steep = ay > ax;
  const V a = AtanOfRatio(Sel(steep, ax, ay), Sel(steep, ay, ax));
  return Sel(steep, std::numbers::pi / 2 - a, a);
}

// atan2(y, x) from the first-quadrant angle q of (|x|, |y|): the signs of zeros as std::atan2.
template <typename V>
[[gnu::always_inline]] inline V Quadrant(V q, V y, V x) {
  const V a = Sel(SignBit(x), std::numbers::pi - q, q);
  return Sel(SignBit(y), -a, a);
}

template <typename V>
[[gnu::always_inline]] inline V Atan2V(V y, V x) {
  return Quadrant(FirstQuadrant(Abs(x), Abs(y)), y, x);
}

// Wrap180 lane by lane (the fmod path, rare, one lane at a time).
template <typename V>
[[gnu::always_inline]] inline V Wrap180V(V a) {
  const V shifted = a + 180.0;
  const MaskOf<V> fast = (shifted > 0) & (shifted < 360.0);
  V r = Sel(IsFinite(a), shifted - 180.0, Splat<V>(kNaN));
  const MaskOf<V> slow = IsFinite(a) & ~fast;
  if (Any<V>(slow)) {
    for (int l = 0; l < kWidth<V>; ++l) {
      if (slow[l]) r[l] = Wrap180(a[l]);
    }
  }
  return r;
}

// A direction in the image plane, kept as its first-quadrant angle and the signs, so that it
// and its mirror image (x negated) cost one arctangent.
template <typename V>
struct Direction {
  V q, dx, dy;  // q NaN: missing points or coinciding points
  // Degrees counter-clockwise from +x with y up; the x axis mirrored when `facing` < 0.
  [[gnu::always_inline]] V Deg(double facing = 1) const {
    return Sel(IsNan(q), Splat<V>(kNaN), Quadrant(q, dy, facing < 0 ? -dx : dx) * kDeg);
  }
};

// Direction of a->b in the image plane (y up). Missing when a point is or the points coincide.
template <typename V>
[[gnu::always_inline]] inline Direction<V> Dir2D(P<V> a, P<V> b) {
  Direction<V> d;
  d.dx = b.x - a.x;
  d.dy = -(b.y - a.y);
  const MaskOf<V> missing = ~IsFinite(d.dx) | ~IsFinite(d.dy) | ((d.dx == 0) & (d.dy == 0));
  d.q = Sel(missing, Splat<V>(kNaN), FirstQuadrant(Abs(d.dx), Abs(d.dy)));
  return d;
}

// Unsigned angle between two 3D vectors, 0..180, as atan2(|u x v|, u.v): precise near 0 and
// 180 where acos is not.
template <typename V>
[[gnu::always_inline]] inline V Between(P<V> u, P<V> v) {
  const MaskOf<V> missing = ~Finite(u) | ~Finite(v) | (Dot(u, u) == 0) | (Dot(v, v) == 0);
  return Sel(missing, Splat<V>(kNaN), Atan2V(Norm(Cross(u, v)), Dot(u, v)) * kDeg);
}

// Elevation of v above the horizontal plane (world y is down).
template <typename V>
[[gnu::always_inline]] inline V Elevation(P<V> v) {
  const MaskOf<V> missing = ~Finite(v) | (Dot(v, v) == 0);
  return Sel(missing, Splat<V>(kNaN), Atan2V(-v.y, Sqrt(v.x * v.x + v.z * v.z)) * kDeg);
}

// Keypoints per side (side 0 = left, 1 = right: BlazePose's right index = left + 1).
template <typename V>
struct Limb {
  P<V> shoulder, elbow, wrist, hand, hip, knee, ankle, heel, toe;
};
template <typename V>
[[gnu::always_inline]] inline Limb<V> LimbOf(const Skeletons<V>& s, int side) {
  return {s[bp::kLeftShoulder + side],
          s[bp::kLeftElbow + side],
          s[bp::kLeftWrist + side],
          Mid(s[bp::kLeftIndex + side], s[bp::kLeftPinky + side]),  // knuckles
          s[bp::kLeftHip + side],
          s[bp::kLeftKnee + side],
          s[bp::kLeftAnkle + side],
          s[bp::kLeftHeel + side],
          s[bp::kLeftToe + side]};
}

template <typename V>
[[gnu::always_inline]] inline void Angles2DOf(const Skeletons<V>& s, double facing,
                                              JointsV<V>& joint, SegmentsV<V>& segment) {
  for (int side = 0; side < 2; ++side) {
    const Limb<V> l = LimbOf(s, side);
    const double f = facing;
    const Direction<V> foot = Dir2D(l.heel, l.toe), shank = Dir2D(l.knee, l.ankle),
                       thigh = Dir2D(l.hip, l.knee), arm = Dir2D(l.shoulder, l.elbow),
                       forearm = Dir2D(l.elbow, l.wrist);
    // Each joint angle is the rotation from the proximal to the distal segment direction,
    // with the sign chosen so that flexion is positive for a right-facing athlete.
    const V shank_f = shank.Deg(f), thigh_f = thigh.Deg(f), arm_f = arm.Deg(f);
    const V forearm_f = forearm.Deg(f);
    const V trunk_down = Dir2D(l.shoulder, l.hip).Deg(f);
    joint.a[0 + side] = Wrap180V(foot.Deg(f) - shank_f - 90.0);                // dorsiflexion +
    joint.a[2 + side] = Wrap180V(thigh_f - shank_f);                           // knee flexion +
    joint.a[4 + side] = Wrap180V(thigh_f - trunk_down);                        // hip flexion +
    joint.a[6 + side] = Wrap180V(arm_f - trunk_down);                          // shoulder +
    joint.a[8 + side] = Wrap180V(forearm_f - arm_f);                           // elbow flexion +
    joint.a[10 + side] = Wrap180V(Dir2D(l.wrist, l.hand).Deg(f) - forearm_f);  // hand forward +
    segment.a[0 + side] = foot.Deg();
    segment.a[2 + side] = shank.Deg();
    segment.a[4 + side] = thigh.Deg();
    segment.a[6 + side] = arm.Deg();
    segment.a[8 + side] = forearm.Deg();
  }
  const Direction<V> trunk = Dir2D(Mid(s[bp::kLeftHip], s[bp::kRightHip]),
                                   Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]));
  joint.a[12] = Wrap180V(90.0 - trunk.Deg(facing));  // forward lean +
  // Pelvis obliquity: right hip above the left is positive, whichever way the athlete faces.
  const Direction<V> pelvis = Dir2D(s[bp::kLeftHip], s[bp::kRightHip]);
  joint.a[13] =
      Sel(IsNan(pelvis.q), Splat<V>(kNaN), Quadrant(pelvis.q, pelvis.dy, Abs(pelvis.dx)) * kDeg);
  segment.a[10] = pelvis.Deg();
  segment.a[11] = trunk.Deg();
  segment.a[12] = Dir2D(s[bp::kLeftShoulder], s[bp::kRightShoulder]).Deg();
}

template <typename V>
[[gnu::always_inline]] inline void JointAngles3DOf(const Skeletons<V>& s, JointsV<V>& out) {
  for (int side = 0; side < 2; ++side) {
    const Limb<V> l = LimbOf(s, side);
    const P<V> shank = l.ankle - l.knee, thigh = l.knee - l.hip;
    const P<V> trunk_down = l.hip - l.shoulder;
    const P<V> arm = l.elbow - l.shoulder, forearm = l.wrist - l.elbow;
    out.a[0 + side] = Between(shank, l.toe - l.heel) - 90.0;
    out.a[2 + side] = Between(thigh, shank);
    out.a[4 + side] = Between(trunk_down, thigh);
    out.a[6 + side] = Between(trunk_down, arm);
    out.a[8 + side] = Between(arm, forearm);
    out.a[10 + side] = Between(forearm, l.hand - l.wrist);
  }
  const P<V> hip_mid = Mid(s[bp::kLeftHip], s[bp::kRightHip]);
  const P<V> sho_mid = Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
  out.a[12] = Between(sho_mid - hip_mid, P<V>{Splat<V>(0), Splat<V>(-1), Splat<V>(0)});
  out.a[13] = Elevation(s[bp::kRightHip] - s[bp::kLeftHip]);
}

template <typename V>
[[gnu::always_inline]] inline void SegmentAngles3DOf(const Skeletons<V>& s, SegmentsV<V>& out) {
  for (int side = 0; side < 2; ++side) {
    const Limb<V> l = LimbOf(s, side);
    out.a[0 + side] = Elevation(l.toe - l.heel);
    out.a[2 + side] = Elevation(l.ankle - l.knee);
    out.a[4 + side] = Elevation(l.knee - l.hip);
    out.a[6 + side] = Elevation(l.elbow - l.shoulder);
    out.a[8 + side] = Elevation(l.wrist - l.elbow);
  }
  out.a[10] = Elevation(s[bp::kRightHip] - s[bp::kLeftHip]);
  out.a[11] = Elevation(Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]) -
                        Mid(s[bp::kLeftHip], s[bp::kRightHip]));
  out.a[12] = Elevation(s[bp::kRightShoulder] - s[bp::kLeftShoulder]);
}

}  // namespace

namespace lanes {

void Angles2DV(const Skeletons<V2>& s, double facing, JointsV<V2>& joint, SegmentsV<V2>& segment) {
  Angles2DOf(s, facing, joint, segment);
}
MONOKIN_KIN_AVX void Angles2DV(const Skeletons<V4>& s, double facing, JointsV<V4>& joint,
                               SegmentsV<V4>& segment) {
  Angles2DOf(s, facing, joint, segment);
}
void JointAngles3DV(const Skeletons<V2>& s, JointsV<V2>& out) { JointAngles3DOf(s, out); }
MONOKIN_KIN_AVX void JointAngles3DV(const Skeletons<V4>& s, JointsV<V4>& out) {
  JointAngles3DOf(s, out);
}
void SegmentAngles3DV(const Skeletons<V2>& s, SegmentsV<V2>& out) { SegmentAngles3DOf(s, out); }
MONOKIN_KIN_AVX void SegmentAngles3DV(const Skeletons<V4>& s, SegmentsV<V4>& out) {
  SegmentAngles3DOf(s, out);
}

}  // namespace lanes

namespace {

template <typename Frames>
double FacingDirectionOf(const Frames& frames, double* confidence) {
  // Feet first: toes point the way the athlete faces in a side view. In a frontal view they
  // point at the camera and the sign is noise, which the vote's consistency reveals.
  auto vote = [&](auto&& sign_of) {
    int pos = 0, neg = 0;
    for (size_t t = 0; t < frames.size(); ++t) {
      const double v = sign_of(frames[t]);
      if (!std::isfinite(v) || v == 0) continue;
      (v > 0 ? pos : neg)++;
    }
    const int n = pos + neg;
    return std::pair<double, double>{pos >= neg ? 1.0 : -1.0,
                                     n ? std::abs(pos - neg) / static_cast<double>(n) : 0.0};
  };
  auto [dir, conf] = vote([](const auto& s) {
    const double l = s[bp::kLeftToe].x - s[bp::kLeftHeel].x;
    const double r = s[bp::kRightToe].x - s[bp::kRightHeel].x;
    const double fx = s[bp::kLeftToe].x - s[bp::kLeftHeel].x;
    const double fy = s[bp::kLeftToe].y - s[bp::kLeftHeel].y;
    const double foot = std::sqrt(fx * fx + fy * fy);  // not hypot: faster, image scales
    // A foot seen end-on (|dx| under a third of its length) casts no vote.
    const double sum = l + r;
    return std::abs(sum) < 0.33 * 2 * foot ? kNaN : sum;
  });
  if (conf < 0.5) {
    auto [dir2, conf2] = vote([](const auto& s) {
      return s[bp::kNose].x - 0.5 * (s[bp::kLeftEar].x + s[bp::kRightEar].x);
    });
    if (conf2 > conf) {
      dir = dir2;
      conf = conf2 * 0.5;  // the head is a weaker cue (head turns)
    }
  }
  if (confidence) *confidence = conf;
  return dir;
}

}  // namespace

double Atan2(double y, double x) { return Atan2V(Splat<V2>(y), Splat<V2>(x))[0]; }

int JointAngleIndex(std::string_view name) {
  auto it = std::find(kJointAngleNames.begin(), kJointAngleNames.end(), name);
  return it == kJointAngleNames.end() ? -1 : static_cast<int>(it - kJointAngleNames.begin());
}

int SegmentAngleIndex(std::string_view name) {
  auto it = std::find(kSegmentAngleNames.begin(), kSegmentAngleNames.end(), name);
  return it == kSegmentAngleNames.end() ? -1 : static_cast<int>(it - kSegmentAngleNames.begin());
}

void Angles2D(const Skeleton& s, double facing, std::span<double, kNumJointAngles> joint,
              std::span<double, kNumSegmentAngles> segment) {
  JointsV<V2> j;
  SegmentsV<V2> g;
  Angles2DV(Both(s), facing, j, g);
  for (int a = 0; a < kNumJointAngles; ++a) joint[a] = j.a[a][0];
  for (int a = 0; a < kNumSegmentAngles; ++a) segment[a] = g.a[a][0];
}

void JointAngles2D(const Skeleton& s, double facing, std::span<double, kNumJointAngles> out) {
  std::array<double, kNumSegmentAngles> segment;
  Angles2D(s, facing, out, segment);
}

void JointAngles3D(const Skeleton& s, std::span<double, kNumJointAngles> out) {
  JointsV<V2> j;
  JointAngles3DV(Both(s), j);
  for (int a = 0; a < kNumJointAngles; ++a) out[a] = j.a[a][0];
}

void SegmentAngles3D(const Skeleton& s, std::span<double, kNumSegmentAngles> out) {
  SegmentsV<V2> g;
  SegmentAngles3DV(Both(s), g);
  for (int a = 0; a < kNumSegmentAngles; ++a) out[a] = g.a[a][0];
}

double FacingDirection(std::span<const Skeleton> frames, double* confidence) {
  return FacingDirectionOf(frames, confidence);
}

double FacingDirection(const SeriesFrames& frames, double* confidence) {
  return FacingDirectionOf(frames, confidence);
}

void SegmentAngles2D(const Skeleton& s, std::span<double, kNumSegmentAngles> out) {
  std::array<double, kNumJointAngles> joint;
  Angles2D(s, 1, joint, out);
}

}  // namespace monokin::kinematics
