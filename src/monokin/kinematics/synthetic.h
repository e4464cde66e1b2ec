// SPDX-License-Identifier: Apache-2.0
// Synthetic skeletons with known joint angles, for tests and benchmarks: a side view of an
// athlete facing image right, built from the prescribed sagittal angles with the conventions of
// README.md. Header-only; not used by the library itself.
#pragma once

#include <cmath>
#include <numbers>

#include "monokin/core/types.h"
#include "monokin/kinematics/angles.h"

namespace monokin::kinematics::synth {

struct SagittalPose {
  double trunk_lean_deg = 0;   // forward lean from vertical
  double hip_deg[2] = {0, 0};  // [left, right] flexion
  double knee_deg[2] = {0, 0};
  double ankle_deg[2] = {0, 0};  // dorsiflexion
  double shoulder_deg[2] = {0, 0};
  double elbow_deg[2] = {0, 0};
  double wrist_deg[2] = {0, 0};
};

// A running-like pose at gait phase `phase_rad` (one stride = 2 pi): legs and arms swing in
// opposition.
inline SagittalPose RunningPose(double phase_rad) {
  SagittalPose p;
  p.trunk_lean_deg = 8;
  for (int side = 0; side < 2; ++side) {
    const double ph = phase_rad + (side ? std::numbers::pi : 0.0);
    p.hip_deg[side] = 20 + 40 * std::sin(ph);
    p.knee_deg[side] = 55 + 45 * std::sin(ph + 1.2);
    p.ankle_deg[side] = 5 + 15 * std::sin(ph - 0.5);
    p.shoulder_deg[side] = 10 - 35 * std::sin(ph);
    p.elbow_deg[side] = 90 + 10 * std::sin(ph);
    p.wrist_deg[side] = 5;
  }
  return p;
}

// World skeleton in metres (x right = forward, y down, z to camera), mid-hip at `hip` .
// Segment lengths are the usual fractions of stature (Drillis & Contini).
inline Skeleton MakeSagittalWorld(const SagittalPose& p, double height_m, Vec3 hip = {}) {
  const double h = height_m;
  auto dir = [](double deg) {  // y-up angle -> world (y down) unit vector
    const double r = deg * std::numbers::pi / 180.0;
    return Vec3{std::cos(r), -std::sin(r), 0};
  };
  Skeleton s;
  const double up = 90.0 - p.trunk_lean_deg, down = -90.0 - p.trunk_lean_deg;
  for (int side = 0; side < 2; ++side) {
    const Vec3 off{0, 0, side == 0 ? 0.08 * h : -0.08 * h};
    const Vec3 hp = hip + off;
    const Vec3 sh = hp + 0.288 * h * dir(up);
    const double thigh = down + p.hip_deg[side];
    const double shank = thigh - p.knee_deg[side];
    const double foot = shank + 90.0 + p.ankle_deg[side];
    const double arm = down + p.shoulder_deg[side];
    const double forearm = arm + p.elbow_deg[side];
    const double hand = forearm + p.wrist_deg[side];
    const Vec3 kn = hp + 0.245 * h * dir(thigh);
    const Vec3 an = kn + 0.246 * h * dir(shank);
    const Vec3 he = an + 0.039 * h * dir(shank);
    const Vec3 to = he + 0.152 * h * dir(foot);
    const Vec3 el = sh + 0.186 * h * dir(arm);
    const Vec3 wr = el + 0.146 * h * dir(forearm);
    const Vec3 knuckles = wr + 0.06 * h * dir(hand);
    s[bp::kLeftHip + side] = hp;
    s[bp::kLeftShoulder + side] = sh;
    s[bp::kLeftKnee + side] = kn;
    s[bp::kLeftAnkle + side] = an;
    s[bp::kLeftHeel + side] = he;
    s[bp::kLeftToe + side] = to;
    s[bp::kLeftElbow + side] = el;
    s[bp::kLeftWrist + side] = wr;
    s[bp::kLeftIndex + side] = knuckles + Vec3{0, 0, 0.01 * h};
    s[bp::kLeftPinky + side] = knuckles + Vec3{0, 0, -0.01 * h};
    s[bp::kLeftThumb + side] = wr + 0.04 * h * dir(hand + 20);
  }
  const Vec3 sho_mid = Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
  const Vec3 eyes = sho_mid + 0.118 * h * dir(up);
  const Vec3 fwd = dir(up - 90.0);
  s[bp::kNose] = eyes + 0.05 * h * fwd + 0.02 * h * dir(down);
  for (int k = 1; k <= 6; ++k) {
    s[k] = eyes + 0.03 * h * fwd + Vec3{0, 0, (k <= 3 ? 0.03 : -0.03) * h};
  }
  s[bp::kLeftEye] = eyes + Vec3{0, 0, 0.03 * h};  // mid-eye straight above mid-shoulder
  s[bp::kRightEye] = eyes + Vec3{0, 0, -0.03 * h};
  s[bp::kLeftEar] = eyes - 0.04 * h * fwd + Vec3{0, 0, 0.07 * h};
  s[bp::kRightEar] = eyes - 0.04 * h * fwd + Vec3{0, 0, -0.07 * h};
  s[9] = s[bp::kNose] + 0.03 * h * dir(down) + Vec3{0, 0, 0.02 * h};
  s[10] = s[bp::kNose] + 0.03 * h * dir(down) + Vec3{0, 0, -0.02 * h};
  return s;
}

// Orthographic image of a world skeleton: px = origin + scale * (x, y), z dropped.
inline Skeleton ProjectToImage(const Skeleton& world, double px_per_m, Vec3 origin_px) {
  Skeleton s;
  for (int k = 0; k < bp::kCount; ++k) {
    s[k] = {origin_px.x + px_per_m * world[k].x, origin_px.y + px_per_m * world[k].y, 0};
  }
  return s;
}

// A PersonPose from an image skeleton and (optionally hip-centred) world skeleton.
inline PersonPose ToPersonPose(const Skeleton& image, const Skeleton* world, TrackId id,
                               float visibility = 0.99f) {
  PersonPose p;
  p.track = id;
  p.score = 0.99f;
  p.keypoints.resize(bp::kCount);
  for (int k = 0; k < bp::kCount; ++k) {
    p.keypoints[k].x_px = static_cast<float>(image[k].x);
    p.keypoints[k].y_px = static_cast<float>(image[k].y);
    p.keypoints[k].visibility = visibility;
    p.keypoints[k].presence = visibility;
  }
  if (world) {
    const Vec3 c = Mid((*world)[bp::kLeftHip], (*world)[bp::kRightHip]);
    p.world.resize(bp::kCount);
    for (int k = 0; k < bp::kCount; ++k) {
      const Vec3 w = (*world)[k] - c;
      p.world[k] = {static_cast<float>(w.x), static_cast<float>(w.y), static_cast<float>(w.z)};
    }
  }
  return p;
}

}  // namespace monokin::kinematics::synth
