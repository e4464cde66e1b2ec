// SPDX-License-Identifier: Apache-2.0
// Person detectors behind one interface. Backends: "hog" (OpenCV's built-in HOG people
// detector, no model file) and "yolox" (ONNX YOLOX family through OpenCV DNN). The BlazePose
// detector is added by the pose stage.
//
//   MK_ASSIGN_OR_RETURN(auto det, detect::MakeDetector({.backend = "yolox", .model_path = p}));
//   MK_ASSIGN_OR_RETURN(std::vector<Detection> people, det->Detect(frame.bgr));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>

#include "monokin/core/status.h"
#include "monokin/core/types.h"

namespace monokin::detect {

struct DetectorOptions {
  std::string backend = "hog";  // "hog" | "yolox"
  std::string model_path;       // yolox: path to the .onnx file
  float min_score = 0.3f;       // drop detections below this score, 0..1
  float nms_iou = 0.45f;        // non-maximum suppression overlap, 0..1
  int input_size_px = 416;      // yolox: square network input side
  int threads = 0;              // OpenCV threads for this detector; 0 = OpenCV's default
  Status Validate() const;
};
void to_json(nlohmann::json& j, const DetectorOptions& o);
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
