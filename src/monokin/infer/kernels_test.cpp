// SPDX-License-Identifier: Apache-2.0
// Small hand-computed cases for the kernels and the sparse-tensor expansion.
#include "monokin/infer/detail/kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "monokin/infer/detail/densify.h"

namespace monokin::infer::detail {
namespace {

constexpr ActRange kNoAct{-1e30f, 1e30f};

TEST(KernelsTest, ResizeBilinearHonoursAlignCornersAndHalfPixel) {
  const float in[2] = {0.0f, 1.0f};  // 1x1x2x1
  float out[4];
  ResizeBilinear(1, 1, 2, 1, 1, 4, /*align_corners=*/false, /*half_pixel=*/false, in, out);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
  EXPECT_FLOAT_EQ(out[1], 0.5f);
  EXPECT_FLOAT_EQ(out[2], 1.0f);
  EXPECT_FLOAT_EQ(out[3], 1.0f);
  float out3[3];
  ResizeBilinear(1, 1, 2, 1, 1, 3, /*align_corners=*/true, false, in, out3);
  EXPECT_FLOAT_EQ(out3[1], 0.5f);
  EXPECT_FLOAT_EQ(out3[2], 1.0f);
  ResizeBilinear(1, 1, 2, 1, 1, 4, false, /*half_pixel=*/true, in, out);
  EXPECT_FLOAT_EQ(out[0], 0.0f);   // -0.25 clamps to the first pixel
  EXPECT_FLOAT_EQ(out[1], 0.25f);  // 0.25
  EXPECT_FLOAT_EQ(out[2], 0.75f);  // 0.75
  EXPECT_FLOAT_EQ(out[3], 1.0f);
}

TEST(KernelsTest, DepthToSpaceMovesChannelBlocksToPixels) {
  // 1x1x1x8, block 2 -> 1x2x2x2: channels (dy*2+dx)*2 + c.
  const float in[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  float out[8];
  DepthToSpace(1, 1, 1, 8, 2, in, out);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
}

TEST(KernelsTest, AddBroadcastsAndClamps) {
  const float a[6] = {1, 2, 3, 4, 5, 6};
  const float b[3] = {10, -10, 0};
  float out[6];
  ThreadPool pool(1);
  Add({2, 3}, a, {1, 3}, b, {2, 3}, {0.0f, 6.0f}, out, pool);
  const float want[6] = {6, 0, 3, 6, 0, 6};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]);
}

TEST(KernelsTest, MaxPoolSameIgnoresPadding) {
  const float in[4] = {-5, -6, -7, -8};  // 2x2x1
  float out[1];
  const WindowAxis w = ComputeWindow(2, 3, 2, 1, true);
  ASSERT_EQ(w.out, 1);
  PoolGeometry g{2, 2, 1, 1, 1, 3, 3, 2, 2, w.pad_before, w.pad_before};
  MaxPool2d(g, in, kNoAct, out);
  EXPECT_EQ(out[0], -5.0f);  // a zero from the padding would win otherwise
}

TEST(KernelsTest, PadAddsZerosAround) {
  const float in[2] = {1, 2};  // [1,2]
  float out[12];
  Pad({1, 2}, in, {1, 1, 1, 1}, out);  // -> [3,4]
  const float want[12] = {0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(out[i], want[i]);
}

TEST(KernelsTest, ConvMatchesDirectSum) {
  // 3x3 input, 2 channels; 2 output channels; 3x3 kernel, SAME, stride 1.
  ThreadPool pool(2);
  std::vector<float> in(18), w(3 * 3 * 2 * 2), bias = {0.5f, -1.0f}, out(18);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 5) - 2;
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i % 7) * 0.25f - 0.5f;
  ConvGeometry g{3, 3, 2, 3, 3, 2, 3, 3, 1, 1, 1, 1, 1, 1};
  Conv2d(g, in.data(), w.data(), bias.data(), kNoAct, out.data(), pool);
  for (int oy = 0; oy < 3; ++oy) {
    for (int ox = 0; ox < 3; ++ox) {
      for (int co = 0; co < 2; ++co) {
        float s = bias[co];
        for (int ky = 0; ky < 3; ++ky) {
          for (int kx = 0; kx < 3; ++kx) {
            const int iy = oy + ky - 1, ix = ox + kx - 1;
            if (iy < 0 || iy >= 3 || ix < 0 || ix >= 3) continue;
            for (int ci = 0; ci < 2; ++ci) {
              s += in[(iy * 3 + ix) * 2 + ci] * w[((ky * 3 + kx) * 2 + ci) * 2 + co];
            }
          }
        }
        EXPECT_NEAR(out[(oy * 3 + ox) * 2 + co], s, 1e-5);
      }
    }
  }
}

TEST(DensifyTest, ExpandsCsrMatrix) {
  // 3x4 matrix, row 0: (0,1)=1; row 1 empty; row 2: (2,0)=2, (2,3)=3. Dense rows, CSR columns.
  Sparsity sp;
  sp.traversal_order = {0, 1};
  sp.dims.resize(2);
  sp.dims[0].dense_size = 3;
  sp.dims[1].sparse = true;
  sp.dims[1].segments = {0, 1, 1, 3};
  sp.dims[1].indices = {1, 0, 3};
  const float values[3] = {1, 2, 3};
  std::vector<std::uint8_t> raw(12);
  std::memcpy(raw.data(), values, 12);
  auto dense = Densify(sp, {3, 4}, raw, 4);
  ASSERT_TRUE(dense.ok()) << dense.status().ToString();
  std::vector<float> got(12);
  std::memcpy(got.data(), dense->data(), 48);
  const std::vector<float> want = {0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3};
  EXPECT_EQ(got, want);
  // An index past the end of its dimension is an error, not a write out of bounds.
  sp.dims[1].indices = {1, 0, 4};
  EXPECT_EQ(Densify(sp, {3, 4}, raw, 4).status().code(), StatusCode::kUnsupported);
  sp.dims[1].indices = {1, 0, 3};
  sp.dims[1].segments = {0, 1, 1, 9};
  EXPECT_EQ(Densify(sp, {3, 4}, raw, 4).status().code(), StatusCode::kUnsupported);
}

TEST(DensifyTest, ExpandsBlockSparse) {
  // 2x4 matrix in 1x2 blocks: block map dim 1; blocks (0,1) and (1,0) present.
  Sparsity sp;
  sp.traversal_order = {0, 1, 2};
  sp.block_map = {1};
  sp.dims.resize(3);
  sp.dims[0].dense_size = 2;
  sp.dims[1].sparse = true;
  sp.dims[1].segments = {0, 1, 2};
  sp.dims[1].indices = {1, 0};
  sp.dims[2].dense_size = 2;
  const float values[4] = {1, 2, 3, 4};
  std::vector<std::uint8_t> raw(16);
  std::memcpy(raw.data(), values, 16);
  auto dense = Densify(sp, {2, 4}, raw, 4);
  ASSERT_TRUE(dense.ok()) << dense.status().ToString();
  std::vector<float> got(8);
  std::memcpy(got.data(), dense->data(), 32);
  const std::vector<float> want = {0, 0, 1, 2, 3, 4, 0, 0};
  EXPECT_EQ(got, want);
}

TEST(KernelsTest, HalfToFloatConvertsSpecialValues) {
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc000), -2.0f);
  EXPECT_EQ(HalfToFloat(0x0001), 5.9604645e-8f);  // smallest subnormal
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);
  EXPECT_TRUE(std::isinf(HalfToFloat(0x7c00)));
}

}  // namespace
}  // namespace monokin::infer::detail
