// SPDX-License-Identifier: Apache-2.0
// MOT metrics as TrackEval computes them (MotChallenge2DBox dataset, HOTA, CLEAR and Identity
// metrics): the same preprocessing, matching and combination rules, so that the numbers agree
// with TrackEval's to floating-point rounding.
//
//   MK_ASSIGN_OR_RETURN(SequenceMetrics m, EvaluateSequence(gt, tracker));
//   SequenceMetrics all = CombineSequences(per_sequence);
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/eval/mot_data.h"

namespace monokin::eval {

inline constexpr int kNumHotaAlphas = 19;  // alpha = 0.05, 0.10, ..., 0.95
// The localisation thresholds, computed as numpy.arange(0.05, 0.99, 0.05) does.
double HotaAlpha(int index);

using AlphaArray = std::array<double, kNumHotaAlphas>;
double Mean(const AlphaArray& a);  // the "___AUC" column of TrackEval

struct HotaMetrics {
  AlphaArray hota{}, det_a{}, ass_a{}, det_re{}, det_pr{}, ass_re{}, ass_pr{}, loc_a{}, owta{};
  AlphaArray tp{}, fn{}, fp{};                    // counts (whole numbers per sequence)
  double hota0 = 0, loc_a0 = 0, hota_loc_a0 = 0;  // at alpha = 0.05
};

struct ClearMetrics {
  std::int64_t tp = 0, fn = 0, fp = 0, idsw = 0;
  std::int64_t mt = 0, pt = 0, ml = 0, frag = 0;  // mostly tracked (> 80 %), partly, mostly lost
  std::int64_t frames = 0;                        // CLR_Frames
  double motp_sum = 0;                            // sum of IoU over matches
  double mota = 0, motp = 0, moda = 0, recall = 0, precision = 0;
  double mtr = 0, ptr = 0, mlr = 0, smota = 0, f1 = 0, fp_per_frame = 0, motal = 0;
};

struct IdentityMetrics {
  std::int64_t idtp = 0, idfn = 0, idfp = 0;
  double idr = 0, idp = 0, idf1 = 0;
};

struct SequenceMetrics {
  std::string name;
  HotaMetrics hota;
  ClearMetrics clear;
  IdentityMetrics identity;
  std::int64_t num_tracker_dets = 0, num_gt_dets = 0;  // after preprocessing
  std::int64_t num_tracker_ids = 0, num_gt_ids = 0;
};

// A sequence after preprocessing: per frame, dense ids (0..num_*_ids-1) and the gt x tracker
// IoU matrix. This is also the input of TrackEval's synthetic metric tests.
struct PreparedFrame {
  std::vector<int> gt_ids, tracker_ids;
  std::vector<double> similarity;  // row-major, gt_ids.size() x tracker_ids.size()
};
struct PreparedSequence {
  std::string name;
  int num_gt_ids = 0, num_tracker_ids = 0;
  std::int64_t num_gt_dets = 0, num_tracker_dets = 0;
  std::vector<PreparedFrame> frames;  // one per timestep, empty frames included
};

enum class MotBenchmark {
  kMot17,  // MOT16/17 rules: distractor removal, pedestrians only (class 1), zero-marked removed
  kMot20,  // as MOT17, and class 6 (non-MOT vehicle) is a distractor too
  kMot15,  // no classes: only zero-marked gt is removed (also MOT15/2D-MOT-2015 files)
};

struct MotPreprocessOptions {
  MotBenchmark benchmark = MotBenchmark::kMot17;
  bool do_preproc = true;  // false: keep every gt row except zero-marked ones, no class checks
};

// TrackEval's MotChallenge2DBox preprocessing: tracker boxes matched (IoU >= 0.5, optimal
// assignment) to gt of a distractor class (2, 7, 8, 12; and 6 for MOT20) are removed; gt is
// kept when conf != 0 and class == 1; ids are relabelled densely. The number of frames is the
// longer of the two sequences' frame lists. Errors (kDataLoss, naming the file and line): a
// tracker box with class > 1, a gt class outside 1..13, gt without a class column.
Result<PreparedSequence> PrepareSequence(const MotSequence& gt, const MotSequence& tracker,
                                         const MotPreprocessOptions& options = {});

// TrackEval's IoU of two xywh boxes (zero for empty boxes or unions).
double BoxIou(double ax, double ay, double aw, double ah, double bx, double by, double bw,
              double bh);

// HOTA, CLEAR and Identity of one prepared sequence.
SequenceMetrics EvaluatePrepared(const PreparedSequence& seq);

// PrepareSequence + EvaluatePrepared. The result is named after `tracker.name`.
Result<SequenceMetrics> EvaluateSequence(const MotSequence& gt, const MotSequence& tracker,
                                         const MotPreprocessOptions& options = {});

// TrackEval's COMBINED row: counts summed; AssA/AssRe/AssPr averaged weighted by HOTA_TP, LocA
// by HOTA_TP; then every ratio recomputed from the pooled counts.
SequenceMetrics CombineSequences(std::span<const SequenceMetrics> sequences,
                                 const std::string& name = "COMBINED");

// Every column of TrackEval's detailed CSV (HOTA, CLEAR, Identity, Count), named and ordered
// as TrackEval writes them ("HOTA(0)", "HOTA___5", ..., "HOTA___AUC", "MOTA", ..., "GT_IDs").
std::vector<std::pair<std::string, double>> DetailedColumns(const SequenceMetrics& m);

}  // namespace monokin::eval
