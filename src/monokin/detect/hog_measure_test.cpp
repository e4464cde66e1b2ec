// SPDX-License-Identifier: Apache-2.0
// The measurement behind the HOG defaults (hog_upscale, hog_pyramid_scale). Not a regression
// test: it takes about a minute and prints a table. Run it with
//   monokin_detect_test --gtest_also_run_disabled_tests --gtest_filter='*MeasureHog*'
// vtest.avi has no labels, so YOLOX-nano boxes with score >= 0.5 stand in for ground truth
// (YOLOX-nano's AP@0.5 on MOT17 is 0.44-0.64 vs HOG's 0.42, ../shared/DESIGN.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "monokin/core/geometry.h"
#include "monokin/detect/detector.h"
#include "monokin/detect/vtest_frames.h"

namespace monokin::detect {
namespace {

// AP@0.5 of `found` against `truth` (both per frame, `found` sorted by score), all-point
// interpolated precision as in the PASCAL VOC 2010+ protocol.
double AveragePrecision(const std::vector<std::vector<Detection>>& found,
                        const std::vector<std::vector<Detection>>& truth) {
  struct Hit {
    float score;
    bool true_positive;
  };
  std::vector<Hit> hits;
  size_t positives = 0;
  for (size_t f = 0; f < found.size(); ++f) {
    positives += truth[f].size();
    std::vector<char> taken(truth[f].size(), 0);
    for (const Detection& d : found[f]) {
      int best = -1;
      float best_iou = 0.5f;
      for (size_t g = 0; g < truth[f].size(); ++g) {
        const float iou = IoU(d.box, truth[f][g].box);
        if (!taken[g] && iou >= best_iou) {
          best_iou = iou;
          best = static_cast<int>(g);
        }
      }
      if (best >= 0) taken[best] = 1;
      hits.push_back({d.score, best >= 0});
    }
  }
  if (positives == 0) return 0;
  std::stable_sort(hits.begin(), hits.end(),
                   [](const Hit& a, const Hit& b) { return a.score > b.score; });
  std::vector<double> precision(hits.size()), recall(hits.size());
  double tp = 0;
  for (size_t i = 0; i < hits.size(); ++i) {
    tp += hits[i].true_positive;
    precision[i] = tp / static_cast<double>(i + 1);
    recall[i] = tp / static_cast<double>(positives);
  }
  for (size_t i = hits.size(); i-- > 1;)
    precision[i - 1] = std::max(precision[i - 1], precision[i]);
  double ap = 0, last_recall = 0;
  for (size_t i = 0; i < hits.size(); ++i) {
    ap += (recall[i] - last_recall) * precision[i];
    last_recall = recall[i];
  }
  return ap;
}

TEST(HogMeasureTest, AveragePrecisionOfAPerfectAndAnEmptyAnswer) {
  const std::vector<std::vector<Detection>> truth = {{{{0, 0, 10, 20}, 1, 0}}, {}};
  EXPECT_DOUBLE_EQ(AveragePrecision(truth, truth), 1.0);
  EXPECT_DOUBLE_EQ(AveragePrecision({{}, {}}, truth), 0.0);
  // One hit ranked below one miss: precision 0.5 at recall 1.
  const std::vector<std::vector<Detection>> half = {
      {{{100, 0, 10, 20}, 0.9f, 0}, {{0, 0, 10, 20}, 0.8f, 0}}, {}};
  EXPECT_DOUBLE_EQ(AveragePrecision(half, truth), 0.5);
}

TEST(HogMeasureTest, DISABLED_MeasureHogSettingsAgainstYoloxOnVtest) {
  const std::string model = std::string(MONOKIN_SOURCE_DIR) +
                            "/../shared/data/models/yolox_nano_416/yolox_nano_416x416.onnx";
  if (!std::filesystem::exists(model)) GTEST_SKIP() << "no YOLOX model at " << model;
  cv::VideoCapture cap(testing::kVtestPath);
  if (!cap.isOpened()) GTEST_SKIP() << "install opencv-doc for " << testing::kVtestPath;
  std::vector<cv::Mat> frames;
  cv::Mat frame;
  for (int i = 0; cap.read(frame); ++i) {
    if (i % 10 == 0) frames.push_back(frame.clone());  // 80 frames, 1 s apart
  }
  DetectorOptions yolox;
  yolox.backend = "yolox";
  yolox.model_path = model;
  yolox.min_score = 0.5f;
  auto reference = MakeDetector(yolox);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  std::vector<std::vector<Detection>> truth;
  for (const cv::Mat& f : frames) truth.push_back((*reference)->Detect(f).value());

  const std::pair<float, float> settings[] = {{1.0f, 1.05f}, {1.0f, 1.2f}, {1.5f, 1.05f},
                                              {1.5f, 1.2f},  {2.0f, 1.1f}, {2.0f, 1.2f}};
  std::printf("%d frames of vtest.avi\nupscale pyramid  AP@0.5  boxes/frame  ms/frame\n",
              static_cast<int>(frames.size()));
  for (const auto& [upscale, pyramid] : settings) {
    DetectorOptions hog;
    hog.hog_upscale = upscale;
    hog.hog_pyramid_scale = pyramid;
    auto det = MakeDetector(hog);
    ASSERT_TRUE(det.ok());
    std::vector<std::vector<Detection>> found;
    size_t boxes = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const cv::Mat& f : frames) {
      found.push_back((*det)->Detect(f).value());
      boxes += found.back().size();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%7.2f %7.2f  %6.3f  %11.1f  %8.1f\n", upscale, pyramid,
                AveragePrecision(found, truth), static_cast<double>(boxes) / frames.size(),
                1000 * seconds / frames.size());
  }
}

}  // namespace
}  // namespace monokin::detect
