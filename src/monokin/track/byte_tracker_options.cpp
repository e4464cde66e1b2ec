// SPDX-License-Identifier: Apache-2.0
// ByteTrackerOptions and PostProcessOptions: validation and JSON mapping.
#include "monokin/track/byte_tracker_options.h"

#include "monokin/core/options.h"

namespace monokin::track {
namespace {

constexpr double kHour = 3600;  // longer is a typo, not a tracking setting

template <typename O, typename F>
void ByteFields(O& o, F&& f) {
  f("high_score", o.high_score);
  f("low_score", o.low_score);
  f("new_track_score", o.new_track_score);
  f("match_iou", o.match_iou);
  f("low_match_iou", o.low_match_iou);
  f("unconfirmed_match_iou", o.unconfirmed_match_iou);
  f("recovery_match_iou", o.recovery_match_iou);
  f("fuse_score", o.fuse_score);
  f("direction_weight", o.direction_weight);
  f("direction_delta_s", o.direction_delta_s);
  f("lost_buffer_per_s", o.lost_buffer_per_s);
  f("lost_buffer_max", o.lost_buffer_max);
  f("global_motion", o.global_motion);
  f("global_motion_min_tracks", o.global_motion_min_tracks);
  f("global_motion_significance", o.global_motion_significance);
  f("observation_recovery", o.observation_recovery);
  f("observation_reupdate", o.observation_reupdate);
  f("confirm_hits", o.confirm_hits);
  f("keep_lost_s", o.keep_lost_s);
  f("report_lost_s", o.report_lost_s);
  f("report_detection_box", o.report_detection_box);
  f("default_frame_rate", o.default_frame_rate);
  f("appearance", o.appearance);
  f("appearance_max_distance", o.appearance_max_distance);
  f("appearance_ratio", o.appearance_ratio);
  f("appearance_tau_s", o.appearance_tau_s);
  f("reid_keep_s", o.reid_keep_s);
  f("reid_max_speed", o.reid_max_speed);
}

template <typename O, typename F>
void PostFields(O& o, F&& f) {
  f("enabled", o.enabled);
  f("max_gap_s", o.max_gap_s);
  f("relink_max_gap_s", o.relink_max_gap_s);
  f("relink_max_distance", o.relink_max_distance);
  f("min_length_s", o.min_length_s);
}

}  // namespace

Status ByteTrackerOptions::Validate() const {
  OptionErrors e("track.byte.");
  for (const auto& [key, v] : {std::pair{"high_score", high_score},
                               {"low_score", low_score},
                               {"new_track_score", new_track_score},
                               {"match_iou", match_iou},
                               {"low_match_iou", low_match_iou},
                               {"unconfirmed_match_iou", unconfirmed_match_iou},
                               {"recovery_match_iou", recovery_match_iou},
                               {"appearance_max_distance", appearance_max_distance},
                               {"appearance_ratio", appearance_ratio}}) {
    e.Between(key, v, 0, 1);
  }
  if (low_score > high_score) {
    e.Add(fmt::format("track.byte.low_score ({}) must not be above high_score ({})", low_score,
                      high_score));
  }
  for (const auto& [key, v] : {std::pair{"keep_lost_s", keep_lost_s},
                               {"report_lost_s", report_lost_s},
                               {"direction_weight", direction_weight},
                               {"lost_buffer_per_s", lost_buffer_per_s},
                               {"lost_buffer_max", lost_buffer_max},
                               {"global_motion_significance", global_motion_significance},
                               {"reid_keep_s", reid_keep_s},
                               {"reid_max_speed", reid_max_speed}}) {
    e.Between(key, v, 0, kHour);
  }
  e.Require(direction_delta_s > 0 && direction_delta_s <= kHour, "direction_delta_s",
            "must be above 0 seconds", direction_delta_s);
  e.Require(appearance_tau_s > 0 && appearance_tau_s <= kHour, "appearance_tau_s",
            "must be above 0 seconds", appearance_tau_s);
  e.Require(global_motion_min_tracks >= 1, "global_motion_min_tracks", "must be at least 1",
            global_motion_min_tracks);
  e.Require(confirm_hits >= 1, "confirm_hits", "must be at least 1", confirm_hits);
  e.Require(default_frame_rate > 0 && default_frame_rate <= 1000, "default_frame_rate",
            "must be in (0, 1000]", default_frame_rate);
  e.Merge(camera_motion.Validate());
  return e.ToStatus();
}

void to_json(nlohmann::json& j, const ByteTrackerOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { ByteFields(oo, f); });
  j["camera_motion"] = o.camera_motion;
}

void from_json(const nlohmann::json& j, ByteTrackerOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { ByteFields(oo, f); });
  if (j.contains("camera_motion")) from_json(j.at("camera_motion"), o.camera_motion);
}

Status PostProcessOptions::Validate() const {
  OptionErrors e("track.offline.");
  for (const auto& [key, v] : {std::pair{"max_gap_s", max_gap_s},
                               {"relink_max_gap_s", relink_max_gap_s},
                               {"relink_max_distance", relink_max_distance},
                               {"min_length_s", min_length_s}}) {
    e.Between(key, v, 0, kHour);
  }
  e.Require(frame_rate > 0 && frame_rate <= 1000, "frame_rate", "must be in (0, 1000]", frame_rate);
  return e.ToStatus();
}

void to_json(nlohmann::json& j, const PostProcessOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { PostFields(oo, f); });
}

void from_json(const nlohmann::json& j, PostProcessOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { PostFields(oo, f); });
}

}  // namespace monokin::track
