// SPDX-License-Identifier: Apache-2.0
// Backend "yolox": a YOLOX ONNX export (raw head output) run by OpenCV DNN; people only.
// Model card facts: input float32 [1,3,S,S] NCHW, BGR 0..255, no normalisation, letterboxed at
// the top-left of an SxS canvas filled with 114 after scaling by r = min(S/h, S/w). Output
// [1,N,85], N = sum over strides 8, 16, 32 of (S/stride)^2 cells, row-major, stride 8 first;
// per row (tx, ty, tw, th, obj, 80 class scores), scores already 0..1.
#pragma once

#include <memory>
#include <vector>

#include "monokin/detect/detector.h"

namespace monokin::detect::detail {

// Grey value of the letterbox padding (YOLOX's training value).
inline constexpr float kYoloxPadValue = 114.0f;
// 4 box values + objectness + 80 COCO class scores.
inline constexpr int kYoloxRowLength = 85;

// Number of output rows for a square input of `input_size_px` (3549 for 416).
int YoloxRowCount(int input_size_px);

// Person candidates (class 0) with obj * cls >= min_score from the raw head output `rows`
// (YoloxRowCount(input_size_px) x kYoloxRowLength floats), boxes divided by the letterbox
// scale `r` back to source pixels. Not clipped, not suppressed, in row order.
std::vector<Detection> DecodeYoloxPeople(const float* rows, int input_size_px, float r,
                                         float min_score);

// kNotFound when the file is missing; kUnsupported when OpenCV cannot read it or its output is
// not [1, YoloxRowCount(input_size_px), 85] (checked with one forward pass on a grey image).
Result<std::unique_ptr<Detector>> MakeYoloxDetector(const DetectorOptions& options);

}  // namespace monokin::detect::detail
