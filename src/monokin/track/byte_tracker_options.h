// SPDX-License-Identifier: Apache-2.0
// Options of the "byte" tracker (byte_tracker.h), apart so that TrackerOptions can hold them.
#pragma once

#include <nlohmann/json.hpp>

#include "monokin/core/status.h"
#include "monokin/track/camera_motion.h"

namespace monokin::track {

struct ByteTrackerOptions {
  // Detection scores (0..1) split detections into the first association (>= high_score), the
  // second one (low_score..high_score, only to keep existing tracks alive) and track births.
  double high_score = 0.6;
  double low_score = 0.1;
  double new_track_score = 0.7;
  // Lowest IoU for a match: first stage (high detections, every track), second stage (low
  // detections, tracks seen last frame), unconfirmed tracks, and recovery by last observation.
  double match_iou = 0.3;
  double low_match_iou = 0.5;
  double unconfirmed_match_iou = 0.3;
  double recovery_match_iou = 0.5;
  bool fuse_score = true;  // first-stage objective IoU x score (ByteTrack on MOT17)
  // OC-SORT direction consistency: weight of the agreement between a track's direction of
  // motion (over direction_delta_s) and the direction towards the candidate detection.
  // Off by default: on MOT17 public detections (jittery boxes) it cost 0.9 HOTA and 1.6 IDF1.
  double direction_weight = 0.0;
  double direction_delta_s = 0.1;
  // Buffered IoU for lost tracks: both boxes grow by this fraction of their size per second
  // lost (at most lost_buffer_max), so a track whose prediction drifted can still match.
  double lost_buffer_per_s = 0.0;
  double lost_buffer_max = 0.5;
  // Shift unmatched tracks by the median prediction error of the tracks matched in the first
  // stage (camera pans and shakes seen through the people), when at least
  // global_motion_min_tracks tracks agree.
  bool global_motion = true;
  int global_motion_min_tracks = 3;
  double global_motion_significance = 3.0;  // in standard errors of the median
  bool observation_recovery = true;  // OC-SORT OCR: match leftovers by their last observed box
  bool observation_reupdate = true;  // OC-SORT ORU: re-run the filter along a virtual path
  int confirm_hits = 2;              // consecutive matches before a track gets an id
  double keep_lost_s = 2.0;          // how long an unmatched track may be recovered, seconds
  // Also report confirmed tracks lost for at most this long, at their predicted box (causal
  // gap filling; frames_since_seen > 0 tells them apart). 0 = only matched tracks.
  double report_lost_s = 0.5;
  bool report_detection_box = false;  // output the matched detection instead of the filter's box
  double default_frame_rate = 30.0;   // used when frame timestamps do not increase
  // With frames (monokin analyze), re-identification by look: a lost track may take an unclaimed
  // confident detection up to reid_keep_s after it was last seen when their colour histograms
  // (appearance.h) are closer than appearance_max_distance, clearly closer than to any other
  // track or detection (appearance_ratio), and the detection lies within reach (the track's
  // last box plus reid_max_speed box heights per second unseen). Without frames: no effect.
  bool appearance = true;
  double appearance_max_distance = 0.2;  // Hellinger distance, 0 (same look) .. 1
  double appearance_ratio = 0.8;         // best distance <= ratio x the next best
  double appearance_tau_s = 0.45;        // time constant of a track's running look, seconds
  double reid_keep_s = 10.0;             // how long a lost track can be re-identified, seconds
  double reid_max_speed = 3.0;           // box heights per second a person may move unseen
  // With frames, camera motion estimated from the background moves every track with the camera.
  CameraMotionOptions camera_motion;  // key "camera_motion"
  Status Validate() const;
};

// JSON object with the field names above; from_json leaves absent fields at their defaults
// (call Validate() afterwards).
void to_json(nlohmann::json& j, const ByteTrackerOptions& o);
void from_json(const nlohmann::json& j, ByteTrackerOptions& o);

// Offline post-processing of a whole run (PostProcessTracks in byte_tracker.h); config key
// "track.offline". Runs after the frames of `monokin analyze` on files (not with --realtime or
// live sources) and with `monokin track --offline`.
struct PostProcessOptions {
  bool enabled = true;  // monokin analyze: run it after the frames of a file
  // Interpolate linearly over gaps up to this long; 0 = off. Matching keep_lost_s fills every
  // gap the tracker bridged.
  double max_gap_s = 2.0;
  // Re-link a track that ends to one that starts later (within relink_max_gap_s) when the
  // first track's motion brings it to the second's first box: distance between the predicted
  // and the observed centre, in box heights, plus |log| of their height ratio.
  double relink_max_gap_s = 3.0;  // 0 = off
  double relink_max_distance = 0.5;
  double min_length_s = 0.0;  // drop tracks shorter than this after linking; 0 = keep all
  double frame_rate = 30.0;   // to place interpolated frames in time (set from the input)
  Status Validate() const;    // every bad field, one per line ("track.offline.max_gap_s ...")
};
void to_json(nlohmann::json& j, const PostProcessOptions& o);
void from_json(const nlohmann::json& j, PostProcessOptions& o);

}  // namespace monokin::track
