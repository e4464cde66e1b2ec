// SPDX-License-Identifier: Apache-2.0
// TrackerOptions: validation, JSON mapping and the backend factory.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "monokin/core/options.h"
#include "monokin/track/byte_tracker.h"
#include "monokin/track/sort_tracker.h"
#include "monokin/track/tracker.h"

namespace monokin::track {
namespace {

// A track confirmed only after this many frames would never be reported in practice.
constexpr int kMaxMinHits = 1000;
// One hour: longer is a typo (a track coasting that long has drifted off any person).
constexpr double kMaxKeepLostS = 3600;

}  // namespace

Status TrackerOptions::Validate() const {
  std::vector<std::string> errors;
  if (backend != "sort" && backend != "byte") {
    errors.push_back(
        fmt::format("track.backend must be \"byte\" or \"sort\"; got \"{}\"", backend));
  }
  if (Status s = byte.Validate(); !s.ok()) errors.push_back(s.message());
  if (Status s = offline.Validate(); !s.ok()) errors.push_back(s.message());
  if (!(match_iou > 0.0f && match_iou <= 1.0f)) {
    errors.push_back(fmt::format(
        "track.match_iou must be above 0 and at most 1 (boxes must overlap to match); got {}",
        match_iou));
  }
  if (!(start_score >= 0.0f && start_score <= 1.0f)) {
    errors.push_back(fmt::format("track.start_score must be between 0 and 1; got {}", start_score));
  }
  if (min_hits < 1 || min_hits > kMaxMinHits) {
    errors.push_back(
        fmt::format("track.min_hits must be between 1 and {}; got {}", kMaxMinHits, min_hits));
  }
  if (!(keep_lost_s >= 0.0 && keep_lost_s <= kMaxKeepLostS)) {
    errors.push_back(fmt::format("track.keep_lost_s must be between 0 and {} seconds; got {}",
                                 kMaxKeepLostS, keep_lost_s));
  }
  if (errors.empty()) return OkStatus();
  return InvalidArgument(fmt::format("{}", fmt::join(errors, "\n")));
}

template <typename O, typename F>
void TrackerFields(O& o, F&& f) {
  f("backend", o.backend);
  f("match_iou", o.match_iou);
  f("start_score", o.start_score);
  f("min_hits", o.min_hits);
  f("keep_lost_s", o.keep_lost_s);
  f("byte", o.byte);
  f("offline", o.offline);
}

void to_json(nlohmann::json& j, const TrackerOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { TrackerFields(oo, f); });
}

// Keys that are absent keep their current value (MergeConfig rejects unknown keys upstream).
void from_json(const nlohmann::json& j, TrackerOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { TrackerFields(oo, f); });
}

Result<std::unique_ptr<Tracker>> MakeTracker(const TrackerOptions& options) {
  MK_RETURN_IF_ERROR(options.Validate());
  if (options.backend == "byte") return MakeByteTracker(options.byte);
  return std::unique_ptr<Tracker>(std::make_unique<SortTracker>(options));
}

}  // namespace monokin::track
