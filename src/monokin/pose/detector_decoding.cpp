// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/detector_decoding.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "monokin/core/check.h"

namespace monokin::pose {
namespace {

// SsdAnchorsCalculator options of MediaPipe's pose_detection graph.
constexpr std::array<int, 5> kStrides = {8, 16, 32, 32, 32};
constexpr float kMinScale = 0.1484375f;
constexpr float kMaxScale = 0.75f;
constexpr float kAnchorOffset = 0.5f;
// Aspect ratios {1.0} plus one interpolated-scale anchor (interpolated_scale_aspect_ratio 1.0,
// the proto default): two anchors per cell for each layer. Their sizes do not matter with a
// fixed anchor size, only the count does.
constexpr int kAnchorsPerLayerPerCell = 2;

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

std::vector<Anchor> MakePoseDetectorAnchors() {
  std::vector<Anchor> anchors;
  anchors.reserve(kDetectorAnchorCount);
  const int num_layers = static_cast<int>(kStrides.size());
  int layer = 0;
  while (layer < num_layers) {
    // Consecutive layers with the same stride are merged: their anchors share one grid and
    // are interleaved per cell.
    int last_same = layer;
    int per_cell = 0;
    while (last_same < num_layers && kStrides[last_same] == kStrides[layer]) {
      per_cell += kAnchorsPerLayerPerCell;
      ++last_same;
    }
    const int stride = kStrides[layer];
    const int rows = static_cast<int>(std::ceil(static_cast<float>(kDetectorInputPx) / stride));
    const int cols = rows;  // square input
    for (int y = 0; y < rows; ++y) {
      for (int x = 0; x < cols; ++x) {
        for (int k = 0; k < per_cell; ++k) {
          anchors.push_back({(x + kAnchorOffset) / static_cast<float>(cols),
                             (y + kAnchorOffset) / static_cast<float>(rows), 1.0f, 1.0f});
        }
      }
    }
    layer = last_same;
  }
  (void)kMinScale;  // scales only size anchors, which fixed_anchor_size replaces by 1 x 1
  (void)kMaxScale;
  return anchors;
}

std::vector<RawDetection> DecodeDetections(std::span<const float> boxes,
                                           std::span<const float> logits,
                                           std::span<const Anchor> anchors, float min_score) {
  MK_CHECK(boxes.size() == anchors.size() * kDetectorValuesPerAnchor &&
           logits.size() == anchors.size())
      << "boxes " << boxes.size() << " logits " << logits.size() << " anchors " << anchors.size();
  constexpr float kScale = static_cast<float>(kDetectorInputPx);  // x/y/w/h_scale 224
  std::vector<RawDetection> out;
  for (std::size_t i = 0; i < anchors.size(); ++i) {
    const float logit = std::clamp(logits[i], -kDetectorScoreClip, kDetectorScoreClip);
    const float score = Sigmoid(logit);
    if (score < min_score) continue;
    const float* v = boxes.data() + i * kDetectorValuesPerAnchor;
    const Anchor& a = anchors[i];
    // reverse_output_order: values come as x, y, w, h.
    const float cx = v[0] / kScale * a.w + a.cx;
    const float cy = v[1] / kScale * a.h + a.cy;
    const float w = v[2] / kScale * a.w;
    const float h = v[3] / kScale * a.h;
    RawDetection d;
    d.xmin = cx - w / 2;
    d.ymin = cy - h / 2;
    d.w = w;
    d.h = h;
    d.score = score;
    for (int k = 0; k < kDetectorKeypointCount; ++k) {
      d.keypoints[k] = {v[4 + 2 * k] / kScale * a.w + a.cx, v[5 + 2 * k] / kScale * a.h + a.cy};
    }
    out.push_back(d);
  }
  return out;
}

float DetectionIoU(const RawDetection& a, const RawDetection& b) {
  const float ix0 = std::max(a.xmin, b.xmin);
  const float iy0 = std::max(a.ymin, b.ymin);
  const float ix1 = std::min(a.xmin + a.w, b.xmin + b.w);
  const float iy1 = std::min(a.ymin + a.h, b.ymin + b.h);
  if (ix1 <= ix0 || iy1 <= iy0) return 0.0f;
  const float inter = (ix1 - ix0) * (iy1 - iy0);
  const float uni = a.w * a.h + b.w * b.h - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

std::vector<RawDetection> WeightedNonMaxSuppression(std::vector<RawDetection> detections,
                                                    float min_suppression_iou) {
  std::stable_sort(detections.begin(), detections.end(),
                   [](const RawDetection& a, const RawDetection& b) { return a.score > b.score; });
  std::vector<RawDetection> out;
  std::vector<RawDetection> remaining = std::move(detections);
  while (!remaining.empty()) {
    const RawDetection best = remaining.front();
    std::vector<RawDetection> rest;
    float total = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::array<cv::Point2f, kDetectorKeypointCount> kps{};
    for (const RawDetection& d : remaining) {
      if (DetectionIoU(d, best) > min_suppression_iou) {
        total += d.score;
        x0 += d.xmin * d.score;
        y0 += d.ymin * d.score;
        x1 += (d.xmin + d.w) * d.score;
        y1 += (d.ymin + d.h) * d.score;
        for (int k = 0; k < kDetectorKeypointCount; ++k) kps[k] += d.keypoints[k] * d.score;
      } else {
        rest.push_back(d);
      }
    }
    RawDetection merged = best;
    if (total > 0) {
      merged.xmin = x0 / total;
      merged.ymin = y0 / total;
      merged.w = (x1 - x0) / total;
      merged.h = (y1 - y0) / total;
      for (int k = 0; k < kDetectorKeypointCount; ++k) merged.keypoints[k] = kps[k] / total;
    }
    out.push_back(merged);
    // A degenerate best box (zero area) overlaps nothing, not even itself: drop it so the loop
    // always progresses (MediaPipe stops the loop in that case).
    if (rest.size() == remaining.size()) rest.erase(rest.begin());
    remaining = std::move(rest);
  }
  return out;
}

Letterbox MakeLetterbox(int width_px, int height_px, int side_px) {
  Letterbox lb;
  lb.side = side_px;
  lb.image_width = width_px;
  lb.image_height = height_px;
  lb.scale = std::min(static_cast<float>(side_px) / static_cast<float>(width_px),
                      static_cast<float>(side_px) / static_cast<float>(height_px));
  lb.width = std::clamp(static_cast<int>(std::lround(width_px * lb.scale)), 1, side_px);
  lb.height = std::clamp(static_cast<int>(std::lround(height_px * lb.scale)), 1, side_px);
  lb.left = (side_px - lb.width) / 2;
  lb.top = (side_px - lb.height) / 2;
  return lb;
}

std::vector<float> LetterboxTensor(const cv::Mat& bgr, const Letterbox& lb) {
  cv::Mat resized;
  cv::resize(bgr, resized, cv::Size(lb.width, lb.height), 0, 0, cv::INTER_LINEAR_EXACT);
  cv::Mat rgb;
  cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
  const int side = lb.side;
  std::vector<float> tensor(static_cast<std::size_t>(side) * side * 3, -1.0f);
  for (int y = 0; y < lb.height; ++y) {
    const auto* row = rgb.ptr<std::uint8_t>(y);
    float* dst = tensor.data() + (static_cast<std::size_t>(y + lb.top) * side + lb.left) * 3;
    for (int i = 0; i < lb.width * 3; ++i) dst[i] = static_cast<float>(row[i]) / 127.5f - 1.0f;
  }
  return tensor;
}

cv::Point2f LetterboxToImage(const Letterbox& lb, cv::Point2f normalised) {
  // MediaPipe's letterbox removal: position within the content, then image pixels.
  return {(normalised.x * lb.side - lb.left) / lb.width * lb.image_width,
          (normalised.y * lb.side - lb.top) / lb.height * lb.image_height};
}

}  // namespace monokin::pose
