// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/angles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "monokin/kinematics/synthetic.h"

namespace monokin::kinematics {
namespace {

using JointOut = std::array<double, kNumJointAngles>;
using SegOut = std::array<double, kNumSegmentAngles>;

synth::SagittalPose RandomPose(std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  auto r = [&](double lo, double hi) { return lo + (hi - lo) * u(rng); };
  synth::SagittalPose p;
  p.trunk_lean_deg = r(-20, 40);
  for (int s = 0; s < 2; ++s) {
    p.hip_deg[s] = r(-20, 110);
    p.knee_deg[s] = r(0, 140);
    p.ankle_deg[s] = r(-40, 30);
    p.shoulder_deg[s] = r(-40, 170);
    p.elbow_deg[s] = r(0, 145);
    p.wrist_deg[s] = r(-60, 60);
  }
  return p;
}

void ExpectPoseAngles(const synth::SagittalPose& p, const JointOut& j, bool unsigned_3d,
                      double tol) {
  for (int s = 0; s < 2; ++s) {
    auto v = [&](double a) { return unsigned_3d ? std::abs(a) : a; };
    EXPECT_NEAR(j[0 + s], p.ankle_deg[s], tol);  // ankle is offset from 90, keeps its sign
    EXPECT_NEAR(j[2 + s], v(p.knee_deg[s]), tol);
    EXPECT_NEAR(j[4 + s], v(p.hip_deg[s]), tol);
    EXPECT_NEAR(j[6 + s], v(p.shoulder_deg[s]), tol);
    EXPECT_NEAR(j[8 + s], v(p.elbow_deg[s]), tol);
    EXPECT_NEAR(j[10 + s], v(p.wrist_deg[s]), tol);
  }
  EXPECT_NEAR(j[12], unsigned_3d ? std::abs(p.trunk_lean_deg) : p.trunk_lean_deg, tol);
  // Pelvis obliquity: 0 in 3D; in a pure side view both hips project on one point (NaN).
  if (unsigned_3d) {
    EXPECT_NEAR(j[13], 0, tol);
  }
}

TEST(Angles, RecoversPrescribedSagittalAngles2DAnd3D) {
  std::mt19937 rng(1);
  for (int trial = 0; trial < 200; ++trial) {
    const synth::SagittalPose p = RandomPose(rng);
    const Skeleton world = synth::MakeSagittalWorld(p, 1.8);
    const Skeleton image = synth::ProjectToImage(world, 400, {640, 360, 0});
    JointOut j2, j3;
    JointAngles2D(image, +1, j2);
    JointAngles3D(world, j3);
    ExpectPoseAngles(p, j2, false, 1e-6);
    ExpectPoseAngles(p, j3, true, 1e-6);
    // A left-facing athlete (mirrored image) with facing = -1 gives the same angles.
    Skeleton mirrored = image;
    for (Vec3& v : mirrored) v.x = 1280 - v.x;
    JointOut jm;
    JointAngles2D(mirrored, -1, jm);
    for (int k = 0; k < 12; ++k) EXPECT_NEAR(jm[k], j2[k], 1e-6);
  }
}

TEST(Angles, SegmentAnglesOfKnownPose) {
  synth::SagittalPose p;   // standing straight
  p.shoulder_deg[0] = 90;  // left arm forward, horizontal
  p.knee_deg[1] = 90;      // right shank horizontal backwards
  p.hip_deg[1] = 0;
  const Skeleton world = synth::MakeSagittalWorld(p, 1.75);
  const Skeleton image = synth::ProjectToImage(world, 300, {0, 0, 0});
  SegOut s2, s3;
  SegmentAngles2D(image, s2);
  SegmentAngles3D(world, s3);
  EXPECT_NEAR(s2[SegmentAngleIndex("thigh_left")], -90, 1e-6);
  EXPECT_NEAR(s2[SegmentAngleIndex("arm_left")], 0, 1e-6);
  EXPECT_NEAR(std::abs(s2[SegmentAngleIndex("shank_right")]), 180, 1e-6);
  EXPECT_NEAR(s2[SegmentAngleIndex("trunk")], 90, 1e-6);
  EXPECT_NEAR(s2[SegmentAngleIndex("foot_left")], 0, 1e-6);
  EXPECT_NEAR(s3[SegmentAngleIndex("thigh_left")], -90, 1e-6);
  EXPECT_NEAR(s3[SegmentAngleIndex("arm_left")], 0, 1e-6);
  EXPECT_NEAR(s3[SegmentAngleIndex("shank_right")], 0, 1e-6);
  EXPECT_NEAR(s3[SegmentAngleIndex("trunk")], 90, 1e-6);
  EXPECT_NEAR(s3[SegmentAngleIndex("pelvis")], 0, 1e-6);
}

// Property: joint angles (other than trunk and pelvis, which are against the vertical) do not
// change when a random skeleton is translated, rotated in the image plane and scaled; segment
// angles all turn by the rotation.
TEST(Angles, InvariantToTranslationRotationScaling2D) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> coord(0, 1000), ang(-180, 180), sc(0.1, 10);
  for (int trial = 0; trial < 500; ++trial) {
    Skeleton s;
    for (Vec3& v : s) v = {coord(rng), coord(rng), 0};
    const double a = ang(rng) * std::numbers::pi / 180, k = sc(rng);
    const double tx = coord(rng) - 500, ty = coord(rng) - 500;
    Skeleton t;
    for (int i = 0; i < bp::kCount; ++i) {
      // Rotation by +a counter-clockwise in the y-up frame = clockwise in image coords.
      const double x = s[i].x, y = -s[i].y;
      const double xr = std::cos(a) * x - std::sin(a) * y, yr = std::sin(a) * x + std::cos(a) * y;
      t[i] = {k * xr + tx, -(k * yr) + ty, 0};
    }
    JointOut j1, j2;
    JointAngles2D(s, 1, j1);
    JointAngles2D(t, 1, j2);
    for (int i = 0; i < 12; ++i) {
      const double d = std::remainder(j1[i] - j2[i], 360.0);
      ASSERT_NEAR(d, 0, 1e-6) << kJointAngleNames[i];
    }
    SegOut s1, s2;
    SegmentAngles2D(s, s1);
    SegmentAngles2D(t, s2);
    for (int i = 0; i < kNumSegmentAngles; ++i) {
      const double d = std::remainder(s2[i] - s1[i] - a * 180 / std::numbers::pi, 360.0);
      ASSERT_NEAR(d, 0, 1e-6) << kSegmentAngleNames[i];
    }
  }
}

TEST(Angles, InvariantToRigidMotionAndScaling3D) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> coord(-1, 1), sc(0.1, 10);
  for (int trial = 0; trial < 500; ++trial) {
    Skeleton s;
    for (Vec3& v : s) v = {coord(rng), coord(rng), coord(rng)};
    // Random rotation from a random unit quaternion.
    double q[4] = {coord(rng), coord(rng), coord(rng), coord(rng)};
    const double qn = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    for (double& c : q) c /= qn;
    const double w = q[0], x = q[1], y = q[2], z = q[3];
    const double r[3][3] = {{1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)},
                            {2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)},
                            {2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)}};
    const double k = sc(rng);
    const Vec3 tr{coord(rng), coord(rng), coord(rng)};
    Skeleton t;
    for (int i = 0; i < bp::kCount; ++i) {
      const Vec3 v = s[i];
      t[i] = Vec3{k * (r[0][0] * v.x + r[0][1] * v.y + r[0][2] * v.z),
                  k * (r[1][0] * v.x + r[1][1] * v.y + r[1][2] * v.z),
                  k * (r[2][0] * v.x + r[2][1] * v.y + r[2][2] * v.z)} +
             tr;
    }
    JointOut j1, j2;
    JointAngles3D(s, j1);
    JointAngles3D(t, j2);
    for (int i = 0; i < 12; ++i) ASSERT_NEAR(j1[i], j2[i], 1e-6) << kJointAngleNames[i];
  }
}

// The table-and-series arctangent every angle uses agrees with std::atan2 to 3 units in the last
// place, over
// all quadrants, ratios near the table's sixteenths, zeros of both signs and tiny values.
TEST(Angles, Atan2MatchesStd) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-1, 1);
  std::uniform_int_distribution<int> e(-30, 30), j(0, 16);
  auto check = [&](double y, double x) {
    const double want = std::atan2(y, x), got = Atan2(y, x);
    ASSERT_EQ(std::signbit(want), std::signbit(got)) << y << " " << x;
    const double err = std::abs(got - want) / std::max(std::abs(want), 1e-300);
    ASSERT_LE(err, 6e-16) << y << " " << x << " " << got << " " << want;
  };
  for (int i = 0; i < 400000; ++i) {
    const double x = u(rng) * std::ldexp(1.0, e(rng)), y = u(rng) * std::ldexp(1.0, e(rng));
    check(y, x);
    // Ratios at and around the sixteenths and the 1/32 boundaries between them.
    const double t = j(rng) / 16.0 + (i % 3 - 1) * (1.0 / 32) * (1 - 1e-12 * u(rng));
    check(t * x, x);
    check(x, t * x);
  }
  for (double y : {0.0, -0.0, 1.0, -1.0}) {
    for (double x : {0.0, -0.0, 1.0, -1.0}) check(y, x);
  }
  check(1e-300, 1.0);
  check(-1.0, 1e-300);
}

TEST(Angles, MissingPointsGiveNaN) {
  const Skeleton world = synth::MakeSagittalWorld({}, 1.75);
  Skeleton image = synth::ProjectToImage(world, 300, {300, 300, 0});
  image[bp::kLeftKnee] = {NAN, NAN, 0};
  JointOut j;
  JointAngles2D(image, 1, j);
  EXPECT_TRUE(std::isnan(j[JointAngleIndex("knee_left")]));
  EXPECT_TRUE(std::isnan(j[JointAngleIndex("hip_left")]));
  EXPECT_FALSE(std::isnan(j[JointAngleIndex("knee_right")]));
}

TEST(Angles, FacingFromFeet) {
  std::vector<Skeleton> frames;
  const Skeleton world = synth::MakeSagittalWorld({}, 1.75);
  frames.push_back(synth::ProjectToImage(world, 300, {300, 300, 0}));
  double conf = 0;
  EXPECT_EQ(FacingDirection(frames, &conf), 1.0);
  EXPECT_GT(conf, 0.9);
  for (Vec3& v : frames[0]) v.x = -v.x;
  EXPECT_EQ(FacingDirection(frames, &conf), -1.0);
}

}  // namespace
}  // namespace monokin::kinematics
