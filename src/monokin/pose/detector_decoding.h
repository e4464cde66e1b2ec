// SPDX-License-Identifier: Apache-2.0
// Decoding of the BlazePose person detector (pose_detection.tflite) as MediaPipe's
// pose_detection graph does it: SSD anchors, box and keypoint decoding, sigmoid scores,
// weighted non-maximum suppression, and the letterbox between a frame and the 224x224 input.
// Pure functions on plain tensors; BlazePoseDetector (blazepose_detector.h) runs the model.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <span>
#include <vector>

#include "monokin/core/types.h"

namespace monokin::pose {

// Detector facts from MediaPipe's pose_detection graph (SsdAnchorsCalculator and
// TensorsToDetectionsCalculator options decoded from the @mediapipe/pose package).
inline constexpr int kDetectorInputPx = 224;
inline constexpr int kDetectorAnchorCount = 2254;
inline constexpr int kDetectorValuesPerAnchor = 12;  // box (4) + 4 keypoints x (x, y)
inline constexpr int kDetectorKeypointCount = 4;
inline constexpr float kDetectorScoreClip = 100.0f;        // logits clipped to +-100
inline constexpr float kDetectorMinScore = 0.5f;           // min_score_thresh
inline constexpr float kDetectorMinSuppressionIou = 0.3f;  // NMS min_suppression_threshold

// One SSD anchor: centre in the detector input, normalised 0..1; fixed size 1 x 1.
struct Anchor {
  float cx = 0, cy = 0, w = 1, h = 1;
};

// The 2254 anchors of SsdAnchorsCalculator for 224x224, strides 8,16,32,32,32, min_scale
// 0.1484375, max_scale 0.75, aspect ratio 1, interpolated scale aspect ratio 1 (2 anchors per
// cell per layer; layers of equal stride share one grid), offset 0.5, fixed anchor size.
std::vector<Anchor> MakePoseDetectorAnchors();

// A decoded detection, coordinates normalised to the space it is expressed in (0..1).
// keypoints: 0 = hip centre, 1 = point giving the body's scale and rotation, 2 and 3 = points
// of the upper body (not used by MediaPipe's pose graph).
struct RawDetection {
  float xmin = 0, ymin = 0, w = 0, h = 0;
  float score = 0;  // 0..1
  std::array<cv::Point2f, kDetectorKeypointCount> keypoints{};
};

// Decodes the detector's two outputs: `boxes` [anchors x 12] (x, y, w, h, then 4 x (x, y), in
// input pixels, centres relative to the anchor) and `logits` [anchors]. Keeps detections whose
// sigmoid(clip(logit)) >= min_score, in anchor order. Sizes must match `anchors`.
std::vector<RawDetection> DecodeDetections(std::span<const float> boxes,
                                           std::span<const float> logits,
                                           std::span<const Anchor> anchors, float min_score);

// IoU of two normalised boxes (0 when they do not overlap).
float DetectionIoU(const RawDetection& a, const RawDetection& b);

// MediaPipe's WEIGHTED non-maximum suppression: take the best remaining detection, gather
// every remaining one whose IoU with it exceeds `min_suppression_iou` (itself included), and
// output the score-weighted mean of their boxes and keypoints with the best score. Sorted by
// score, descending.
std::vector<RawDetection> WeightedNonMaxSuppression(std::vector<RawDetection> detections,
                                                    float min_suppression_iou);

// How an image (or a part of it) sits in the square detector input: content scaled by
// `scale`, placed at (left, top), size (width, height) in input pixels, zeros around.
struct Letterbox {
  float scale = 1;
  int left = 0, top = 0;
  int width = 0, height = 0;
  int side = kDetectorInputPx;
  int image_width = 0, image_height = 0;  // the letterboxed image, pixels
};

// Keep-aspect letterbox of a width x height image into side x side: s = min(side/W, side/H),
// content lround(W s) x lround(H s), centred with integer division.
Letterbox MakeLetterbox(int width_px, int height_px, int side_px);

// The detector input tensor (NHWC 1 x side x side x 3, RGB, values in [-1, 1], zero border
// i.e. -1) for a BGR 8-bit image.
std::vector<float> LetterboxTensor(const cv::Mat& bgr, const Letterbox& lb);

// A normalised point of the input (0..1) in pixels of the letterboxed image.
cv::Point2f LetterboxToImage(const Letterbox& lb, cv::Point2f normalised);

}  // namespace monokin::pose
