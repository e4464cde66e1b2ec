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

#include <map>
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

// Which tracks continue which (relink_max_gap_s, relink_max_distance): for every track id that
// continues an earlier track, the id of the chain's first track. Predicted rows are ignored.
// Empty when re-linking is off or nothing links.
std::map<TrackId, TrackId> RelinkTracks(const std::vector<TrackedBox>& rows,
                                        const PostProcessOptions& options);

// Offline post-processing of a whole run (rows in any order). Predicted rows are dropped
// first (interpolation replaces them where the track came back). Returns rows sorted by
// frame, then id; re-linked tracks take the id of their first part.
std::vector<TrackedBox> PostProcessTracks(std::vector<TrackedBox> rows,
                                          const PostProcessOptions& options);

}  // namespace monokin::track
