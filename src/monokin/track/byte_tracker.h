// SPDX-License-Identifier: Apache-2.0
// Backend "byte": a tracker that combines ByteTrack's two-stage association by detection
// score, OC-SORT's observation-centric recovery, re-update and direction consistency, and a
// Kalman state with box width and height (BoT-SORT). Parameters are in seconds and in units
// relative to the box size, so they hold at any frame rate or resolution. Causal; the optional
// offline post-processing (PostProcessTracks) interpolates gaps and re-links broken tracks.
//
//   auto tracker = MakeByteTracker({});
//   for (...) rows = (*tracker)->Update(frame_info, detections);
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"
#include "monokin/track/byte_tracker_options.h"
#include "monokin/track/tracker.h"

namespace monokin::track {

Result<std::unique_ptr<Tracker>> MakeByteTracker(const ByteTrackerOptions& options);

// One output box, as an offline post-processing step sees it.
struct TrackedBox {
  FrameIndex frame = 0;
  double time_s = 0;  // frame timestamp, seconds
  TrackId id = -1;
  BoxPx box;
  float score = 0;
  bool predicted = false;  // a lost track's predicted box (Track::frames_since_seen > 0)
};

struct PostProcessOptions {
  // Interpolate linearly over gaps up to this long; 0 = off. Matching keep_lost_s fills every
  // gap the tracker bridged.
  double max_gap_s = 2.0;
  // Re-link a track that ends to one that starts later (within relink_max_gap_s) when the
  // first track's motion brings it to the second's first box: distance between the predicted
  // and the observed centre, in box heights.
  double relink_max_gap_s = 0.0;  // 0 = off
  double relink_max_distance = 0.5;
  double min_length_s = 0.0;  // drop tracks shorter than this after linking; 0 = keep all
  double frame_rate = 30.0;   // to place interpolated frames in time
};

// Offline post-processing of a whole run (rows in any order). Predicted rows are dropped
// first (interpolation replaces them where the track came back). Returns rows sorted by
// frame, then id; re-linked tracks take the id of their first part.
std::vector<TrackedBox> PostProcessTracks(std::vector<TrackedBox> rows,
                                          const PostProcessOptions& options);

}  // namespace monokin::track
