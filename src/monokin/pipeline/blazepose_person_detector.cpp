// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/blazepose_person_detector.h"

#include <algorithm>

#include "monokin/pose/blazepose_detector.h"

namespace monokin::pipeline {
namespace {

class BlazePosePersonDetector final : public detect::Detector {
 public:
  BlazePosePersonDetector(pose::BlazePoseDetector detector, float min_score)
      : detector_(std::move(detector)), min_score_(min_score) {}

  Result<std::vector<Detection>> Detect(const cv::Mat& bgr) override {
    MK_ASSIGN_OR_RETURN(std::vector<Detection> people, detector_.DetectPeopleBlazePose(bgr));
    std::erase_if(people, [&](const Detection& d) { return d.score < min_score_; });
    return people;
  }
  std::string name() const override { return "blazepose"; }
  std::vector<std::string> model_paths() const override { return {detector_.model_path()}; }

 private:
  pose::BlazePoseDetector detector_;
  float min_score_;
};

}  // namespace

Result<std::unique_ptr<detect::Detector>> MakePersonDetector(const EngineOptions& options) {
  if (options.detect.backend != "blazepose") return detect::MakeDetector(options.detect);
  MK_ASSIGN_OR_RETURN(pose::BlazePoseDetector det,
                      pose::BlazePoseDetector::CreateFromModelsDir(
                          options.pose.models_dir, std::max(1, options.detect.threads)));
  return std::unique_ptr<detect::Detector>(
      new BlazePosePersonDetector(std::move(det), options.detect.min_score));
}

}  // namespace monokin::pipeline
