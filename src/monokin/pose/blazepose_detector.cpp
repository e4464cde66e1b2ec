// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/blazepose_detector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>

#include "monokin/infer/model.h"
#include "monokin/pose/landmark_decoding.h"
#include "monokin/pose/model_files.h"
#include "monokin/pose/model_loading.h"

namespace monokin::pose {
namespace {

constexpr const char* kWhat = "the BlazePose detector";

}  // namespace

BlazePoseDetector::BlazePoseDetector(BlazePoseDetector&&) noexcept = default;
BlazePoseDetector& BlazePoseDetector::operator=(BlazePoseDetector&&) noexcept = default;
BlazePoseDetector::~BlazePoseDetector() = default;

Result<BlazePoseDetector> BlazePoseDetector::Create(const std::string& model_path, int threads) {
  BlazePoseDetector det;
  MK_ASSIGN_OR_RETURN(det.model_,
                      LoadSquareImageModel(model_path, threads, kDetectorInputPx, kWhat));
  det.model_path_ = model_path;
  det.anchors_ = MakePoseDetectorAnchors();
  det.boxes_output_ = OutputWithElements(
      *det.model_, static_cast<std::size_t>(kDetectorAnchorCount) * kDetectorValuesPerAnchor);
  det.scores_output_ =
      OutputWithElements(*det.model_, static_cast<std::size_t>(kDetectorAnchorCount));
  if (det.boxes_output_ < 0 || det.scores_output_ < 0) {
    return Unsupported(fmt::format(
        "'{}' is not the BlazePose detector: expected outputs of 2254x12 and 2254 values",
        model_path));
  }
  return det;
}

Result<BlazePoseDetector> BlazePoseDetector::CreateFromModelsDir(const std::string& models_dir,
                                                                 int threads) {
  MK_ASSIGN_OR_RETURN(std::string path,
                      FindModelFile(models_dir, {kDetectorModelFile, kDetectorModelFileAlt}));
  return Create(path, threads);
}

Result<std::vector<PoseDetection>> BlazePoseDetector::Detect(const cv::Mat& bgr,
                                                             std::optional<BoxPx> area) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return InvalidArgument("the BlazePose detector needs an 8-bit, 3-channel BGR image");
  }
  cv::Rect frame_rect(0, 0, bgr.cols, bgr.rows);
  cv::Rect crop = frame_rect;
  if (area) {
    const cv::Rect wanted(
        static_cast<int>(std::floor(area->x)), static_cast<int>(std::floor(area->y)),
        static_cast<int>(std::ceil(area->w)), static_cast<int>(std::ceil(area->h)));
    crop = wanted & frame_rect;
    if (crop.width < 2 || crop.height < 2) return std::vector<PoseDetection>{};
  }
  const Letterbox lb = MakeLetterbox(crop.width, crop.height, kDetectorInputPx);
  std::vector<float> pixels;
  try {
    pixels = LetterboxTensor(bgr(crop), lb);
  } catch (const std::exception& e) {
    return Internal(fmt::format("preparing the detector input: {}", e.what()));
  }
  MK_ASSIGN_OR_RETURN(const std::vector<infer::Tensor> outs,
                      RunOnImage(*model_, std::move(pixels), kWhat));
  std::vector<RawDetection> raw = DecodeDetections(
      outs[boxes_output_].data, outs[scores_output_].data, anchors_, kDetectorMinScore);
  raw = WeightedNonMaxSuppression(std::move(raw), kDetectorMinSuppressionIou);

  const cv::Point2f offset(static_cast<float>(crop.x), static_cast<float>(crop.y));
  std::vector<PoseDetection> found;
  found.reserve(raw.size());
  for (const RawDetection& r : raw) {
    PoseDetection d;
    d.score = r.score;
    const cv::Point2f p0 = LetterboxToImage(lb, {r.xmin, r.ymin}) + offset;
    const cv::Point2f p1 = LetterboxToImage(lb, {r.xmin + r.w, r.ymin + r.h}) + offset;
    d.raw_box = {p0.x, p0.y, p1.x - p0.x, p1.y - p0.y};
    for (int k = 0; k < kDetectorKeypointCount; ++k) {
      d.keypoints_px[k] = LetterboxToImage(lb, r.keypoints[k]) + offset;
    }
    d.region = RegionFromAlignmentPoints(d.keypoints_px[0], d.keypoints_px[1], kRegionScale);
    const float radius = static_cast<float>(cv::norm(d.keypoints_px[1] - d.keypoints_px[0]));
    const float x0 = std::max(0.0f, d.keypoints_px[0].x - radius);
    const float y0 = std::max(0.0f, d.keypoints_px[0].y - radius);
    const float x1 = std::min(static_cast<float>(bgr.cols), d.keypoints_px[0].x + radius);
    const float y1 = std::min(static_cast<float>(bgr.rows), d.keypoints_px[0].y + radius);
    d.person_box = {x0, y0, std::max(0.0f, x1 - x0), std::max(0.0f, y1 - y0)};
    found.push_back(d);
  }
  return found;
}

Result<std::vector<Detection>> BlazePoseDetector::DetectPeopleBlazePose(const cv::Mat& bgr) {
  MK_ASSIGN_OR_RETURN(std::vector<PoseDetection> found, Detect(bgr));
  std::vector<Detection> people;
  for (const PoseDetection& d : found) {
    if (d.person_box.area() <= 0) continue;
    people.push_back({.box = d.person_box, .score = d.score, .class_id = 0});
  }
  return people;
}

}  // namespace monokin::pose
