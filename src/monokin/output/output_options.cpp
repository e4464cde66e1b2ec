// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include "monokin/core/options.h"
#include "monokin/output/run_outputs.h"

namespace monokin::output {
namespace {

// Longest trail we accept: 10 minutes at 60 fps. Anything longer is a typo, and each trail
// point costs memory per athlete.
constexpr int kMaxTrailFrames = 36'000;

}  // namespace

Status OutputOptions::Validate() const {
  std::string errors;
  auto add = [&errors](const std::string& e) {
    if (!errors.empty()) errors += "; ";
    errors += e;
  };
  if (video_codec != "auto" && video_codec != "h264" && video_codec != "mp4v" &&
      video_codec != "mjpg") {
    add(fmt::format("output.video_codec must be one of auto, h264, mp4v, mjpg; got '{}'",
                    video_codec));
  }
  if (trail_frames < 0 || trail_frames > kMaxTrailFrames) {
    add(fmt::format("output.trail_frames must be between 0 and {}; got {}", kMaxTrailFrames,
                    trail_frames));
  }
  for (const auto& [name, roll] : {std::pair{"highlight_pre_roll_s", highlight_pre_roll_s},
                                   std::pair{"highlight_post_roll_s", highlight_post_roll_s}}) {
    if (!(roll >= 0 && roll <= 60)) {
      add(fmt::format("output.{} must be between 0 and 60 seconds; got {}", name, roll));
    }
  }
  if (errors.empty()) return OkStatus();
  return InvalidArgument(errors);
}

template <typename O, typename F>
void OutputFields(O& o, F&& f) {
  f("annotated_video", o.annotated_video);
  f("video_codec", o.video_codec);
  f("trail_frames", o.trail_frames);
  f("frames_jsonl", o.frames_jsonl);
  f("athletes_csv", o.athletes_csv);
  f("mot", o.mot);
  f("highlights", o.highlights);
  f("highlight_pre_roll_s", o.highlight_pre_roll_s);
  f("highlight_post_roll_s", o.highlight_post_roll_s);
}

void to_json(nlohmann::json& j, const OutputOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { OutputFields(oo, f); });
}

// Keys that are absent keep their current value (MergeConfig rejects unknown keys upstream).
void from_json(const nlohmann::json& j, OutputOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { OutputFields(oo, f); });
}

}  // namespace monokin::output
