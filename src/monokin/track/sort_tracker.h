// SPDX-License-Identifier: Apache-2.0
// Backend "sort" (Bewley et al. 2016, "Simple Online and Realtime Tracking"): one KalmanBox
// per track, predicted to the frame's time, matched to detections by IoU with the optimal
// assignment of monokin/core/assignment.h.
#pragma once

#include <memory>
#include <vector>

#include "monokin/track/kalman_box.h"
#include "monokin/track/tracker.h"

namespace monokin::track {

// Frame step assumed when pts do not advance between frames (a caller without timestamps).
inline constexpr double kFallbackFrameS = 1.0 / 30;

// Life of a track, per frame:
//   1. predict every track to the frame's pts;
//   2. match tracks and detections minimising sum(1 - IoU), pairs with IoU < match_iou never;
//   3. a matched track takes the Kalman-corrected box; an unmatched detection with score >=
//      start_score starts a tentative track;
//   4. a tentative track becomes confirmed at min_hits matches and is dropped at its first
//      miss; a confirmed one is dropped after keep_lost_s seconds (pts) without a match;
//   5. reported: the tracks matched in this frame that are confirmed, or all of them during
//      the first min_hits frames of the input (so the first frames are not empty).
// A track gets its id when first reported: ids are 1, 2, 3... in order of first appearance,
// never reused, one per track.
class SortTracker final : public Tracker {
 public:
  explicit SortTracker(const TrackerOptions& options, const KalmanBoxNoise& noise = {});
  std::vector<Track> Update(const FrameInfo& frame, std::span<const Detection> detections,
                            const cv::Mat* image = nullptr) override;
  std::string name() const override { return "sort"; }

 private:
  struct State {
    explicit State(const KalmanBox& f) : filter(f) {}
    KalmanBox filter;
    TrackId id = -1;  // -1 until first reported
    int hits = 0;
    int frames_since_seen = 0;
    bool confirmed = false;
    double last_seen_s = 0;  // tracker clock when last matched
    float score = 0;         // of the last matched detection
  };

  // Seconds since the previous frame, from pts (index difference at kFallbackFrameS when the
  // pts did not advance).
  double StepSeconds(const FrameInfo& frame) const;

  TrackerOptions options_;
  KalmanBoxNoise noise_;
  std::vector<State> tracks_;
  TrackId next_id_ = 1;
  std::int64_t frame_count_ = 0;
  double clock_s_ = 0;  // sum of the steps: time since the first frame
  FrameInfo last_frame_;
};

}  // namespace monokin::track
