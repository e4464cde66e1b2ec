// SPDX-License-Identifier: Apache-2.0
// The engine against synthetic athletes with known moments: precision and recall per type on
// clean series, F1 with realistic noise and gaps, timing errors; tables printed per type.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "monokin/moments/moments.h"
#include "monokin/moments/synthetic.h"

namespace monokin::moments {
namespace {

struct TypeScore {
  int tp = 0, fp = 0, fn = 0;
  std::vector<double> d_start, d_peak, d_end;
  double precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 1; }
  double recall() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : 1; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

double Max(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}
double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// A detection matches a truth of the same type, athletes and (for strikes) limb whose interval
// overlaps it (0.1 s slack); each is used once, nearest peak first.
std::map<std::string, TypeScore> Score(const std::vector<KeyMoment>& truth,
                                       const std::vector<KeyMoment>& found) {
  std::map<std::string, TypeScore> score;
  for (std::string_view t : kMomentTypes) score[std::string(t)];
  std::vector<bool> used(found.size(), false);
  for (const KeyMoment& t : truth) {
    TypeScore& s = score[t.type];
    int best = -1;
    for (size_t i = 0; i < found.size(); ++i) {
      const KeyMoment& f = found[i];
      if (used[i] || f.type != t.type || f.athletes != t.athletes) continue;
      if (t.type == "strike" && f.label != t.label) continue;
      if (f.end_s < t.start_s - 0.1 || f.start_s > t.end_s + 0.1) continue;
      if (best < 0 || std::abs(f.peak_s - t.peak_s) <
                          std::abs(found[static_cast<size_t>(best)].peak_s - t.peak_s)) {
        best = static_cast<int>(i);
      }
    }
    if (best < 0) {
      ++s.fn;
      continue;
    }
    used[static_cast<size_t>(best)] = true;
    const KeyMoment& f = found[static_cast<size_t>(best)];
    ++s.tp;
    s.d_start.push_back(std::abs(f.start_s - t.start_s));
    s.d_peak.push_back(std::abs(f.peak_s - t.peak_s));
    s.d_end.push_back(std::abs(f.end_s - t.end_s));
  }
  for (size_t i = 0; i < found.size(); ++i) {
    if (!used[i]) ++score[found[i].type].fp;
  }
  return score;
}

void PrintTable(const char* title, const std::map<std::string, TypeScore>& score) {
  std::printf("\n%s\n%-20s %4s %4s %4s %6s %6s %6s %9s %9s %9s %9s\n", title, "type", "TP", "FP",
              "FN", "P", "R", "F1", "start med", "start max", "peak med", "end max");
  for (const auto& [type, s] : score) {
    std::printf("%-20s %4d %4d %4d %6.3f %6.3f %6.3f %9.3f %9.3f %9.3f %9.3f\n", type.c_str(), s.tp,
                s.fp, s.fn, s.precision(), s.recall(), s.f1(), Median(s.d_start), Max(s.d_start),
                Median(s.d_peak), Max(s.d_end));
  }
}

// Types whose peak is a sharp instant (not the top of a plateau).
bool SharpPeak(const std::string& type) {
  return type == "jump" || type == "strike" || type == "change_of_direction" || type == "fall" ||
         type == "repetition";
}

TEST(MomentsSyntheticTest, CleanSeriesGiveEveryMomentWithExactTiming) {
  synth::SynthOptions so;
  so.duration_s = 150;
  so.seed = 7;
  const synth::Scenario sc = synth::MakeScenario(so);
  Result<std::vector<KeyMoment>> found = DetectMoments(sc.series, sc.kinematics, so.rules);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  const auto score = Score(sc.truth, *found);
  PrintTable("clean series (150 s, 11 athletes)", score);
  for (const auto& [type, s] : score) {
    SCOPED_TRACE(type);
    EXPECT_GT(s.tp, 0) << "the generator made no " << type;
    EXPECT_EQ(s.fp, 0);
    EXPECT_EQ(s.fn, 0);
    EXPECT_LE(Max(s.d_start), 0.1);
    EXPECT_LE(Max(s.d_end), 0.1);
    if (SharpPeak(type)) {
      EXPECT_LE(Max(s.d_peak), 0.1);
    }
  }
}

TEST(MomentsSyntheticTest, NoisySeriesWithGapsKeepF1Above09) {
  synth::SynthOptions so;
  so.duration_s = 240;
  so.seed = 11;
  so.noise_com_m = 0.02;
  so.noise_keypoint_m = 0.03;
  so.gaps_per_min = 2;
  const synth::Scenario sc = synth::MakeScenario(so);
  Result<std::vector<KeyMoment>> found = DetectMoments(sc.series, sc.kinematics, so.rules);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  const auto score = Score(sc.truth, *found);
  PrintTable("noise 2 cm CoM / 3 cm keypoints, 2 gaps/min up to 0.8 s (240 s)", score);
  for (const auto& [type, s] : score) {
    SCOPED_TRACE(type);
    EXPECT_GE(s.f1(), 0.9);
    EXPECT_LE(Median(s.d_start), 0.1);
    EXPECT_LE(Median(s.d_end), 0.1);
    if (SharpPeak(type)) {
      EXPECT_LE(Median(s.d_peak), 0.1);
    }
  }
}

}  // namespace
}  // namespace monokin::moments
