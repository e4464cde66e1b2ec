// SPDX-License-Identifier: Apache-2.0
// The key-moment engine: finds jumps, sprints, acceleration and deceleration bursts, changes of
// direction, strikes, falls, repetitions and group moments (converging, contact) in athlete
// series and their kinematics. Offline (DetectMoments, whole series) or live (MomentStream,
// each moment emitted a bounded time after its end, LiveDelaySeconds).
//
//   MK_ASSIGN_OR_RETURN(MomentsOptions o, MomentsOptionsFromConfig(cfg["moments"], "run.json"));
//   MK_ASSIGN_OR_RETURN(std::vector<KeyMoment> m, DetectMoments(series, kinematics, o));
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "monokin/core/moment.h"
#include "monokin/core/series.h"
#include "monokin/core/status.h"
#include "monokin/moments/moments_options.h"

namespace monokin::moments {

// Every enabled detector over every athlete (kinematics matched to series by id; an athlete
// without kinematics is read from its boxes alone) and every pair of athletes. Moments are
// sorted by start time, then type, then athlete. kInvalidArgument when `options` do not
// validate. Thread-safe (no shared state).
Result<std::vector<KeyMoment>> DetectMoments(std::span<const AthleteSeries> series,
                                             std::span<const AthleteKinematics> kinematics,
                                             const MomentsOptions& options);

// Live delay of a moment type: the longest time, after a moment's end, that its detector needs
// to see before the moment is final (look-ahead of the filters, merge gaps, refractory time).
// MomentStream emits each moment within this delay plus one update interval. `type` is one of
// kMomentTypes; 0 for "repetition" (it comes final from kinematics), -1 for an unknown type.
double LiveDelaySeconds(std::string_view type, const MomentsOptions& options);

// Live key moments. Feed it, at each update, the series and (causal) kinematics seen so far and
// the time of the latest frame; it re-examines the last live_window_s seconds and returns the
// moments that became final since the previous call, each once. Moments longer than about
// live_window_s - 2 s are not reported live. One instance per input; one thread at a time.
class MomentStream {
 public:
  static Result<MomentStream> Create(const MomentsOptions& options);

  std::vector<KeyMoment> Update(std::span<const AthleteSeries> series,
                                std::span<const AthleteKinematics> kinematics, double now_s);
  // End of input: emits what is pending (moments whose delay had not passed yet).
  std::vector<KeyMoment> Finish(std::span<const AthleteSeries> series,
                                std::span<const AthleteKinematics> kinematics);

 private:
  explicit MomentStream(const MomentsOptions& options) : options_(options) {}
  std::vector<KeyMoment> Collect(std::span<const AthleteSeries> series,
                                 std::span<const AthleteKinematics> kinematics, double now_s,
                                 bool final);
  MomentsOptions options_;
  // Per type + label + athletes: the [start, end] of every moment emitted.
  std::map<std::string, std::vector<std::pair<double, double>>> emitted_;
};

namespace detail {
// DetectMoments restricted to samples with time in [t_from, t_to] (options already valid).
std::vector<KeyMoment> DetectInWindow(std::span<const AthleteSeries> series,
                                      std::span<const AthleteKinematics> kinematics,
                                      const MomentsOptions& options, double t_from, double t_to);
}  // namespace detail

}  // namespace monokin::moments
