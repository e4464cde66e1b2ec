// SPDX-License-Identifier: Apache-2.0
// Kinematics of one athlete: from an AthleteSeries (BlazePose keypoints per frame) to clean
// joint and segment angles, their velocities and accelerations, joint speeds, centre of mass,
// metric scale, repetitions and gait. Offline (causal = false) sees the whole series;
// live (causal = true) gives, for every sample, what was computable from the samples up to it.
//
//   KinematicsOptions options;                       // or from the config's "kinematics" key
//   MK_ASSIGN_OR_RETURN(auto per_athlete, options.ForAthlete(series.id));
//   MK_ASSIGN_OR_RETURN(AthleteKinematics k, ComputeKinematics(series, per_athlete));
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "monokin/core/series.h"
#include "monokin/core/status.h"

namespace monokin::kinematics {

struct KinematicsOptions {
  double height_m = 1.75;                  // athlete stature, metres (sets the 2D metric scale)
  std::string sex = "male";                // "male" | "female": de Leva segment table
  double min_visibility = 0.3;             // keypoints below this visibility count as missing
  double cutoff_hz = 6;                    // zero-phase Butterworth -3 dB point (offline)
  int filter_order = 4;                    // Butterworth order, 1..8 (2 and 4 tested)
  double max_gap_s = 0.5;                  // longest gap filled by interpolation, seconds
  double hampel_window_s = 0.25;           // Hampel window length, seconds (centred offline)
  double hampel_sigmas = 3;                // Hampel threshold in robust standard deviations
  double one_euro_min_cutoff_hz = 1.0;     // One-Euro (live) cutoff at rest
  double one_euro_beta = 0.5;              // One-Euro speed coefficient, per stature per second
  double one_euro_d_cutoff_hz = 1.0;       // One-Euro cutoff of its speed estimate
  double derivative_window_s = 0.15;       // Savitzky-Golay window for derivatives, seconds
  bool causal = false;                     // live mode: causal filters, no look-ahead
  bool angles_3d = true;                   // also compute 3D angles when world landmarks exist
  std::string repetition_signal = "auto";  // signal to count repetitions on, e.g.
                                           // "angle_shoulder_left_deg"; "auto" picks the joint
                                           // angle with the most repeated motion
  double repetition_min_range = 10;        // smallest range of a repeated movement (signal unit)
  nlohmann::json athletes = nlohmann::json::object();  // per-id overrides: {"3": {"height_m":
                                                       // 1.82}}
  // kInvalidArgument naming each wrong field (and each bad per-athlete override).
  Status Validate() const;
  // These options with the overrides for athlete `id` applied (kInvalidArgument when an
  // override has an unknown key or a wrong value).
  Result<KinematicsOptions> ForAthlete(TrackId id) const;
};
void to_json(nlohmann::json& j, const KinematicsOptions& o);
void from_json(const nlohmann::json& j, KinematicsOptions& o);

// Everything for one athlete. Samples lie on a regular grid from the athlete's first to last
// frame (frames where it was not seen included, NaN or interpolated). Expects BlazePose's 33
// keypoints; poses with another skeleton are ignored. kInvalidArgument when `options` do not
// validate. An empty series gives an empty result.
Result<AthleteKinematics> ComputeKinematics(const AthleteSeries& series,
                                            const KinematicsOptions& options);

}  // namespace monokin::kinematics
