// SPDX-License-Identifier: Apache-2.0
// Live moments: fed only the samples seen so far, the stream reports the offline moments, each
// once, within the stated delay after its end.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "monokin/moments/moments.h"
#include "monokin/moments/synthetic.h"

namespace monokin::moments {
namespace {

// The scenario as known at time `now`: samples after it removed.
void Truncate(const synth::Scenario& full, double now, std::vector<AthleteSeries>& series,
              std::vector<AthleteKinematics>& kin) {
  series = full.series;
  kin = full.kinematics;
  for (AthleteSeries& s : series) {
    std::erase_if(s.samples, [now](const AthleteSample& a) { return a.time_s > now; });
  }
  for (AthleteKinematics& k : kin) {
    size_t n = 0;
    while (n < k.time_s.size() && k.time_s[n] <= now) ++n;
    k.time_s.resize(n);
    k.frames.resize(n);
    for (KinematicSignal& sig : k.signals) sig.values.resize(n);
    k.markers.xyz.resize(n * k.markers.names.size() * 3);
    std::erase_if(k.repetitions.repetitions, [now](const Repetition& r) { return r.end_s > now; });
  }
}

bool Same(const KeyMoment& a, const KeyMoment& b) {
  return a.type == b.type && a.athletes == b.athletes && a.label == b.label &&
         std::abs(a.start_s - b.start_s) < 1e-6 && std::abs(a.end_s - b.end_s) < 1e-6 &&
         std::abs(a.peak_s - b.peak_s) < 1e-6;
}

TEST(MomentStreamTest, LiveMomentsEqualOfflineOnesWithinTheStatedDelay) {
  synth::SynthOptions so;
  so.duration_s = 80;
  so.seed = 5;
  so.noise_com_m = 0.01;
  so.noise_keypoint_m = 0.015;
  const synth::Scenario sc = synth::MakeScenario(so);
  MomentsOptions o = so.rules;
  o.live_window_s = 20;
  Result<std::vector<KeyMoment>> offline = DetectMoments(sc.series, sc.kinematics, o);
  ASSERT_TRUE(offline.ok());
  Result<MomentStream> stream = MomentStream::Create(o);
  ASSERT_TRUE(stream.ok());

  constexpr double kUpdateS = 0.5;
  std::vector<KeyMoment> live;
  std::vector<double> emitted_at;
  std::vector<AthleteSeries> series;
  std::vector<AthleteKinematics> kin;
  for (double now = kUpdateS; now < so.duration_s; now += kUpdateS) {
    Truncate(sc, now, series, kin);
    for (KeyMoment& m : stream->Update(series, kin, now)) {
      live.push_back(std::move(m));
      emitted_at.push_back(now);
    }
  }
  const size_t before_finish = live.size();
  for (KeyMoment& m : stream->Finish(sc.series, sc.kinematics)) live.push_back(std::move(m));

  // Every live moment is an offline moment, reported once, within delay + one update.
  int matched = 0;
  for (size_t i = 0; i < live.size(); ++i) {
    const KeyMoment& m = live[i];
    SCOPED_TRACE(m.type + " at " + std::to_string(m.start_s));
    EXPECT_EQ(std::count_if(offline->begin(), offline->end(),
                            [&](const KeyMoment& f) { return Same(f, m); }),
              1);
    for (size_t j = 0; j < i; ++j) EXPECT_FALSE(Same(live[j], m));
    if (i < before_finish) {
      const double delay = emitted_at[i] - m.end_s;
      EXPECT_GE(delay, 0);
      EXPECT_LE(delay, LiveDelaySeconds(m.type, o) + kUpdateS + 1e-9);
      ++matched;
    }
  }
  // And every offline moment that ended early enough was reported live (not only by Finish).
  int expected = 0;
  for (const KeyMoment& f : *offline) {
    if (f.start_s > 2.5 && f.end_s + LiveDelaySeconds(f.type, o) + kUpdateS < so.duration_s &&
        f.end_s - f.start_s < o.live_window_s - 3) {
      ++expected;
      const bool found = std::any_of(live.begin(), live.begin() + before_finish,
                                     [&](const KeyMoment& m) { return Same(f, m); });
      EXPECT_TRUE(found) << f.type << " " << f.start_s << "-" << f.end_s;
    }
  }
  EXPECT_GT(expected, 20);
  EXPECT_EQ(live.size(), offline->size());
}

TEST(MomentStreamTest, EveryTypeHasAStatedDelay) {
  const MomentsOptions o;
  for (std::string_view type : kMomentTypes) {
    const double d = LiveDelaySeconds(type, o);
    EXPECT_GE(d, 0) << type;
    EXPECT_LT(d, 5) << type;
  }
  EXPECT_LT(LiveDelaySeconds("tackle", o), 0);
}

TEST(MomentStreamTest, RejectsInvalidOptions) {
  MomentsOptions o;
  o.live_window_s = 0;
  Result<MomentStream> s = MomentStream::Create(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace monokin::moments
