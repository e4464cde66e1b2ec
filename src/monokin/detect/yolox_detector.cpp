// SPDX-License-Identifier: Apache-2.0
#include "monokin/detect/yolox_detector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <system_error>

#include "monokin/core/geometry.h"
#include "monokin/core/log.h"
#include "monokin/detect/nms.h"

namespace monokin::detect::detail {
namespace {

constexpr int kStrides[] = {8, 16, 32};

std::string ShapeText(const cv::Mat& m) {
  std::vector<int> dims(m.size.p, m.size.p + m.dims);
  return fmt::format("[{}]", fmt::join(dims, ","));
}

class YoloxDetector final : public Detector {
 public:
  YoloxDetector(const DetectorOptions& options, cv::dnn::Net net)
      : options_(options), net_(std::move(net)) {}

  Result<std::vector<Detection>> Detect(const cv::Mat& bgr) override {
    if (bgr.empty() || bgr.type() != CV_8UC3) {
      return InvalidArgument(fmt::format(
          "yolox detector needs a non-empty 8-bit 3-channel image; got {}x{} with type {}",
          bgr.cols, bgr.rows, bgr.type()));
    }
    const int size = options_.input_size_px;
    const float r =
        std::min(static_cast<float>(size) / bgr.rows, static_cast<float>(size) / bgr.cols);
    cv::Mat out;
    try {
      const int w = std::clamp(static_cast<int>(std::lround(bgr.cols * r)), 1, size);
      const int h = std::clamp(static_cast<int>(std::lround(bgr.rows * r)), 1, size);
      canvas_.create(size, size, CV_8UC3);
      canvas_.setTo(cv::Scalar::all(kYoloxPadValue));
      cv::resize(bgr, canvas_(cv::Rect(0, 0, w, h)), cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
      // BGR kept (swapRB false), 0..255 kept (scale 1, no mean): the model card's input.
      cv::dnn::blobFromImage(canvas_, blob_, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F);
      net_.setInput(blob_);
      out = net_.forward();
    } catch (const cv::Exception& e) {
      return Internal(fmt::format("yolox forward pass failed on a {}x{} image: {}", bgr.cols,
                                  bgr.rows, e.what()));
    }
    if (out.type() != CV_32F || !out.isContinuous() ||
        out.total() != static_cast<size_t>(YoloxRowCount(size)) * kYoloxRowLength) {
      return Internal(fmt::format("yolox output changed shape to {}", ShapeText(out)));
    }
    std::vector<Detection> people =
        DecodeYoloxPeople(out.ptr<float>(), size, r, options_.min_score);
    for (Detection& d : people) d.box = ClipToImage(d.box, bgr.cols, bgr.rows);
    std::erase_if(people, [](const Detection& d) { return d.box.area() <= 0; });
    return NonMaxSuppression(std::move(people), options_.nms_iou);
  }

  std::string name() const override { return "yolox"; }
  std::vector<std::string> model_paths() const override { return {options_.model_path}; }

 private:
  DetectorOptions options_;
  cv::dnn::Net net_;
  cv::Mat canvas_, blob_;  // reused between frames
};

}  // namespace

int YoloxRowCount(int input_size_px) {
  int rows = 0;
  for (int stride : kStrides) rows += (input_size_px / stride) * (input_size_px / stride);
  return rows;
}

std::vector<Detection> DecodeYoloxPeople(const float* rows, int input_size_px, float r,
                                         float min_score) {
  std::vector<Detection> people;
  const float* row = rows;
  for (int stride : kStrides) {
    const int cells = input_size_px / stride;
    const float s = static_cast<float>(stride);
    for (int gy = 0; gy < cells; ++gy) {
      for (int gx = 0; gx < cells; ++gx, row += kYoloxRowLength) {
        const float score = row[4] * row[5];  // objectness x P(person | object)
        if (score < min_score) continue;
        const float cx = (row[0] + gx) * s, cy = (row[1] + gy) * s;
        const float w = std::exp(row[2]) * s, h = std::exp(row[3]) * s;
        people.push_back({{(cx - w / 2) / r, (cy - h / 2) / r, w / r, h / r}, score, 0});
      }
    }
  }
  return people;
}

Result<std::unique_ptr<Detector>> MakeYoloxDetector(const DetectorOptions& options) {
  const std::string& path = options.model_path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(
        fmt::format("yolox model file '{}' not found; set detect.model_path to a "
                    "YOLOX .onnx file (e.g. yolox_nano_416x416.onnx)",
                    path));
  }
  const int size = options.input_size_px;
  const std::string expected =
      fmt::format("[1,{},{}] for a {}x{} input", YoloxRowCount(size), kYoloxRowLength, size, size);
  cv::dnn::Net net;
  cv::Mat out;
  try {
    net = cv::dnn::readNetFromONNX(path);
    if (net.empty()) {
      return Unsupported(fmt::format("'{}' holds no network OpenCV can run", path));
    }
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    // One forward pass on a grey image checks the output shape now rather than mid-video.
    cv::Mat grey(size, size, CV_8UC3, cv::Scalar::all(kYoloxPadValue));
    net.setInput(cv::dnn::blobFromImage(grey, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F));
    out = net.forward();
  } catch (const cv::Exception& e) {
    return Unsupported(fmt::format(
        "cannot load '{}' as a YOLOX ONNX model with input [1,3,{},{}] (corrupt, truncated or "
        "not ONNX?): {}",
        path, size, size, e.what()));
  }
  const bool shape_ok = out.dims == 3 && out.size[0] == 1 && out.size[1] == YoloxRowCount(size) &&
                        out.size[2] == kYoloxRowLength && out.type() == CV_32F;
  if (!shape_ok) {
    return Unsupported(fmt::format("'{}' is not a YOLOX detector: expected output shape {}, got {}",
                                   path, expected, ShapeText(out)));
  }
  MK_LOG(kInfo, "loaded yolox model {} (input {}x{})", path, size, size);
  return std::unique_ptr<Detector>(std::make_unique<YoloxDetector>(options, std::move(net)));
}

}  // namespace monokin::detect::detail
