// SPDX-License-Identifier: Apache-2.0
#include "monokin/detect/hog_detector.h"

#include <fmt/format.h>

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "monokin/core/geometry.h"
#include "monokin/detect/nms.h"

namespace monokin::detect::detail {
namespace {

// OpenCV's default: one block stride between windows.
const cv::Size kWinStride(8, 8);
// 0 disables OpenCV's own rectangle grouping: every window above the hit threshold comes back
// with its margin, and our NMS picks among them.
constexpr double kNoGrouping = 0.0;

class HogDetector final : public Detector {
 public:
  explicit HogDetector(const DetectorOptions& options) : options_(options) {
    hog_.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
  }

  Result<std::vector<Detection>> Detect(const cv::Mat& bgr) override {
    if (bgr.empty() || bgr.type() != CV_8UC3) {
      return InvalidArgument(fmt::format(
          "hog detector needs a non-empty 8-bit 3-channel image; got {}x{} with type {}", bgr.cols,
          bgr.rows, bgr.type()));
    }
    const float up = options_.hog_upscale;
    // OpenCV 4.6 corrupts its heap ("double free") when the image is smaller than the window;
    // nobody of the window's size can be in such an image anyway.
    if (bgr.cols * up < hog_.winSize.width || bgr.rows * up < hog_.winSize.height) {
      return std::vector<Detection>{};
    }
    std::vector<cv::Rect> windows;
    std::vector<double> margins;
    try {
      cv::Mat img = bgr;
      if (up != 1.0f) cv::resize(bgr, img, cv::Size(), up, up, cv::INTER_LINEAR);
      hog_.detectMultiScale(img, windows, margins, kHogHitThreshold, kWinStride, cv::Size(),
                            options_.hog_pyramid_scale, kNoGrouping, false);
    } catch (const cv::Exception& e) {
      return Internal(
          fmt::format("hog detector failed on a {}x{} image: {}", bgr.cols, bgr.rows, e.what()));
    }
    std::vector<Detection> candidates;
    candidates.reserve(windows.size());
    for (size_t i = 0; i < windows.size(); ++i) {
      const float score = HogMarginToScore(margins[i]);
      if (score < options_.min_score) continue;
      const cv::Rect& w = windows[i];
      const BoxPx window{w.x / up, w.y / up, w.width / up, w.height / up};
      const BoxPx box = ClipToImage(ScaleAboutCentre(window, kHogBoxWidthScale, kHogBoxHeightScale),
                                    bgr.cols, bgr.rows);
      if (box.area() <= 0) continue;
      candidates.push_back({box, score, /*class_id=*/0});
    }
    return NonMaxSuppression(std::move(candidates), options_.nms_iou);
  }

  std::string name() const override { return "hog"; }

 private:
  DetectorOptions options_;
  cv::HOGDescriptor hog_;
};

}  // namespace

float HogMarginToScore(double margin) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-margin)));
}

Result<std::unique_ptr<Detector>> MakeHogDetector(const DetectorOptions& options) {
  return std::unique_ptr<Detector>(std::make_unique<HogDetector>(options));
}

}  // namespace monokin::detect::detail
