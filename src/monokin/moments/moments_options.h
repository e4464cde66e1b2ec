// SPDX-License-Identifier: Apache-2.0
// Rules of the key-moment engine: one block per detector (enabled + thresholds in physical
// units) and presets per sport. JSON maps one-to-one onto the structs (config key "moments").
//
//   MK_ASSIGN_OR_RETURN(MomentsOptions o,
//                       MomentsOptionsFromConfig(user_json["moments"], "run.json"));
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "monokin/core/status.h"

namespace monokin::moments {

struct JumpRule {
  bool enabled = true;
  double min_flight_s = 0.2;         // shorter flights are running strides (sprint flight ~0.12 s)
  double max_flight_s = 1.3;         // longer "flights" are tracking errors (h = 2 m at 1.28 s)
  double min_height_m = 0.08;        // smallest jump height (from flight time and from the CoM)
  double min_clearance_m = 0.06;     // lowest foot point above the ground line, metres
  double ground_window_s = 0.75;     // half-width of the window giving the ground line
  double max_height_mismatch = 0.4;  // |height from flight - height of the CoM| at most this
                                     // fraction of the larger: both measure one flight
};

struct SprintRule {
  bool enabled = true;
  double min_speed_mps = 7.0;   // 25.2 km/h, the usual football sprint band
  double min_duration_s = 1.0;  // shortest time above min_speed
  double merge_gap_s = 0.3;     // dips below min_speed shorter than this do not split a sprint
  double max_speed_mps = 13;    // faster is a tracking jump (the 100 m record peaks at 12.4)
};

// Acceleration (speed rising) or deceleration (speed falling) burst.
struct BurstRule {
  bool enabled = true;
  double min_accel_mps2 = 2.5;        // |d speed / dt| above this (tangential, m/s^2)
  double min_duration_s = 0.5;        // for at least this long
  double min_speed_change_mps = 1.5;  // and changing the speed by at least this much
  double merge_gap_s = 0.15;          // short dips below the threshold do not split a burst
  double max_accel_mps2 = 15;         // more is a tracking jump (sprint starts reach ~10)
};

struct DirectionChangeRule {
  bool enabled = true;
  double min_angle_deg = 45;   // heading change between the paths before and after
  double window_s = 1.0;       // the change must happen within this time
  double min_speed_mps = 2.0;  // mean speed along both paths (half a window each)
};

struct StrikeRule {
  bool enabled = true;
  bool feet = true;                  // kicks
  bool hands = true;                 // throws, hits, punches
  double min_foot_speed_mps = 12.0;  // foot speed relative to the centre of mass
  double min_hand_speed_mps = 9.0;   // hand (wrist) speed relative to the centre of mass
  double refractory_s = 0.4;         // one strike per limb within this time
  double min_duration_s = 0.1;       // above half the threshold for at least this long (a kick
                                     // lasts ~0.2 s; a keypoint jumping for one frame does not)
};

struct FallRule {
  bool enabled = true;
  double max_height_ratio = 0.3;  // CoM above the lowest body point, as a fraction of stature,
                                  // below which the athlete is down (standing ~0.55)
  double min_axis_deg = 60;       // body axis (mid-hip to mid-shoulder) from vertical when down
  double min_down_s = 0.3;        // down for at least this long
  double upright_ratio = 0.45;    // CoM height ratio of an upright athlete
  double max_transition_s = 1.5;  // from last upright to down within this time (a fall, not
                                  // lying down slowly)
  double min_drop_ratio = 0.1;    // the CoM itself drops at least this fraction of stature
                                  // (not only the lowest body point moving)
};

struct RepetitionRule {
  bool enabled = true;
  double min_range = 20;         // smallest range of motion kept, in the counted signal's unit
                                 // (degrees for joint angles: keypoint jitter makes ~10)
  double min_periodicity = 0.5;  // the movement's autocorrelation at its period (kinematics'
                                 // RepetitionSummary::periodicity): exercise sets repeat
  double max_speed_mps = 1.0;    // mean CoM speed during a repetition: exercises are done in
                                 // place; cycles while travelling are strides (gait)
};

struct ConvergingRule {
  bool enabled = true;
  double min_closing_speed_mps = 3.0;  // rate at which the distance between two athletes falls
  double min_duration_s = 0.5;         // for at least this long
  double max_end_distance_m = 2.0;     // and ending this close (closest distance)
};

struct ContactRule {
  bool enabled = true;
  double min_overlap = 0.1;            // box intersection / smaller box area
  double min_closing_speed_mps = 3.0;  // peak closing speed just before the boxes meet: above
                                       // two people walking into each other (2 x 1.4 m/s)
  double closing_window_s = 0.5;       // how far before the contact the closing speed is looked at
  double min_gap_s = 0.5;              // overlaps closer in time than this are one contact
  double min_velocity_change = 0.5;    // |v_rel after - v_rel before| / |v_rel before|, with the
                                       // relative velocity of the two ground points taken
                                       // closing_window_s before and after the boxes meet: bodies
                                       // that touch exchange momentum, people passing do not
  double min_height_ratio = 0.75;      // smaller / larger box height when they meet: at the same
                                       // depth two standing athletes look the same size (a box
                                       // twice as tall is a merged detection of an occlusion)
  double max_iou = 0.8;  // at most overlap: two tracks on one person (duplicates) are not a contact
  double max_depth_gap = 0.2;  // box bottoms (ground points) at most this far apart vertically,
                               // as a fraction of the mean box height: people passing at
                               // different depths overlap on the image without touching
};

struct MomentsOptions {
  std::string preset = "default";    // the preset these values started from (see README)
  double derivative_window_s = 0.2;  // local-fit window for the CoM velocity
  double accel_window_s = 0.5;       // local-fit window for d speed / dt (bursts last >= 0.5 s)
  double max_gap_s = 0.5;            // gaps up to this long are interpolated linearly
  double assumed_height_m = 1.75;    // stature used when kinematics found no metric scale
  double live_window_s = 30;         // live: history re-examined at each update
  double min_body_height_px = 120;   // athletes whose median box is shorter get no jump, fall,
                                     // strike, repetition or contact: their keypoints (a 256 px
                                     // model input upsampled 2x or more) and box edges are too
                                     // coarse for foot clearance, limb speed, body axis, overlap
  JumpRule jump;
  SprintRule sprint;
  BurstRule acceleration;
  BurstRule deceleration{.min_accel_mps2 = 3.0};
  DirectionChangeRule change_of_direction;
  StrikeRule strike;
  FallRule fall;
  RepetitionRule repetition;
  ConvergingRule converging;
  ContactRule contact;

  // kInvalidArgument naming every wrong field ("moments.jump.min_flight_s must be ...").
  Status Validate() const;
};
void to_json(nlohmann::json& j, const MomentsOptions& o);
// Reads the keys present in `j` (others keep their value). Use MomentsOptionsFromConfig for
// user input: it rejects unknown keys and wrong kinds.
void from_json(const nlohmann::json& j, MomentsOptions& o);

// Names accepted by MomentsPreset: default, football, athletics, running, gym, fitness,
// basketball, handball.
std::vector<std::string> MomentsPresetNames();
// The options of a sport preset; kInvalidArgument for an unknown name (listing the known ones).
Result<MomentsOptions> MomentsPreset(std::string_view name);

// The options for a user's "moments" config object: the preset it names ("preset", default
// "default"), then its other keys on top, then Validate(). kInvalidArgument naming the key for
// unknown keys, wrong kinds and impossible values; `source` names the file or "--set".
// `patch` may be the user's object alone or one already merged onto the defaults: with a preset
// other than "default", keys equal to the default value do not override the preset (so a user
// cannot force a preset's field back to exactly the default value; choose "default" then).
Result<MomentsOptions> MomentsOptionsFromConfig(const nlohmann::json& patch,
                                                std::string_view source);

}  // namespace monokin::moments
