// SPDX-License-Identifier: Apache-2.0
#include "monokin/moments/moments_options.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "monokin/core/config.h"

namespace monokin::moments {
namespace {

using nlohmann::json;

// One visitor per block keeps the JSON keys, the reader and the checks in one place.
template <class R, class F>
void VisitRule(R& r, F&& f) {
  using T = std::remove_const_t<R>;
  f("enabled", r.enabled);
  if constexpr (std::is_same_v<T, JumpRule>) {
    f("min_flight_s", r.min_flight_s);
    f("max_flight_s", r.max_flight_s);
    f("min_height_m", r.min_height_m);
    f("min_clearance_m", r.min_clearance_m);
    f("ground_window_s", r.ground_window_s);
    f("max_height_mismatch", r.max_height_mismatch);
  } else if constexpr (std::is_same_v<T, SprintRule>) {
    f("min_speed_mps", r.min_speed_mps);
    f("min_duration_s", r.min_duration_s);
    f("merge_gap_s", r.merge_gap_s);
    f("max_speed_mps", r.max_speed_mps);
  } else if constexpr (std::is_same_v<T, BurstRule>) {
    f("min_accel_mps2", r.min_accel_mps2);
    f("min_duration_s", r.min_duration_s);
    f("min_speed_change_mps", r.min_speed_change_mps);
    f("merge_gap_s", r.merge_gap_s);
    f("max_accel_mps2", r.max_accel_mps2);
  } else if constexpr (std::is_same_v<T, DirectionChangeRule>) {
    f("min_angle_deg", r.min_angle_deg);
    f("window_s", r.window_s);
    f("min_speed_mps", r.min_speed_mps);
  } else if constexpr (std::is_same_v<T, StrikeRule>) {
    f("feet", r.feet);
    f("hands", r.hands);
    f("min_foot_speed_mps", r.min_foot_speed_mps);
    f("min_hand_speed_mps", r.min_hand_speed_mps);
    f("refractory_s", r.refractory_s);
    f("min_duration_s", r.min_duration_s);
  } else if constexpr (std::is_same_v<T, FallRule>) {
    f("max_height_ratio", r.max_height_ratio);
    f("min_axis_deg", r.min_axis_deg);
    f("min_down_s", r.min_down_s);
    f("upright_ratio", r.upright_ratio);
    f("max_transition_s", r.max_transition_s);
    f("min_drop_ratio", r.min_drop_ratio);
  } else if constexpr (std::is_same_v<T, RepetitionRule>) {
    f("min_range", r.min_range);
    f("min_periodicity", r.min_periodicity);
    f("max_speed_mps", r.max_speed_mps);
  } else if constexpr (std::is_same_v<T, ConvergingRule>) {
    f("min_closing_speed_mps", r.min_closing_speed_mps);
    f("min_duration_s", r.min_duration_s);
    f("max_end_distance_m", r.max_end_distance_m);
  } else if constexpr (std::is_same_v<T, ContactRule>) {
    f("min_overlap", r.min_overlap);
    f("min_closing_speed_mps", r.min_closing_speed_mps);
    f("closing_window_s", r.closing_window_s);
    f("min_gap_s", r.min_gap_s);
    f("min_velocity_change", r.min_velocity_change);
    f("min_height_ratio", r.min_height_ratio);
    f("max_iou", r.max_iou);
    f("max_depth_gap", r.max_depth_gap);
  }
}

template <class O, class F>
void VisitBlocks(O& o, F&& f) {
  f("jump", o.jump);
  f("sprint", o.sprint);
  f("acceleration", o.acceleration);
  f("deceleration", o.deceleration);
  f("change_of_direction", o.change_of_direction);
  f("strike", o.strike);
  f("fall", o.fall);
  f("repetition", o.repetition);
  f("converging", o.converging);
  f("contact", o.contact);
}

// Checks shared by every number: finite and within [lo, hi].
void CheckRange(std::vector<std::string>& errors, const std::string& key, double v, double lo,
                double hi, const char* what) {
  if (!std::isfinite(v) || v < lo || v > hi) {
    errors.push_back(fmt::format("moments.{} must be {} ({} to {}); got {}", key, what, lo, hi, v));
  }
}

// Removes from `user` every value equal to the same key in `defaults` (recursively).
void DropDefaults(json& user, const json& defaults) {
  for (auto it = user.begin(); it != user.end();) {
    if (it.key() != "preset" && defaults.contains(it.key())) {
      const json& d = defaults.at(it.key());
      if (it.value().is_object() && d.is_object()) {
        DropDefaults(it.value(), d);
        if (it.value().empty()) {
          it = user.erase(it);
          continue;
        }
      } else if (it.value() == d) {
        it = user.erase(it);
        continue;
      }
    }
    ++it;
  }
}

}  // namespace

Status MomentsOptions::Validate() const {
  std::vector<std::string> errors;
  CheckRange(errors, "derivative_window_s", derivative_window_s, 0.05, 2, "seconds");
  CheckRange(errors, "accel_window_s", accel_window_s, 0.05, 5, "seconds");
  CheckRange(errors, "max_gap_s", max_gap_s, 0, 10, "seconds");
  CheckRange(errors, "assumed_height_m", assumed_height_m, 0.5, 2.6, "a stature in metres");
  CheckRange(errors, "live_window_s", live_window_s, 2, 600, "seconds");
  CheckRange(errors, "min_body_height_px", min_body_height_px, 0, 10000, "pixels");
  auto positive = [&](const std::string& key, double v, double hi) {
    CheckRange(errors, key, v, 1e-6, hi, "positive");
  };
  auto non_negative = [&](const std::string& key, double v, double hi) {
    CheckRange(errors, key, v, 0, hi, "zero or more");
  };
  positive("jump.min_flight_s", jump.min_flight_s, 5);
  positive("jump.max_flight_s", jump.max_flight_s, 5);
  if (jump.max_flight_s <= jump.min_flight_s) {
    errors.push_back(fmt::format("moments.jump.max_flight_s ({}) must exceed min_flight_s ({})",
                                 jump.max_flight_s, jump.min_flight_s));
  }
  non_negative("jump.min_height_m", jump.min_height_m, 5);
  positive("jump.min_clearance_m", jump.min_clearance_m, 2);
  positive("jump.ground_window_s", jump.ground_window_s, 10);
  positive("jump.max_height_mismatch", jump.max_height_mismatch, 10);
  positive("sprint.min_speed_mps", sprint.min_speed_mps, 15);
  non_negative("sprint.min_duration_s", sprint.min_duration_s, 60);
  non_negative("sprint.merge_gap_s", sprint.merge_gap_s, 10);
  if (!(sprint.max_speed_mps > sprint.min_speed_mps)) {
    errors.push_back(fmt::format("moments.sprint.max_speed_mps ({}) must exceed min_speed_mps ({})",
                                 sprint.max_speed_mps, sprint.min_speed_mps));
  }
  for (const auto& [name, b] :
       {std::pair<const char*, const BurstRule*>{"acceleration", &acceleration},
        {"deceleration", &deceleration}}) {
    const std::string p = name;
    positive(p + ".min_accel_mps2", b->min_accel_mps2, 50);
    non_negative(p + ".min_duration_s", b->min_duration_s, 10);
    non_negative(p + ".min_speed_change_mps", b->min_speed_change_mps, 15);
    non_negative(p + ".merge_gap_s", b->merge_gap_s, 5);
    if (!(b->max_accel_mps2 > b->min_accel_mps2)) {
      errors.push_back(fmt::format("moments.{}.max_accel_mps2 ({}) must exceed min_accel_mps2 ({})",
                                   p, b->max_accel_mps2, b->min_accel_mps2));
    }
  }
  positive("change_of_direction.min_angle_deg", change_of_direction.min_angle_deg, 180);
  positive("change_of_direction.window_s", change_of_direction.window_s, 10);
  positive("change_of_direction.min_speed_mps", change_of_direction.min_speed_mps, 15);
  positive("strike.min_foot_speed_mps", strike.min_foot_speed_mps, 60);
  positive("strike.min_hand_speed_mps", strike.min_hand_speed_mps, 60);
  non_negative("strike.refractory_s", strike.refractory_s, 10);
  non_negative("strike.min_duration_s", strike.min_duration_s, 5);
  CheckRange(errors, "fall.max_height_ratio", fall.max_height_ratio, 0.01, 1, "a fraction");
  CheckRange(errors, "fall.upright_ratio", fall.upright_ratio, 0.01, 1, "a fraction");
  if (fall.upright_ratio <= fall.max_height_ratio) {
    errors.push_back(
        fmt::format("moments.fall.upright_ratio ({}) must exceed max_height_ratio ({})",
                    fall.upright_ratio, fall.max_height_ratio));
  }
  CheckRange(errors, "fall.min_axis_deg", fall.min_axis_deg, 0, 90, "degrees from vertical");
  non_negative("fall.min_down_s", fall.min_down_s, 60);
  positive("fall.max_transition_s", fall.max_transition_s, 10);
  CheckRange(errors, "fall.min_drop_ratio", fall.min_drop_ratio, 0, 1, "a fraction");
  non_negative("repetition.min_range", repetition.min_range, 1e6);
  positive("repetition.max_speed_mps", repetition.max_speed_mps, 100);
  CheckRange(errors, "repetition.min_periodicity", repetition.min_periodicity, -1, 1,
             "an autocorrelation");
  positive("converging.min_closing_speed_mps", converging.min_closing_speed_mps, 30);
  non_negative("converging.min_duration_s", converging.min_duration_s, 60);
  positive("converging.max_end_distance_m", converging.max_end_distance_m, 100);
  CheckRange(errors, "contact.min_overlap", contact.min_overlap, 1e-6, 1, "a fraction");
  non_negative("contact.min_closing_speed_mps", contact.min_closing_speed_mps, 30);
  positive("contact.closing_window_s", contact.closing_window_s, 10);
  non_negative("contact.min_gap_s", contact.min_gap_s, 10);
  positive("contact.max_depth_gap", contact.max_depth_gap, 10);
  CheckRange(errors, "contact.min_height_ratio", contact.min_height_ratio, 0, 1, "a fraction");
  CheckRange(errors, "contact.max_iou", contact.max_iou, 1e-6, 1, "a fraction");
  non_negative("contact.min_velocity_change", contact.min_velocity_change, 10);
  if (errors.empty()) return OkStatus();
  std::string msg;
  for (const std::string& e : errors) msg += (msg.empty() ? "" : "; ") + e;
  return InvalidArgument(msg);
}

void to_json(json& j, const MomentsOptions& o) {
  j = json{{"preset", o.preset},
           {"derivative_window_s", o.derivative_window_s},
           {"accel_window_s", o.accel_window_s},
           {"max_gap_s", o.max_gap_s},
           {"assumed_height_m", o.assumed_height_m},
           {"live_window_s", o.live_window_s},
           {"min_body_height_px", o.min_body_height_px}};
  VisitBlocks(o, [&j](const char* block, const auto& rule) {
    json b = json::object();
    VisitRule(rule, [&b](const char* key, const auto& v) { b[key] = v; });
    j[block] = std::move(b);
  });
}

void from_json(const json& j, MomentsOptions& o) {
  auto read = [](const json& obj, const char* key, auto& field) {
    if (obj.contains(key)) obj.at(key).get_to(field);
  };
  read(j, "preset", o.preset);
  read(j, "derivative_window_s", o.derivative_window_s);
  read(j, "accel_window_s", o.accel_window_s);
  read(j, "max_gap_s", o.max_gap_s);
  read(j, "assumed_height_m", o.assumed_height_m);
  read(j, "live_window_s", o.live_window_s);
  read(j, "min_body_height_px", o.min_body_height_px);
  VisitBlocks(o, [&](const char* block, auto& rule) {
    if (!j.contains(block) || !j.at(block).is_object()) return;
    const json& b = j.at(block);
    VisitRule(rule, [&](const char* key, auto& v) { read(b, key, v); });
  });
}

std::vector<std::string> MomentsPresetNames() {
  return {"default", "football", "athletics",  "running",
          "gym",     "fitness",  "basketball", "handball"};
}

Result<MomentsOptions> MomentsPreset(std::string_view name) {
  MomentsOptions o;
  o.preset = std::string(name);
  if (name == "default") return o;
  if (name == "football") {
    // Football tracking bands: sprint > 25.2 km/h; accelerations and decelerations > 3 m/s^2.
    o.acceleration.min_accel_mps2 = 3.0;
    o.deceleration.min_accel_mps2 = 3.0;
    o.change_of_direction.min_speed_mps = 3.0;
    o.jump.min_height_m = 0.15;          // headers and goalkeeper jumps, not hops
    o.strike.min_hand_speed_mps = 10.0;  // throw-ins, goalkeeper throws
    o.repetition.enabled = false;
    return o;
  }
  if (name == "athletics" || name == "running") {
    o.sprint.min_speed_mps = 6.0;
    o.acceleration.min_accel_mps2 = 2.0;
    o.change_of_direction.enabled = false;  // track running; the bends are gradual
    o.strike.enabled = false;               // leg swing of a sprinter is not a kick
    o.repetition.enabled = false;           // strides are the gait, not repetitions
    o.converging.enabled = false;
    o.contact.enabled = false;
    return o;
  }
  if (name == "gym" || name == "fitness") {
    o.sprint.enabled = false;
    o.acceleration.enabled = false;
    o.deceleration.enabled = false;
    o.change_of_direction.enabled = false;
    o.strike.feet = false;
    o.strike.min_hand_speed_mps = 7.0;  // punches on a bag
    o.jump.min_height_m = 0.05;         // box jumps, skipping
    o.fall.max_transition_s = 0.8;      // going down for push-ups or burpees is not a fall
    o.repetition.min_range = 20;        // degrees of joint motion
    o.converging.enabled = false;
    o.contact.enabled = false;
    return o;
  }
  if (name == "basketball" || name == "handball") {
    o.sprint.min_speed_mps = 6.0;  // court sprints are short
    o.sprint.min_duration_s = 0.7;
    o.change_of_direction.min_speed_mps = 2.5;
    o.strike.feet = false;
    o.strike.min_hand_speed_mps = 8.0;  // shots and passes
    o.jump.min_height_m = 0.1;
    o.repetition.enabled = false;
    return o;
  }
  std::string known;
  for (const std::string& n : MomentsPresetNames()) known += (known.empty() ? "" : ", ") + n;
  return InvalidArgument(
      fmt::format("moments.preset '{}' is not a known preset; known presets: {}", name, known));
}

Result<MomentsOptions> MomentsOptionsFromConfig(const json& patch, std::string_view source) {
  if (!patch.is_null() && !patch.is_object()) {
    return InvalidArgument(
        fmt::format("moments in {} must be an object; got {}", source, patch.dump()));
  }
  std::string preset = "default";
  if (patch.is_object() && patch.contains("preset")) {
    if (!patch.at("preset").is_string()) {
      return InvalidArgument(
          fmt::format("config key 'moments.preset' in {} must be a string; "
                      "got {}",
                      source, patch.at("preset").dump()));
    }
    preset = patch.at("preset").get<std::string>();
  }
  MK_ASSIGN_OR_RETURN(MomentsOptions o, MomentsPreset(preset));
  json base = o;
  if (patch.is_object()) {
    // Check the keys and kinds against the defaults first (errors name the user's key)...
    json checked = json{{"moments", json(MomentsOptions{})}};
    MK_RETURN_IF_ERROR(MergeConfig(checked, json{{"moments", patch}}, source));
    // ...then lay over the preset only what differs from the defaults, so that a config already
    // merged onto the defaults (every key present) still gets the preset's values.
    json user = patch;
    if (preset != "default") DropDefaults(user, json(MomentsOptions{}));
    json wrapped_base = json{{"moments", base}};
    MK_RETURN_IF_ERROR(MergeConfig(wrapped_base, json{{"moments", user}}, source));
    base = wrapped_base["moments"];
  }
  MomentsOptions out;
  from_json(base, out);
  MK_RETURN_IF_ERROR(out.Validate());
  return out;
}

}  // namespace monokin::moments
