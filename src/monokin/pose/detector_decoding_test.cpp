// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/detector_decoding.h"

#include <gtest/gtest.h>

#include <cmath>

namespace monokin::pose {
namespace {

TEST(AnchorsTest, MatchMediaPipesSsdAnchorRules) {
  const std::vector<Anchor> a = MakePoseDetectorAnchors();
  ASSERT_EQ(a.size(), 2254u);
  // Stride 8: 28x28 cells x 2 anchors; first cell centre at 0.5/28.
  EXPECT_FLOAT_EQ(a[0].cx, 0.5f / 28);
  EXPECT_FLOAT_EQ(a[0].cy, 0.5f / 28);
  EXPECT_FLOAT_EQ(a[1].cx, a[0].cx);  // two anchors per cell
  EXPECT_FLOAT_EQ(a[2].cx, 1.5f / 28);
  EXPECT_FLOAT_EQ(a[0].w, 1.0f);  // fixed anchor size
  EXPECT_FLOAT_EQ(a[0].h, 1.0f);
  EXPECT_FLOAT_EQ(a[1567].cx, 27.5f / 28);
  // Stride 16 starts at 1568: 14x14 x 2.
  EXPECT_FLOAT_EQ(a[1568].cx, 0.5f / 14);
  EXPECT_FLOAT_EQ(a[1568].cy, 0.5f / 14);
  // Three layers of stride 32 share a 7x7 grid with 6 anchors per cell, from 1960.
  EXPECT_FLOAT_EQ(a[1960].cx, 0.5f / 7);
  EXPECT_FLOAT_EQ(a[1965].cx, 0.5f / 7);
  EXPECT_FLOAT_EQ(a[1966].cx, 1.5f / 7);
  EXPECT_FLOAT_EQ(a[2253].cx, 6.5f / 7);
  EXPECT_FLOAT_EQ(a[2253].cy, 6.5f / 7);
}

struct SyntheticOutput {
  std::vector<float> boxes = std::vector<float>(2254 * 12, 0.0f);
  std::vector<float> logits = std::vector<float>(2254, -10.0f);
};

TEST(DecodeDetectionsTest, DecodesOneKnownBox) {
  const std::vector<Anchor> anchors = MakePoseDetectorAnchors();
  SyntheticOutput out;
  const int i = 1568 + 2 * (14 * 5 + 3);  // stride 16, row 5, col 3
  const float acx = 3.5f / 14, acy = 5.5f / 14;
  float* v = out.boxes.data() + i * 12;
  v[0] = 11.2f;   // centre x offset, input px
  v[1] = -22.4f;  // centre y offset
  v[2] = 56.0f;   // w
  v[3] = 112.0f;  // h
  v[4] = 4.48f;   // keypoint 0 (x, y)
  v[5] = 8.96f;
  v[6] = -4.48f;  // keypoint 1
  v[7] = -67.2f;
  out.logits[i] = 2.0f;
  const std::vector<RawDetection> d = DecodeDetections(out.boxes, out.logits, anchors, 0.5f);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NEAR(d[0].score, 1.0f / (1.0f + std::exp(-2.0f)), 1e-6);
  EXPECT_NEAR(d[0].xmin, acx + 0.05f - 0.125f, 1e-6);
  EXPECT_NEAR(d[0].ymin, acy - 0.1f - 0.25f, 1e-6);
  EXPECT_NEAR(d[0].w, 0.25f, 1e-6);
  EXPECT_NEAR(d[0].h, 0.5f, 1e-6);
  EXPECT_NEAR(d[0].keypoints[0].x, acx + 0.02f, 1e-6);
  EXPECT_NEAR(d[0].keypoints[0].y, acy + 0.04f, 1e-6);
  EXPECT_NEAR(d[0].keypoints[1].x, acx - 0.02f, 1e-6);
  EXPECT_NEAR(d[0].keypoints[1].y, acy - 0.3f, 1e-6);
  EXPECT_NEAR(d[0].keypoints[3].x, acx, 1e-6);  // zero offset = anchor centre
}

TEST(DecodeDetectionsTest, ClipsLogitsAndAppliesTheScoreThreshold) {
  const std::vector<Anchor> anchors = MakePoseDetectorAnchors();
  SyntheticOutput out;
  out.logits[0] = 1e6f;    // clipped to 100: score 1, finite
  out.logits[1] = 0.01f;   // 0.5025: kept
  out.logits[2] = -0.01f;  // 0.4975: dropped
  out.logits[3] = -1e6f;   // dropped
  const std::vector<RawDetection> d = DecodeDetections(out.boxes, out.logits, anchors, 0.5f);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_FLOAT_EQ(d[0].score, 1.0f);
  EXPECT_NEAR(d[1].score, 0.5025f, 1e-4);
}

RawDetection Box(float x, float y, float w, float h, float score, float kx) {
  RawDetection d{.xmin = x, .ymin = y, .w = w, .h = h, .score = score};
  d.keypoints.fill({kx, kx});
  return d;
}

TEST(WeightedNmsTest, MergesOverlappingBoxesWeightedByScore) {
  std::vector<RawDetection> in = {Box(0.12f, 0.1f, 0.2f, 0.2f, 0.6f, 0.3f),
                                  Box(0.6f, 0.6f, 0.2f, 0.2f, 0.7f, 0.9f),
                                  Box(0.1f, 0.1f, 0.2f, 0.2f, 0.9f, 0.2f)};
  const std::vector<RawDetection> out = WeightedNonMaxSuppression(in, 0.3f);
  ASSERT_EQ(out.size(), 2u);
  // The merged pair keeps the best score, the weighted corners and keypoints.
  EXPECT_FLOAT_EQ(out[0].score, 0.9f);
  EXPECT_NEAR(out[0].xmin, (0.1f * 0.9f + 0.12f * 0.6f) / 1.5f, 1e-6);
  EXPECT_NEAR(out[0].w, 0.2f, 1e-6);
  EXPECT_NEAR(out[0].keypoints[2].x, (0.2f * 0.9f + 0.3f * 0.6f) / 1.5f, 1e-6);
  // The far box is untouched.
  EXPECT_FLOAT_EQ(out[1].score, 0.7f);
  EXPECT_FLOAT_EQ(out[1].xmin, 0.6f);
  EXPECT_FLOAT_EQ(out[1].keypoints[0].x, 0.9f);
}

TEST(WeightedNmsTest, KeepsBoxesOverlappingAtOrBelowTheThreshold) {
  // IoU of these two = 0.2 / 1.8 < 0.3.
  std::vector<RawDetection> in = {Box(0.0f, 0.0f, 1.0f, 1.0f, 0.9f, 0),
                                  Box(0.8f, 0.0f, 1.0f, 1.0f, 0.8f, 0)};
  EXPECT_NEAR(DetectionIoU(in[0], in[1]), 0.2f / 1.8f, 1e-6);
  EXPECT_EQ(WeightedNonMaxSuppression(in, 0.3f).size(), 2u);
  EXPECT_EQ(WeightedNonMaxSuppression(in, 0.1f).size(), 1u);
  EXPECT_TRUE(WeightedNonMaxSuppression({}, 0.3f).empty());
}

TEST(LetterboxTest, FollowsTheReferenceRecipe) {
  // messi5.jpg 548x342 -> 224x140 with 42 rows above and below (tflite-ref README).
  const Letterbox lb = MakeLetterbox(548, 342, 224);
  EXPECT_EQ(lb.width, 224);
  EXPECT_EQ(lb.height, 140);
  EXPECT_EQ(lb.top, 42);
  EXPECT_EQ(lb.left, 0);
  const Letterbox tall = MakeLetterbox(480, 640, 224);
  EXPECT_EQ(tall.width, 168);
  EXPECT_EQ(tall.left, 28);
  // Content corners map to the image corners.
  const cv::Point2f tl = LetterboxToImage(lb, {0.0f, 42.0f / 224});
  const cv::Point2f br = LetterboxToImage(lb, {1.0f, 182.0f / 224});
  EXPECT_NEAR(tl.x, 0, 1e-4);
  EXPECT_NEAR(tl.y, 0, 1e-4);
  EXPECT_NEAR(br.x, 548, 1e-3);
  EXPECT_NEAR(br.y, 342, 1e-3);
}

TEST(LetterboxTest, TensorIsRgbInMinusOneToOneWithABlackBorder) {
  cv::Mat img(100, 200, CV_8UC3, cv::Scalar(255, 0, 0));  // pure blue (BGR)
  const Letterbox lb = MakeLetterbox(200, 100, 224);
  const std::vector<float> t = LetterboxTensor(img, lb);
  ASSERT_EQ(t.size(), 224u * 224 * 3);
  EXPECT_EQ(lb.top, 56);
  const std::size_t border = (10 * 224 + 100) * 3;
  EXPECT_FLOAT_EQ(t[border], -1.0f);
  const std::size_t inside = (112 * 224 + 100) * 3;
  EXPECT_FLOAT_EQ(t[inside + 0], -1.0f);  // R
  EXPECT_FLOAT_EQ(t[inside + 1], -1.0f);  // G
  EXPECT_FLOAT_EQ(t[inside + 2], 1.0f);   // B
}

}  // namespace
}  // namespace monokin::pose
