// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/body.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "monokin/kinematics/synthetic.h"

namespace monokin::kinematics {
namespace {

TEST(Body, StatureOfUprightSkeleton) {
  for (double h : {1.5, 1.75, 2.0}) {
    const Skeleton w = synth::MakeSagittalWorld({}, h);
    EXPECT_NEAR(StatureOf(w), h, 1e-9);
    EXPECT_NEAR(StatureOf(synth::ProjectToImage(w, 250, {100, 50, 0})), 250 * h, 1e-6);
  }
}

// A series that walks bent-kneed, then stands still for a second: the upright stretch is
// found and gives the stature within 1 %, under 1 px of keypoint noise.
TEST(Body, MeasureStaturePrefersCalmUprightStretch) {
  std::mt19937 rng(9);
  std::normal_distribution<double> noise(0, 1.0);
  std::vector<Skeleton> frames;
  for (int t = 0; t < 150; ++t) {
    synth::SagittalPose p;
    if (t < 90) p = synth::RunningPose(t * 0.3);
    Skeleton img = synth::ProjectToImage(synth::MakeSagittalWorld(p, 1.8), 300,
                                         {100 + (t < 90 ? 5.0 * t : 450.0), 300, 0});
    for (Vec3& v : img) {
      v.x += noise(rng);
      v.y += noise(rng);
    }
    frames.push_back(img);
  }
  const StatureMeasurement m = MeasureStature(frames, 30);
  EXPECT_TRUE(m.upright);
  EXPECT_GE(m.frames, 50);
  EXPECT_NEAR(m.height, 300 * 1.8, 0.01 * 300 * 1.8);
  // Without the calm stretch: no upright frames, a fallback value below the true stature.
  const StatureMeasurement r = MeasureStature(std::span(frames).first(90), 30);
  EXPECT_FALSE(r.upright);
  EXPECT_GT(r.height, 0.8 * 540);
  EXPECT_LT(r.height, 1.01 * 540);
}

TEST(Body, CentreOfMassOfStandingAthlete) {
  const Skeleton w = synth::MakeSagittalWorld({}, 1.75);
  const Vec3 com = CentreOfMass(w);
  // Ground is at the heels (y down). Standing CoM sits at about 55-57 % of stature.
  const double ground = w[bp::kLeftHeel].y;
  const double height_frac = (ground - com.y) / 1.75;
  EXPECT_GT(height_frac, 0.53);
  EXPECT_LT(height_frac, 0.60);
  EXPECT_NEAR(com.z, 0, 1e-9);  // left-right symmetric
  const Vec3 comf = CentreOfMass(w, Sex::kFemale);
  EXPECT_GT((ground - comf.y) / 1.75, 0.53);
}

// Property: the centre of mass moves with the skeleton (translation, scaling).
TEST(Body, CentreOfMassIsEquivariant) {
  std::mt19937 rng(10);
  std::uniform_real_distribution<double> u(-2, 2), sc(0.2, 5);
  for (int trial = 0; trial < 100; ++trial) {
    Skeleton s;
    for (Vec3& v : s) v = {u(rng), u(rng), u(rng)};
    const double k = sc(rng);
    const Vec3 tr{u(rng), u(rng), u(rng)};
    Skeleton t;
    for (int i = 0; i < bp::kCount; ++i) t[i] = k * s[i] + tr;
    const Vec3 a = CentreOfMass(s), b = CentreOfMass(t);
    EXPECT_NEAR(b.x, k * a.x + tr.x, 1e-9);
    EXPECT_NEAR(b.y, k * a.y + tr.y, 1e-9);
    EXPECT_NEAR(b.z, k * a.z + tr.z, 1e-9);
  }
  Skeleton s;
  for (Vec3& v : s) v = {1, 2, 3};
  const Vec3 c = CentreOfMass(s);
  EXPECT_NEAR(c.x, 1, 1e-12);
  s[bp::kLeftKnee] = {NAN, NAN, NAN};
  EXPECT_TRUE(std::isnan(CentreOfMass(s).x));
}

}  // namespace
}  // namespace monokin::kinematics
