// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/detection_tracking.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "monokin/output/mot_writer.h"
#include "monokin/output/run_outputs.h"

namespace monokin::pipeline {

std::vector<std::vector<Detection>> DetectionsPerFrame(const eval::MotSequence& detections) {
  bool logistic = false;
  for (const auto& f : detections.frames) {
    for (const auto& b : f) logistic = logistic || b.conf < 0 || b.conf > 1;
  }
  std::vector<std::vector<Detection>> per_frame(detections.frames.size());
  for (std::size_t t = 0; t < detections.frames.size(); ++t) {
    for (const auto& b : detections.frames[t]) {
      Detection d;
      d.box = {static_cast<float>(b.x), static_cast<float>(b.y), static_cast<float>(b.w),
               static_cast<float>(b.h)};
      d.score = static_cast<float>(logistic ? 1.0 / (1.0 + std::exp(-b.conf)) : b.conf);
      per_frame[t].push_back(d);
    }
  }
  return per_frame;
}

Result<std::vector<track::TrackedBox>> TrackFrames(
    const std::vector<std::vector<Detection>>& per_frame, const eval::SeqInfo& info,
    const track::TrackerOptions& options, const track::PostProcessOptions* post) {
  MK_ASSIGN_OR_RETURN(std::unique_ptr<track::Tracker> tracker, track::MakeTracker(options));
  const double fps = info.frame_rate > 0 ? info.frame_rate : 30.0;
  std::vector<track::TrackedBox> rows;
  for (std::size_t t = 0; t < per_frame.size(); ++t) {
    FrameInfo fi;
    fi.index = static_cast<FrameIndex>(t);
    fi.pts = Micros(std::llround(1e6 * static_cast<double>(t) / fps));
    fi.width_px = info.width_px;
    fi.height_px = info.height_px;
    for (const Track& tr : tracker->Update(fi, per_frame[t])) {
      rows.push_back(
          {fi.index, ToSeconds(fi.pts), tr.id, tr.box, tr.score, tr.frames_since_seen > 0});
    }
  }
  if (post) {
    track::PostProcessOptions p = *post;
    p.frame_rate = fps;
    rows = track::PostProcessTracks(std::move(rows), p);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.frame != b.frame ? a.frame < b.frame : a.id < b.id;
  });
  return rows;
}

std::string TrackedBoxesToMot(const std::vector<track::TrackedBox>& rows) {
  std::string text;
  for (const auto& r : rows) {
    Athlete a;
    a.id = r.id;
    a.box = r.box;
    a.score = r.score;
    text += output::MotLine(r.frame, a);
    text += '\n';
  }
  return text;
}

Status TrackDetectionFile(const std::string& det_path, const std::string& seqinfo_path,
                          const track::TrackerOptions& options, bool offline,
                          const std::string& out_path) {
  eval::SeqInfo info;
  if (!seqinfo_path.empty()) {
    MK_ASSIGN_OR_RETURN(info, eval::LoadSeqInfo(seqinfo_path));
  }
  MK_ASSIGN_OR_RETURN(eval::MotSequence dets,
                      eval::LoadMotFile(det_path, eval::MotFileKind::kDetections, info.length));
  MK_ASSIGN_OR_RETURN(
      std::vector<track::TrackedBox> rows,
      TrackFrames(DetectionsPerFrame(dets), info, options, offline ? &options.offline : nullptr));
  const std::filesystem::path parent = std::filesystem::path(out_path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  return output::WriteTextFileAtomic(out_path, TrackedBoxesToMot(rows));
}

}  // namespace monokin::pipeline
