// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/kinematics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "monokin/kinematics/synthetic.h"

namespace monokin::kinematics {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kFps = 30;
constexpr double kPxPerM = 300;

struct Truth {
  std::vector<synth::SagittalPose> poses;
  AthleteSeries series;
};

// An athlete standing still for `still_s`, then moving with `pose_at(t)`; image noise
// `noise_px`, world noise noise_px / kPxPerM metres; frames in `drop` have no athlete.
template <typename PoseAt>
Truth MakeSeries(int n, double still_s, PoseAt pose_at, double noise_px, std::mt19937& rng,
                 const std::vector<std::pair<int, int>>& drop = {}) {
  Truth tr;
  std::normal_distribution<double> noise(0, 1.0);
  std::vector<FrameResult> frames;
  for (int t = 0; t < n; ++t) {
    const double time = t / kFps;
    const synth::SagittalPose p = time < still_s ? synth::SagittalPose{} : pose_at(time - still_s);
    tr.poses.push_back(p);
    bool dropped = false;
    for (auto [a, b] : drop) dropped |= (t >= a && t < b);
    if (dropped) continue;
    Skeleton w = synth::MakeSagittalWorld(p, 1.75);
    Skeleton img = synth::ProjectToImage(w, kPxPerM, {400, 500, 0});
    for (Vec3& v : img) {
      v.x += noise_px * noise(rng);
      v.y += noise_px * noise(rng);
    }
    for (Vec3& v : w) {
      v.x += noise_px / kPxPerM * noise(rng);
      v.y += noise_px / kPxPerM * noise(rng);
      v.z += noise_px / kPxPerM * noise(rng);
    }
    FrameResult f;
    f.frame.index = t;
    f.frame.pts = Micros(static_cast<std::int64_t>(std::llround(time * 1e6)));
    f.frame.width_px = 1280;
    f.frame.height_px = 720;
    Athlete a;
    a.id = 7;
    a.pose = synth::ToPersonPose(img, &w, 7);
    f.athletes.push_back(a);
    frames.push_back(f);
  }
  tr.series = BuildAthleteSeries(frames).at(0);
  return tr;
}

synth::SagittalPose Squat(double t) {  // 2.5 s per squat
  synth::SagittalPose p;
  const double d = 0.5 * (1 - std::cos(2 * kPi * t / 2.5));
  p.knee_deg[0] = p.knee_deg[1] = 100 * d;
  p.hip_deg[0] = p.hip_deg[1] = 90 * d;
  p.ankle_deg[0] = p.ankle_deg[1] = 25 * d;
  p.trunk_lean_deg = 35 * d;
  p.shoulder_deg[0] = p.shoulder_deg[1] = 80 * d;
  p.elbow_deg[0] = p.elbow_deg[1] = 10 + 20 * d;
  return p;
}

double TrueAngle(const synth::SagittalPose& p, const std::string& name) {
  if (name == "knee_left") return p.knee_deg[0];
  if (name == "knee_right") return p.knee_deg[1];
  if (name == "hip_left") return p.hip_deg[0];
  if (name == "ankle_left") return p.ankle_deg[0];
  if (name == "shoulder_left") return p.shoulder_deg[0];
  if (name == "elbow_left") return p.elbow_deg[0];
  if (name == "trunk") return p.trunk_lean_deg;
  return NAN;
}

// Known angle trajectories under 2 px noise (the athlete is 525 px tall; the forearm 77 px, so
// 2 px is 1.5 deg of its direction per point) and two gaps (5 and 12 frames, the longer one
// mid-squat): recovered with an RMS error under 2.5 deg and a worst error under 8 deg (2D and
// 3D), gaps included.
TEST(Kinematics, RecoversKnownAnglesThroughNoiseAndGaps) {
  std::mt19937 rng(31);
  const Truth tr = MakeSeries(450, 1.0, Squat, 2.0, rng, {{100, 105}, {250, 262}});
  Result<AthleteKinematics> r = ComputeKinematics(tr.series, KinematicsOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const AthleteKinematics& k = *r;
  ASSERT_EQ(k.time_s.size(), 450u);
  EXPECT_NEAR(k.sample_rate_hz, kFps, 1e-3);  // pts are whole microseconds
  EXPECT_EQ(k.facing, 1.0);
  for (const char* prefix : {"angle", "angle3d"}) {
    for (const std::string name : {"knee_left", "knee_right", "hip_left", "ankle_left",
                                   "shoulder_left", "elbow_left", "trunk"}) {
      const KinematicSignal* s = k.Find(fmt::format("{}_{}_deg", prefix, name));
      ASSERT_NE(s, nullptr) << name;
      double se = 0, worst = 0;
      for (size_t i = 0; i < 450; ++i) {
        const double e = s->values[i] - TrueAngle(tr.poses[i], name);
        ASSERT_TRUE(std::isfinite(e)) << prefix << " " << name << " at " << i;
        se += e * e;
        worst = std::max(worst, std::abs(e));
      }
      EXPECT_LT(std::sqrt(se / 450), 2.5) << prefix << " " << name;
      EXPECT_LT(worst, 8.0) << prefix << " " << name;
    }
  }
  // Angular velocity of the knee: d/dt of 50 (1 - cos(2 pi t / 2.5)), peak 126 deg/s. Noise
  // between 3 and 6 Hz passes the default filter and differentiation amplifies it (about
  // 30 deg/s RMS here), so a squat is analysed with a 3 Hz cutoff: RMS error < 15 deg/s.
  KinematicsOptions slow;
  slow.cutoff_hz = 3;
  Result<AthleteKinematics> r3 = ComputeKinematics(tr.series, slow);
  ASSERT_TRUE(r3.ok());
  const KinematicSignal* v = r3->Find("angvel_knee_left_deg_s");
  ASSERT_NE(v, nullptr);
  double se = 0;
  int cnt = 0;
  for (size_t i = 60; i < 440; ++i) {
    const double t = i / kFps - 1.0;
    const double ev = v->values[i] - 100 * kPi / 2.5 * std::sin(2 * kPi * t / 2.5);
    se += ev * ev;
    ++cnt;
  }
  EXPECT_LT(std::sqrt(se / cnt), 15.0);
  // Scale from the standing second: 1/300 m per px within 2 %.
  EXPECT_EQ(k.scale.source, "height_upright");
  EXPECT_NEAR(k.scale.m_per_px, 1.0 / kPxPerM, 0.02 / kPxPerM);
  // Five whole squats: 14 s of squatting at 2.5 s each after the first second.
  EXPECT_EQ(k.repetitions.repetitions.size(), 5u) << k.repetitions.signal;
  EXPECT_NEAR(k.repetitions.period_s, 2.5, 0.1);
  for (const Repetition& rep : k.repetitions.repetitions) EXPECT_GT(rep.range, 60);
}

TEST(Kinematics, CentreOfMassSpeedAndDistanceOfAGlidingAthlete) {
  // The whole skeleton translates at 2 m/s to the right after standing 1 s: CoM speed 2 m/s.
  std::mt19937 rng(32);
  std::vector<FrameResult> frames;
  for (int t = 0; t < 150; ++t) {
    const double time = t / kFps;
    const double x = time < 1.0 ? 0.0 : 2.0 * (time - 1.0);
    const Skeleton w = synth::MakeSagittalWorld({}, 1.75);
    const Skeleton img = synth::ProjectToImage(w, kPxPerM, {100 + kPxPerM * x, 500, 0});
    FrameResult f;
    f.frame.index = t;
    f.frame.pts = Micros(static_cast<std::int64_t>(std::llround(time * 1e6)));
    f.frame.height_px = 720;
    Athlete a;
    a.id = 1;
    a.pose = synth::ToPersonPose(img, &w, 1);
    f.athletes.push_back(a);
    frames.push_back(f);
  }
  Result<AthleteKinematics> r = ComputeKinematics(BuildAthleteSeries(frames)[0], {});
  ASSERT_TRUE(r.ok());
  const KinematicSignal* sp = r->Find("com_speed_m_s");
  const KinematicSignal* d = r->Find("com_distance_m");
  ASSERT_NE(sp, nullptr);
  ASSERT_NE(d, nullptr);
  for (int i = 60; i < 140; ++i) EXPECT_NEAR(sp->values[i], 2.0, 0.05) << i;
  EXPECT_NEAR(d->values[149] - d->values[30], 2.0 * (149 - 30) / kFps, 0.1);
}

// Causal mode: what sample i shows does not change when later samples arrive.
TEST(Kinematics, CausalOutputsDependOnlyOnThePast) {
  std::mt19937 rng(33);
  const Truth tr = MakeSeries(200, 0.5, Squat, 2.0, rng, {{80, 84}});
  KinematicsOptions o;
  o.causal = true;
  Result<AthleteKinematics> full = ComputeKinematics(tr.series, o);
  ASSERT_TRUE(full.ok());
  AthleteSeries part = tr.series;
  part.samples.resize(120);
  Result<AthleteKinematics> head = ComputeKinematics(part, o);
  ASSERT_TRUE(head.ok());
  const size_t m = head->time_s.size();
  // Angles only: metric values depend on the scale, which is measured on the data given.
  for (const char* name : {"angle_knee_left_deg", "angvel_knee_left_deg_s", "angle3d_hip_left_deg",
                           "segment_thigh_right_deg"}) {
    const KinematicSignal* a = full->Find(name);
    const KinematicSignal* b = head->Find(name);
    ASSERT_TRUE(a && b) << name;
    for (size_t i = 0; i < m; ++i) {
      if (std::isnan(b->values[i])) {
        EXPECT_TRUE(std::isnan(a->values[i])) << name << " " << i;
        continue;
      }
      ASSERT_NEAR(a->values[i], b->values[i], 1e-6 * std::max(1.0, std::abs(b->values[i])))
          << name << " " << i;
    }
  }
}

TEST(Kinematics, EmptyAndPoselessSeries) {
  AthleteSeries s;
  s.id = 3;
  Result<AthleteKinematics> r = ComputeKinematics(s, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->time_s.empty());
  AthleteSample a;
  a.frame.index = 5;
  s.samples.push_back(a);
  r = ComputeKinematics(s, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->time_s.size(), 1u);
  EXPECT_EQ(r->scale.source, "none");
  EXPECT_TRUE(std::isnan(r->Find("angle_knee_left_deg")->values[0]));
}

TEST(KinematicsOptions, ValidateNamesTheField) {
  KinematicsOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.height_m = 4;
  o.filter_order = 0;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("kinematics.height_m"), std::string::npos);
  EXPECT_NE(s.message().find("kinematics.filter_order"), std::string::npos);
  o = {};
  o.sex = "x";
  EXPECT_NE(o.Validate().message().find("kinematics.sex"), std::string::npos);
  o = {};
  o.athletes = {{"3", {{"height_mm", 1.8}}}};
  EXPECT_NE(o.Validate().message().find("height_mm"), std::string::npos);
  o.athletes = {{"abc", {{"height_m", 1.8}}}};
  EXPECT_NE(o.Validate().message().find("track id"), std::string::npos);
  o.athletes = {{"3", {{"height_m", 9.0}}}};
  EXPECT_NE(o.Validate().message().find("kinematics.athletes.3"), std::string::npos);
  o = {};
  o.repetition_signal = "nope";
  std::mt19937 rng(1);
  const Truth tr = MakeSeries(40, 1.0, Squat, 0.0, rng);
  EXPECT_EQ(ComputeKinematics(tr.series, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(KinematicsOptions, JsonRoundTripAndPerAthleteOverrides) {
  KinematicsOptions o;
  o.height_m = 1.6;
  o.filter_order = 2;
  o.athletes = {{"4", {{"height_m", 1.92}, {"cutoff_hz", 8.0}}}};
  nlohmann::json j = o;
  EXPECT_TRUE(j.at("athletes").is_object());
  KinematicsOptions back = j.get<KinematicsOptions>();
  EXPECT_EQ(nlohmann::json(back), j);
  Result<KinematicsOptions> a4 = o.ForAthlete(4);
  ASSERT_TRUE(a4.ok());
  EXPECT_DOUBLE_EQ(a4->height_m, 1.92);
  EXPECT_DOUBLE_EQ(a4->cutoff_hz, 8.0);
  EXPECT_EQ(a4->filter_order, 2);
  Result<KinematicsOptions> a5 = o.ForAthlete(5);
  ASSERT_TRUE(a5.ok());
  EXPECT_DOUBLE_EQ(a5->height_m, 1.6);
  // The defaults' JSON has every documented key, athletes an empty object.
  const nlohmann::json d = KinematicsOptions{};
  for (const char* key :
       {"height_m", "cutoff_hz", "filter_order", "max_gap_s", "hampel_window_s", "hampel_sigmas",
        "one_euro_min_cutoff_hz", "one_euro_beta", "one_euro_d_cutoff_hz", "causal", "athletes"}) {
    EXPECT_TRUE(d.contains(key)) << key;
  }
  EXPECT_TRUE(d.at("athletes").empty());
}

}  // namespace
}  // namespace monokin::kinematics
