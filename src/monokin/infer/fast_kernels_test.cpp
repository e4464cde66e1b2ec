// SPDX-License-Identifier: Apache-2.0
// Property tests: the AVX2 kernels agree with the plain reference kernels (and a direct sum) on
// random small cases covering the tile remainders, borders, strides and dilations.
#include "monokin/infer/detail/fast_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "monokin/infer/detail/kernels.h"

namespace monokin::infer::detail {
namespace {

std::vector<float> Random(std::mt19937& rng, size_t n, double zero_fraction = 0.0) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::uniform_real_distribution<double> z(0.0, 1.0);
  std::vector<float> v(n);
  for (float& x : v) x = z(rng) < zero_fraction ? 0.0f : u(rng);
  return v;
}

// |got - want| <= 1e-5 * (1 + |want|) elementwise, with the first mismatch reported.
void ExpectClose(const std::vector<float>& got, const std::vector<float>& want,
                 const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], 1e-5 * (1.0 + std::fabs(want[i]))) << what << " element " << i;
  }
}

class FastKernelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!FastKernelsAvailable()) GTEST_SKIP() << "this CPU has no AVX2+FMA";
  }
};

TEST_F(FastKernelsTest, GemmMatchesDirectSumDenseAndSparse) {
  std::mt19937 rng(7);
  ThreadPool pool(2);
  std::uniform_int_distribution<int> dm(1, 150), dk(1, 70), dn(1, 80);
  for (int trial = 0; trial < 120; ++trial) {
    const int m = dm(rng), k = dk(rng), n = dn(rng);
    const bool sparse = trial % 2 == 1;
    const int lda = k + trial % 3;  // strided rows too
    const std::vector<float> a = Random(rng, static_cast<size_t>(m) * lda);
    const std::vector<float> w = Random(rng, static_cast<size_t>(n) * k, sparse ? 0.8 : 0.0);
    const std::vector<float> bias = Random(rng, n);
    const ActRange act = trial % 3 == 0   ? ActRange{0.0f, 6.0f}
                         : trial % 3 == 1 ? ActRange{-INFINITY, INFINITY}
                                          : ActRange{-1.0f, 1.0f};
    // Both instruction sets where the CPU has them (AVX-512 on half the dense and sparse trials).
    const GemmIsa isa = Avx512Available() && trial % 4 >= 2 ? GemmIsa::kAvx512 : GemmIsa::kAvx2;
    const PackedGemm p = PackGemmWeights(w.data(), bias.data(), n, k, /*allow_sparse=*/true, isa);
    ASSERT_TRUE(p.fast);
    EXPECT_EQ(p.avx512, isa == GemmIsa::kAvx512);
    // 80% zeros on a random matrix: at least 60% zeros except for tiny ones.
    if (sparse && n * k >= 200) {
      EXPECT_TRUE(p.sparse) << m << "x" << k << "x" << n;
    }
    if (!sparse) {
      EXPECT_FALSE(p.sparse);
    }
    std::vector<float> got(static_cast<size_t>(m) * n), want(got.size());
    GemmPacked(p, m, a.data(), lda, act, got.data(), pool);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        double s = bias[j];
        for (int q = 0; q < k; ++q) s += static_cast<double>(a[i * lda + q]) * w[j * k + q];
        want[i * n + j] = std::clamp(static_cast<float>(s), act.lo, act.hi);
      }
    }
    ExpectClose(got, want,
                "gemm " + std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n) +
                    (p.sparse ? " sparse" : " dense"));
  }
}

ConvGeometry RandomGeometry(std::mt19937& rng, int in_c, int out_c, bool depthwise) {
  std::uniform_int_distribution<int> size(1, 13), kernel(1, 5), stride(1, 2), dil(1, 2), coin(0, 1);
  const int in_h = size(rng), in_w = size(rng);
  const int kh = depthwise ? 3 + 2 * coin(rng) : kernel(rng), kw = depthwise ? kh : kernel(rng);
  const int sh = stride(rng), sw = stride(rng);
  const int dh = coin(rng) ? 1 : dil(rng), dw = coin(rng) ? 1 : dil(rng);
  const bool same = coin(rng) == 1;
  WindowAxis ay = ComputeWindow(in_h, kh, sh, dh, same);
  WindowAxis ax = ComputeWindow(in_w, kw, sw, dw, same);
  if (ay.out == 0 || ax.out == 0) {  // VALID with a window larger than the input: use SAME
    ay = ComputeWindow(in_h, kh, sh, dh, true);
    ax = ComputeWindow(in_w, kw, sw, dw, true);
  }
  return ConvGeometry{in_h, in_w, in_c, ay.out, ax.out, out_c,         kh,
                      kw,   sh,   sw,   dh,     dw,     ay.pad_before, ax.pad_before};
}

TEST_F(FastKernelsTest, PackedConvMatchesReferenceConv) {
  std::mt19937 rng(11);
  ThreadPool pool(2);
  std::uniform_int_distribution<int> ch(1, 40);
  for (int trial = 0; trial < 60; ++trial) {
    const int in_c = ch(rng), out_c = ch(rng);
    ConvGeometry g = RandomGeometry(rng, in_c, out_c, false);
    if (trial % 4 == 0) {  // pointwise
      g = ConvGeometry{g.in_h, g.in_w, in_c, g.in_h, g.in_w, out_c, 1, 1, 1, 1, 1, 1, 0, 0};
    }
    const int k = g.k_h * g.k_w * in_c;
    const std::vector<float> in = Random(rng, static_cast<size_t>(g.in_h) * g.in_w * in_c);
    const std::vector<float> w_nk = Random(rng, static_cast<size_t>(out_c) * k);
    const std::vector<float> bias = Random(rng, out_c);
    std::vector<float> w_kn(w_nk.size());
    for (int co = 0; co < out_c; ++co) {
      for (int i = 0; i < k; ++i) w_kn[i * out_c + co] = w_nk[co * k + i];
    }
    const ActRange act{0.0f, 6.0f};
    std::vector<float> got(static_cast<size_t>(g.out_h) * g.out_w * out_c), want(got.size());
    Conv2d(g, in.data(), w_kn.data(), bias.data(), act, want.data(), pool);
    const GemmIsa isa = Avx512Available() && trial % 2 ? GemmIsa::kAvx512 : GemmIsa::kAvx2;
    const PackedGemm p = PackGemmWeights(w_nk.data(), bias.data(), out_c, k, IsPointwise(g), isa);
    Conv2dPacked(g, in.data(), p, act, got.data(), pool);
    ExpectClose(got, want, "conv trial " + std::to_string(trial));
  }
}

TEST_F(FastKernelsTest, SmallConvMatchesReferenceConv) {
  std::mt19937 rng(17);
  ThreadPool pool(2);
  std::uniform_int_distribution<int> blocks(1, 4), outs(1, 4);
  for (int trial = 0; trial < 40; ++trial) {
    const int in_c = 8 * blocks(rng), out_c = outs(rng);
    const ConvGeometry g = RandomGeometry(rng, in_c, out_c, false);
    if (!SmallConvApplies(g)) {
      ASSERT_EQ(g.k_h * g.k_w, 1);  // only a pointwise conv goes elsewhere
      continue;
    }
    const int k = g.k_h * g.k_w * in_c;
    const std::vector<float> in = Random(rng, static_cast<size_t>(g.in_h) * g.in_w * in_c);
    const std::vector<float> w_nk = Random(rng, static_cast<size_t>(out_c) * k);
    const std::vector<float> bias = Random(rng, out_c);
    std::vector<float> w_kn(w_nk.size());
    for (int co = 0; co < out_c; ++co) {
      for (int i = 0; i < k; ++i) w_kn[i * out_c + co] = w_nk[co * k + i];
    }
    const ActRange act{-1.0f, 1.0f};
    std::vector<float> got(static_cast<size_t>(g.out_h) * g.out_w * out_c), want(got.size());
    Conv2d(g, in.data(), w_kn.data(), bias.data(), act, want.data(), pool);
    SmallConv2d(g, in.data(), w_nk.data(), bias.data(), act, got.data(), pool);
    ExpectClose(got, want, "small conv trial " + std::to_string(trial));
  }
}

TEST_F(FastKernelsTest, ResizeMatchesReferenceResize) {
  std::mt19937 rng(19);
  ThreadPool pool(2);
  std::uniform_int_distribution<int> size(1, 12), blocks(1, 3), coin(0, 2);
  for (int trial = 0; trial < 40; ++trial) {
    const int c = 8 * blocks(rng), in_h = size(rng), in_w = size(rng);
    const int out_h = size(rng) * 2, out_w = size(rng) * 2, batch = 1 + trial % 2;
    const int mode = coin(rng);  // 0 plain, 1 align_corners, 2 half_pixel_centers
    const std::vector<float> in = Random(rng, static_cast<size_t>(batch) * in_h * in_w * c);
    std::vector<float> got(static_cast<size_t>(batch) * out_h * out_w * c), want(got.size());
    ResizeBilinear(batch, in_h, in_w, c, out_h, out_w, mode == 1, mode == 2, in.data(),
                   want.data());
    ResizeBilinearFast(batch, in_h, in_w, c, out_h, out_w, mode == 1, mode == 2, in.data(),
                       got.data(), pool);
    ExpectClose(got, want, "resize trial " + std::to_string(trial));
  }
}

TEST_F(FastKernelsTest, DepthwiseMatchesReferenceDepthwise) {
  std::mt19937 rng(13);
  ThreadPool pool(2);
  std::uniform_int_distribution<int> blocks(1, 5);
  for (int trial = 0; trial < 80; ++trial) {
    const int c = 8 * blocks(rng);
    const ConvGeometry g = RandomGeometry(rng, c, c, true);
    ASSERT_TRUE(DepthwiseFastApplies(g, 1));
    EXPECT_FALSE(DepthwiseFastApplies(g, 2));
    const std::vector<float> in = Random(rng, static_cast<size_t>(g.in_h) * g.in_w * c);
    const std::vector<float> w = Random(rng, static_cast<size_t>(g.k_h) * g.k_w * c);
    const std::vector<float> bias = Random(rng, c);
    const ActRange act = trial % 2 ? ActRange{0.0f, 6.0f} : ActRange{-INFINITY, INFINITY};
    std::vector<float> got(static_cast<size_t>(g.out_h) * g.out_w * c), want(got.size());
    DepthwiseConv2d(g, 1, in.data(), w.data(), bias.data(), act, want.data(), pool);
    DepthwiseConv2dFast(g, in.data(), w.data(), bias.data(), act, got.data(), pool);
    ExpectClose(got, want, "depthwise trial " + std::to_string(trial));
  }
}

}  // namespace
}  // namespace monokin::infer::detail
