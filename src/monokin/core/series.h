// SPDX-License-Identifier: Apache-2.0
// Athlete series: the per-athlete view of a run that kinematics and moments work on, and the
// kinematic results that later stages (moments, output) read. Plain data plus two small
// builders; header-only so that core's build needs no new source file.
//
//   std::vector<AthleteSeries> all = BuildAthleteSeries(frame_results);
//   for (const AthleteSeries& s : all) { ... s.samples[i].pose ... }
#pragma once

#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "monokin/core/types.h"

namespace monokin {

// One athlete in one frame.
struct AthleteSample {
  FrameInfo frame;
  double time_s = 0;               // ToSeconds(frame.pts)
  BoxPx box;                       // the tracker's box, image pixels
  float score = 0;                 // detection score, 0..1
  std::optional<PersonPose> pose;  // absent when no pose was found this frame
  int frames_since_seen = 0;       // > 0: the tracker's predicted box of a briefly lost athlete
};

// All frames of one athlete, ordered by frame index (strictly increasing). Frames where the
// athlete was not seen are simply absent; consumers put the samples on a regular grid.
struct AthleteSeries {
  TrackId id = -1;
  std::vector<AthleteSample> samples;
};

// Appends the athletes of `frame` to `series` (kept ordered by id). Frames must come in
// increasing index order; a frame whose index is not after an athlete's last sample is ignored
// for that athlete. Used both live (one frame at a time) and by BuildAthleteSeries.
inline void AppendToSeries(const FrameResult& frame, std::vector<AthleteSeries>& series) {
  for (const Athlete& a : frame.athletes) {
    auto it = std::lower_bound(series.begin(), series.end(), a.id,
                               [](const AthleteSeries& s, TrackId id) { return s.id < id; });
    if (it == series.end() || it->id != a.id) {
      it = series.insert(it, AthleteSeries{});
      it->id = a.id;
    }
    if (!it->samples.empty() && it->samples.back().frame.index >= frame.frame.index) continue;
    it->samples.push_back(AthleteSample{frame.frame, ToSeconds(frame.frame.pts), a.box, a.score,
                                        a.pose, a.frames_since_seen});
  }
}

// Per-athlete series of a whole run, ordered by track id. `frames` in increasing index order.
inline std::vector<AthleteSeries> BuildAthleteSeries(std::span<const FrameResult> frames) {
  std::vector<AthleteSeries> series;
  for (const FrameResult& f : frames) AppendToSeries(f, series);
  return series;
}

// ---- Kinematic results (produced by the kinematics stage, read by moments and output) ----

// One time series sampled on AthleteKinematics::time_s. NaN marks "no value".
struct KinematicSignal {
  std::string name;  // e.g. "angle_knee_left_deg"; the unit is the name's suffix
  std::string unit;  // "deg", "deg/s", "m", "m/s", "px", ...
  std::vector<double> values;
};

// Where metric values come from.
struct ScaleInfo {
  std::string source = "none";  // "height_upright", "height_any_pose", "none" (2D in px);
                                // 3D values always come from "world" landmarks
  double m_per_px = 0;          // metres per image pixel (0 when source is "none")
  double height_m = 0;          // the athlete height used
  double height_px = 0;         // that height measured on the image, px
  int frames_used = 0;          // frames the measurement used
};

// One repetition of a cyclic movement in one signal.
struct Repetition {
  double start_s = 0, peak_s = 0, end_s = 0;  // start and end at the rest extreme
  double rest_value = 0;                      // mean of the start and end values
  double peak_value = 0;
  double range = 0;             // |peak - rest extreme| (range of motion, signal unit)
  double duration_s = 0;        // end - start
  double up_s = 0, down_s = 0;  // start -> peak, peak -> end (tempo)
};

struct RepetitionSummary {
  std::string signal;      // the signal the repetitions were counted on; empty when none
  double period_s = 0;     // dominant period from the autocorrelation; 0 when not periodic
  double periodicity = 0;  // autocorrelation at that period, -1..1
  std::vector<Repetition> repetitions;
};

enum class GaitEventKind { kFootStrike, kToeOff };

struct GaitEvent {
  double time_s = 0;
  FrameIndex frame = 0;
  bool left = true;  // which foot
  GaitEventKind kind = GaitEventKind::kFootStrike;
};

// Medians over the series; 0 when not measurable (e.g. frontal view, fewer than 2 strides).
struct GaitSummary {
  int steps = 0;                  // foot strikes, both feet
  double cadence_spm = 0;         // steps per minute
  double step_time_s = 0;         // strike to strike of the other foot
  double stride_time_s = 0;       // strike to strike of the same foot
  double contact_time_s = 0;      // strike to toe-off of the same foot
  double flight_time_s = 0;       // toe-off to the next strike (other foot); 0 when negative
  double double_support_s = 0;    // overlap of both feet on the ground; 0 when in flight
  std::vector<GaitEvent> events;  // in time order
};

// Cleaned 3D marker trajectories (for .trc files and 3D views).
struct MarkerSeries {
  std::vector<std::string> names;  // marker names (BlazePose keypoint names)
  std::string units = "m";         // "m", or "px" when no metric scale was found
  std::string source;              // "world+image" (world landmarks placed at the 2D hip
                                   // track), "image" (2D only, z = 0)
  // xyz[(sample * names.size() + marker) * 3 + axis]; x right, y up, z towards the camera.
  // NaN where unknown.
  std::vector<double> xyz;
};

// Everything kinematics computes for one athlete.
struct AthleteKinematics {
  TrackId id = -1;
  std::vector<FrameIndex> frames;  // frame index per sample (regular grid; gaps included)
  std::vector<double> time_s;      // time per sample, seconds
  double sample_rate_hz = 0;
  bool causal = false;  // true when computed with causal (live) filters
  ScaleInfo scale;
  std::vector<KinematicSignal> signals;
  MarkerSeries markers;
  double facing = 1;             // +1 athlete faces image right, -1 left (2D angle signs)
  double facing_confidence = 0;  // 0..1; near 0 in a frontal view
  int swaps_repaired = 0;        // frames x limb groups whose left/right labels were swapped
  int outliers_replaced = 0;     // samples replaced by the Hampel filter
  RepetitionSummary repetitions;
  GaitSummary gait;

  // The signal called `name`, or nullptr.
  const KinematicSignal* Find(const std::string& name) const {
    for (const KinematicSignal& s : signals) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
};

}  // namespace monokin
