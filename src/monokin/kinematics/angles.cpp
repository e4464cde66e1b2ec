// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/angles.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace monokin::kinematics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDeg = 180.0 / std::numbers::pi;

double Wrap180(double a) {
  if (!std::isfinite(a)) return kNaN;
  a = std::fmod(a + 180.0, 360.0);
  if (a <= 0) a += 360.0;
  return a - 180.0;
}

// Direction of a->b in the image plane, degrees counter-clockwise from +x with y up; the x axis
// is mirrored when `facing` < 0. NaN when a point is missing or the points coincide.
double Dir2D(Vec3 a, Vec3 b, double facing = 1) {
  const double dx = (b.x - a.x) * (facing < 0 ? -1 : 1);
  const double dy = -(b.y - a.y);
  if (!std::isfinite(dx) || !std::isfinite(dy) || (dx == 0 && dy == 0)) return kNaN;
  return std::atan2(dy, dx) * kDeg;
}

// Unsigned angle between two 3D vectors, 0..180, as atan2(|u x v|, u.v): precise near 0 and
// 180 where acos is not.
double Between(Vec3 u, Vec3 v) {
  if (!Finite(u) || !Finite(v) || Norm(u) == 0 || Norm(v) == 0) return kNaN;
  return std::atan2(Norm(Cross(u, v)), Dot(u, v)) * kDeg;
}

// Elevation of v above the horizontal plane (world y is down).
double Elevation(Vec3 v) {
  if (!Finite(v) || Norm(v) == 0) return kNaN;
  return std::atan2(-v.y, std::hypot(v.x, v.z)) * kDeg;
}

Vec3 Hand(const Skeleton& s, int side) {  // side 0 left, 1 right: wrist -> knuckles midpoint
  return Mid(s[bp::kLeftIndex + side], s[bp::kLeftPinky + side]);
}

// Keypoints per side (side 0 = left, 1 = right: BlazePose's right index = left + 1).
struct Limb {
  Vec3 shoulder, elbow, wrist, hand, hip, knee, ankle, heel, toe;
};
Limb LimbOf(const Skeleton& s, int side) {
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

void JointAngles2D(const Skeleton& s, double facing, std::span<double, kNumJointAngles> out) {
  for (int side = 0; side < 2; ++side) {
    const Limb l = LimbOf(s, side);
    const double f = facing;
    // Each joint angle is the rotation from the proximal to the distal segment direction,
    // with the sign chosen so that flexion is positive for a right-facing athlete.
    const double shank = Dir2D(l.knee, l.ankle, f);
    const double thigh = Dir2D(l.hip, l.knee, f);
    const double trunk_down = Dir2D(l.shoulder, l.hip, f);
    const double arm = Dir2D(l.shoulder, l.elbow, f);
    const double forearm = Dir2D(l.elbow, l.wrist, f);
    out[0 + side] = Wrap180(Dir2D(l.heel, l.toe, f) - shank - 90.0);  // dorsiflexion +
    out[2 + side] = Wrap180(thigh - shank);                           // knee flexion +
    out[4 + side] = Wrap180(thigh - trunk_down);                      // hip flexion +
    out[6 + side] = Wrap180(arm - trunk_down);                        // shoulder flexion +
    out[8 + side] = Wrap180(forearm - arm);                           // elbow flexion +
    out[10 + side] = Wrap180(Dir2D(l.wrist, l.hand, f) - forearm);    // hand forward +
  }
  const Vec3 hip_mid = Mid(s[bp::kLeftHip], s[bp::kRightHip]);
  const Vec3 sho_mid = Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
  out[12] = Wrap180(90.0 - Dir2D(hip_mid, sho_mid, facing));  // forward lean +
  // Pelvis obliquity: right hip above the left is positive, whichever way the athlete faces.
  const Vec3 l = s[bp::kLeftHip], r = s[bp::kRightHip];
  const double dy_up = -(r.y - l.y), dx = std::abs(r.x - l.x);
  out[13] = (std::isfinite(dy_up) && std::isfinite(dx) && (dx > 0 || dy_up != 0))
                ? std::atan2(dy_up, dx) * kDeg
                : kNaN;
}

void JointAngles3D(const Skeleton& s, std::span<double, kNumJointAngles> out) {
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

void SegmentAngles2D(const Skeleton& s, std::span<double, kNumSegmentAngles> out) {
  for (int side = 0; side < 2; ++side) {
    const Limb l = LimbOf(s, side);
    out[0 + side] = Dir2D(l.heel, l.toe);
    out[2 + side] = Dir2D(l.knee, l.ankle);
    out[4 + side] = Dir2D(l.hip, l.knee);
    out[6 + side] = Dir2D(l.shoulder, l.elbow);
    out[8 + side] = Dir2D(l.elbow, l.wrist);
  }
  out[10] = Dir2D(s[bp::kLeftHip], s[bp::kRightHip]);
  out[11] = Dir2D(Mid(s[bp::kLeftHip], s[bp::kRightHip]),
                  Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]));
  out[12] = Dir2D(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
}

void SegmentAngles3D(const Skeleton& s, std::span<double, kNumSegmentAngles> out) {
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

double FacingDirection(std::span<const Skeleton> frames, double* confidence) {
  // Feet first: toes point the way the athlete faces in a side view. In a frontal view they
  // point at the camera and the sign is noise, which the vote's consistency reveals.
  auto vote = [&](auto&& sign_of) {
    int pos = 0, neg = 0;
    for (const Skeleton& s : frames) {
      const double v = sign_of(s);
      if (!std::isfinite(v) || v == 0) continue;
      (v > 0 ? pos : neg)++;
    }
    const int n = pos + neg;
    return std::pair<double, double>{pos >= neg ? 1.0 : -1.0,
                                     n ? std::abs(pos - neg) / static_cast<double>(n) : 0.0};
  };
  auto [dir, conf] = vote([](const Skeleton& s) {
    const double l = s[bp::kLeftToe].x - s[bp::kLeftHeel].x;
    const double r = s[bp::kRightToe].x - s[bp::kRightHeel].x;
    const double foot =
        std::hypot(s[bp::kLeftToe].x - s[bp::kLeftHeel].x, s[bp::kLeftToe].y - s[bp::kLeftHeel].y);
    // A foot seen end-on (|dx| under a third of its length) casts no vote.
    const double sum = l + r;
    return std::abs(sum) < 0.33 * 2 * foot ? kNaN : sum;
  });
  if (conf < 0.5) {
    auto [dir2, conf2] = vote([](const Skeleton& s) {
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

}  // namespace monokin::kinematics
