// SPDX-License-Identifier: Apache-2.0
// DetectorOptions: validation, JSON mapping and the backend factory.
#include <fmt/format.h>

#include <opencv2/core/utility.hpp>
#include <string>
#include <vector>

#include "monokin/core/log.h"
#include "monokin/core/options.h"
#include "monokin/detect/detector.h"
#include "monokin/detect/hog_detector.h"
#include "monokin/detect/yolox_detector.h"

namespace monokin::detect {
namespace {

// Largest sensible square network input; beyond it a CPU forward pass takes seconds.
constexpr int kMaxInputSizePx = 2048;
// YOLOX's coarsest stride: the input side must be a multiple of it for the grid to tile.
constexpr int kYoloxMaxStride = 32;
// More threads than this is a typo, not a machine.
constexpr int kMaxThreads = 256;
constexpr float kMaxHogUpscale = 4.0f;
// Below 1.01 the pyramid has hundreds of levels; above 2 whole sizes of people fall between.
constexpr float kMinHogPyramidScale = 1.01f;
constexpr float kMaxHogPyramidScale = 2.0f;

bool InUnitRange(float v) { return v >= 0.0f && v <= 1.0f; }  // false for NaN too

}  // namespace

Status DetectorOptions::Validate() const {
  std::vector<std::string> errors;
  // "blazepose" is BlazePose's detector; it lives in the pose stage and the pipeline builds it.
  if (backend != "hog" && backend != "yolox" && backend != "blazepose") {
    errors.push_back(fmt::format(
        "detect.backend must be \"hog\", \"yolox\" or \"blazepose\"; got \"{}\"", backend));
  }
  if (backend == "yolox" && model_path.empty()) {
    errors.push_back(
        "detect.model_path must name a YOLOX .onnx file when detect.backend is "
        "\"yolox\"; got an empty path");
  }
  if (!InUnitRange(min_score)) {
    errors.push_back(fmt::format("detect.min_score must be between 0 and 1; got {}", min_score));
  }
  if (!InUnitRange(nms_iou)) {
    errors.push_back(fmt::format("detect.nms_iou must be between 0 and 1; got {}", nms_iou));
  }
  if (input_size_px < kYoloxMaxStride || input_size_px > kMaxInputSizePx ||
      input_size_px % kYoloxMaxStride != 0) {
    errors.push_back(fmt::format(
        "detect.input_size_px must be a multiple of {} between {} and {} (YOLOX strides); got {}",
        kYoloxMaxStride, kYoloxMaxStride, kMaxInputSizePx, input_size_px));
  }
  if (threads < 0 || threads > kMaxThreads) {
    errors.push_back(
        fmt::format("detect.threads must be between 0 (OpenCV's default) and {}; got {}",
                    kMaxThreads, threads));
  }
  if (!(hog_upscale >= 1.0f && hog_upscale <= kMaxHogUpscale)) {
    errors.push_back(fmt::format("detect.hog_upscale must be between 1 and {}; got {}",
                                 kMaxHogUpscale, hog_upscale));
  }
  if (!(hog_pyramid_scale >= kMinHogPyramidScale && hog_pyramid_scale <= kMaxHogPyramidScale)) {
    errors.push_back(fmt::format("detect.hog_pyramid_scale must be between {} and {}; got {}",
                                 kMinHogPyramidScale, kMaxHogPyramidScale, hog_pyramid_scale));
  }
  if (errors.empty()) return OkStatus();
  return InvalidArgument(fmt::format("{}", fmt::join(errors, "\n")));
}

template <typename O, typename F>
void DetectorFields(O& o, F&& f) {
  f("backend", o.backend);
  f("model_path", o.model_path);
  f("min_score", o.min_score);
  f("nms_iou", o.nms_iou);
  f("input_size_px", o.input_size_px);
  f("threads", o.threads);
  f("hog_upscale", o.hog_upscale);
  f("hog_pyramid_scale", o.hog_pyramid_scale);
}

void to_json(nlohmann::json& j, const DetectorOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { DetectorFields(oo, f); });
}

// Keys that are absent keep their current value (MergeConfig rejects unknown keys upstream).
void from_json(const nlohmann::json& j, DetectorOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { DetectorFields(oo, f); });
}

Result<std::unique_ptr<Detector>> MakeDetector(const DetectorOptions& options) {
  MK_RETURN_IF_ERROR(options.Validate());
  if (options.threads > 0) {
    // OpenCV has one thread pool per process: this also affects other stages.
    cv::setNumThreads(options.threads);
  }
  if (options.backend == "hog") return detail::MakeHogDetector(options);
  if (options.backend == "blazepose") {
    return InvalidArgument(
        "detect.backend \"blazepose\" is built by the pipeline (pipeline::MakePersonDetector), "
        "not by detect::MakeDetector");
  }
  return detail::MakeYoloxDetector(options);
}

}  // namespace monokin::detect
