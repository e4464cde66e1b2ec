// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include <string>
#include <vector>

#include "monokin/core/options.h"
#include "monokin/pose/pose_estimator.h"

namespace monokin::pose {

Status PoseOptions::Validate() const {
  std::vector<std::string> errors;
  if (model != "lite" && model != "full" && model != "heavy" && model != "none") {
    errors.push_back(
        fmt::format("pose.model must be one of lite, full, heavy, none; got '{}'", model));
  }
  if (!(min_presence >= 0.0f && min_presence <= 1.0f)) {
    errors.push_back(
        fmt::format("pose.min_presence must be between 0 and 1; got {}", min_presence));
  }
  if (threads < 1 || threads > 64) {
    errors.push_back(fmt::format("pose.threads must be between 1 and 64; got {}", threads));
  }
  if (!(box_scale >= 0.5f && box_scale <= 4.0f)) {
    errors.push_back(fmt::format("pose.box_scale must be between 0.5 and 4; got {}", box_scale));
  }
  if (errors.empty()) return OkStatus();
  std::string message;
  for (const std::string& e : errors) message += (message.empty() ? "" : "; ") + e;
  return InvalidArgument(message);
}

template <typename O, typename F>
void PoseFields(O& o, F&& f) {
  f("model", o.model);
  f("models_dir", o.models_dir);
  f("min_presence", o.min_presence);
  f("threads", o.threads);
  f("seed_with_detector", o.seed_with_detector);
  f("box_scale", o.box_scale);
}

void to_json(nlohmann::json& j, const PoseOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { PoseFields(oo, f); });
}

// Keys that are absent keep their current value (MergeConfig rejects unknown keys upstream).
void from_json(const nlohmann::json& j, PoseOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { PoseFields(oo, f); });
}

}  // namespace monokin::pose
