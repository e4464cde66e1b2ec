// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/geometry.h"

#include <random>

#include <gtest/gtest.h>

namespace monokin {
namespace {

TEST(GeometryTest, IoUOfIdenticalBoxesIsOne) {
  BoxPx b{10, 20, 30, 40};
  EXPECT_FLOAT_EQ(IoU(b, b), 1.0f);
}

TEST(GeometryTest, IoUOfHalfOverlapIsOneThird) {
  EXPECT_NEAR(IoU({0, 0, 2, 1}, {1, 0, 2, 1}), 1.0f / 3.0f, 1e-6);
}

TEST(GeometryTest, IoUIsSymmetricAndBoundedOnRandomBoxes) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> pos(-50, 150), size(0, 80);
  for (int i = 0; i < 2000; ++i) {
    BoxPx a{pos(rng), pos(rng), size(rng), size(rng)};
    BoxPx b{pos(rng), pos(rng), size(rng), size(rng)};
    const float ab = IoU(a, b);
    EXPECT_FLOAT_EQ(ab, IoU(b, a));
    EXPECT_GE(ab, 0.0f);
    EXPECT_LE(ab, 1.0f);
  }
}

TEST(GeometryTest, EmptyBoxesHaveZeroIoU) { EXPECT_EQ(IoU({0, 0, 0, 0}, {0, 0, 0, 0}), 0.0f); }

TEST(GeometryTest, ClipKeepsInsidePart) {
  BoxPx c = ClipToImage({-10, 90, 30, 30}, 100, 100);
  EXPECT_EQ(c, (BoxPx{0, 90, 20, 10}));
}

TEST(GeometryTest, ScaleAboutCentreKeepsCentre) {
  BoxPx b{10, 10, 20, 40};
  BoxPx s = ScaleAboutCentre(b, 0.5f, 2.0f);
  EXPECT_FLOAT_EQ(s.cx(), b.cx());
  EXPECT_FLOAT_EQ(s.cy(), b.cy());
  EXPECT_FLOAT_EQ(s.w, 10);
  EXPECT_FLOAT_EQ(s.h, 80);
}

}  // namespace
}  // namespace monokin
