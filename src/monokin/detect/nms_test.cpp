// SPDX-License-Identifier: Apache-2.0
#include "monokin/detect/nms.h"

#include <gtest/gtest.h>

#include <random>

#include "monokin/core/geometry.h"

namespace monokin::detect {
namespace {

Detection Det(float x, float y, float w, float h, float score) { return {{x, y, w, h}, score}; }

TEST(NmsTest, KeepsTheBestOfOverlappingBoxesAndSeparateOnes) {
  const std::vector<Detection> in = {
      Det(0, 0, 10, 20, 0.5f),    // overlaps the 0.9 box (IoU 0.82): dropped
      Det(100, 0, 10, 20, 0.4f),  // alone: kept
      Det(1, 0, 10, 20, 0.9f),    // best of the first group
  };
  const std::vector<Detection> out = NonMaxSuppression(in, 0.45f);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FLOAT_EQ(out[0].score, 0.9f);
  EXPECT_FLOAT_EQ(out[0].box.x, 1);
  EXPECT_FLOAT_EQ(out[1].score, 0.4f);
}

TEST(NmsTest, ThresholdIsAStrictUpperBoundOnOverlap) {
  // Two 10x10 boxes shifted by 5 px overlap with IoU 50/150 = 1/3.
  const std::vector<Detection> in = {Det(0, 0, 10, 10, 0.9f), Det(5, 0, 10, 10, 0.8f)};
  EXPECT_EQ(NonMaxSuppression(in, 0.34f).size(), 2u);
  EXPECT_EQ(NonMaxSuppression(in, 0.33f).size(), 1u);
}

TEST(NmsTest, EmptyInputGivesEmptyOutput) { EXPECT_TRUE(NonMaxSuppression({}, 0.5f).empty()); }

TEST(NmsTest, RandomBoxesKeptSetIsSortedAndPairwiseBelowThreshold) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> pos(0, 200), size(5, 60), score(0, 1);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<Detection> in(rng() % 30);
    for (Detection& d : in) d = Det(pos(rng), pos(rng), size(rng), size(rng), score(rng));
    const std::vector<Detection> out = NonMaxSuppression(in, 0.4f);
    ASSERT_LE(out.size(), in.size());
    for (size_t i = 0; i < out.size(); ++i) {
      if (i > 0) {
        EXPECT_GE(out[i - 1].score, out[i].score);
      }
      for (size_t j = i + 1; j < out.size(); ++j) EXPECT_LE(IoU(out[i].box, out[j].box), 0.4f);
    }
    // Every dropped box overlaps some kept box with a score at least as high.
    for (const Detection& d : in) {
      bool covered = false;
      for (const Detection& k : out) {
        covered |= (k.box == d.box && k.score == d.score) ||
                   (IoU(k.box, d.box) > 0.4f && k.score >= d.score);
      }
      EXPECT_TRUE(covered);
    }
  }
}

}  // namespace
}  // namespace monokin::detect
