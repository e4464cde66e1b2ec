// SPDX-License-Identifier: Apache-2.0
// Key moments through the real kinematics stage: BlazePose-like skeletons (kinematics' synthetic
// side-view model, 1.5 px keypoint noise) -> ComputeKinematics -> DetectMoments. A standing jump
// is found with its height and timing, a fall with its impact, and a runner (whose swinging legs
// leave both feet off the ground without any ballistic flight) gives no jump and no fall.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <vector>

#include "monokin/kinematics/kinematics.h"
#include "monokin/kinematics/synthetic.h"
#include "monokin/moments/moments.h"

namespace monokin {
namespace {

using kinematics::Skeleton;
using kinematics::Vec3;
namespace ksynth = kinematics::synth;

constexpr double kFps = 30;
constexpr double kHeight = 1.75;
constexpr double kG = 9.81;

// One athlete; `world_at(t)` gives its world skeleton (metres, y down) at time t.
AthleteSeries MakeSeries(int frames, double px_per_m, Vec3 origin_px,
                         const std::function<Skeleton(double)>& world_at) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 1.5);
  std::vector<FrameResult> out;
  for (int f = 0; f < frames; ++f) {
    const double t = f / kFps;
    const Skeleton world = world_at(t);
    Skeleton image = ksynth::ProjectToImage(world, px_per_m, origin_px);
    double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
    for (Vec3& p : image) {
      p.x += noise(rng);
      p.y += noise(rng);
      x0 = std::min(x0, p.x);
      x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.y);
      y1 = std::max(y1, p.y);
    }
    FrameResult r;
    r.frame.index = f;
    r.frame.pts = Micros(static_cast<std::int64_t>(std::llround(t * 1e6)));
    r.frame.width_px = 4000;
    r.frame.height_px = 1000;
    Athlete a;
    a.id = 1;
    a.box = {static_cast<float>(x0 - 10), static_cast<float>(y0 - 20),
             static_cast<float>(x1 - x0 + 20), static_cast<float>(y1 - y0 + 25)};
    a.score = 0.9f;
    a.pose = ksynth::ToPersonPose(image, &world, 1);
    r.athletes.push_back(std::move(a));
    out.push_back(std::move(r));
  }
  return BuildAthleteSeries(out).at(0);
}

std::vector<KeyMoment> Moments(const AthleteSeries& s, const char* preset = "default") {
  Result<AthleteKinematics> k = kinematics::ComputeKinematics(s, kinematics::KinematicsOptions{});
  EXPECT_TRUE(k.ok()) << k.status().ToString();
  if (!k.ok()) return {};
  EXPECT_GT(k->scale.m_per_px, 0) << "no metric scale";
  Result<moments::MomentsOptions> o = moments::MomentsPreset(preset);
  Result<std::vector<KeyMoment>> m =
      moments::DetectMoments(std::span(&s, 1), std::span(&*k, 1), *o);
  EXPECT_TRUE(m.ok());
  return m.ok() ? *m : std::vector<KeyMoment>{};
}

std::vector<KeyMoment> OfType(const std::vector<KeyMoment>& all, const std::string& type) {
  std::vector<KeyMoment> out;
  for (const KeyMoment& m : all) {
    if (m.type == type) out.push_back(m);
  }
  return out;
}

TEST(MomentsKinematicsTest, StandingJumpHasItsFlightTimeAndHeight) {
  const double h = 0.3, v0 = std::sqrt(2 * kG * h), flight = 2 * v0 / kG, t0 = 2.0;
  const AthleteSeries s = MakeSeries(150, 300, {600, 400, 0}, [&](double t) {
    const double f = t - t0;
    const double z = f > 0 && f < flight ? v0 * f - 0.5 * kG * f * f : 0;  // height, metres
    return ksynth::MakeSagittalWorld({}, kHeight, Vec3{0, -z, 0});
  });
  const std::vector<KeyMoment> all = Moments(s);
  const auto jumps = OfType(all, "jump");
  ASSERT_EQ(jumps.size(), 1u);
  EXPECT_NEAR(jumps[0].start_s, t0, 0.1);
  EXPECT_NEAR(jumps[0].end_s, t0 + flight, 0.1);
  EXPECT_NEAR(jumps[0].peak_s, t0 + flight / 2, 0.1);
  EXPECT_NEAR(jumps[0].values.at("height_flight_m"), h, 0.06);
  EXPECT_NEAR(jumps[0].values.at("height_com_m"), h, 0.06);
  EXPECT_TRUE(OfType(all, "fall").empty());
  EXPECT_TRUE(OfType(all, "repetition").empty());  // keypoint jitter is not a repetition
}

TEST(MomentsKinematicsTest, FallIsFoundAtItsImpact) {
  // The body rotates about the feet to 85 degrees in 0.7 s from t0 and stays down.
  const double t0 = 2.0, tf = 0.7, pi = std::numbers::pi;
  auto tilt = [&](double t) {
    if (t <= t0) return 0.0;
    if (t >= t0 + tf) return 85.0;
    return 85.0 * std::pow(std::sin(pi * (t - t0) / (2 * tf)), 2);
  };
  const AthleteSeries s = MakeSeries(150, 200, {800, 300, 0}, [&](double t) {
    Skeleton w = ksynth::MakeSagittalWorld({}, kHeight);
    const Vec3 pivot = w[kinematics::bp::kLeftHeel];
    const double a = tilt(t) * pi / 180;  // forward (+x) and down (+y in world)
    for (Vec3& p : w) {
      const Vec3 d = p - pivot;
      p = Vec3{pivot.x + d.x * std::cos(a) - d.y * std::sin(a),
               pivot.y + d.x * std::sin(a) + d.y * std::cos(a), p.z};
    }
    return w;
  });
  const std::vector<KeyMoment> all = Moments(s);
  const auto falls = OfType(all, "fall");
  ASSERT_EQ(falls.size(), 1u);
  // Impact: CoM within 0.3 statures of the lowest point and axis beyond 60 degrees, which this
  // rigid rotation reaches at 60 degrees of tilt (the CoM sits at ~0.55 stature).
  const double impact = t0 + 2 * tf / pi * std::asin(std::sqrt(60.0 / 85.0));
  EXPECT_NEAR(falls[0].peak_s, impact, 0.1);
  EXPECT_LT(falls[0].start_s, falls[0].peak_s);
  EXPECT_TRUE(OfType(all, "jump").empty());
}

TEST(MomentsKinematicsTest, RunnerGivesNoJumpAndNoFall) {
  // 4 m/s for 6 s, 1.4 strides per second; the hips stay level, so the legs' swing alone lifts
  // the lowest foot (no ballistic flight).
  const AthleteSeries s = MakeSeries(180, 100, {200, 400, 0}, [&](double t) {
    const auto pose = ksynth::RunningPose(2 * std::numbers::pi * 1.4 * t);
    return ksynth::MakeSagittalWorld(pose, kHeight, Vec3{4.0 * t, 0, 0});
  });
  for (const char* preset : {"default", "athletics"}) {
    SCOPED_TRACE(preset);
    const std::vector<KeyMoment> all = Moments(s, preset);
    EXPECT_TRUE(OfType(all, "jump").empty());
    EXPECT_TRUE(OfType(all, "fall").empty());
    EXPECT_TRUE(OfType(all, "change_of_direction").empty());
  }
}

}  // namespace
}  // namespace monokin
