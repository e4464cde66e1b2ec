// SPDX-License-Identifier: Apache-2.0
#include "monokin/eval/mot_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace monokin::eval {
namespace {

const std::string kShared = std::string(MONOKIN_SOURCE_DIR) + "/../shared/data";

MotSequence Parse(const std::string& text, MotFileKind kind, int frames = 0) {
  auto r = ParseMotText(text, "test.txt", kind, frames);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : MotSequence{};
}

TEST(MotMetrics, BoxIouMatchesHandValues) {
  EXPECT_DOUBLE_EQ(BoxIou(0, 0, 10, 10, 0, 0, 10, 10), 1.0);
  EXPECT_DOUBLE_EQ(BoxIou(0, 0, 10, 10, 5, 0, 10, 10), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(BoxIou(0, 0, 10, 10, 20, 0, 10, 10), 0.0);
  EXPECT_DOUBLE_EQ(BoxIou(0, 0, 0, 10, 0, 0, 10, 10), 0.0);  // empty box
}

// One person tracked by two ids in turn: every count follows from the definitions by hand.
TEST(MotMetrics, IdSwitchCaseByHand) {
  const MotSequence gt =
      Parse("1,1,0,0,10,20,1,1,1\n2,1,0,0,10,20,1,1,1\n3,1,0,0,10,20,1,1,1\n4,1,0,0,10,20,1,1,1\n",
            MotFileKind::kGroundTruth);
  const MotSequence tr =
      Parse("1,5,0,0,10,20\n2,5,0,0,10,20\n3,9,0,0,10,20\n4,9,0,0,10,20\n", MotFileKind::kTracker);
  const auto m = EvaluateSequence(gt, tr);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->clear.tp, 4);
  EXPECT_EQ(m->clear.fp, 0);
  EXPECT_EQ(m->clear.fn, 0);
  EXPECT_EQ(m->clear.idsw, 1);
  EXPECT_EQ(m->clear.frag, 0);
  EXPECT_EQ(m->clear.mt, 1);
  EXPECT_DOUBLE_EQ(m->clear.mota, 0.75);
  EXPECT_DOUBLE_EQ(m->clear.motp, 1.0);
  EXPECT_EQ(m->identity.idtp, 2);
  EXPECT_EQ(m->identity.idfn, 2);
  EXPECT_EQ(m->identity.idfp, 2);
  EXPECT_DOUBLE_EQ(m->identity.idf1, 0.5);
  for (int a = 0; a < kNumHotaAlphas; ++a) {
    EXPECT_DOUBLE_EQ(m->hota.det_a[a], 1.0);
    EXPECT_DOUBLE_EQ(m->hota.ass_a[a], 0.5);  // each id pair: 2 / (4 + 2 - 2)
    EXPECT_DOUBLE_EQ(m->hota.ass_re[a], 0.5);
    EXPECT_DOUBLE_EQ(m->hota.ass_pr[a], 1.0);
    EXPECT_DOUBLE_EQ(m->hota.hota[a], std::sqrt(0.5));
    EXPECT_DOUBLE_EQ(m->hota.loc_a[a], 1.0);
  }
}

TEST(MotMetrics, LocalisationThresholdsSplitDetections) {
  // IoU 0.5 exactly: a match for alpha <= 0.5, a miss + false positive above.
  const MotSequence gt = Parse("1,1,0,0,10,10,1,1,1\n", MotFileKind::kGroundTruth);
  const MotSequence tr = Parse("1,1,0,0,10,5\n", MotFileKind::kTracker);
  const auto m = EvaluateSequence(gt, tr);
  ASSERT_TRUE(m.ok());
  for (int a = 0; a < kNumHotaAlphas; ++a) {
    const bool match = HotaAlpha(a) <= 0.5 + 1e-12;
    EXPECT_EQ(m->hota.tp[a], match ? 1.0 : 0.0) << a;
    EXPECT_EQ(m->hota.fn[a], match ? 0.0 : 1.0) << a;
  }
  EXPECT_EQ(m->clear.tp, 1);
  EXPECT_EQ(m->identity.idtp, 1);
}

TEST(MotMetrics, PreprocessingRemovesDistractorMatchesAndIgnoredGt) {
  // Frame 1: a static person (class 7) covered by a tracker box (IoU 0.8): that box is dropped.
  // A zero-marked pedestrian: no miss. A vehicle (class 3): not evaluated, its box stays a FP.
  const MotSequence gt = Parse(
      "1,1,0,0,10,10,1,7,1\n1,2,100,0,10,10,0,1,1\n1,3,200,0,10,10,1,3,1\n1,4,300,0,10,10,1,1,1\n",
      MotFileKind::kGroundTruth);
  const MotSequence tr =
      Parse("1,1,0,0,10,8\n1,2,200,0,10,10\n1,3,300,0,10,10\n", MotFileKind::kTracker);
  const auto prepared = PrepareSequence(gt, tr);
  ASSERT_TRUE(prepared.ok()) << prepared.status().message();
  EXPECT_EQ(prepared->num_gt_dets, 1);
  EXPECT_EQ(prepared->num_tracker_dets, 2);
  const SequenceMetrics m = EvaluatePrepared(*prepared);
  EXPECT_EQ(m.clear.tp, 1);
  EXPECT_EQ(m.clear.fp, 1);
  EXPECT_EQ(m.clear.fn, 0);
  // MOT15 rules keep every non-zero-marked gt row and every tracker box.
  const auto mot15 = PrepareSequence(gt, tr, {MotBenchmark::kMot15, true});
  ASSERT_TRUE(mot15.ok());
  EXPECT_EQ(mot15->num_gt_dets, 3);
  EXPECT_EQ(mot15->num_tracker_dets, 3);
}

TEST(MotMetrics, RejectsNonPedestrianTrackerBoxesAndBadGtClasses) {
  const MotSequence gt = Parse("1,1,0,0,10,10,1,1,1\n", MotFileKind::kGroundTruth);
  const MotSequence tr = Parse("1,1,0,0,10,10,1,2\n", MotFileKind::kTracker);
  const auto r = EvaluateSequence(gt, tr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("test.txt:1"), std::string::npos) << r.status().message();
  const MotSequence bad_gt = Parse("1,1,0,0,10,10,1,42,1\n", MotFileKind::kGroundTruth);
  const MotSequence ok_tr = Parse("1,1,0,0,10,10\n", MotFileKind::kTracker);
  EXPECT_FALSE(EvaluateSequence(bad_gt, ok_tr).ok());
  const MotSequence no_class = Parse("1,1,0,0,10,10,1\n", MotFileKind::kGroundTruth);
  EXPECT_FALSE(EvaluateSequence(no_class, ok_tr).ok());
}

TEST(MotMetrics, EmptyTrackerAndEmptyGt) {
  const MotSequence gt =
      Parse("1,1,0,0,10,10,1,1,1\n2,1,0,0,10,10,1,1,1\n", MotFileKind::kGroundTruth);
  const MotSequence none = Parse("", MotFileKind::kTracker);
  const auto m = EvaluateSequence(gt, none);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->clear.fn, 2);
  EXPECT_EQ(m->clear.ml, 1);
  EXPECT_DOUBLE_EQ(m->clear.mlr, 1.0);
  EXPECT_EQ(m->identity.idfn, 2);
  EXPECT_EQ(m->hota.fn[0], 2.0);
  EXPECT_DOUBLE_EQ(m->hota.loc_a[0], 1.0);
  EXPECT_DOUBLE_EQ(m->hota.hota[0], 0.0);
}

TEST(MotMetrics, HugeIdsUnsortedFramesAndEmptyFramesAreFine) {
  const MotSequence gt = Parse("3,9000000000,0,0,10,10,1,1,1\n1,9000000000,0,0,10,10,1,1,1\n",
                               MotFileKind::kGroundTruth, 4);
  const MotSequence tr =
      Parse("1,123456789012,0,0,10,10\n3,123456789012,1,0,10,10\n", MotFileKind::kTracker, 4);
  const auto m = EvaluateSequence(gt, tr);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->num_gt_ids, 1);
  EXPECT_EQ(m->clear.tp, 2);
  EXPECT_EQ(m->clear.idsw, 0);
  EXPECT_EQ(m->clear.frames, 4);
  EXPECT_EQ(m->identity.idtp, 2);
}

// Combining one sequence gives that sequence back; combining two pools their counts.
TEST(MotMetrics, CombineOfOneIsIdentityAndCountsAdd) {
  const MotSequence gt = Parse(
      "1,1,0,0,10,20,1,1,1\n2,1,0,0,10,20,1,1,1\n2,2,50,0,10,20,1,1,1\n3,2,52,0,10,20,1,1,1\n",
      MotFileKind::kGroundTruth);
  const MotSequence tr = Parse("1,5,1,0,10,20\n2,5,0,1,10,20\n2,6,51,0,10,18\n3,5,52,0,10,20\n",
                               MotFileKind::kTracker);
  const auto m = EvaluateSequence(gt, tr);
  ASSERT_TRUE(m.ok());
  const std::vector<SequenceMetrics> one = {*m};
  const auto a = DetailedColumns(*m);
  const auto b = DetailedColumns(CombineSequences(one));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i].second, b[i].second, 1e-12) << a[i].first;
  const std::vector<SequenceMetrics> two = {*m, *m};
  const SequenceMetrics c = CombineSequences(two);
  EXPECT_EQ(c.clear.tp, 2 * m->clear.tp);
  EXPECT_EQ(c.identity.idtp, 2 * m->identity.idtp);
  EXPECT_DOUBLE_EQ(c.hota.tp[3], 2 * m->hota.tp[3]);
  EXPECT_NEAR(Mean(c.hota.hota), Mean(m->hota.hota), 1e-12);  // same ratios
}

// TrackEval's own synthetic metric tests (tests/test_metrics.py), given as dense matrices.
TEST(MotMetrics, TrackEvalSyntheticCases) {
  const std::string path = kShared + "/motmetrics/trackeval/synthetic_metric_cases.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  std::ifstream in(path);
  const nlohmann::json doc = nlohmann::json::parse(in);
  int cases = 0;
  for (const auto& [name, c] : doc.at("cases").items()) {
    PreparedSequence seq;
    seq.name = name;
    seq.num_gt_ids = c.at("num_gt_ids");
    seq.num_tracker_ids = c.at("num_tracker_ids");
    const int steps = c.at("num_timesteps");
    for (int t = 0; t < steps; ++t) {
      PreparedFrame f;
      for (int g = 0; g < seq.num_gt_ids; ++g) {
        if (c["gt_present"][t][g].get<int>()) f.gt_ids.push_back(g);
      }
      for (int k = 0; k < seq.num_tracker_ids; ++k) {
        if (c["tracker_present"][t][k].get<int>()) f.tracker_ids.push_back(k);
      }
      for (int g : f.gt_ids) {
        for (int k : f.tracker_ids) f.similarity.push_back(c["similarity"][t][g][k].get<double>());
      }
      seq.num_gt_dets += static_cast<std::int64_t>(f.gt_ids.size());
      seq.num_tracker_dets += static_cast<std::int64_t>(f.tracker_ids.size());
      seq.frames.push_back(f);
    }
    const SequenceMetrics m = EvaluatePrepared(seq);
    std::map<std::string, double> got;
    for (const auto& [col, v] : DetailedColumns(m)) got[col] = v;
    for (const char* metric : {"clear", "identity"}) {
      for (const auto& [field, e] : c.at("expected").at(metric).items()) {
        ASSERT_TRUE(got.count(field)) << field;
        EXPECT_NEAR(got[field], e.at("value").get<double>(), 1e-12) << name << " " << field;
      }
    }
    ++cases;
  }
  EXPECT_EQ(cases, 3);
}

// py-motmetrics' TUD cases (MOT15 files: no classes). HOTA/DetA/AssA there come from TrackEval.
TEST(MotMetrics, PyMotmetricsTudCases) {
  const std::string root = kShared + "/motmetrics/py-motmetrics";
  if (!std::filesystem::exists(root + "/expected.json")) GTEST_SKIP() << "shared data absent";
  std::ifstream in(root + "/expected.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  std::vector<SequenceMetrics> all;
  for (const std::string name : {"TUD-Campus", "TUD-Stadtmitte"}) {
    const auto gt = LoadMotFile(root + "/data/" + name + "/gt.txt", MotFileKind::kGroundTruth);
    const auto tr = LoadMotFile(root + "/data/" + name + "/test.txt", MotFileKind::kTracker);
    ASSERT_TRUE(gt.ok()) << gt.status().message();
    ASSERT_TRUE(tr.ok()) << tr.status().message();
    const auto m = EvaluateSequence(*gt, *tr, {MotBenchmark::kMot15, true});
    ASSERT_TRUE(m.ok()) << m.status().message();
    const auto& hota = doc.at("hota_golden_from_trackeval").at(name);
    EXPECT_NEAR(Mean(m->hota.hota), hota.at("hota").get<double>(), 1e-6) << name;
    EXPECT_NEAR(Mean(m->hota.det_a), hota.at("deta").get<double>(), 1e-6) << name;
    EXPECT_NEAR(Mean(m->hota.ass_a), hota.at("assa").get<double>(), 1e-6) << name;
    all.push_back(*m);
    all.back().name = name;
  }
  all.push_back(CombineSequences(all, "OVERALL"));
  for (const SequenceMetrics& m : all) {
    const auto& e = doc.at("clear_identity").at("rows").at(m.name);
    EXPECT_NEAR(m.identity.idf1, e.at("idf1").get<double>(), 1e-3) << m.name;
    EXPECT_NEAR(m.identity.idp, e.at("idp").get<double>(), 1e-3) << m.name;
    EXPECT_NEAR(m.identity.idr, e.at("idr").get<double>(), 1e-3) << m.name;
    EXPECT_NEAR(m.clear.recall, e.at("recall").get<double>(), 1e-3) << m.name;
    EXPECT_NEAR(m.clear.precision, e.at("precision").get<double>(), 1e-3) << m.name;
    EXPECT_NEAR(m.clear.mota, e.at("mota").get<double>(), 1e-3) << m.name;
    EXPECT_NEAR(1.0 - m.clear.motp, e.at("motp").get<double>(), 1e-3) << m.name;
    EXPECT_EQ(m.num_gt_ids, e.at("num_unique_objects").get<double>()) << m.name;
    EXPECT_EQ(m.clear.fp, e.at("num_false_positives").get<int>()) << m.name;
    EXPECT_EQ(m.clear.fn, e.at("num_misses").get<int>()) << m.name;
    EXPECT_EQ(m.clear.idsw, e.at("num_switches").get<int>()) << m.name;
    EXPECT_EQ(m.clear.mt, e.at("mostly_tracked").get<int>()) << m.name;
    EXPECT_EQ(m.clear.pt, e.at("partially_tracked").get<int>()) << m.name;
    EXPECT_EQ(m.clear.ml, e.at("mostly_lost").get<int>()) << m.name;
    EXPECT_EQ(m.clear.frag, e.at("num_fragmentations").get<int>()) << m.name;
  }
}

}  // namespace
}  // namespace monokin::eval
