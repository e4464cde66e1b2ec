// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/keypoints_outputs.h"

#include <cmath>
#include <map>

#include "monokin/output/run_outputs.h"
#include "monokin/pose/skeleton.h"

namespace monokin::pipeline {
namespace {

double Round(double v, double scale) { return std::round(v * scale) / scale; }

// COCO's visibility flag from BlazePose's probabilities.
int CocoFlag(const Keypoint& k) {
  if (k.visibility >= 0.5f) return 2;
  if (k.presence >= 0.5f) return 1;
  return 0;
}

nlohmann::json Categories() {
  nlohmann::json names = nlohmann::json::array();
  for (std::string_view n : pose::kCocoKeypointNames) names.push_back(std::string(n));
  // COCO's person skeleton, 1-based keypoint numbers (a fact of the format).
  const nlohmann::json skeleton = {{16, 14}, {14, 12}, {17, 15}, {15, 13}, {12, 13}, {6, 12},
                                   {7, 13},  {6, 7},   {6, 8},   {7, 9},   {8, 10},  {9, 11},
                                   {2, 3},   {1, 2},   {1, 3},   {2, 4},   {3, 5},   {4, 6},
                                   {5, 7}};
  nlohmann::json names33 = nlohmann::json::array();
  for (std::string_view n : pose::kBlazePoseLandmarkNames) names33.push_back(std::string(n));
  return nlohmann::json::array({{{"id", 1},
                                 {"name", "person"},
                                 {"supercategory", "person"},
                                 {"keypoints", names},
                                 {"skeleton", skeleton},
                                 {"keypoints_blazepose33", names33}}});
}

}  // namespace

nlohmann::json CocoKeypointsJson(const std::vector<AthleteSeries>& series) {
  std::map<FrameIndex, const AthleteSample*> images;  // one per frame with a pose
  nlohmann::json annotations = nlohmann::json::array();
  long long next_id = 1;
  for (const AthleteSeries& s : series) {
    for (const AthleteSample& a : s.samples) {
      if (!a.pose || a.pose->keypoints.size() != pose::kBlazePoseLandmarkCount) continue;
      images.emplace(a.frame.index, &a);
      const PersonPose& p = *a.pose;
      nlohmann::json kp = nlohmann::json::array();
      int visible = 0;
      for (int i : pose::kCocoFromBlazePose) {
        const Keypoint& k = p.keypoints[static_cast<std::size_t>(i)];
        const int flag = CocoFlag(k);
        visible += flag > 0;
        kp.push_back(flag ? Round(k.x_px, 100) : 0.0);
        kp.push_back(flag ? Round(k.y_px, 100) : 0.0);
        kp.push_back(flag);
      }
      nlohmann::json kp33 = nlohmann::json::array();
      for (const Keypoint& k : p.keypoints) {
        kp33.push_back({Round(k.x_px, 100), Round(k.y_px, 100), Round(k.z_px, 100),
                        Round(k.visibility, 1e4), Round(k.presence, 1e4)});
      }
      nlohmann::json ann = {{"id", next_id++},
                            {"image_id", a.frame.index + 1},
                            {"category_id", 1},
                            {"track_id", s.id},
                            {"bbox", {Round(a.box.x, 100), Round(a.box.y, 100),
                                      Round(a.box.w, 100), Round(a.box.h, 100)}},
                            {"area", Round(a.box.area(), 100)},
                            {"iscrowd", 0},
                            {"score", Round(p.score, 1e4)},
                            {"num_keypoints", visible},
                            {"keypoints", kp},
                            {"keypoints_blazepose33", kp33}};
      if (p.world.size() == pose::kBlazePoseLandmarkCount) {
        nlohmann::json w = nlohmann::json::array();
        for (const WorldPoint& q : p.world) {
          w.push_back({Round(q.x_m, 1e4), Round(q.y_m, 1e4), Round(q.z_m, 1e4)});
        }
        ann["world_blazepose33"] = w;
      }
      annotations.push_back(std::move(ann));
    }
  }
  nlohmann::json image_list = nlohmann::json::array();
  for (const auto& [index, sample] : images) {
    image_list.push_back({{"id", index + 1},
                          {"file_name", "frame_" + std::to_string(index)},
                          {"frame_index", index},
                          {"time_s", Round(sample->time_s, 1e6)},
                          {"width", sample->frame.width_px},
                          {"height", sample->frame.height_px}});
  }
  return {{"info", {{"description", "monokin poses (BlazePose mapped to COCO-17)"}}},
          {"images", image_list},
          {"annotations", annotations},
          {"categories", Categories()}};
}

Status WriteKeypointsJson(const std::vector<AthleteSeries>& series, const std::string& out_dir) {
  return output::WriteJsonFileAtomic(out_dir + "/keypoints.json", CocoKeypointsJson(series));
}

}  // namespace monokin::pipeline
