// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/angles.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "monokin/kinematics/series_frame.h"

namespace monokin::kinematics {
namespace {

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
// place of std::atan2 (tested), and several times faster: it inlines, and is all that the angles
// need (they spent most of their time in atan2).
[[gnu::always_inline]] inline double AtanOfRatio(double num, double den) {
  const double t = den > 0 ? num / den : 0.0;
  const int j = static_cast<int>(t * 16 + 0.5);
  const double c = j * (1.0 / 16);
  const double u = (t - c) / (1 + c * t);  // t - c is exact
  const double u2 = u * u;
  const double p =
      u2 * (-1.0 / 3 + u2 * (1.0 / 5 + u2 * (-1.0 / 7 + u2 * (1.0 / 9 - u2 * (1.0 / 11)))));
  return kAtanOfSixteenths[j] + (u + u * p);
}

// The angle in [0, pi/2] of the vector (|x|, |y|), for finite x, y.
[[gnu::always_inline]] inline double FirstQuadrant(double ax, double ay) {
  // One arctangent whichever is larger (selects, not branches: directions near 45 degrees
  // would make a branch unpredictable).
  const bool steep = ay > ax;
  const double a = AtanOfRatio(steep ? ax : ay, steep ? ay : ax);
  return steep ? std::numbers::pi / 2 - a : a;
}

// atan2(y, x) from the first-quadrant angle q of (|x|, |y|): the signs of zeros as std::atan2.
[[gnu::always_inline]] inline double Quadrant(double q, double y, double x) {
  const double a = std::signbit(x) ? std::numbers::pi - q : q;
  return std::signbit(y) ? -a : a;
}

[[gnu::always_inline]] inline double Atan2Inline(double y, double x) {
  return Quadrant(FirstQuadrant(std::abs(x), std::abs(y)), y, x);
}

}  // namespace

double Atan2(double y, double x) { return Atan2Inline(y, x); }

namespace {

// A direction in the image plane, kept as its first-quadrant angle and the signs, so that it
// and its mirror image (x negated) cost one arctangent.
struct Direction {
  double q = kNaN, dx = kNaN, dy = kNaN;  // q NaN: missing points or coinciding points
  // Degrees counter-clockwise from +x with y up; the x axis mirrored when `facing` < 0.
  double Deg(double facing = 1) const {
    if (std::isnan(q)) return kNaN;
    return Quadrant(q, dy, facing < 0 ? -dx : dx) * kDeg;
  }
};

// Direction of a->b in the image plane (y up). Missing when a point is or the points coincide.
[[gnu::always_inline]] inline Direction Dir2D(Vec3 a, Vec3 b) {
  Direction d;
  d.dx = b.x - a.x;
  d.dy = -(b.y - a.y);
  if (!std::isfinite(d.dx) || !std::isfinite(d.dy) || (d.dx == 0 && d.dy == 0)) return d;
  d.q = FirstQuadrant(std::abs(d.dx), std::abs(d.dy));
  return d;
}

// Unsigned angle between two 3D vectors, 0..180, as atan2(|u x v|, u.v): precise near 0 and
// 180 where acos is not.
[[gnu::always_inline]] inline double Between(Vec3 u, Vec3 v) {
  if (!Finite(u) || !Finite(v) || Dot(u, u) == 0 || Dot(v, v) == 0) return kNaN;
  return Atan2Inline(Norm(Cross(u, v)), Dot(u, v)) * kDeg;
}

// Elevation of v above the horizontal plane (world y is down).
[[gnu::always_inline]] inline double Elevation(Vec3 v) {
  if (!Finite(v) || Dot(v, v) == 0) return kNaN;
  return Atan2Inline(-v.y, std::sqrt(v.x * v.x + v.z * v.z)) * kDeg;
}

template <typename S>
[[gnu::always_inline]] inline Vec3 Hand(
    const S& s, int side) {  // side 0 left, 1 right: wrist -> knuckles midpoint
  return Mid(s[bp::kLeftIndex + side], s[bp::kLeftPinky + side]);
}

// Keypoints per side (side 0 = left, 1 = right: BlazePose's right index = left + 1).
struct Limb {
  Vec3 shoulder, elbow, wrist, hand, hip, knee, ankle, heel, toe;
};
template <typename S>
[[gnu::always_inline]] inline Limb LimbOf(const S& s, int side) {
  return {s[bp::kLeftShoulder + side], s[bp::kLeftElbow + side],
          s[bp::kLeftWrist + side],    Hand(s, side),
          s[bp::kLeftHip + side],      s[bp::kLeftKnee + side],
          s[bp::kLeftAnkle + side],    s[bp::kLeftHeel + side],
          s[bp::kLeftToe + side]};
}

}  // namespace

int JointAngleIndex(std::string_view name) {
  auto it = std::find(kJointAngleNames.begin(), kJointAngleNames.end(), name);
  return it == kJointAngleNames.end() ? -1 : static_cast<int>(it - kJointAngleNames.begin());
}

int SegmentAngleIndex(std::string_view name) {
  auto it = std::find(kSegmentAngleNames.begin(), kSegmentAngleNames.end(), name);
  return it == kSegmentAngleNames.end() ? -1 : static_cast<int>(it - kSegmentAngleNames.begin());
}

namespace {

// S: a Skeleton or a SeriesFrame (s[j] gives keypoint j).
template <typename S>
[[gnu::always_inline]] inline void Angles2DOf(const S& s, double facing,
                                              std::span<double, kNumJointAngles> joint,
                                              std::span<double, kNumSegmentAngles> segment) {
  for (int side = 0; side < 2; ++side) {
    const Limb l = LimbOf(s, side);
    const double f = facing;
    const Direction foot = Dir2D(l.heel, l.toe), shank = Dir2D(l.knee, l.ankle),
                    thigh = Dir2D(l.hip, l.knee), arm = Dir2D(l.shoulder, l.elbow),
                    forearm = Dir2D(l.elbow, l.wrist);
    // Each joint angle is the rotation from the proximal to the distal segment direction,
    // with the sign chosen so that flexion is positive for a right-facing athlete.
    const double shank_f = shank.Deg(f), thigh_f = thigh.Deg(f), arm_f = arm.Deg(f);
    const double forearm_f = forearm.Deg(f);
    const double trunk_down = Dir2D(l.shoulder, l.hip).Deg(f);
    joint[0 + side] = Wrap180(foot.Deg(f) - shank_f - 90.0);                // dorsiflexion +
    joint[2 + side] = Wrap180(thigh_f - shank_f);                           // knee flexion +
    joint[4 + side] = Wrap180(thigh_f - trunk_down);                        // hip flexion +
    joint[6 + side] = Wrap180(arm_f - trunk_down);                          // shoulder +
    joint[8 + side] = Wrap180(forearm_f - arm_f);                           // elbow flexion +
    joint[10 + side] = Wrap180(Dir2D(l.wrist, l.hand).Deg(f) - forearm_f);  // hand forward +
    segment[0 + side] = foot.Deg();
    segment[2 + side] = shank.Deg();
    segment[4 + side] = thigh.Deg();
    segment[6 + side] = arm.Deg();
    segment[8 + side] = forearm.Deg();
  }
  const Direction trunk = Dir2D(Mid(s[bp::kLeftHip], s[bp::kRightHip]),
                                Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]));
  joint[12] = Wrap180(90.0 - trunk.Deg(facing));  // forward lean +
  // Pelvis obliquity: right hip above the left is positive, whichever way the athlete faces.
  const Direction pelvis = Dir2D(s[bp::kLeftHip], s[bp::kRightHip]);
  joint[13] =
      std::isnan(pelvis.q) ? kNaN : Quadrant(pelvis.q, pelvis.dy, std::abs(pelvis.dx)) * kDeg;
  segment[10] = pelvis.Deg();
  segment[11] = trunk.Deg();
  segment[12] = Dir2D(s[bp::kLeftShoulder], s[bp::kRightShoulder]).Deg();
}

template <typename S>
[[gnu::always_inline]] inline void JointAngles3DOf(const S& s,
                                                   std::span<double, kNumJointAngles> out) {
  for (int side = 0; side < 2; ++side) {
    const Limb l = LimbOf(s, side);
    const Vec3 shank = l.ankle - l.knee, thigh = l.knee - l.hip;
    const Vec3 trunk_down = l.hip - l.shoulder;
    const Vec3 arm = l.elbow - l.shoulder, forearm = l.wrist - l.elbow;
    out[0 + side] = Between(shank, l.toe - l.heel) - 90.0;
    out[2 + side] = Between(thigh, shank);
    out[4 + side] = Between(trunk_down, thigh);
    out[6 + side] = Between(trunk_down, arm);
    out[8 + side] = Between(arm, forearm);
    out[10 + side] = Between(forearm, l.hand - l.wrist);
  }
  const Vec3 hip_mid = Mid(s[bp::kLeftHip], s[bp::kRightHip]);
  const Vec3 sho_mid = Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
  out[12] = Between(sho_mid - hip_mid, Vec3{0, -1, 0});
  out[13] = Elevation(s[bp::kRightHip] - s[bp::kLeftHip]);
}

template <typename S>
[[gnu::always_inline]] inline void SegmentAngles3DOf(const S& s,
                                                     std::span<double, kNumSegmentAngles> out) {
  for (int side = 0; side < 2; ++side) {
    const Limb l = LimbOf(s, side);
    out[0 + side] = Elevation(l.toe - l.heel);
    out[2 + side] = Elevation(l.ankle - l.knee);
    out[4 + side] = Elevation(l.knee - l.hip);
    out[6 + side] = Elevation(l.elbow - l.shoulder);
    out[8 + side] = Elevation(l.wrist - l.elbow);
  }
  out[10] = Elevation(s[bp::kRightHip] - s[bp::kLeftHip]);
  out[11] = Elevation(Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]) -
                      Mid(s[bp::kLeftHip], s[bp::kRightHip]));
  out[12] = Elevation(s[bp::kRightShoulder] - s[bp::kLeftShoulder]);
}

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

void Angles2D(const Skeleton& s, double facing, std::span<double, kNumJointAngles> joint,
              std::span<double, kNumSegmentAngles> segment) {
  Angles2DOf(s, facing, joint, segment);
}

void Angles2D(const SeriesFrame& s, double facing, std::span<double, kNumJointAngles> joint,
              std::span<double, kNumSegmentAngles> segment) {
  Angles2DOf(s, facing, joint, segment);
}

void JointAngles2D(const Skeleton& s, double facing, std::span<double, kNumJointAngles> out) {
  std::array<double, kNumSegmentAngles> segment;
  Angles2D(s, facing, out, segment);
}

void JointAngles3D(const Skeleton& s, std::span<double, kNumJointAngles> out) {
  JointAngles3DOf(s, out);
}

void JointAngles3D(const SeriesFrame& s, std::span<double, kNumJointAngles> out) {
  JointAngles3DOf(s, out);
}

void SegmentAngles3D(const Skeleton& s, std::span<double, kNumSegmentAngles> out) {
  SegmentAngles3DOf(s, out);
}

void SegmentAngles3D(const SeriesFrame& s, std::span<double, kNumSegmentAngles> out) {
  SegmentAngles3DOf(s, out);
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
