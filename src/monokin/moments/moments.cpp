// SPDX-License-Identifier: Apache-2.0
#include "monokin/moments/moments.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <tuple>

#include "monokin/moments/detail/track.h"

namespace monokin::moments {
namespace {

using detail::Interval;
using detail::Track;

// Margins around a jump's flight and a fall's descent inside which bursts and changes of
// direction are not looked for: the CoM's vertical motion there is not running.
constexpr double kJumpMarginS = 0.3;  // a jump's push-off and landing take ~0.3 s
constexpr double kFallBeforeS = 0.2, kFallAfterS = 0.5;
// Moments starting this close to the start of a live window may be cut by it; they were
// reported by an earlier update if they were final.
constexpr double kLiveLookbackS = 2.0;
// One sample of slack for interpolated crossings at 30 fps and above.
constexpr double kSampleSlackS = 0.1;

const AthleteKinematics* FindKinematics(std::span<const AthleteKinematics> kin, TrackId id) {
  for (const AthleteKinematics& k : kin) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

std::string Key(const KeyMoment& m) {
  std::string key = m.type + ":" + m.label;
  for (TrackId id : m.athletes) key += fmt::format(":{}", id);
  return key;
}

bool Earlier(const KeyMoment& a, const KeyMoment& b) {
  return std::tie(a.start_s, a.type, a.athletes, a.label) <
         std::tie(b.start_s, b.type, b.athletes, b.label);
}

}  // namespace

namespace detail {

std::vector<KeyMoment> DetectInWindow(std::span<const AthleteSeries> series,
                                      std::span<const AthleteKinematics> kinematics,
                                      const MomentsOptions& o, double t_from, double t_to) {
  std::vector<KeyMoment> out;
  std::vector<Track> tracks;
  tracks.reserve(series.size());
  for (const AthleteSeries& s : series) {
    tracks.push_back(BuildTrack(s, FindKinematics(kinematics, s.id), o, t_from, t_to));
  }
  std::vector<KeyMoment> jumps, falls;
  for (const Track& tr : tracks) {
    if (tr.size() < 3) continue;
    jumps.clear();
    falls.clear();
    // Body-shape moments need an athlete large enough on the image (min_body_height_px).
    const bool shape = tr.body_height_px >= o.min_body_height_px;
    if (shape) {
      DetectJumps(tr, o.jump, jumps);
      DetectFalls(tr, o.fall, falls);
    }
    std::vector<Interval> excluded;
    for (const KeyMoment& m : jumps) {
      excluded.push_back({m.start_s - kJumpMarginS, m.end_s + kJumpMarginS});
    }
    for (const KeyMoment& m : falls) {
      excluded.push_back({m.start_s - kFallBeforeS, m.peak_s + kFallAfterS});
    }
    if (o.jump.enabled) out.insert(out.end(), jumps.begin(), jumps.end());
    if (o.fall.enabled) out.insert(out.end(), falls.begin(), falls.end());
    if (o.sprint.enabled) DetectSprints(tr, o.sprint, out);
    if (o.acceleration.enabled) DetectBursts(tr, o.acceleration, false, excluded, out);
    if (o.deceleration.enabled) DetectBursts(tr, o.deceleration, true, excluded, out);
    if (o.change_of_direction.enabled) {
      DetectDirectionChanges(tr, o.change_of_direction, excluded, out);
    }
    if (o.strike.enabled && shape) DetectStrikes(tr, o.strike, out);
    if (o.repetition.enabled && shape) DetectRepetitions(tr, o.repetition, out);
  }
  DetectGroupMoments(tracks, o, out);
  std::sort(out.begin(), out.end(), Earlier);
  return out;
}

}  // namespace detail

Result<std::vector<KeyMoment>> DetectMoments(std::span<const AthleteSeries> series,
                                             std::span<const AthleteKinematics> kinematics,
                                             const MomentsOptions& options) {
  MK_RETURN_IF_ERROR(options.Validate());
  constexpr double kInf = std::numeric_limits<double>::infinity();
  return detail::DetectInWindow(series, kinematics, options, -kInf, kInf);
}

double LiveDelaySeconds(std::string_view type, const MomentsOptions& o) {
  const double deriv = o.derivative_window_s / 2;  // look-ahead of one velocity fit
  // Ground line: +-ground_window_s fits every kGroundStepS, interpolated.
  const double jump = o.jump.ground_window_s + detail::kGroundStepS + kSampleSlackS;
  // A fall is known once the athlete has been down min_down_s; its start may lie
  // max_transition_s before the impact.
  const double fall_known = o.fall.max_transition_s + o.fall.min_down_s + 0.2 + kSampleSlackS;
  // Bursts and changes of direction skip jump flights and falls, so they wait for those too.
  const double excl = std::max(jump + kJumpMarginS, fall_known + kFallBeforeS);
  if (type == "jump") return jump;
  if (type == "sprint") return o.sprint.merge_gap_s + deriv + kSampleSlackS;
  if (type == "acceleration" || type == "deceleration") {
    const BurstRule& b = type == "acceleration" ? o.acceleration : o.deceleration;
    return std::max(excl, b.merge_gap_s + deriv + o.accel_window_s / 2 + kSampleSlackS);
  }
  if (type == "change_of_direction") {
    // The turn run can end a half window after the heading's 90 % point, is merged over a half
    // window, and its last angle needs a half window and a velocity fit beyond it.
    return std::max(excl, 2 * o.change_of_direction.window_s + deriv + kSampleSlackS);
  }
  if (type == "strike") return o.strike.refractory_s + 2 * kSampleSlackS;
  if (type == "fall") return 0.2 + kSampleSlackS;  // the end is the getting-up or impact + 3 s
  if (type == "repetition") return 0;
  if (type == "converging") return 0.2 + 0.5 + deriv + kSampleSlackS;  // merge, closest approach
  if (type == "contact") {  // merge gap; the velocity after the meeting (may follow a short one)
    return std::max(o.contact.min_gap_s, o.contact.closing_window_s + deriv) + kSampleSlackS;
  }
  return -1;
}

Result<MomentStream> MomentStream::Create(const MomentsOptions& options) {
  MK_RETURN_IF_ERROR(options.Validate());
  return MomentStream(options);
}

std::vector<KeyMoment> MomentStream::Collect(std::span<const AthleteSeries> series,
                                             std::span<const AthleteKinematics> kinematics,
                                             double now_s, bool final) {
  const double from = now_s - options_.live_window_s;
  std::vector<KeyMoment> found = detail::DetectInWindow(
      series, kinematics, options_, final ? -std::numeric_limits<double>::infinity() : from, now_s);
  std::vector<KeyMoment> out;
  for (KeyMoment& m : found) {
    if (!final) {
      if (m.start_s < from + kLiveLookbackS) continue;
      if (m.end_s + LiveDelaySeconds(m.type, options_) > now_s) continue;
    }
    // Once per moment: the same type and athletes over an overlapping time was reported already
    // (a later window may shift a moment's edges by a sample).
    std::vector<std::pair<double, double>>& done = emitted_[Key(m)];
    const bool seen = std::any_of(done.begin(), done.end(), [&m](const auto& iv) {
      return m.start_s < iv.second && m.end_s > iv.first;
    });
    if (seen) continue;
    done.push_back({m.start_s, m.end_s});
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<KeyMoment> MomentStream::Update(std::span<const AthleteSeries> series,
                                            std::span<const AthleteKinematics> kinematics,
                                            double now_s) {
  return Collect(series, kinematics, now_s, false);
}

std::vector<KeyMoment> MomentStream::Finish(std::span<const AthleteSeries> series,
                                            std::span<const AthleteKinematics> kinematics) {
  return Collect(series, kinematics, std::numeric_limits<double>::infinity(), true);
}

}  // namespace monokin::moments
