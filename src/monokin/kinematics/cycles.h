// SPDX-License-Identifier: Apache-2.0
// Cyclic structure of a movement: repetitions in any signal (angle or position), and gait
// events (foot strikes, toe-offs) from the foot keypoints.
#pragma once

#include <span>

#include "monokin/core/series.h"
#include "monokin/kinematics/angles.h"

namespace monokin::kinematics {

struct RepetitionOptions {
  // Hysteresis thresholds as fractions of the range from the rest end: a repetition must go
  // beyond enter_fraction, and come back below exit_fraction before the next one counts.
  double enter_fraction = 0.5;
  double exit_fraction = 0.2;
  double min_range = 10;  // a signal moving less than this (its unit) has no repetitions
};

// Repetitions of a signal sampled at times `time_s` (NaN allowed). The range is the 5th to
// 95th percentile; the signal must cross from below the lower threshold to above the upper one
// (hysteresis, see RepetitionOptions), and back, for a repetition to count. The rest position is
// the extreme where the signal spends most of its time (below the middle of the range -> valleys).
// A repetition starts when the signal leaves its rest extreme (within 10 % of the range) and ends
// when it comes back. Only complete repetitions count. `signal` names the signal in the result.
RepetitionSummary DetectRepetitions(std::span<const double> x, std::span<const double> time_s,
                                    double fs_hz, const RepetitionOptions& options,
                                    const std::string& signal = "");

// Dominant period in samples by autocorrelation over lags [min_lag, max_lag]: the highest
// local maximum. 0 when none; `score` gets the normalised autocorrelation there.
double DominantPeriodSamples(std::span<const double> x, int min_lag, int max_lag, double* score);

// Gait event detection. Every limit is a property of human gait (stature-relative, in seconds
// or per second), not of a camera or clip. Side views only.
struct GaitOptions {
  // Ground contact by height, with hysteresis: a foot enters contact when its lowest point
  // (heel or toe) comes within contact_height statures of the ground line, and stays in contact
  // until it rises above release_height.
  double contact_height = 0.035;
  double release_height = 0.05;
  // A planted foot does not move forward relative to the hips (it moves backwards at the body
  // speed): per frame, the smaller of its two one-sided hip-relative velocities, and over the
  // whole contact its mean velocity, must stay below this many statures per second forward.
  double contact_speed = 0.25;
  // Frame-to-frame forward shift of a planted foot tolerated (statures): heel-to-toe roll and
  // keypoint jitter. Backwards, a planted foot moves at most max_body_speed (statures/s,
  // ~10 m/s for 1.75 m: a sprinter) relative to the hips.
  double foot_tolerance = 0.1;
  double max_body_speed = 6;
  double min_contact_s = 0.09;  // shorter ground contacts are not human (elite sprint ~0.09 s)
  double max_hole_s = 0.1;      // a contact survives this long without a valid foot observation
  // Feet closer than this (statures) in one frame are the pose model putting both on the same
  // spot (crossing legs); such frames count as holes.
  double same_spot = 0.03;
  double min_step_s = 0.25;  // strike to strike of the other foot: 240 steps/min at most
};

// Per-frame foot points for DetectGait (image px, y down; NaN when missing). [0] = left label,
// [1] = right label, as the pose model (or swap repair) labelled them: labels only vote.
struct GaitFrame {
  Vec3 heel[2], toe[2];
  Vec3 hip;  // mid-hip
};

// Foot strikes and toe-offs of a side view. `facing` +1/-1 as FacingDirection; `stature_px` the
// athlete's height in px. Pass the foot points before low-pass filtering: filtering smears the
// left/right label errors of side views over neighbouring frames.
//  1. Ground line: 75th percentile of the lower foot over +-1 s (trailing 2 s when `causal`).
//  2. A foot observation is planted when it is within the contact height (release height when
//     it continues a contact) and not moving forward relative to the hips (GaitOptions).
//  3. Planted observations are grouped into contacts by position, not by label (the labels of
//     crossing legs are unreliable): an observation continues a contact when it is where that
//     planted foot can be (at most foot_tolerance ahead of it, at most max_body_speed behind);
//     gaps up to max_hole_s are bridged.
//  4. Contacts shorter than min_contact_s, or drifting forward on average, are dropped; a
//     contact that starts where the previous one ended is the same foot (merged); two strikes
//     closer than min_step_s keep the longer contact.
//  5. Feet alternate (walking, running; hops are not supported): sides are assigned
//     alternately, with the parity the labels vote for, restarting after a gap that hides a
//     step (> 1.6 median steps).
// Strikes of contacts that start at the first observed frame, and toe-offs of contacts that
// end at the last, are unknown and not reported. Summary values are robust means of the
// intervals between reported events.
GaitSummary DetectGait(std::span<const GaitFrame> feet, std::span<const double> time_s,
                       std::span<const FrameIndex> frames, double fs_hz, double facing,
                       double stature_px, bool causal, const GaitOptions& options = {});

// The same from full skeletons (heels, toes and hips are used).
GaitSummary DetectGait(std::span<const Skeleton> image, std::span<const double> time_s,
                       std::span<const FrameIndex> frames, double fs_hz, double facing,
                       double stature_px, bool causal, const GaitOptions& options = {});

}  // namespace monokin::kinematics
