// SPDX-License-Identifier: Apache-2.0
// Hand-blocked x86 kernels for the hot operators, selected at run time: AVX2+FMA code paths
// compiled with __attribute__((target)), so the binary still runs on any x86-64 (the plain
// kernels in kernels.h are the fallback and the reference the tests compare against).
//
//   PackedGemm w = PackGemmWeights(filter_nk, n, k);   // once, at load
//   if (w.fast) GemmPacked(w, m, in, in_stride, act, out, pool);
#pragma once

#include <cstdint>
#include <vector>

#include "monokin/infer/detail/kernels.h"
#include "monokin/infer/detail/thread_pool.h"

namespace monokin::infer::detail {

// True when this CPU runs the AVX2+FMA kernels (and MONOKIN_INFER_GENERIC is not set in the
// environment, which forces the plain kernels for comparisons).
bool FastKernelsAvailable();

// True when the AVX-512 dense GEMM is used too (AVX-512F; MONOKIN_INFER_NO_AVX512 unset).
bool Avx512Available();

// Instruction set a PackedGemm is packed for; kAuto = the best this CPU has.
enum class GemmIsa { kAuto, kAvx2, kAvx512 };

// Weights of out = act(in[m][k] * W^T + bias), W given as [n][k] (TFLite's CONV_2D filter
// [out_c][kh][kw][in_c] is exactly that with k = kh*kw*in_c).
struct PackedGemm {
  int k = 0, n = 0;
  bool fast = false;    // packed for the AVX2 kernels below
  bool sparse = false;  // most weights are zero: the sparse kernel is used
  bool avx512 = false;  // dense panels for the AVX-512 kernel
  // Dense: panels of `panel` output channels (16 for AVX2, 32 for AVX-512; the last one
  // narrower: 8 / 16 when that suffices), each [k][width], zero-padded, at column*k.
  int panel = 16;
  std::vector<float> panels;
  std::vector<float> bias;  // [n] (padded to a multiple of `panel`)
  // Sparse: for output channel c, nonzeros nz_begin[c]..nz_begin[c+1] of (nz_k, nz_w).
  std::vector<std::int32_t> nz_begin, nz_k;
  std::vector<float> nz_w;
};

// Packs `w_nk` ([n][k]) and `bias` ([n], or nullptr for zeros). `allow_sparse`: use the sparse
// kernel when at least 60% of the weights are exactly zero (the detector's 1x1 convolutions).
PackedGemm PackGemmWeights(const float* w_nk, const float* bias, int n, int k, bool allow_sparse,
                           GemmIsa isa = GemmIsa::kAuto);

// out[m][n] (row stride n) = act(in[m][k] (row stride `lda`) * W^T + bias), rows split over the
// pool. Requires w.fast.
void GemmPacked(const PackedGemm& w, int m, const float* in, int lda, ActRange act, float* out,
                ThreadPool& pool);

// The same on one thread for rows [m0, m1) (used by the im2col convolution).
void GemmPackedRows(const PackedGemm& w, int m0, int m1, const float* in, int lda, ActRange act,
                    float* out);

// CONV_2D with packed weights (k = k_h*k_w*in_c): the pointwise case reads the input directly,
// any other goes through im2col blocks. Requires w.fast.
void Conv2dPacked(const ConvGeometry& g, const float* in, const PackedGemm& w, ActRange act,
                  float* out, ThreadPool& pool);

// DEPTHWISE_CONV_2D (weights [k_h][k_w][c], bias [c]) for multiplier 1 and c a multiple of 8,
// when DepthwiseFastApplies(); DepthwiseConv2d in kernels.h otherwise.
bool DepthwiseFastApplies(const ConvGeometry& g, int multiplier);
void DepthwiseConv2dFast(const ConvGeometry& g, const float* in, const float* weights,
                         const float* bias, ActRange act, float* out, ThreadPool& pool);

// CONV_2D with at most 4 output channels, in_c a multiple of 8 and not pointwise (the
// segmentation head), computed directly from the [out_c][k_h][k_w][in_c] filter.
bool SmallConvApplies(const ConvGeometry& g);
void SmallConv2d(const ConvGeometry& g, const float* in, const float* w_nk, const float* bias,
                 ActRange act, float* out, ThreadPool& pool);

// RESIZE_BILINEAR (as in kernels.h) for c a multiple of 8, rows split over the pool. Requires
// FastKernelsAvailable().
void ResizeBilinearFast(int batch, int in_h, int in_w, int c, int out_h, int out_w,
                        bool align_corners, bool half_pixel_centers, const float* in, float* out,
                        ThreadPool& pool);

// True for a 1x1, stride-1, unpadded convolution (the input is the GEMM's left matrix).
bool IsPointwise(const ConvGeometry& g);

}  // namespace monokin::infer::detail
