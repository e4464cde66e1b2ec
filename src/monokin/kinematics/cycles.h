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

struct GaitOptions {
  double contact_height = 0.05;  // foot's lowest point within this many statures of the ground
  double contact_speed = 0.25;   // and moving forward relative to the hips slower than this
                                 // many statures per second (stance feet move backwards)
  double min_contact_s = 0.06;   // shorter contacts are noise
};

// Foot strikes and toe-offs from a cleaned 2D series (image px, y down) of a side view.
// `facing` +1/-1 as FacingDirection; `stature_px` the athlete's height in px. Contact: the
// lowest point of the foot (heel or toe) near the ground line (the median over +-1 s of the
// lower foot) while it moves backwards relative to the mid-hip. Events come from contacts that
// begin and end inside the series. `causal` uses one-sided derivatives and a trailing ground
// window.
GaitSummary DetectGait(std::span<const Skeleton> image, std::span<const double> time_s,
                       std::span<const FrameIndex> frames, double fs_hz, double facing,
                       double stature_px, bool causal, const GaitOptions& options = {});

}  // namespace monokin::kinematics
