// SPDX-License-Identifier: Apache-2.0
// Backend "hog": OpenCV's HOG + linear SVM people detector (Dalal-Triggs, 64x128 window).
#pragma once

#include <memory>

#include "monokin/detect/detector.h"

namespace monokin::detect::detail {

// SVM margin above which a HOG window is kept before NMS. Measured on 37 MOT17 frames
// (../shared/DESIGN.md): -0.5 with our NMS gives AP@0.5 0.42 vs 0.34 with OpenCV's grouping.
inline constexpr double kHogHitThreshold = -0.5;
// The 64x128 window has a margin around the person; shrinking the box about its centre to
// these fractions raised AP in the same measurement.
inline constexpr float kHogBoxWidthScale = 0.6f;
inline constexpr float kHogBoxHeightScale = 0.9f;

// Maps an SVM margin to 0..1 with the logistic 1 / (1 + exp(-margin)), so that min_score
// applies as for other backends (margin 0, the SVM's own decision boundary, is 0.5).
float HogMarginToScore(double margin);

// Never fails for valid options (the SVM weights are built into OpenCV).
Result<std::unique_ptr<Detector>> MakeHogDetector(const DetectorOptions& options);

}  // namespace monokin::detect::detail
