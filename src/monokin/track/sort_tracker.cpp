// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/sort_tracker.h"

#include <algorithm>

#include "monokin/core/assignment.h"
#include "monokin/core/geometry.h"

namespace monokin::track {

SortTracker::SortTracker(const TrackerOptions& options, const KalmanBoxNoise& noise)
    : options_(options), noise_(noise) {}

double SortTracker::StepSeconds(const FrameInfo& frame) const {
  if (frame_count_ == 0) return 0;
  const double dt = ToSeconds(frame.pts - last_frame_.pts);
  if (dt > 0) return dt;
  return std::max<FrameIndex>(frame.index - last_frame_.index, 0) * kFallbackFrameS;
}

std::vector<Track> SortTracker::Update(const FrameInfo& frame,
                                       std::span<const Detection> detections,
                                       const cv::Mat* /*image*/) {
  const double dt = StepSeconds(frame);
  clock_s_ += dt;
  last_frame_ = frame;
  ++frame_count_;

  for (State& t : tracks_) t.filter.Predict(dt);

  const int rows = static_cast<int>(tracks_.size()), cols = static_cast<int>(detections.size());
  std::vector<double> cost(static_cast<size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    const BoxPx predicted = tracks_[r].filter.box();
    for (int c = 0; c < cols; ++c) cost[r * cols + c] = 1.0 - IoU(predicted, detections[c].box);
  }
  const AssignmentResult match = SolveAssignment(cost, rows, cols, 1.0 - options_.match_iou);

  for (const auto& [r, c] : match.matches) {
    State& t = tracks_[r];
    t.filter.Update(detections[c].box);
    t.hits += 1;
    t.frames_since_seen = 0;
    t.last_seen_s = clock_s_;
    t.score = detections[c].score;
    t.confirmed = t.confirmed || t.hits >= options_.min_hits;
  }
  for (int r : match.unmatched_rows) tracks_[r].frames_since_seen += 1;
  std::erase_if(tracks_, [&](const State& t) {
    if (t.frames_since_seen == 0) return false;
    return !t.confirmed || clock_s_ - t.last_seen_s > options_.keep_lost_s;
  });
  for (int c : match.unmatched_cols) {
    const Detection& d = detections[c];
    if (d.score < options_.start_score || d.box.area() <= 0) continue;
    State t(KalmanBox(d.box, noise_));
    t.hits = 1;
    t.last_seen_s = clock_s_;
    t.score = d.score;
    t.confirmed = t.hits >= options_.min_hits;
    tracks_.push_back(std::move(t));
  }

  const bool warming_up = frame_count_ <= options_.min_hits;
  std::vector<Track> out;
  for (State& t : tracks_) {
    if (t.frames_since_seen != 0 || !(t.confirmed || warming_up)) continue;
    if (t.id < 0) t.id = next_id_++;
    out.push_back({.id = t.id,
                   .box = t.filter.box(),
                   .score = t.score,
                   .hits = t.hits,
                   .frames_since_seen = 0});
  }
  std::sort(out.begin(), out.end(), [](const Track& a, const Track& b) { return a.id < b.id; });
  return out;
}

}  // namespace monokin::track
