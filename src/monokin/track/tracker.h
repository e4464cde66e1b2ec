// SPDX-License-Identifier: Apache-2.0
// Multi-object trackers behind one interface: each person keeps one TrackId across frames.
// Backend "sort": Kalman box model + IoU assignment with an optimal (Hungarian) solver.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>
#include <span>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"
#include "monokin/track/byte_tracker_options.h"

namespace monokin::track {

struct TrackerOptions {
  std::string backend = "byte";  // "byte" (ByteTrack + OC-SORT + BoT-SORT ideas) | "sort"
  // SORT's settings (backend "sort"):
  float match_iou = 0.3f;      // lowest box overlap that counts as the same person, 0..1
  float start_score = 0.5f;    // a new track needs a detection at least this confident
  int min_hits = 3;            // matched frames before a track is reported
  double keep_lost_s = 1.0;    // how long a track survives without a detection, seconds
  ByteTrackerOptions byte;     // the "byte" tracker's settings (key "byte")
  PostProcessOptions offline;  // post-processing after the whole run (key "offline")
  // Every bad field, one per line ("track.match_iou must be ...; got 1.5").
  Status Validate() const;
};
void to_json(nlohmann::json& j, const TrackerOptions& o);
// Keys: backend, match_iou, start_score, min_hits, keep_lost_s, byte, offline. Missing keys keep
// their current value; unknown keys are rejected earlier, by MergeConfig.
void from_json(const nlohmann::json& j, TrackerOptions& o);

// One Tracker per input. Call from one thread at a time, with frames in pts order.
class Tracker {
 public:
  virtual ~Tracker() = default;
  // The confirmed tracks visible in `frame`, ordered by id. `image` is the frame's pixels when
  // available (for camera-motion compensation or appearance); trackers must work without it.
  // An empty result means nobody is on screen; that is a normal answer.
  virtual std::vector<Track> Update(const FrameInfo& frame, std::span<const Detection> detections,
                                    const cv::Mat* image = nullptr) = 0;
  virtual std::string name() const = 0;
};

Result<std::unique_ptr<Tracker>> MakeTracker(const TrackerOptions& options);

}  // namespace monokin::track
