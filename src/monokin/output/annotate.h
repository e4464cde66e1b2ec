// SPDX-License-Identifier: Apache-2.0
// Drawing for the annotated video: each athlete's box, its id in a label, a short trail of its
// box-bottom-centre (where it stands) and, when it has a pose, its skeleton. Each id keeps one
// colour for the whole run (derived from the id, so it is the same in every run).
#pragma once

#include <array>
#include <deque>
#include <map>
#include <opencv2/core.hpp>
#include <span>
#include <utility>

#include "monokin/core/types.h"

namespace monokin::output {

// Keypoints below this visibility are not drawn (MediaPipe's own drawing uses 0.5).
inline constexpr float kMinVisibilityToDraw = 0.5f;

// The 35 bones of the BlazePose 33-keypoint topology, as pairs of keypoint indices.
std::span<const std::pair<int, int>> BlazePoseConnections();

// A bright BGR colour for `id`, stable across frames and runs; neighbouring ids differ.
cv::Scalar TrackColour(TrackId id);

// The last `trail_frames` frames of each athlete's box-bottom-centre, in pixels.
class TrailHistory {
 public:
  explicit TrailHistory(int trail_frames) : trail_frames_(trail_frames) {}
  // Adds this frame's points and forgets those older than `trail_frames` frames (and ids
  // not seen for that long, so memory stays bounded on long runs).
  void Update(const FrameResult& result);
  // Oldest first; empty when `id` has none.
  std::vector<cv::Point2f> Trail(TrackId id) const;
  std::size_t tracked_ids() const { return points_.size(); }

 private:
  int trail_frames_;
  std::map<TrackId, std::deque<std::pair<FrameIndex, cv::Point2f>>> points_;
};

// Draws every athlete of `result` onto `canvas` (8-bit BGR) in place.
void DrawAthletes(cv::Mat& canvas, const FrameResult& result, const TrailHistory& trails);

}  // namespace monokin::output
