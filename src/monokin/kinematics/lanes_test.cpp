// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/lanes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "monokin/kinematics/synthetic.h"

namespace monokin::kinematics {
namespace {

// Bitwise equality, NaN equal to NaN.
void ExpectSame(double got, double want, const char* what, size_t t, int k) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << " frame " << t << " #" << k;
  } else {
    EXPECT_EQ(got, want) << what << " frame " << t << " #" << k;
  }
}

// Random noisy poses with missing points, stored as per-coordinate series (image x, y; world
// x, y, z per kept keypoint, as ComputeKinematics keeps them).
struct Series {
  size_t n = 0;
  std::vector<double> soa;
  std::vector<Skeleton> image, world;  // the same frames as skeletons (2D: z 0 where seen)
};

Series MakeSeries(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 0.02);
  Series s;
  s.n = n;
  s.soa.assign(kSeriesKeypoints.size() * 5 * n, NAN);
  for (size_t t = 0; t < n; ++t) {
    synth::SagittalPose p;
    p.trunk_lean_deg = 60 * u(rng) - 20;
    for (int side = 0; side < 2; ++side) {
      p.hip_deg[side] = 130 * u(rng) - 20;
      p.knee_deg[side] = 140 * u(rng);
      p.elbow_deg[side] = 145 * u(rng);
    }
    Skeleton w = synth::MakeSagittalWorld(p, 1.75);
    for (Vec3& v : w) v = v + Vec3{noise(rng), noise(rng), noise(rng)};
    Skeleton img = synth::ProjectToImage(w, 300, {640, 500, 0});
    for (int j = 0; j < bp::kCount; ++j) {
      if (u(rng) < 0.05) img[j] = {NAN, NAN, NAN};
      if (u(rng) < 0.05) w[j] = {NAN, NAN, NAN};
      if (t % 7 == 3 && j == bp::kLeftKnee) img[j] = img[bp::kRightKnee];  // coinciding points
      img[j].z = std::isfinite(img[j].x) ? 0.0 : NAN;
    }
    Skeleton wi, ii;
    for (int j = 0; j < bp::kCount; ++j) {
      wi[j] = ii[j] = {NAN, NAN, NAN};
      const int q = kSeriesIndex[j];
      if (q < 0) continue;
      ii[j] = img[j];
      wi[j] = w[j];
      double* base = s.soa.data() + static_cast<size_t>(q) * 5 * n + t;
      base[0] = img[j].x;
      base[n] = img[j].y;
      base[2 * n] = w[j].x;
      base[3 * n] = w[j].y;
      base[4 * n] = w[j].z;
    }
    s.image.push_back(ii);
    s.world.push_back(wi);
  }
  return s;
}

// Every lane of the vector forms gives what the one-skeleton forms give for that frame, bit for
// bit, at both widths (four only where the CPU has AVX), tails of the series included.
template <typename V>
void CheckWidth(const Series& s) {
  using namespace lanes;  // NOLINT
  const SeriesFrames image{{s.soa.data(), 5 * s.n, s.n, -1, 1.0}, s.n};
  const SeriesFrames world{{s.soa.data() + 2 * s.n, 5 * s.n, s.n, 2, 1.0}, s.n};
  for (size_t t = 0; t < s.n; t += kWidth<V>) {
    const Skeletons<V> img = Load<V>(image, t), w = Load<V>(world, t);
    JointsV<V> j2, j3;
    SegmentsV<V> g2, g3;
    P<V> c2, c3;
    Angles2DV(img, -1, j2, g2);
    JointAngles3DV(w, j3);
    SegmentAngles3DV(w, g3);
    CentreOfMassV(img, Sex::kFemale, c2);
    CentreOfMassV(w, Sex::kMale, c3);
    for (size_t l = 0; l < kWidth<V> && t + l < s.n; ++l) {
      const size_t f = t + l;
      std::array<double, kNumJointAngles> wj2, wj3;
      std::array<double, kNumSegmentAngles> wg2, wg3;
      Angles2D(s.image[f], -1, wj2, wg2);
      JointAngles3D(s.world[f], wj3);
      SegmentAngles3D(s.world[f], wg3);
      for (int a = 0; a < kNumJointAngles; ++a) {
        ExpectSame(j2.a[a][l], wj2[a], "joint 2D", f, a);
        ExpectSame(j3.a[a][l], wj3[a], "joint 3D", f, a);
      }
      for (int a = 0; a < kNumSegmentAngles; ++a) {
        ExpectSame(g2.a[a][l], wg2[a], "segment 2D", f, a);
        ExpectSame(g3.a[a][l], wg3[a], "segment 3D", f, a);
      }
      const Vec3 wc2 = CentreOfMass(s.image[f], Sex::kFemale);
      const Vec3 wc3 = CentreOfMass(s.world[f], Sex::kMale);
      ExpectSame(c2.x[l], wc2.x, "com 2D x", f, 0);
      ExpectSame(c2.y[l], wc2.y, "com 2D y", f, 1);
      ExpectSame(c3.x[l], wc3.x, "com 3D x", f, 0);
      ExpectSame(c3.y[l], wc3.y, "com 3D y", f, 1);
      ExpectSame(c3.z[l], wc3.z, "com 3D z", f, 2);
    }
  }
}

MONOKIN_KIN_AVX void CheckFour(const Series& s) { CheckWidth<lanes::V4>(s); }

TEST(Lanes, FramesAtOnceEqualOneByOne) {
  for (size_t n : {1u, 2u, 3u, 5u, 203u}) {
    const Series s = MakeSeries(n, static_cast<unsigned>(40 + n));
    CheckWidth<lanes::V2>(s);
    if (lanes::HaveV4()) CheckFour(s);
  }
}

}  // namespace
}  // namespace monokin::kinematics
