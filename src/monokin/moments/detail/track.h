// SPDX-License-Identifier: Apache-2.0
// What the detectors read: one athlete's signals on a regular grid, in metres (image plane,
// x right, y up from the image bottom), with velocities computed here. Private to moments.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "monokin/core/moment.h"
#include "monokin/core/series.h"
#include "monokin/moments/moments_options.h"

namespace monokin::moments::detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kGravity = 9.81;  // m/s^2
// A fall moment ends when the athlete is up again or this long after the impact, so that live
// mode reports it with a bounded delay (value still_down = 1 then).
inline constexpr double kFallMaxDownS = 3.0;
// The ground line under the feet is fitted every this many seconds and interpolated (it moves
// slowly; a curved drift of 0.1 m/s^2 bends away from the chord by 0.3 cm over 0.5 s).
inline constexpr double kGroundStepS = 0.5;

enum Distal { kLeftHand = 0, kRightHand, kLeftFoot, kRightFoot, kNumDistal };
inline constexpr std::array<const char*, kNumDistal> kDistalNames = {"left_hand", "right_hand",
                                                                     "left_foot", "right_foot"};

struct Track {
  TrackId id = -1;
  std::vector<FrameIndex> frames;  // regular grid (gaps included)
  std::vector<double> t;           // seconds
  double fs = 30, dt = 1.0 / 30;
  double stature_m = 1.75;      // for height ratios
  double m_per_px = 0;          // image pixels to metres at this athlete (group moments)
  double scale_confidence = 1;  // 1 metric scale from kinematics, lower when assumed
  bool has_pose = false;        // keypoints (not only the box) were available
  double body_height_px = 0;    // median box height
  std::vector<double> cx, cy;   // centre of mass, m
  std::vector<double> vx, vy, speed, accel;  // CoM velocity (m/s), speed, d speed/dt (m/s^2)
  std::vector<double> foot_y;                // lowest foot point (heel, toe, ankle), m
  std::vector<double> low_y;                 // lowest body point, m
  std::vector<double> axis_deg;  // body axis (mid-hip -> mid-shoulder) from vertical, 0..180
  std::array<std::vector<double>, kNumDistal> dx, dy;  // wrists and feet (toe, else ankle), m
  std::vector<BoxPx> box;                              // tracker box per sample (w = 0 when unseen)
  const AthleteKinematics* kin = nullptr;              // source (repetitions, angular velocities)
  size_t kin_offset = 0;                               // index in kin of sample 0

  size_t size() const { return t.size(); }
  // Index of the sample nearest to `time` (clamped).
  size_t IndexAt(double time) const;
  // Time at a fractional index (linear between samples).
  double TimeAt(double index) const;
};

// Builds the track of one athlete from its series and (optional) kinematics, keeping samples
// with time in [t_from, t_to]. Gaps up to options.max_gap_s are interpolated linearly.
Track BuildTrack(const AthleteSeries& series, const AthleteKinematics* kin,
                 const MomentsOptions& options, double t_from, double t_to);

// Local linear-fit slope over +-k samples (a Savitzky-Golay first derivative of degree 1),
// divided by dt. Samples with fewer than k + 1 valid neighbours (or NaN themselves) get NaN.
void Derivative(const std::vector<double>& x, double dt, int k, std::vector<double>& out);

// Linear interpolation over NaN runs of at most `max_gap` samples with valid ends.
void FillGaps(std::vector<double>& x, int max_gap);

// Inclusive index ranges where `mask` holds; runs separated by at most `merge_gap` false
// samples are joined; runs shorter than `min_len` samples are dropped.
struct Run {
  size_t begin = 0, end = 0;
};
std::vector<Run> Runs(const std::vector<std::uint8_t>& mask, int merge_gap, int min_len);

// Fractional index where x crosses `level` between samples i and j (adjacent); i when flat.
double Crossing(const std::vector<double>& x, size_t i, size_t j, double level);

// Fraction of finite samples of x in [a, b].
double Coverage(const std::vector<double>& x, size_t a, size_t b);

// |(x, y)|. std::hypot guards against overflow we cannot have here and is several times slower
// (it dominated the group and strike detectors).
inline double Norm(double x, double y) { return std::sqrt(x * x + y * y); }

// Samples for a duration (at least `at_least`).
int Samples(double seconds, double fs, int at_least = 1);

// A moment of one athlete with times and frames filled from fractional indices.
KeyMoment MakeMoment(const Track& tr, std::string type, double start_idx, double peak_idx,
                     double end_idx);

// Excluded intervals (seconds) per athlete: jump flights and falls, so that the vertical
// motion of a jump or a fall is not read as a burst or a change of direction.
struct Interval {
  double from_s = 0, to_s = 0;
};

// The ground line under an athlete's feet (m, per sample): see detectors.cpp.
std::vector<double> GroundLine(const Track& tr, double window_s, double tolerance);

// Single-athlete detectors (detectors.cpp). Each appends to `out`.
void DetectJumps(const Track& tr, const JumpRule& r, std::vector<KeyMoment>& out);
void DetectSprints(const Track& tr, const SprintRule& r, std::vector<KeyMoment>& out);
void DetectBursts(const Track& tr, const BurstRule& r, bool deceleration,
                  const std::vector<Interval>& excluded, std::vector<KeyMoment>& out);
void DetectDirectionChanges(const Track& tr, const DirectionChangeRule& r,
                            const std::vector<Interval>& excluded, std::vector<KeyMoment>& out);
void DetectStrikes(const Track& tr, const StrikeRule& r, std::vector<KeyMoment>& out);
void DetectFalls(const Track& tr, const FallRule& r, std::vector<KeyMoment>& out);
void DetectRepetitions(const Track& tr, const RepetitionRule& r, std::vector<KeyMoment>& out);

// Group detectors (group.cpp) over every pair of tracks.
void DetectGroupMoments(const std::vector<Track>& tracks, const MomentsOptions& o,
                        std::vector<KeyMoment>& out);

}  // namespace monokin::moments::detail
