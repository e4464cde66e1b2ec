// SPDX-License-Identifier: Apache-2.0
// Person detectors behind one interface. Backends: "hog" (OpenCV's built-in HOG people
// detector, no model file) and "yolox" (ONNX YOLOX family through OpenCV DNN). The BlazePose
// detector is added by the pose stage.
//
//   MK_ASSIGN_OR_RETURN(auto det, detect::MakeDetector({.backend = "yolox", .model_path = p}));
//   MK_ASSIGN_OR_RETURN(std::vector<Detection> people, det->Detect(frame.bgr));
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"

namespace monokin::detect {

struct DetectorOptions {
  std::string backend = "hog";  // "hog" | "yolox"
  std::string model_path;       // yolox: path to the .onnx file
  float min_score = 0.3f;       // drop detections below this score, 0..1
  float nms_iou = 0.45f;        // non-maximum suppression overlap, 0..1
  int input_size_px = 416;      // yolox: square network input side
  int threads = 0;              // OpenCV threads (process-wide setting); 0 = OpenCV's default
  // hog: the image is scaled by hog_upscale before detection (1..4) so that people shorter than
  // the 64x128 window are found, and the window pyramid steps by hog_pyramid_scale (1.01..2).
  // Defaults measured on vtest.avi (768x576, walkers 60-100 px) against YOLOX-nano boxes:
  // AP@0.5 0.43 at (1, 1.05), 0.76 at (1.5, 1.2), 0.80 at (2, 1.2). (1.5, 1.2) took 41 ms a
  // frame on 2 quiet cores (up to 110 ms on a busy shared machine); (1, 1.05) takes about 1.4x
  // and (2, 1.2) 1.8x that time. On 1080p video with tall people, upscale 1 is 2.25x faster.
  float hog_upscale = 1.5f;
  float hog_pyramid_scale = 1.2f;
  // Every bad field, one per line ("detect.min_score must be between 0 and 1; got 1.5").
  Status Validate() const;
};
void to_json(nlohmann::json& j, const DetectorOptions& o);
// Keys: backend, model_path, min_score, nms_iou, input_size_px, threads, hog_upscale,
// hog_pyramid_scale. Missing keys keep their current value; unknown keys are rejected earlier,
// by MergeConfig.
void from_json(const nlohmann::json& j, DetectorOptions& o);

// Finds people in one BGR image. Not thread-safe: one instance per thread.
class Detector {
 public:
  virtual ~Detector() = default;
  // People in `bgr` (8-bit, 3 channels), boxes in its pixels, sorted by score, descending.
  // An empty vector means nobody was found; an error means the image could not be processed.
  virtual Result<std::vector<Detection>> Detect(const cv::Mat& bgr) = 0;
  virtual std::string name() const = 0;
  // Model files this detector loaded (for checksums in run.json); empty for HOG.
  virtual std::vector<std::string> model_paths() const { return {}; }
};

// kInvalidArgument for an unknown backend or bad option, kNotFound for a missing model file,
// kUnsupported for a file OpenCV cannot load or whose input/output shapes are not YOLOX's.
Result<std::unique_ptr<Detector>> MakeDetector(const DetectorOptions& options);

}  // namespace monokin::detect
