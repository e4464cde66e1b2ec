// SPDX-License-Identifier: Apache-2.0
// Key moments: what the moments stage finds (a jump, a sprint, a fall, two athletes colliding)
// and what output writes (moments.json, the instances XML, highlight clips). Plain data.
//
//   for (const KeyMoment& m : moments) fmt::print("{} #{} {:.2f}-{:.2f} s\n", m.type,
//                                                 m.athlete(), m.start_s, m.end_s);
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "monokin/core/types.h"

namespace monokin {

// The moment types, as written in KeyMoment::type (moments/README.md documents each).
inline constexpr std::array<std::string_view, 10> kMomentTypes = {
    "jump",   "sprint", "acceleration", "deceleration", "change_of_direction",
    "strike", "fall",   "repetition",   "converging",   "contact"};

struct KeyMoment {
  std::string type;               // one of kMomentTypes
  std::vector<TrackId> athletes;  // one id; two (ascending) for group moments
  std::string label;              // detail, e.g. "right_foot" (strike), the signal counted
                                  // (repetition); may be empty
  double start_s = 0, peak_s = 0, end_s = 0;                  // seconds from the start of the input
  FrameIndex start_frame = 0, peak_frame = 0, end_frame = 0;  // frames at those times
  std::map<std::string, double> values;  // measured values; the unit ends the name
                                         // ("height_flight_m", "peak_speed_mps")
  double confidence = 0;                 // 0..1

  TrackId athlete() const { return athletes.empty() ? -1 : athletes.front(); }
  double duration_s() const { return end_s - start_s; }
};

}  // namespace monokin
