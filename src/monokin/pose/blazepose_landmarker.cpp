// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/blazepose_landmarker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <opencv2/imgproc.hpp>

#include "monokin/infer/model.h"

namespace monokin::pose {
namespace {

std::size_t Elements(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(std::max(d, 0));
  return n;
}

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
  auto model = infer::LoadTfliteModel(model_path, {.threads = threads});
  if (!model.ok()) return model.status().WithContext("loading the BlazePose landmark model");
  BlazePoseLandmarker lm;
  lm.model_ = std::move(model).value();
  lm.model_path_ = model_path;
  const auto& ins = lm.model_->inputs();
  if (ins.size() != 1 ||
      ins[0].shape != std::vector<int>{1, kLandmarkInputPx, kLandmarkInputPx, 3}) {
    return Unsupported(fmt::format(
        "'{}' is not a BlazePose landmark model: expected one 1x256x256x3 input", model_path));
  }
  // Outputs are told apart by size (all differ): Identity 195, Identity_1 1, Identity_2
  // 256x256 segmentation, Identity_3 64x64x39 heatmap, Identity_4 117.
  const auto& outs = lm.model_->outputs();
  for (std::size_t i = 0; i < outs.size(); ++i) {
    const std::size_t n = Elements(outs[i].shape);
    const int idx = static_cast<int>(i);
    if (n == kLandmarkOutputCount * 5) lm.landmarks_output_ = idx;
    if (n == 1) lm.presence_output_ = idx;
    if (n == static_cast<std::size_t>(kHeatmapSidePx) * kHeatmapSidePx * kLandmarkOutputCount) {
      lm.heatmap_output_ = idx;
    }
    if (n == kLandmarkOutputCount * 3) lm.world_output_ = idx;
  }
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
  infer::Tensor input{.name = model_->inputs()[0].name,
                      .shape = model_->inputs()[0].shape,
                      .data = std::move(pixels)};
  auto outputs = model_->Run({&input, 1});
  if (!outputs.ok()) return outputs.status().WithContext("running the BlazePose landmark model");
  const std::vector<infer::Tensor>& outs = *outputs;
  LandmarkTensors t;
  t.landmarks = outs[landmarks_output_].data;
  t.presence = outs[presence_output_].data.at(0);
  if (heatmap_output_ >= 0) t.heatmap = outs[heatmap_output_].data;
  if (world_output_ >= 0) t.world = outs[world_output_].data;
  return DecodeLandmarks(t, region);
}

}  // namespace monokin::pose
