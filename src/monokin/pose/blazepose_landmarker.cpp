// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/blazepose_landmarker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <opencv2/imgproc.hpp>

#include "monokin/infer/model.h"
#include "monokin/pose/model_loading.h"

namespace monokin::pose {
namespace {

constexpr const char* kWhat = "the BlazePose landmark model";

}  // namespace

std::vector<float> LandmarkInputTensor(const cv::Mat& bgr, const PoseRegion& region) {
  const cv::Mat crop = WarpRegion(bgr, region, kLandmarkInputPx, cv::BORDER_REPLICATE);
  std::vector<float> tensor(static_cast<std::size_t>(kLandmarkInputPx) * kLandmarkInputPx * 3);
  float* dst = tensor.data();
  for (int y = 0; y < crop.rows; ++y) {
    const auto* row = crop.ptr<std::uint8_t>(y);
    for (int x = 0; x < crop.cols; ++x, dst += 3) {
      // BGR -> RGB, [0, 255] -> [0, 1]
      dst[0] = row[3 * x + 2] / 255.0f;
      dst[1] = row[3 * x + 1] / 255.0f;
      dst[2] = row[3 * x] / 255.0f;
    }
  }
  return tensor;
}

BlazePoseLandmarker::BlazePoseLandmarker(BlazePoseLandmarker&&) noexcept = default;
BlazePoseLandmarker& BlazePoseLandmarker::operator=(BlazePoseLandmarker&&) noexcept = default;
BlazePoseLandmarker::~BlazePoseLandmarker() = default;

Result<BlazePoseLandmarker> BlazePoseLandmarker::Create(const std::string& model_path,
                                                        int threads) {
  BlazePoseLandmarker lm;
  MK_ASSIGN_OR_RETURN(lm.model_,
                      LoadSquareImageModel(model_path, threads, kLandmarkInputPx, kWhat));
  lm.model_path_ = model_path;
  // Outputs are told apart by size (all differ): Identity 195, Identity_1 1, Identity_2
  // 256x256 segmentation, Identity_3 64x64x39 heatmap, Identity_4 117.
  lm.landmarks_output_ = OutputWithElements(*lm.model_, kLandmarkOutputCount * 5);
  lm.presence_output_ = OutputWithElements(*lm.model_, 1);
  lm.heatmap_output_ = OutputWithElements(
      *lm.model_, static_cast<std::size_t>(kHeatmapSidePx) * kHeatmapSidePx * kLandmarkOutputCount);
  lm.world_output_ = OutputWithElements(*lm.model_, kLandmarkOutputCount * 3);
  if (lm.landmarks_output_ < 0 || lm.presence_output_ < 0) {
    return Unsupported(fmt::format(
        "'{}' is not a BlazePose landmark model: no 39x5 landmark output and presence output",
        model_path));
  }
  return lm;
}

Result<LandmarkDecoding> BlazePoseLandmarker::Run(const cv::Mat& bgr, const PoseRegion& region) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return InvalidArgument("the BlazePose landmark model needs an 8-bit, 3-channel BGR image");
  }
  if (!(region.size_px >= 1.0f) || !std::isfinite(region.cx_px) || !std::isfinite(region.cy_px) ||
      !std::isfinite(region.rotation_rad)) {
    return InvalidArgument(
        fmt::format("pose region is empty or not finite (size {} px)", region.size_px));
  }
  std::vector<float> pixels;
  try {
    pixels = LandmarkInputTensor(bgr, region);
  } catch (const std::exception& e) {
    return Internal(fmt::format("preparing the landmark input: {}", e.what()));
  }
  MK_ASSIGN_OR_RETURN(const std::vector<infer::Tensor> outs,
                      RunOnImage(*model_, std::move(pixels), kWhat));
  LandmarkTensors t;
  t.landmarks = outs[landmarks_output_].data;
  t.presence = outs[presence_output_].data.at(0);
  if (heatmap_output_ >= 0) t.heatmap = outs[heatmap_output_].data;
  if (world_output_ >= 0) t.world = outs[world_output_].data;
  return DecodeLandmarks(t, region);
}

}  // namespace monokin::pose
