// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/cycles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

namespace monokin::kinematics {
namespace {

constexpr double kPi = std::numbers::pi;

// Noisy repetitions with varying amplitude, duration and rests between them: counted exactly.
TEST(Repetitions, CountedExactlyOnNoisySignals) {
  std::mt19937 rng(12);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 40; ++trial) {
    const double fs = 30;
    const int reps = 3 + static_cast<int>(u(rng) * 12);
    const bool inverted = trial % 2 == 1;  // rest at the top (e.g. a squat's knee angle)
    std::normal_distribution<double> noise(0, 3.0);
    std::vector<double> x, t;
    std::vector<double> true_peaks;
    auto push = [&](double v) {
      t.push_back(x.size() / fs);
      x.push_back((inverted ? 170 - v : 10 + v) + noise(rng));
    };
    for (int k = 0; k < static_cast<int>(fs * (0.5 + u(rng))); ++k) push(0);  // rest
    for (int r = 0; r < reps; ++r) {
      const double amp = 60 + 40 * u(rng), dur = 1.0 + 2.0 * u(rng);
      const int ns = static_cast<int>(dur * fs);
      for (int k = 0; k < ns; ++k) push(amp * 0.5 * (1 - std::cos(2 * kPi * k / ns)));
      true_peaks.push_back(t[t.size() - ns / 2]);
      const int rest = static_cast<int>(fs * 1.5 * u(rng));
      for (int k = 0; k < rest + 3; ++k) push(0);
    }
    const RepetitionSummary s = DetectRepetitions(x, t, fs, {}, "sig");
    ASSERT_EQ(static_cast<int>(s.repetitions.size()), reps) << "trial " << trial;
    for (int r = 0; r < reps; ++r) {
      EXPECT_NEAR(s.repetitions[r].peak_s, true_peaks[r], 0.35) << "trial " << trial;
      EXPECT_GT(s.repetitions[r].range, 45);
      EXPECT_GT(s.repetitions[r].duration_s, 0.5);
    }
  }
}

TEST(Repetitions, FlatOrNoiseOnlyGivesNone) {
  std::mt19937 rng(13);
  std::normal_distribution<double> noise(0, 1.0);
  std::vector<double> x(600), t(600);
  for (int i = 0; i < 600; ++i) {
    x[i] = 45 + noise(rng);
    t[i] = i / 30.0;
  }
  EXPECT_TRUE(DetectRepetitions(x, t, 30, {}).repetitions.empty());
}

TEST(Repetitions, PeriodOfASine) {
  std::vector<double> x(900), t(900);
  for (int i = 0; i < 900; ++i) {
    t[i] = i / 30.0;
    x[i] = 40 * std::sin(2 * kPi * t[i] / 2.5);
  }
  const RepetitionSummary s = DetectRepetitions(x, t, 30, {});
  EXPECT_NEAR(s.period_s, 2.5, 1.0 / 30);
  EXPECT_GT(s.periodicity, 0.9);
  // 900 samples = 12 periods of 2.5 s; only complete ones (valley to valley) count.
  EXPECT_GE(s.repetitions.size(), 10u);
  EXPECT_LE(s.repetitions.size(), 12u);
  for (const Repetition& r : s.repetitions) EXPECT_NEAR(r.range, 80, 2);
}

// Side-view feet for a runner or walker with known contacts. Each foot is flat on the ground
// (fixed in the world) for `duty` of the stride and swings forward on an arc otherwise; the
// hips move at constant speed. Image: 300 px/m, y down, ground at y = 600.
struct Gait {
  std::vector<Skeleton> frames;
  std::vector<double> time_s;
  std::vector<FrameIndex> index;
  std::vector<double> strikes[2];
};
Gait MakeGait(double stride_s, double duty, double speed_mps, double lift_m, double fs, int n,
              std::mt19937& rng, double noise_px) {
  Gait g;
  std::normal_distribution<double> noise(0, noise_px);
  const double stride_len = speed_mps * stride_s;
  for (int t = 0; t < n; ++t) {
    const double time = t / fs;
    Skeleton s;
    for (Vec3& v : s) v = {NAN, NAN, 0};
    const double hip_x = speed_mps * time;
    for (int side = 0; side < 2; ++side) {
      // Phase 0 = foot strike; the right foot is half a stride later.
      const double ph = std::fmod(time / stride_s + (side ? 0.5 : 0.0) + 10.0, 1.0);
      const double cycle = std::floor(time / stride_s + (side ? 0.5 : 0.0) + 10.0);
      // Stance: the foot stays where it landed, slightly ahead of the hips at strike.
      const double land_x = (cycle - 10.0 - (side ? 0.5 : 0.0)) * stride_len + 0.3 * stride_len;
      double x, y;
      if (ph < duty) {
        x = land_x;
        y = 0;
      } else {
        const double q = (ph - duty) / (1 - duty);
        x = land_x + q * stride_len;
        y = lift_m * std::sin(kPi * q);
      }
      const double px = 300 * x, py = 600 - 300 * y;
      s[bp::kLeftHeel + side] = {px + noise(rng), py + noise(rng), 0};
      s[bp::kLeftToe + side] = {px + 0.25 * 300 + noise(rng), py + noise(rng), 0};
      s[bp::kLeftHip + side] = {300 * hip_x + noise(rng), 600 - 300 * 0.9 + noise(rng), 0};
    }
    g.frames.push_back(s);
    g.time_s.push_back(time);
    g.index.push_back(t);
  }
  for (int side = 0; side < 2; ++side) {
    for (int c = 0; c < 1000; ++c) {
      const double ts = (c - (side ? 0.5 : 0.0)) * stride_s;
      if (ts > 0 && ts < (n - 1) / fs) g.strikes[side].push_back(ts);
    }
  }
  return g;
}

// Checks the detected gait against the truth of MakeGait(stride_s, duty, ...) with n samples.
// `sides` also checks that each strike is attributed to the right foot.
void CheckEvents(const Gait& g, const GaitSummary& s, double stride_s, double duty, int n,
                 bool sides = true) {
  const double fs = 30;
  const double tol = 1.5 / fs;  // event times within 1.5 frames
  EXPECT_NEAR(s.stride_time_s, stride_s, tol);
  EXPECT_NEAR(s.step_time_s, stride_s / 2, tol);
  EXPECT_NEAR(s.cadence_spm, 120.0 / stride_s, 0.03 * 120.0 / stride_s);
  EXPECT_NEAR(s.contact_time_s, duty * stride_s, 2 * tol);
  const double flight = (0.5 - duty) * stride_s;
  EXPECT_NEAR(s.flight_time_s, std::max(0.0, flight), 2 * tol);
  EXPECT_NEAR(s.double_support_s, std::max(0.0, -flight), 2 * tol);
  // Every strike that lies inside the series (with a complete stance) is found once.
  int found = 0, expected = 0;
  for (int side = 0; side < 2; ++side) {
    for (double ts : g.strikes[side]) {
      if (ts + duty * stride_s > (n - 2) / fs) continue;
      ++expected;
      for (const GaitEvent& e : s.events) {
        if (e.kind == GaitEventKind::kFootStrike && (!sides || e.left == (side == 0)) &&
            std::abs(e.time_s - ts) <= tol) {
          ++found;
          break;
        }
      }
    }
  }
  EXPECT_EQ(found, expected);
  // No spurious strikes; one more is allowed for a stance ending in the last 2 frames, which
  // the expectation leaves out.
  EXPECT_GE(s.steps, expected);
  EXPECT_LE(s.steps, expected + 1);
}

void CheckGait(double stride_s, double duty, double speed, double lift, bool causal) {
  std::mt19937 rng(14);
  const double fs = 30;
  const Gait g = MakeGait(stride_s, duty, speed, lift, fs, 600, rng, 1.0);
  const GaitSummary s =
      DetectGait(g.frames, g.time_s, g.index, fs, +1, 1.75 * 300, causal, GaitOptions{});
  CheckEvents(g, s, stride_s, duty, 600);
}

TEST(Gait, Running) { CheckGait(0.7, 0.35, 4.0, 0.3, false); }
TEST(Gait, RunningCausal) { CheckGait(0.7, 0.35, 4.0, 0.3, true); }
TEST(Gait, Walking) { CheckGait(1.1, 0.62, 1.3, 0.03, false); }

// Walking backwards (the toes point to +x, the body travels to -x): the direction of travel
// comes from the planted feet, not from the facing.
TEST(Gait, WalkingBackwards) {
  std::mt19937 rng(15);
  const Gait g = MakeGait(1.1, 0.62, -1.0, 0.03, 30, 600, rng, 1.0);
  const GaitSummary s = DetectGait(g.frames, g.time_s, g.index, 30, +1, 1.75 * 300, false);
  CheckEvents(g, s, 1.1, 0.62, 600);
}

// Pose-model faults seen on real side views, injected into a clean running series: short dips
// of a swinging foot to the ground (2 frames, held still: a planted-looking glitch), left/right
// labels of the feet swapped for 1-3 frames, and both feet put on the same spot. None may add or
// remove a step; sides stay right (feet alternate; the labels vote).
TEST(Gait, RunningWithPoseGlitches) {
  for (int trial = 0; trial < 6; ++trial) {
    std::mt19937 rng(100 + trial);
    const double stride = 0.62 + 0.02 * trial, duty = 0.36;
    Gait g = MakeGait(stride, duty, 4.0, 0.3, 30, 600, rng, 1.5);
    std::uniform_int_distribution<int> at(5, 590), len(1, 3);
    auto in_swing = [&](int side, int t) {
      const double ph = std::fmod(t / 30.0 / stride + (side ? 0.5 : 0.0) + 10.0, 1.0);
      return ph > duty + 0.15 && ph < 0.9;  // clear of both contact ends
    };
    int dips = 0;
    while (dips < 12) {
      const int t = at(rng), side = dips % 2;
      if (!in_swing(side, t) || !in_swing(side, t + 1)) continue;
      for (int k = 0; k < 2; ++k) {  // on the ground, where it was at t
        g.frames[t + k][bp::kLeftHeel + side] = {g.frames[t][bp::kLeftHeel + side].x, 600, 0};
        g.frames[t + k][bp::kLeftToe + side] = {g.frames[t][bp::kLeftToe + side].x, 600, 0};
      }
      ++dips;
    }
    for (int k = 0; k < 25; ++k) {  // swapped labels
      const int t = at(rng), l = len(rng);
      for (int u = t; u < t + l; ++u) {
        std::swap(g.frames[u][bp::kLeftHeel], g.frames[u][bp::kRightHeel]);
        std::swap(g.frames[u][bp::kLeftToe], g.frames[u][bp::kRightToe]);
      }
    }
    for (int k = 0; k < 10; ++k) {  // both feet on the same spot, between the two
      const int t = at(rng);
      for (int j : {bp::kLeftHeel, bp::kLeftToe}) {
        const Vec3 m = Mid(g.frames[t][j], g.frames[t][j + 1]);
        g.frames[t][j] = g.frames[t][j + 1] = m;
      }
    }
    const GaitSummary s = DetectGait(g.frames, g.time_s, g.index, 30, +1, 1.75 * 300, false);
    SCOPED_TRACE(trial);
    CheckEvents(g, s, stride, duty, 600);
  }
}

// Two frames on the ground are not a contact, and strikes closer than a human step are not two
// steps: a runner whose swinging foot brushes the ground for 2 frames every stride.
TEST(Gait, ShortDipsAreNotContacts) {
  std::mt19937 rng(16);
  const double stride = 0.7, duty = 0.35;
  Gait g = MakeGait(stride, duty, 4.0, 0.3, 30, 600, rng, 1.0);
  // Mid-swing of the left foot in every stride: 2 frames held on the ground.
  for (int c = 0; c < 30; ++c) {
    const int t = static_cast<int>(std::lround((c + duty + 0.3) * stride * 30));
    if (t + 1 >= 600) break;
    for (int k = 0; k < 2; ++k) {
      g.frames[t + k][bp::kLeftHeel] = {g.frames[t][bp::kLeftHeel].x, 600, 0};
      g.frames[t + k][bp::kLeftToe] = {g.frames[t][bp::kLeftToe].x, 600, 0};
    }
  }
  const GaitSummary s = DetectGait(g.frames, g.time_s, g.index, 30, +1, 1.75 * 300, false);
  CheckEvents(g, s, stride, duty, 600);
  EXPECT_LT(s.cadence_spm, 240);
}

}  // namespace
}  // namespace monokin::kinematics
