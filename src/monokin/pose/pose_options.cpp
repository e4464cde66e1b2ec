// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include <string>
#include <vector>

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

void to_json(nlohmann::json& j, const PoseOptions& o) {
  j = nlohmann::json{{"model", o.model},
                     {"models_dir", o.models_dir},
                     {"min_presence", o.min_presence},
                     {"threads", o.threads},
                     {"seed_with_detector", o.seed_with_detector},
                     {"box_scale", o.box_scale}};
}

void from_json(const nlohmann::json& j, PoseOptions& o) {
  // Missing keys keep their defaults; unknown keys are rejected by MergeConfig upstream.
  auto read = [&j](const char* key, auto& field) {
    if (j.contains(key)) j.at(key).get_to(field);
  };
  read("model", o.model);
  read("models_dir", o.models_dir);
  read("min_presence", o.min_presence);
  read("threads", o.threads);
  read("seed_with_detector", o.seed_with_detector);
  read("box_scale", o.box_scale);
}

}  // namespace monokin::pose
