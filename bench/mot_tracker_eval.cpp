// SPDX-License-Identifier: Apache-2.0
// Runs the "byte" tracker on every sequence's public detections (det/det.txt) and scores it
// with the TrackEval-exact evaluator: the command behind the tracker figures in issue #6.
//
//   mot_tracker_eval [--data DIR] [--out DIR] [key=value ...]
//   keys: any ByteTrackerOptions field (high_score=0.6 ...), and post-processing
//   interp_s, relink_s, relink_dist, min_len_s; and pan_px, pan_period_s to simulate a moving
//   camera (detections and gt shifted alike).
// DIR holds train/<seq>/{seqinfo.ini,gt/gt.txt,det/det.txt}; default ../shared/data/mot17-dev.
// Scores outside 0..1 in a detection file (DPM) are mapped by the logistic 1/(1+e^-s).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "monokin/eval/mot_data.h"
#include "monokin/eval/mot_eval.h"
#include "monokin/eval/mot_metrics.h"
#include "tracker_run.h"
#include "monokin/track/byte_tracker.h"

namespace fs = std::filesystem;
using namespace monokin;

namespace {

Status SetOption(const std::string& key, double v, track::ByteTrackerOptions& o,
                 track::PostProcessOptions& p) {
  std::map<std::string, double*> d = {{"high_score", &o.high_score},
                                      {"low_score", &o.low_score},
                                      {"new_track_score", &o.new_track_score},
                                      {"match_iou", &o.match_iou},
                                      {"low_match_iou", &o.low_match_iou},
                                      {"unconfirmed_match_iou", &o.unconfirmed_match_iou},
                                      {"recovery_match_iou", &o.recovery_match_iou},
                                      {"direction_weight", &o.direction_weight},
                                      {"direction_delta_s", &o.direction_delta_s},
                                      {"keep_lost_s", &o.keep_lost_s},
                                      {"gm_sig", &o.global_motion_significance},
                                      {"report_lost_s", &o.report_lost_s},
                                      {"lost_buffer_per_s", &o.lost_buffer_per_s},
                                      {"lost_buffer_max", &o.lost_buffer_max},
                                      {"interp_s", &p.max_gap_s},
                                      {"relink_s", &p.relink_max_gap_s},
                                      {"relink_dist", &p.relink_max_distance},
                                      {"min_len_s", &p.min_length_s}};
  if (d.count(key)) {
    *d[key] = v;
    return OkStatus();
  }
  if (key == "fuse_score")
    o.fuse_score = v != 0;
  else if (key == "ocr")
    o.observation_recovery = v != 0;
  else if (key == "oru")
    o.observation_reupdate = v != 0;
  else if (key == "det_box")
    o.report_detection_box = v != 0;
  else if (key == "global_motion")
    o.global_motion = v != 0;
  else if (key == "gm_min")
    o.global_motion_min_tracks = static_cast<int>(v);
  else if (key == "confirm_hits")
    o.confirm_hits = static_cast<int>(v);
  else
    return InvalidArgument("unknown option '" + key + "'");
  return OkStatus();
}

Status Run(int argc, char** argv) {
  std::string data = std::string(MONOKIN_SOURCE_DIR) + "/../shared/data/mot17-dev";
  std::string out_dir;
  track::ByteTrackerOptions opt;
  track::PostProcessOptions post;  // live unless post-processing keys are given
  post.max_gap_s = 0;
  post.relink_max_gap_s = 0;
  double pan_px = 0, pan_period_s = 4;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (a.find('=') != std::string::npos) {
      const std::string key = a.substr(0, a.find('='));
      const std::string text = a.substr(a.find('=') + 1);
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0') return InvalidArgument("not a number: " + a);
      if (key == "pan_px") {
        pan_px = value;
      } else if (key == "pan_period_s") {
        pan_period_s = value;
      } else {
        MK_RETURN_IF_ERROR(SetOption(key, value, opt, post));
      }
    } else {
      return InvalidArgument("usage: mot_tracker_eval [--data DIR] [--out DIR] [key=value ...]");
    }
  }
  eval::TrackerRunOptions run;
  run.tracker = opt;
  run.post = post;
  run.post_process = post.max_gap_s > 0 || post.relink_max_gap_s > 0 || post.min_length_s > 0;
  run.out_dir = out_dir;
  run.synthetic_pan_px = pan_px;
  run.synthetic_pan_period_s = pan_period_s;
  MK_ASSIGN_OR_RETURN(eval::TrackerRunResult r, eval::RunTrackerOnMotDir(data, run));
  const auto& results = r.sequences;
  const auto& combined = r.combined;
  std::fputs(eval::FormatMotTable(results, combined).c_str(), stdout);
  for (size_t i = 0; i < results.size(); ++i) {
    std::printf("%s: %.0f frames/s\n", results[i].name.c_str(), r.frames_per_second[i]);
  }
  std::printf("tracker: %ld frames in %.3f s (%.0f frames/s)\n", r.frames, r.tracker_seconds,
              r.frames / std::max(r.tracker_seconds, 1e-9));
  std::printf("COMBINED HOTA %.3f MOTA %.3f IDF1 %.3f\n", 100 * eval::Mean(combined.hota.hota),
              100 * combined.clear.mota, 100 * combined.identity.idf1);
  return OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  const Status s = Run(argc, argv);
  if (!s.ok()) {
    std::fprintf(stderr, "mot_tracker_eval: %s\n", s.message().c_str());
    return ExitCodeFor(s.code());
  }
  return 0;
}
