// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/frame_json.h"

#include "monokin/output/number_format.h"

namespace monokin::output {
namespace {

using detail::RoundTo;
using nlohmann::json;

constexpr int kPixelDecimals = 2;  // 0.01 px: far below any detector's accuracy
constexpr int kScoreDecimals = 4;  // scores and probabilities, 0..1
constexpr int kMetreDecimals = 4;  // 0.1 mm for world keypoints
constexpr int kTimeDecimals = 6;   // microseconds, the resolution of FrameInfo::pts

double Px(float v) { return RoundTo(v, kPixelDecimals); }
double Score(float v) { return RoundTo(v, kScoreDecimals); }

json BoxJson(const BoxPx& b) { return json::array({Px(b.x), Px(b.y), Px(b.w), Px(b.h)}); }

json PoseJson(const PersonPose& pose) {
  json keypoints = json::array();
  for (const Keypoint& k : pose.keypoints) {
    keypoints.push_back(
        json::array({Px(k.x_px), Px(k.y_px), Px(k.z_px), Score(k.visibility), Score(k.presence)}));
  }
  json world = json::array();
  for (const WorldPoint& w : pose.world) {
    world.push_back(json::array({RoundTo(w.x_m, kMetreDecimals), RoundTo(w.y_m, kMetreDecimals),
                                 RoundTo(w.z_m, kMetreDecimals)}));
  }
  return json{{"score", Score(pose.score)}, {"keypoints", keypoints}, {"world", world}};
}

}  // namespace

json FrameResultToJson(const FrameResult& result) {
  json detections = json::array();
  for (const Detection& d : result.detections) {
    detections.push_back(json{{"box", BoxJson(d.box)}, {"score", Score(d.score)}});
  }
  json athletes = json::array();
  for (const Athlete& a : result.athletes) {
    json aj{{"id", a.id}, {"box", BoxJson(a.box)}, {"score", Score(a.score)}};
    if (a.pose.has_value()) aj["pose"] = PoseJson(*a.pose);
    athletes.push_back(std::move(aj));
  }
  return json{{"frame", result.frame.index},
              {"t", RoundTo(ToSeconds(result.frame.pts), kTimeDecimals)},
              {"width", result.frame.width_px},
              {"height", result.frame.height_px},
              {"detections", std::move(detections)},
              {"athletes", std::move(athletes)}};
}

}  // namespace monokin::output
