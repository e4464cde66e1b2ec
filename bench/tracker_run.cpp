// SPDX-License-Identifier: Apache-2.0
#include "tracker_run.h"

#include "monokin/pipeline/detection_tracking.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "monokin/eval/mot_data.h"

namespace monokin::eval {
namespace fs = std::filesystem;

Result<TrackerRunResult> RunTrackerOnMotDir(const std::string& data,
                                            const TrackerRunOptions& options) {
  TrackerRunResult result;
  const fs::path train = fs::path(data) / "train";
  if (!fs::is_directory(train)) return NotFound("no folder " + train.string());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(train)) {
    if (fs::exists(e.path() / "det" / "det.txt")) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const fs::path dir = train / name;
    MK_ASSIGN_OR_RETURN(SeqInfo info, LoadSeqInfo((dir / "seqinfo.ini").string()));
    MK_ASSIGN_OR_RETURN(MotSequence dets, LoadMotFile((dir / "det" / "det.txt").string(),
                                                      MotFileKind::kDetections, info.length));
    MK_ASSIGN_OR_RETURN(MotSequence gt, LoadMotFile((dir / "gt" / "gt.txt").string(),
                                                    MotFileKind::kGroundTruth, info.length));
    std::vector<std::vector<Detection>> per_frame = pipeline::DetectionsPerFrame(dets);
    // Synthetic camera motion: the same image shift for detections and gt in each frame.
    const double fps_shift = info.frame_rate > 0 ? info.frame_rate : 30.0;
    auto shift = [&](size_t t, double& dx, double& dy) {
      const double s = static_cast<double>(t) / fps_shift;
      const double amp = options.synthetic_pan_px, period = options.synthetic_pan_period_s;
      dx = amp * std::sin(2 * std::numbers::pi * s / period);
      dy = 0.3 * amp * std::sin(2 * std::numbers::pi * s / (0.7 * period));
    };
    if (options.synthetic_pan_px > 0) {
      for (size_t t = 0; t < per_frame.size(); ++t) {
        double dx = 0, dy = 0;
        shift(t, dx, dy);
        for (Detection& d : per_frame[t]) {
          d.box.x += static_cast<float>(dx);
          d.box.y += static_cast<float>(dy);
        }
        if (t < gt.frames.size()) {
          for (MotBox& b : gt.frames[t]) {
            b.x += dx;
            b.y += dy;
          }
        }
      }
    }
    track::TrackerOptions tracker_options;
    tracker_options.backend = "byte";
    tracker_options.byte = options.tracker;
    const auto start = std::chrono::steady_clock::now();
    MK_ASSIGN_OR_RETURN(std::vector<track::TrackedBox> rows,
                        pipeline::TrackFrames(per_frame, info, tracker_options,
                                              options.post_process ? &options.post : nullptr));
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.tracker_seconds += secs;
    result.frames_per_second.push_back(static_cast<double>(per_frame.size()) /
                                       std::max(secs, 1e-9));
    result.frames += static_cast<long>(per_frame.size());
    MotSequence pred;
    pred.name = name;
    pred.path = name + " (tracker output)";
    pred.frames.resize(info.length);
    for (const auto& r : rows) {
      MotBox b;
      b.id = r.id;
      b.x = r.box.x;
      b.y = r.box.y;
      b.w = r.box.w;
      b.h = r.box.h;
      pred.frames[r.frame].push_back(b);
    }
    if (!options.out_dir.empty()) {
      fs::create_directories(options.out_dir);
      std::ofstream f(fs::path(options.out_dir) / (name + ".txt"));
      for (const auto& r : rows) {
        f << fmt::format("{},{},{:.2f},{:.2f},{:.2f},{:.2f},1,-1,-1,-1\n", r.frame + 1, r.id,
                         r.box.x, r.box.y, r.box.w, r.box.h);
      }
    }
    MK_ASSIGN_OR_RETURN(SequenceMetrics m, EvaluateSequence(gt, pred));
    m.name = name;
    result.sequences.push_back(std::move(m));
  }
  if (result.sequences.empty())
    return NotFound("no sequences with det/det.txt in " + train.string());
  result.combined = CombineSequences(result.sequences);
  return result;
}

}  // namespace monokin::eval
