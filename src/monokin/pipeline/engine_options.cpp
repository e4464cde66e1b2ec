// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/engine_options.h"

#include <fmt/format.h>

namespace monokin::pipeline {

Status RunOptions::Validate() const {
  std::string errors;
  if (queue_frames < 1 || queue_frames > 1024) {
    errors += fmt::format("engine.queue_frames must be between 1 and 1024; got {}\n", queue_frames);
  }
  if (!(status_interval_s > 0)) {
    errors += fmt::format("engine.status_interval_s must be positive; got {}\n", status_interval_s);
  }
  if (max_frames < 0) errors += fmt::format("engine.max_frames must be >= 0; got {}\n", max_frames);
  if (errors.empty()) return OkStatus();
  errors.pop_back();
  return InvalidArgument(errors);
}

Status EngineOptions::Validate() const {
  std::string errors;
  for (const Status& s : {source.Validate(), detect.Validate(), track.Validate(), pose.Validate(),
                          kinematics.Validate(), moments.Validate(), output.Validate(),
                          run.Validate()}) {
    if (!s.ok()) errors += (errors.empty() ? "" : "\n") + s.message();
  }
  if (out_dir.empty()) errors += (errors.empty() ? "" : "\n") + std::string("output folder is empty");
  return errors.empty() ? OkStatus() : InvalidArgument(errors);
}

namespace {

// Float options become doubles in JSON (0.3f -> 0.30000001192092896); print them as the
// shortest decimal that reads back to the same float.
void TidyFloats(nlohmann::json& j) {
  if (j.is_object() || j.is_array()) {
    for (auto& v : j) TidyFloats(v);
  } else if (j.is_number_float()) {
    const double d = j.get<double>();
    const float f = static_cast<float>(d);
    if (static_cast<double>(f) == d) j = std::stod(fmt::format("{}", f));
  }
}

}  // namespace

nlohmann::json ConfigToJson(const EngineOptions& o) {
  nlohmann::json j{{"video", o.source},
                        {"detect", o.detect},
                        {"track", o.track},
                        {"pose", o.pose},
                        {"kinematics", o.kinematics},
                        {"moments", o.moments},
                        {"output", o.output},
                        {"engine",
                         {{"realtime", o.run.realtime},
                          {"queue_frames", o.run.queue_frames},
                          {"status_interval_s", o.run.status_interval_s},
                          {"max_frames", o.run.max_frames}}}};
  TidyFloats(j);
  return j;
}

Status ConfigFromJson(const nlohmann::json& config, EngineOptions& o) {
  try {
    if (config.contains("video")) from_json(config.at("video"), o.source);
    if (config.contains("detect")) o.detect = config.at("detect").get<detect::DetectorOptions>();
    if (config.contains("track")) o.track = config.at("track").get<track::TrackerOptions>();
    if (config.contains("pose")) o.pose = config.at("pose").get<pose::PoseOptions>();
    if (config.contains("kinematics")) {
      o.kinematics = config.at("kinematics").get<kinematics::KinematicsOptions>();
    }
    if (config.contains("moments")) {
      MK_ASSIGN_OR_RETURN(o.moments, moments::MomentsOptionsFromConfig(config.at("moments"), "config"));
    }
    if (config.contains("output")) o.output = config.at("output").get<output::OutputOptions>();
    if (config.contains("engine")) {
      const auto& e = config.at("engine");
      o.run.realtime = e.value("realtime", o.run.realtime);
      o.run.queue_frames = e.value("queue_frames", o.run.queue_frames);
      o.run.status_interval_s = e.value("status_interval_s", o.run.status_interval_s);
      o.run.max_frames = e.value("max_frames", o.run.max_frames);
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(fmt::format("config value has the wrong type: {}", e.what()));
  }
  return OkStatus();
}

}  // namespace monokin::pipeline
