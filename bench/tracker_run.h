// SPDX-License-Identifier: Apache-2.0
// Runs the "byte" tracker on MOTChallenge public detections and scores it with the evaluator:
// shared by the mot_tracker_eval tool and the mot17-dev regression test. Not part of the
// monokin_eval library (a stage does not link another stage).
#pragma once

#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/eval/mot_metrics.h"
#include "monokin/track/byte_tracker.h"

namespace monokin::eval {

struct TrackerRunOptions {
  track::ByteTrackerOptions tracker;
  track::PostProcessOptions post;
  bool post_process = false;  // offline post-processing (PostProcessTracks) after tracking
  std::string out_dir;        // when set, writes <seq>.txt (MOTChallenge) there
  // Robustness check for moving cameras: shift detections and gt alike by a simulated camera
  // motion, x = A sin(2 pi t / T), y = 0.3 A sin(2 pi t / 0.7 T). 0 = off.
  double synthetic_pan_px = 0;
  double synthetic_pan_period_s = 4;
};

struct TrackerRunResult {
  std::vector<SequenceMetrics> sequences;
  SequenceMetrics combined;
  std::vector<double> frames_per_second;  // tracker updates only, per sequence
  long frames = 0;
  double tracker_seconds = 0;
};

// For each `data_dir/train/<seq>` with det/det.txt, gt/gt.txt and seqinfo.ini: runs a fresh
// tracker over the detections (frame time = (frame - 1) / frameRate) and evaluates it with the
// MOT17 rules. Detection files with scores outside 0..1 (DPM) get the logistic 1/(1+e^-s).
Result<TrackerRunResult> RunTrackerOnMotDir(const std::string& data_dir,
                                            const TrackerRunOptions& options);

}  // namespace monokin::eval
