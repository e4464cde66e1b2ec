// SPDX-License-Identifier: Apache-2.0
// Runs the "byte" tracker on every sequence's public detections (det/det.txt) and scores it
// with the TrackEval-exact evaluator: the command behind the tracker figures in issue #6.
//
//   mot_tracker_eval [--data DIR] [--out DIR] [key=value ...]
//   keys: any ByteTrackerOptions field (high_score=0.6 ...), and post-processing
//   interp_s, relink_s, relink_dist, min_len_s.
// DIR holds train/<seq>/{seqinfo.ini,gt/gt.txt,det/det.txt}; default ../shared/data/mot17-dev.
// Scores outside 0..1 in a detection file (DPM) are mapped by the logistic 1/(1+e^-s).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "monokin/eval/mot_data.h"
#include "monokin/eval/mot_eval.h"
#include "monokin/eval/mot_metrics.h"
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
  track::PostProcessOptions post;
  post.max_gap_s = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (a.find('=') != std::string::npos) {
      const std::string key = a.substr(0, a.find('='));
      MK_RETURN_IF_ERROR(SetOption(key, std::stod(a.substr(a.find('=') + 1)), opt, post));
    } else {
      return InvalidArgument("usage: mot_tracker_eval [--data DIR] [--out DIR] [key=value ...]");
    }
  }
  const fs::path train = fs::path(data) / "train";
  if (!fs::is_directory(train)) return NotFound("no folder " + train.string());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(train)) {
    if (fs::exists(e.path() / "det" / "det.txt")) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<eval::SequenceMetrics> results;
  double track_seconds = 0;
  std::vector<double> seq_fps;
  long frames_total = 0;
  for (const std::string& name : names) {
    const fs::path dir = train / name;
    MK_ASSIGN_OR_RETURN(eval::SeqInfo info, eval::LoadSeqInfo((dir / "seqinfo.ini").string()));
    MK_ASSIGN_OR_RETURN(eval::MotSequence dets,
                        eval::LoadMotFile((dir / "det" / "det.txt").string(),
                                          eval::MotFileKind::kDetections, info.length));
    MK_ASSIGN_OR_RETURN(eval::MotSequence gt,
                        eval::LoadMotFile((dir / "gt" / "gt.txt").string(),
                                          eval::MotFileKind::kGroundTruth, info.length));
    bool logistic = false;
    for (const auto& f : dets.frames) {
      for (const auto& b : f) logistic = logistic || b.conf < 0 || b.conf > 1;
    }
    const double fps = info.frame_rate > 0 ? info.frame_rate : 30.0;
    std::vector<std::vector<Detection>> per_frame(dets.frames.size());
    for (size_t t = 0; t < dets.frames.size(); ++t) {
      for (const auto& b : dets.frames[t]) {
        Detection d;
        d.box = {static_cast<float>(b.x), static_cast<float>(b.y), static_cast<float>(b.w),
                 static_cast<float>(b.h)};
        d.score = static_cast<float>(logistic ? 1.0 / (1.0 + std::exp(-b.conf)) : b.conf);
        per_frame[t].push_back(d);
      }
    }
    MK_ASSIGN_OR_RETURN(auto tracker, track::MakeByteTracker(opt));
    std::vector<track::TrackedBox> rows;
    const auto start = std::chrono::steady_clock::now();
    for (size_t t = 0; t < per_frame.size(); ++t) {
      FrameInfo fi;
      fi.index = static_cast<FrameIndex>(t);
      fi.pts = Micros(static_cast<std::int64_t>(std::llround(1e6 * t / fps)));
      fi.width_px = info.width_px;
      fi.height_px = info.height_px;
      for (const Track& tr : tracker->Update(fi, per_frame[t])) {
        rows.push_back(
            {fi.index, ToSeconds(fi.pts), tr.id, tr.box, tr.score, tr.frames_since_seen > 0});
      }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    track_seconds += secs;
    seq_fps.push_back(static_cast<double>(per_frame.size()) / std::max(secs, 1e-9));
    frames_total += static_cast<long>(per_frame.size());
    post.frame_rate = fps;
    if (post.max_gap_s > 0 || post.relink_max_gap_s > 0 || post.min_length_s > 0) {
      rows = track::PostProcessTracks(std::move(rows), post);
    }
    eval::MotSequence pred;
    pred.name = name;
    pred.path = name + " (tracker output)";
    pred.frames.resize(info.length);
    for (const auto& r : rows) {
      eval::MotBox b;
      b.id = r.id;
      b.x = r.box.x;
      b.y = r.box.y;
      b.w = r.box.w;
      b.h = r.box.h;
      pred.frames[r.frame].push_back(b);
    }
    if (!out_dir.empty()) {
      fs::create_directories(out_dir);
      std::ofstream f(fs::path(out_dir) / (name + ".txt"));
      for (const auto& r : rows) {
        f << fmt::format("{},{},{:.2f},{:.2f},{:.2f},{:.2f},1,-1,-1,-1\n", r.frame + 1, r.id,
                         r.box.x, r.box.y, r.box.w, r.box.h);
      }
    }
    MK_ASSIGN_OR_RETURN(eval::SequenceMetrics m, eval::EvaluateSequence(gt, pred));
    m.name = name;
    results.push_back(std::move(m));
  }
  const eval::SequenceMetrics combined = eval::CombineSequences(results);
  std::fputs(eval::FormatMotTable(results, combined).c_str(), stdout);
  for (size_t i = 0; i < names.size(); ++i) {
    std::printf("%s: %.0f frames/s\n", names[i].c_str(), seq_fps[i]);
  }
  std::printf("tracker: %ld frames in %.3f s (%.0f frames/s)\n", frames_total, track_seconds,
              frames_total / std::max(track_seconds, 1e-9));
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
