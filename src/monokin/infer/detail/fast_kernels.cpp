// SPDX-License-Identifier: Apache-2.0
// AVX2+FMA GEMM kernels for the pointwise (1x1) and im2col convolutions.
//
// Dense: weights packed in panels of 16 output channels ([k][16], the last panel 8 wide when
// that suffices); a 6x16 (or 12x8) register tile of outputs is accumulated over the whole k,
// starting from the bias, then clamped and stored. A 6-row tile of the input (<= 6*k floats)
// stays in L1 while the panels stream past it.
//
// Sparse (weights mostly zero, as in the pose detector): 64 pixels at a time are transposed to
// channel-major [k][64]; each output channel is then a sum over its nonzero weights of
// w * (a row of 64 pixels), in 8 vector accumulators, and the [n][64] result is transposed back.
#include "monokin/infer/detail/fast_kernels.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace monokin::infer::detail {
namespace {

constexpr int kPanel = 16;
constexpr int kSparsePixels = 64;
constexpr double kSparseMinZeroFraction = 0.6;

#define MK_AVX2 __attribute__((target("avx2,fma")))
#define MK_AVX512 __attribute__((target("avx512f,avx2,fma")))

// AVX-512 tile: MR rows x (16*NV) columns; `valid` columns stored (masked).
template <int NV, int MR>
MK_AVX512 void Tile512(int k, const float* __restrict a, int lda, const float* __restrict b,
                       const float* __restrict bias, ActRange act, float* __restrict c, int ldc,
                       int valid) {
  __m512 acc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_loadu_ps(bias + 16 * v);
  }
  const float* ar[MR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) ar[r] = a + static_cast<std::ptrdiff_t>(r) * lda;
  for (int kk = 0; kk < k; ++kk, b += 16 * NV) {
    __m512 bv[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_ps(b + 16 * v);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const __m512 av = _mm512_set1_ps(ar[r][kk]);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  const __m512 lo = _mm512_set1_ps(act.lo), hi = _mm512_set1_ps(act.hi);
  __mmask16 mask[NV];
#pragma GCC unroll 2
  for (int v = 0; v < NV; ++v) {
    const int left = std::clamp(valid - 16 * v, 0, 16);
    mask[v] = static_cast<__mmask16>((1u << left) - 1u);
  }
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    float* cr = c + static_cast<std::ptrdiff_t>(r) * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      // maskz forms: GCC 12 warns about the unmasked ones' undefined pass-through operand.
      const __m512 x = _mm512_maskz_min_ps(0xFFFF, hi, _mm512_maskz_max_ps(0xFFFF, lo, acc[r][v]));
      _mm512_mask_storeu_ps(cr + 16 * v, mask[v], x);
    }
  }
}

template <int NV, int MR>
MK_AVX512 void TileRows512(int rows, int k, const float* a, int lda, const float* b,
                           const float* bias, ActRange act, float* c, int ldc, int valid) {
  if constexpr (MR > 1) {
    if (rows < MR) {
      TileRows512<NV, MR - 1>(rows, k, a, lda, b, bias, act, c, ldc, valid);
      return;
    }
  }
  Tile512<NV, MR>(k, a, lda, b, bias, act, c, ldc, valid);
}

// One register tile: MR rows x (8*NV) columns, accumulated over k from the bias.
template <int NV, int MR>
MK_AVX2 void Tile(int k, const float* __restrict a, int lda, const float* __restrict b,
                  const float* __restrict bias, ActRange act, float* __restrict c, int ldc,
                  int valid) {
  __m256 acc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_loadu_ps(bias + 8 * v);
  }
  const float* ar[MR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) ar[r] = a + static_cast<std::ptrdiff_t>(r) * lda;
  for (int kk = 0; kk < k; ++kk, b += 8 * NV) {
    __m256 bv[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + 8 * v);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const __m256 av = _mm256_broadcast_ss(ar[r] + kk);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  const __m256 lo = _mm256_set1_ps(act.lo), hi = _mm256_set1_ps(act.hi);
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    float* cr = c + static_cast<std::ptrdiff_t>(r) * ldc;
    if (valid == 8 * NV) {
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) {
        // min/max with the value second: a NaN stays NaN, as std::clamp keeps it.
        _mm256_storeu_ps(cr + 8 * v, _mm256_min_ps(hi, _mm256_max_ps(lo, acc[r][v])));
      }
    } else {
      alignas(32) float tmp[8 * NV];
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) {
        _mm256_store_ps(tmp + 8 * v, _mm256_min_ps(hi, _mm256_max_ps(lo, acc[r][v])));
      }
      std::memcpy(cr, tmp, sizeof(float) * valid);
    }
  }
}

template <int NV, int MR>
MK_AVX2 void TileRows(int rows, int k, const float* a, int lda, const float* b, const float* bias,
                      ActRange act, float* c, int ldc, int valid) {
  if constexpr (MR > 1) {
    if (rows < MR) {
      TileRows<NV, MR - 1>(rows, k, a, lda, b, bias, act, c, ldc, valid);
      return;
    }
  }
  Tile<NV, MR>(k, a, lda, b, bias, act, c, ldc, valid);
}

// 12-row blocks; 32-wide panels as 12x32 tiles, a last 16-wide one as a 12x16 tile, a last
// 8-wide one as an AVX2 12x8 tile.
MK_AVX512 void DenseRows512(const PackedGemm& w, int m0, int m1, const float* in, int lda,
                            ActRange act, float* out) {
  const int n = w.n, k = w.k;
  for (int r0 = m0; r0 < m1; r0 += 12) {
    const int rows = std::min(12, m1 - r0);
    const float* a = in + static_cast<std::ptrdiff_t>(r0) * lda;
    float* c = out + static_cast<std::ptrdiff_t>(r0) * n;
    for (int c0 = 0; c0 < n; c0 += 32) {
      const int left = n - c0;
      const float* b = w.panels.data() + static_cast<std::ptrdiff_t>(c0) * k;
      const float* bias = w.bias.data() + c0;
      if (left <= 8) {  // an 8-wide panel: the AVX2 tile wastes nothing
        TileRows<1, 12>(rows, k, a, lda, b, bias, act, c + c0, n, left);
      } else if (left <= 16) {
        TileRows512<1, 12>(rows, k, a, lda, b, bias, act, c + c0, n, left);
      } else {
        TileRows512<2, 12>(rows, k, a, lda, b, bias, act, c + c0, n, std::min(left, 32));
      }
    }
  }
}

// 12-row blocks: two 6x16 tiles per 16-wide panel, one 12x8 tile for an 8-wide panel.
MK_AVX2 void DenseRows(const PackedGemm& w, int m0, int m1, const float* in, int lda, ActRange act,
                       float* out) {
  const int n = w.n, k = w.k;
  for (int r0 = m0; r0 < m1; r0 += 12) {
    const int rows = std::min(12, m1 - r0);
    const float* a = in + static_cast<std::ptrdiff_t>(r0) * lda;
    float* c = out + static_cast<std::ptrdiff_t>(r0) * n;
    for (int c0 = 0; c0 < n; c0 += kPanel) {
      const int left = n - c0;
      const float* b = w.panels.data() + static_cast<std::ptrdiff_t>(c0) * k;
      const float* bias = w.bias.data() + c0;
      if (left <= 8) {
        TileRows<1, 12>(rows, k, a, lda, b, bias, act, c + c0, n, left);
        continue;
      }
      const int valid = std::min(left, kPanel);
      TileRows<2, 6>(std::min(rows, 6), k, a, lda, b, bias, act, c + c0, n, valid);
      if (rows > 6) {
        TileRows<2, 6>(rows - 6, k, a + 6 * static_cast<std::ptrdiff_t>(lda), lda, b, bias, act,
                       c + 6 * static_cast<std::ptrdiff_t>(n) + c0, n, valid);
      }
    }
  }
}

// 8x8 transpose of floats: dst[j*dst_stride + i] = src[i*src_stride + j].
MK_AVX2 inline void Transpose8x8(const float* src, std::ptrdiff_t src_stride, float* dst,
                                 std::ptrdiff_t dst_stride) {
  __m256 r[8], t[8];
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + i * src_stride);
  t[0] = _mm256_unpacklo_ps(r[0], r[1]);
  t[1] = _mm256_unpackhi_ps(r[0], r[1]);
  t[2] = _mm256_unpacklo_ps(r[2], r[3]);
  t[3] = _mm256_unpackhi_ps(r[2], r[3]);
  t[4] = _mm256_unpacklo_ps(r[4], r[5]);
  t[5] = _mm256_unpackhi_ps(r[4], r[5]);
  t[6] = _mm256_unpacklo_ps(r[6], r[7]);
  t[7] = _mm256_unpackhi_ps(r[6], r[7]);
  r[0] = _mm256_shuffle_ps(t[0], t[2], 0x44);
  r[1] = _mm256_shuffle_ps(t[0], t[2], 0xEE);
  r[2] = _mm256_shuffle_ps(t[1], t[3], 0x44);
  r[3] = _mm256_shuffle_ps(t[1], t[3], 0xEE);
  r[4] = _mm256_shuffle_ps(t[4], t[6], 0x44);
  r[5] = _mm256_shuffle_ps(t[4], t[6], 0xEE);
  r[6] = _mm256_shuffle_ps(t[5], t[7], 0x44);
  r[7] = _mm256_shuffle_ps(t[5], t[7], 0xEE);
  _mm256_storeu_ps(dst + 0 * dst_stride, _mm256_permute2f128_ps(r[0], r[4], 0x20));
  _mm256_storeu_ps(dst + 1 * dst_stride, _mm256_permute2f128_ps(r[1], r[5], 0x20));
  _mm256_storeu_ps(dst + 2 * dst_stride, _mm256_permute2f128_ps(r[2], r[6], 0x20));
  _mm256_storeu_ps(dst + 3 * dst_stride, _mm256_permute2f128_ps(r[3], r[7], 0x20));
  _mm256_storeu_ps(dst + 4 * dst_stride, _mm256_permute2f128_ps(r[0], r[4], 0x31));
  _mm256_storeu_ps(dst + 5 * dst_stride, _mm256_permute2f128_ps(r[1], r[5], 0x31));
  _mm256_storeu_ps(dst + 6 * dst_stride, _mm256_permute2f128_ps(r[2], r[6], 0x31));
  _mm256_storeu_ps(dst + 7 * dst_stride, _mm256_permute2f128_ps(r[3], r[7], 0x31));
}

// dst[j][i] = src[i][j] for i < rows, j < cols; blocks of 8x8 where they fit, scalar elsewhere.
MK_AVX2 void Transpose(const float* src, std::ptrdiff_t src_stride, int rows, int cols, float* dst,
                       std::ptrdiff_t dst_stride) {
  const int rows8 = rows & ~7, cols8 = cols & ~7;
  for (int i = 0; i < rows8; i += 8) {
    for (int j = 0; j < cols8; j += 8) {
      Transpose8x8(src + i * src_stride + j, src_stride, dst + j * dst_stride + i, dst_stride);
    }
  }
  for (int i = 0; i < rows; ++i) {
    const int j0 = i < rows8 ? cols8 : 0;
    for (int j = j0; j < cols; ++j) dst[j * dst_stride + i] = src[i * src_stride + j];
  }
}

// One output channel over NV*8 pixels of the channel-major tile `at` ([k][kSparsePixels]).
template <int NV>
MK_AVX2 void SparseChannels(const PackedGemm& w, const float* __restrict at, ActRange act,
                            float* __restrict ot) {
  const __m256 lo = _mm256_set1_ps(act.lo), hi = _mm256_set1_ps(act.hi);
  for (int co = 0; co < w.n; ++co) {
    __m256 acc[NV];
    const __m256 b = _mm256_set1_ps(w.bias[co]);
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[v] = b;
    for (int j = w.nz_begin[co], end = w.nz_begin[co + 1]; j < end; ++j) {
      const __m256 wv = _mm256_broadcast_ss(&w.nz_w[j]);
      const float* src = at + static_cast<std::ptrdiff_t>(w.nz_k[j]) * kSparsePixels;
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v)
        acc[v] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(src + 8 * v), acc[v]);
    }
    float* dst = ot + static_cast<std::ptrdiff_t>(co) * kSparsePixels;
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) {
      _mm256_storeu_ps(dst + 8 * v, _mm256_min_ps(hi, _mm256_max_ps(lo, acc[v])));
    }
  }
}

template <int NV>
MK_AVX512 inline void StoreClamped512(const __m512* acc, __m512 lo, __m512 hi, float* dst) {
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    _mm512_storeu_ps(dst + 16 * v,
                     _mm512_maskz_min_ps(0xFFFF, hi, _mm512_maskz_max_ps(0xFFFF, lo, acc[v])));
  }
}

// AVX-512: 16 pixels per vector, and output channels in pairs (their common number of nonzeros
// in lockstep) so that 2*NV accumulations are in flight.
template <int NV>
MK_AVX512 void SparseChannels512(const PackedGemm& w, const float* __restrict at, ActRange act,
                                 float* __restrict ot) {
  const __m512 lo = _mm512_set1_ps(act.lo), hi = _mm512_set1_ps(act.hi);

  auto row = [&](int j) { return at + static_cast<std::ptrdiff_t>(w.nz_k[j]) * kSparsePixels; };
  int co = 0;
  for (; co + 2 <= w.n; co += 2) {
    __m512 a[NV], b[NV];
    const __m512 ba = _mm512_set1_ps(w.bias[co]), bb = _mm512_set1_ps(w.bias[co + 1]);
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      a[v] = ba;
      b[v] = bb;
    }
    int ja = w.nz_begin[co], jb = w.nz_begin[co + 1];
    const int ea = w.nz_begin[co + 1], eb = w.nz_begin[co + 2];
    for (; ja < ea && jb < eb; ++ja, ++jb) {
      const __m512 wa = _mm512_set1_ps(w.nz_w[ja]), wb = _mm512_set1_ps(w.nz_w[jb]);
      const float* ra = row(ja);
      const float* rb = row(jb);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        a[v] = _mm512_fmadd_ps(wa, _mm512_loadu_ps(ra + 16 * v), a[v]);
        b[v] = _mm512_fmadd_ps(wb, _mm512_loadu_ps(rb + 16 * v), b[v]);
      }
    }
    for (; ja < ea; ++ja) {
      const __m512 wa = _mm512_set1_ps(w.nz_w[ja]);
      const float* ra = row(ja);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) a[v] = _mm512_fmadd_ps(wa, _mm512_loadu_ps(ra + 16 * v), a[v]);
    }
    for (; jb < eb; ++jb) {
      const __m512 wb = _mm512_set1_ps(w.nz_w[jb]);
      const float* rb = row(jb);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) b[v] = _mm512_fmadd_ps(wb, _mm512_loadu_ps(rb + 16 * v), b[v]);
    }
    StoreClamped512<NV>(a, lo, hi, ot + static_cast<std::ptrdiff_t>(co) * kSparsePixels);
    StoreClamped512<NV>(b, lo, hi, ot + static_cast<std::ptrdiff_t>(co + 1) * kSparsePixels);
  }
  if (co < w.n) {
    __m512 a[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) a[v] = _mm512_set1_ps(w.bias[co]);
    for (int j = w.nz_begin[co]; j < w.nz_begin[co + 1]; ++j) {
      const __m512 wa = _mm512_set1_ps(w.nz_w[j]);
      const float* ra = row(j);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) a[v] = _mm512_fmadd_ps(wa, _mm512_loadu_ps(ra + 16 * v), a[v]);
    }
    StoreClamped512<NV>(a, lo, hi, ot + static_cast<std::ptrdiff_t>(co) * kSparsePixels);
  }
}

MK_AVX2 void SparseRows(const PackedGemm& w, int m0, int m1, const float* in, int lda, ActRange act,
                        float* out) {
  std::vector<float> at(static_cast<size_t>(w.k) * kSparsePixels, 0.0f);
  std::vector<float> ot(static_cast<size_t>(w.n) * kSparsePixels);
  for (int p0 = m0; p0 < m1; p0 += kSparsePixels) {
    const int rows = std::min(kSparsePixels, m1 - p0);
    Transpose(in + static_cast<std::ptrdiff_t>(p0) * lda, lda, rows, w.k, at.data(), kSparsePixels);
    if (w.avx512) {
      switch ((rows + 15) / 16) {
        case 1:
          SparseChannels512<1>(w, at.data(), act, ot.data());
          break;
        case 2:
          SparseChannels512<2>(w, at.data(), act, ot.data());
          break;
        case 3:
          SparseChannels512<3>(w, at.data(), act, ot.data());
          break;
        default:
          SparseChannels512<4>(w, at.data(), act, ot.data());
          break;
      }
    } else {
      switch ((rows + 7) / 8) {
        case 1:
          SparseChannels<1>(w, at.data(), act, ot.data());
          break;
        case 2:
          SparseChannels<2>(w, at.data(), act, ot.data());
          break;
        case 3:
          SparseChannels<3>(w, at.data(), act, ot.data());
          break;
        case 4:
          SparseChannels<4>(w, at.data(), act, ot.data());
          break;
        case 5:
          SparseChannels<5>(w, at.data(), act, ot.data());
          break;
        case 6:
          SparseChannels<6>(w, at.data(), act, ot.data());
          break;
        case 7:
          SparseChannels<7>(w, at.data(), act, ot.data());
          break;
        default:
          SparseChannels<8>(w, at.data(), act, ot.data());
          break;
      }
    }
    Transpose(ot.data(), kSparsePixels, w.n, rows, out + static_cast<std::ptrdiff_t>(p0) * w.n,
              w.n);
  }
}

// Depthwise: OX output pixels x (8*NV) channels, all taps inside the input along x; rows of
// taps [ky0, ky1) inside along y.
template <int NV, int OX>
MK_AVX2 void DepthwiseTile(const ConvGeometry& g, int c0, int oy, int ox, int ky0, int ky1,
                           const float* __restrict in, const float* __restrict weights,
                           const float* __restrict bias, ActRange act, float* __restrict out) {
  const int c = g.in_c;
  __m256 acc[OX][NV];
#pragma GCC unroll 8
  for (int p = 0; p < OX; ++p) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[p][v] = _mm256_loadu_ps(bias + c0 + 8 * v);
  }
  const std::ptrdiff_t pixel_step = static_cast<std::ptrdiff_t>(g.stride_w) * c;
  for (int ky = ky0; ky < ky1; ++ky) {
    const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
    const float* row =
        in + (static_cast<std::ptrdiff_t>(iy) * g.in_w + (ox * g.stride_w - g.pad_left)) * c + c0;
    const float* wrow = weights + static_cast<std::ptrdiff_t>(ky) * g.k_w * c + c0;
    for (int kx = 0; kx < g.k_w; ++kx) {
      const float* ip = row + static_cast<std::ptrdiff_t>(kx) * g.dil_w * c;
      __m256 wv[NV];
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) wv[v] = _mm256_loadu_ps(wrow + kx * c + 8 * v);
#pragma GCC unroll 8
      for (int p = 0; p < OX; ++p) {
#pragma GCC unroll 2
        for (int v = 0; v < NV; ++v) {
          acc[p][v] =
              _mm256_fmadd_ps(_mm256_loadu_ps(ip + p * pixel_step + 8 * v), wv[v], acc[p][v]);
        }
      }
    }
  }
  const __m256 lo = _mm256_set1_ps(act.lo), hi = _mm256_set1_ps(act.hi);
  float* o = out + (static_cast<std::ptrdiff_t>(oy) * g.out_w + ox) * c + c0;
#pragma GCC unroll 8
  for (int p = 0; p < OX; ++p) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      _mm256_storeu_ps(o + p * c + 8 * v, _mm256_min_ps(hi, _mm256_max_ps(lo, acc[p][v])));
    }
  }
}

// NV vectors of channels from c0 for one output pixel; taps outside the input skipped (the
// borders). Several vectors at once so the accumulations do not wait on each other.
template <int NV>
MK_AVX2 void DepthwisePixelBlock(const ConvGeometry& g, int c0, int oy, int ox, int ky0, int ky1,
                                 int kx0, int kx1, const float* __restrict in,
                                 const float* __restrict weights, const float* __restrict bias,
                                 ActRange act, float* __restrict out) {
  const int c = g.in_c;
  __m256 acc[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) acc[v] = _mm256_loadu_ps(bias + c0 + 8 * v);
  for (int ky = ky0; ky < ky1; ++ky) {
    const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
    for (int kx = kx0; kx < kx1; ++kx) {
      const int ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
      const float* ip = in + (static_cast<std::ptrdiff_t>(iy) * g.in_w + ix) * c + c0;
      const float* wp = weights + static_cast<std::ptrdiff_t>(ky * g.k_w + kx) * c + c0;
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        acc[v] = _mm256_fmadd_ps(_mm256_loadu_ps(ip + 8 * v), _mm256_loadu_ps(wp + 8 * v), acc[v]);
      }
    }
  }
  const __m256 lo = _mm256_set1_ps(act.lo), hi = _mm256_set1_ps(act.hi);
  float* o = out + (static_cast<std::ptrdiff_t>(oy) * g.out_w + ox) * c + c0;
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    _mm256_storeu_ps(o + 8 * v, _mm256_min_ps(hi, _mm256_max_ps(lo, acc[v])));
  }
}

MK_AVX2 void DepthwisePixel(const ConvGeometry& g, int oy, int ox, int ky0, int ky1,
                            const float* __restrict in, const float* __restrict weights,
                            const float* __restrict bias, ActRange act, float* __restrict out) {
  int kx0 = 0, kx1 = g.k_w;
  while (kx0 < kx1 && ox * g.stride_w - g.pad_left + kx0 * g.dil_w < 0) ++kx0;
  while (kx1 > kx0 && ox * g.stride_w - g.pad_left + (kx1 - 1) * g.dil_w >= g.in_w) --kx1;
  int c0 = 0;
  for (; c0 + 32 <= g.in_c; c0 += 32) {
    DepthwisePixelBlock<4>(g, c0, oy, ox, ky0, ky1, kx0, kx1, in, weights, bias, act, out);
  }
  for (; c0 < g.in_c; c0 += 8) {
    DepthwisePixelBlock<1>(g, c0, oy, ox, ky0, ky1, kx0, kx1, in, weights, bias, act, out);
  }
}

// CONV_2D with few output channels (the segmentation head: 3x3x8 -> 1) and in_c a multiple of
// 8: per pixel and output channel, one vector accumulator over the taps, summed at the end.
// 8 output pixels (all taps inside along x) of output channel co: 8 accumulators, reduced to one
// vector of 8 sums at the end.
MK_AVX2 void SmallConvBlock8(const ConvGeometry& g, int oy, int ox, int co, int ky0, int ky1,
                             const float* __restrict in, const float* __restrict w_nk,
                             const float* __restrict bias, ActRange act, float* __restrict out) {
  const int c = g.in_c, k = g.k_h * g.k_w * c;
  const float* wc = w_nk + static_cast<std::ptrdiff_t>(co) * k;
  const std::ptrdiff_t step = static_cast<std::ptrdiff_t>(g.stride_w) * c;
  __m256 acc[8];
#pragma GCC unroll 8
  for (int p = 0; p < 8; ++p) acc[p] = _mm256_setzero_ps();
  for (int ky = ky0; ky < ky1; ++ky) {
    const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
    for (int kx = 0; kx < g.k_w; ++kx) {
      const int ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
      const float* ip = in + (static_cast<std::ptrdiff_t>(iy) * g.in_w + ix) * c;
      const float* wp = wc + static_cast<std::ptrdiff_t>(ky * g.k_w + kx) * c;
      for (int i = 0; i < c; i += 8) {
        const __m256 wv = _mm256_loadu_ps(wp + i);
#pragma GCC unroll 8
        for (int p = 0; p < 8; ++p) {
          acc[p] = _mm256_fmadd_ps(_mm256_loadu_ps(ip + p * step + i), wv, acc[p]);
        }
      }
    }
  }
  const __m256 t0 = _mm256_hadd_ps(acc[0], acc[1]), t1 = _mm256_hadd_ps(acc[2], acc[3]);
  const __m256 t2 = _mm256_hadd_ps(acc[4], acc[5]), t3 = _mm256_hadd_ps(acc[6], acc[7]);
  const __m256 u0 = _mm256_hadd_ps(t0, t1), u1 = _mm256_hadd_ps(t2, t3);
  __m256 sums =
      _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
  sums = _mm256_add_ps(sums, _mm256_set1_ps(bias[co]));
  sums = _mm256_min_ps(_mm256_set1_ps(act.hi), _mm256_max_ps(_mm256_set1_ps(act.lo), sums));
  alignas(32) float v[8];
  _mm256_store_ps(v, sums);
  float* o = out + (static_cast<std::ptrdiff_t>(oy) * g.out_w + ox) * g.out_c + co;
  for (int p = 0; p < 8; ++p) o[static_cast<std::ptrdiff_t>(p) * g.out_c] = v[p];
}

MK_AVX2 void SmallConvRows(const ConvGeometry& g, int y0, int y1, const float* __restrict in,
                           const float* __restrict w_nk, const float* __restrict bias, ActRange act,
                           float* __restrict out) {
  const int c = g.in_c, k = g.k_h * g.k_w * c;
  int ox_lo = 0;
  while (ox_lo < g.out_w && ox_lo * g.stride_w - g.pad_left < 0) ++ox_lo;
  int ox_hi = g.out_w;
  while (ox_hi > ox_lo && (ox_hi - 1) * g.stride_w - g.pad_left + (g.k_w - 1) * g.dil_w >= g.in_w) {
    --ox_hi;
  }
  for (int oy = y0; oy < y1; ++oy) {
    int ky0 = 0, ky1 = g.k_h;
    while (ky0 < ky1 && oy * g.stride_h - g.pad_top + ky0 * g.dil_h < 0) ++ky0;
    while (ky1 > ky0 && oy * g.stride_h - g.pad_top + (ky1 - 1) * g.dil_h >= g.in_h) --ky1;
    int blocked_end = ox_lo;
    for (; blocked_end + 8 <= ox_hi; blocked_end += 8) {
      for (int co = 0; co < g.out_c; ++co) {
        SmallConvBlock8(g, oy, blocked_end, co, ky0, ky1, in, w_nk, bias, act, out);
      }
    }
    for (int ox = 0; ox < g.out_w; ++ox) {
      if (ox >= ox_lo && ox < blocked_end) continue;
      for (int co = 0; co < g.out_c; ++co) {
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        const float* wc = w_nk + static_cast<std::ptrdiff_t>(co) * k;
        for (int ky = 0; ky < g.k_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.k_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
            if (ix < 0 || ix >= g.in_w) continue;
            const float* ip = in + (static_cast<std::ptrdiff_t>(iy) * g.in_w + ix) * c;
            const float* wp = wc + static_cast<std::ptrdiff_t>(ky * g.k_w + kx) * c;
            int i = 0;
            for (; i + 16 <= c; i += 16) {
              acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(ip + i), _mm256_loadu_ps(wp + i), acc0);
              acc1 =
                  _mm256_fmadd_ps(_mm256_loadu_ps(ip + i + 8), _mm256_loadu_ps(wp + i + 8), acc1);
            }
            if (i < c) {
              acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(ip + i), _mm256_loadu_ps(wp + i), acc0);
            }
          }
        }
        const __m256 sum8 = _mm256_add_ps(acc0, acc1);
        __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(sum8), _mm256_extractf128_ps(sum8, 1));
        s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
        s4 = _mm_add_ss(s4, _mm_movehdup_ps(s4));
        const float v = _mm_cvtss_f32(s4) + bias[co];
        out[(static_cast<std::ptrdiff_t>(oy) * g.out_w + ox) * g.out_c + co] =
            std::clamp(v, act.lo, act.hi);
      }
    }
  }
}

// AVX-512 depthwise tile: OX pixels x (16*NV) channels, like DepthwiseTile.
template <int NV, int OX>
MK_AVX512 void DepthwiseTile512(const ConvGeometry& g, int c0, int oy, int ox, int ky0, int ky1,
                                const float* __restrict in, const float* __restrict weights,
                                const float* __restrict bias, ActRange act, float* __restrict out) {
  const int c = g.in_c;
  __m512 acc[OX][NV];
#pragma GCC unroll 8
  for (int p = 0; p < OX; ++p) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[p][v] = _mm512_loadu_ps(bias + c0 + 16 * v);
  }
  const std::ptrdiff_t pixel_step = static_cast<std::ptrdiff_t>(g.stride_w) * c;
  for (int ky = ky0; ky < ky1; ++ky) {
    const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
    const float* row =
        in + (static_cast<std::ptrdiff_t>(iy) * g.in_w + (ox * g.stride_w - g.pad_left)) * c + c0;
    const float* wrow = weights + static_cast<std::ptrdiff_t>(ky) * g.k_w * c + c0;
    for (int kx = 0; kx < g.k_w; ++kx) {
      const float* ip = row + static_cast<std::ptrdiff_t>(kx) * g.dil_w * c;
      __m512 wv[NV];
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) wv[v] = _mm512_loadu_ps(wrow + kx * c + 16 * v);
#pragma GCC unroll 8
      for (int p = 0; p < OX; ++p) {
#pragma GCC unroll 2
        for (int v = 0; v < NV; ++v) {
          acc[p][v] =
              _mm512_fmadd_ps(_mm512_loadu_ps(ip + p * pixel_step + 16 * v), wv[v], acc[p][v]);
        }
      }
    }
  }
  const __m512 lo = _mm512_set1_ps(act.lo), hi = _mm512_set1_ps(act.hi);
  float* o = out + (static_cast<std::ptrdiff_t>(oy) * g.out_w + ox) * c + c0;
#pragma GCC unroll 8
  for (int p = 0; p < OX; ++p) StoreClamped512<NV>(acc[p], lo, hi, o + p * c);
}

// The interior [ox_lo, ox_hi) of output row oy for the channels in 16-blocks; returns the first
// channel left to do.
MK_AVX512 int DepthwiseRow512(const ConvGeometry& g, int oy, int ox_lo, int ox_hi, int ky0, int ky1,
                              const float* in, const float* weights, const float* bias,
                              ActRange act, float* out) {
  const int c = g.in_c;
  int c0 = 0;
  for (; c0 + 32 <= c; c0 += 32) {
    int ox = ox_lo;
    for (; ox + 4 <= ox_hi; ox += 4) {
      DepthwiseTile512<2, 4>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
    }
    for (; ox < ox_hi; ++ox) {
      DepthwiseTile512<2, 1>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
    }
  }
  for (; c0 + 16 <= c; c0 += 16) {
    int ox = ox_lo;
    for (; ox + 8 <= ox_hi; ox += 8) {
      DepthwiseTile512<1, 8>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
    }
    for (; ox < ox_hi; ++ox) {
      DepthwiseTile512<1, 1>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
    }
  }
  return c0;
}

MK_AVX2 void DepthwiseRows(const ConvGeometry& g, int y0, int y1, const float* in,
                           const float* weights, const float* bias, ActRange act, float* out) {
  const bool avx512 = Avx512Available();
  // Output x range whose taps all fall inside the input.
  int ox_lo = 0;
  while (ox_lo < g.out_w && ox_lo * g.stride_w - g.pad_left < 0) ++ox_lo;
  int ox_hi = g.out_w;
  while (ox_hi > ox_lo && (ox_hi - 1) * g.stride_w - g.pad_left + (g.k_w - 1) * g.dil_w >= g.in_w) {
    --ox_hi;
  }
  const int c = g.in_c;
  for (int oy = y0; oy < y1; ++oy) {
    int ky0 = 0, ky1 = g.k_h;
    while (ky0 < ky1 && oy * g.stride_h - g.pad_top + ky0 * g.dil_h < 0) ++ky0;
    while (ky1 > ky0 && oy * g.stride_h - g.pad_top + (ky1 - 1) * g.dil_h >= g.in_h) --ky1;
    for (int ox = 0; ox < ox_lo; ++ox)
      DepthwisePixel(g, oy, ox, ky0, ky1, in, weights, bias, act, out);
    for (int ox = ox_hi; ox < g.out_w; ++ox) {
      DepthwisePixel(g, oy, ox, ky0, ky1, in, weights, bias, act, out);
    }
    int c0 = 0;
    if (avx512) c0 = DepthwiseRow512(g, oy, ox_lo, ox_hi, ky0, ky1, in, weights, bias, act, out);
    for (; c0 + 16 <= c; c0 += 16) {
      int ox = ox_lo;
      for (; ox + 4 <= ox_hi; ox += 4) {
        DepthwiseTile<2, 4>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
      }
      for (; ox < ox_hi; ++ox)
        DepthwiseTile<2, 1>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
    }
    if (c0 < c) {  // 8 channels left
      int ox = ox_lo;
      for (; ox + 8 <= ox_hi; ox += 8) {
        DepthwiseTile<1, 8>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
      }
      for (; ox < ox_hi; ++ox)
        DepthwiseTile<1, 1>(g, c0, oy, ox, ky0, ky1, in, weights, bias, act, out);
    }
  }
}

// Rows [r0, r1) of batch*out_h output rows; channels in vectors of 8 (c % 8 == 0).
MK_AVX2 void ResizeRows(int r0, int r1, int in_h, int in_w, int c, int out_h, int out_w,
                        const std::vector<ResizeTap>& ty, const std::vector<ResizeTap>& tx,
                        const float* in, float* out) {
  for (int r = r0; r < r1; ++r) {
    const int b = r / out_h, y = r % out_h;
    const float* src = in + static_cast<std::ptrdiff_t>(b) * in_h * in_w * c;
    const float* row0 = src + static_cast<std::ptrdiff_t>(ty[y].lo) * in_w * c;
    const float* row1 = src + static_cast<std::ptrdiff_t>(ty[y].hi) * in_w * c;
    const float fy = ty[y].frac;
    float* o = out + static_cast<std::ptrdiff_t>(r) * out_w * c;
    for (int x = 0; x < out_w; ++x, o += c) {
      const float fx = tx[x].frac;
      const __m256 w00 = _mm256_set1_ps((1 - fy) * (1 - fx)), w10 = _mm256_set1_ps(fy * (1 - fx));
      const __m256 w01 = _mm256_set1_ps((1 - fy) * fx), w11 = _mm256_set1_ps(fy * fx);
      const float* p00 = row0 + static_cast<std::ptrdiff_t>(tx[x].lo) * c;
      const float* p01 = row0 + static_cast<std::ptrdiff_t>(tx[x].hi) * c;
      const float* p10 = row1 + static_cast<std::ptrdiff_t>(tx[x].lo) * c;
      const float* p11 = row1 + static_cast<std::ptrdiff_t>(tx[x].hi) * c;
      for (int k = 0; k < c; k += 8) {
        __m256 v = _mm256_mul_ps(_mm256_loadu_ps(p00 + k), w00);
        v = _mm256_fmadd_ps(_mm256_loadu_ps(p10 + k), w10, v);
        v = _mm256_fmadd_ps(_mm256_loadu_ps(p01 + k), w01, v);
        v = _mm256_fmadd_ps(_mm256_loadu_ps(p11 + k), w11, v);
        _mm256_storeu_ps(o + k, v);
      }
    }
  }
}

}  // namespace

bool Avx512Available() {
  static const bool available = [] {
    __builtin_cpu_init();
    const char* off = std::getenv("MONOKIN_INFER_NO_AVX512");
    if (off != nullptr && off[0] != '\0' && off[0] != '0') return false;
    return FastKernelsAvailable() && __builtin_cpu_supports("avx512f");
  }();
  return available;
}

bool FastKernelsAvailable() {
  static const bool available = [] {
    __builtin_cpu_init();
    const char* generic = std::getenv("MONOKIN_INFER_GENERIC");
    if (generic != nullptr && generic[0] != '\0' && generic[0] != '0') return false;
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return available;
}

PackedGemm PackGemmWeights(const float* w_nk, const float* bias, int n, int k, bool allow_sparse,
                           GemmIsa isa) {
  PackedGemm p;
  p.n = n;
  p.k = k;
  p.fast = FastKernelsAvailable();
  if (!p.fast) return p;
  p.avx512 = isa == GemmIsa::kAvx512 || (isa == GemmIsa::kAuto && Avx512Available());
  p.panel = p.avx512 ? 32 : kPanel;
  const int n_pad = (n + p.panel - 1) / p.panel * p.panel;
  p.bias.assign(n_pad, 0.0f);
  if (bias != nullptr) std::copy(bias, bias + n, p.bias.begin());
  const std::int64_t total = static_cast<std::int64_t>(n) * k;
  std::int64_t zeros = 0;
  for (std::int64_t i = 0; i < total; ++i) zeros += w_nk[i] == 0.0f;
  if (allow_sparse && total > 0 &&
      static_cast<double>(zeros) >= kSparseMinZeroFraction * static_cast<double>(total)) {
    p.sparse = true;
    p.nz_begin.reserve(n + 1);
    p.nz_begin.push_back(0);
    for (int co = 0; co < n; ++co) {
      for (int i = 0; i < k; ++i) {
        const float v = w_nk[static_cast<std::int64_t>(co) * k + i];
        if (v != 0.0f) {
          p.nz_k.push_back(i);
          p.nz_w.push_back(v);
        }
      }
      p.nz_begin.push_back(static_cast<std::int32_t>(p.nz_k.size()));
    }
    return p;
  }
  // Panel at column c0 has width `panel`, or the smallest of 8, panel/2 that holds the
  // columns left; data at c0*k.
  p.panels.assign(static_cast<size_t>(n_pad) * k, 0.0f);
  for (int c0 = 0; c0 < n; c0 += p.panel) {
    const int left = n - c0;
    const int width = left <= 8 ? 8 : left <= p.panel / 2 ? p.panel / 2 : p.panel;
    float* dst = p.panels.data() + static_cast<std::ptrdiff_t>(c0) * k;
    for (int i = 0; i < k; ++i) {
      for (int j = 0; j < width && c0 + j < n; ++j) {
        dst[static_cast<std::ptrdiff_t>(i) * width + j] =
            w_nk[static_cast<std::int64_t>(c0 + j) * k + i];
      }
    }
  }
  return p;
}

void GemmPackedRows(const PackedGemm& w, int m0, int m1, const float* in, int lda, ActRange act,
                    float* out) {
  if (m1 <= m0) return;
  if (w.sparse) {
    SparseRows(w, m0, m1, in, lda, act, out);
  } else if (w.avx512) {
    DenseRows512(w, m0, m1, in, lda, act, out);
  } else {
    DenseRows(w, m0, m1, in, lda, act, out);
  }
}

void GemmPacked(const PackedGemm& w, int m, const float* in, int lda, ActRange act, float* out,
                ThreadPool& pool) {
  const int min_chunk = w.sparse ? kSparsePixels : 24;
  pool.ParallelFor(m, min_chunk,
                   [&](int m0, int m1) { GemmPackedRows(w, m0, m1, in, lda, act, out); });
}

bool DepthwiseFastApplies(const ConvGeometry& g, int multiplier) {
  return FastKernelsAvailable() && multiplier == 1 && g.in_c % 8 == 0 && g.in_c == g.out_c;
}

void DepthwiseConv2dFast(const ConvGeometry& g, const float* in, const float* weights,
                         const float* bias, ActRange act, float* out, ThreadPool& pool) {
  pool.ParallelFor(g.out_h, 1,
                   [&](int y0, int y1) { DepthwiseRows(g, y0, y1, in, weights, bias, act, out); });
}

void ResizeBilinearFast(int batch, int in_h, int in_w, int c, int out_h, int out_w,
                        bool align_corners, bool half_pixel_centers, const float* in, float* out,
                        ThreadPool& pool) {
  const std::vector<ResizeTap> ty = ResizeTaps(out_h, in_h, align_corners, half_pixel_centers);
  const std::vector<ResizeTap> tx = ResizeTaps(out_w, in_w, align_corners, half_pixel_centers);
  pool.ParallelFor(batch * out_h, 1, [&](int r0, int r1) {
    ResizeRows(r0, r1, in_h, in_w, c, out_h, out_w, ty, tx, in, out);
  });
}

bool SmallConvApplies(const ConvGeometry& g) {
  return FastKernelsAvailable() && g.out_c <= 4 && g.in_c % 8 == 0 && !IsPointwise(g);
}

void SmallConv2d(const ConvGeometry& g, const float* in, const float* w_nk, const float* bias,
                 ActRange act, float* out, ThreadPool& pool) {
  pool.ParallelFor(g.out_h, 1,
                   [&](int y0, int y1) { SmallConvRows(g, y0, y1, in, w_nk, bias, act, out); });
}

bool IsPointwise(const ConvGeometry& g) {
  return g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_top == 0 &&
         g.pad_left == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
}

void Conv2dPacked(const ConvGeometry& g, const float* in, const PackedGemm& w, ActRange act,
                  float* out, ThreadPool& pool) {
  const int m = g.out_h * g.out_w;
  if (IsPointwise(g)) {
    GemmPacked(w, m, in, g.in_c, act, out, pool);
    return;
  }
  // Blocks of 96 im2col rows (<= 96*k floats, in L2 for these models' k <= 9*64).
  constexpr int kBlock = 96;
  pool.ParallelFor(m, 24, [&](int m0, int m1) {
    std::vector<float> cols(static_cast<size_t>(std::min(kBlock, m1 - m0)) * w.k);
    for (int mb = m0; mb < m1; mb += kBlock) {
      const int rows = std::min(kBlock, m1 - mb);
      Im2col(g, mb, rows, in, cols.data());
      GemmPackedRows(w, 0, rows, cols.data(), w.k, act,
                     out + static_cast<std::ptrdiff_t>(mb) * w.n);
    }
  });
}

}  // namespace monokin::infer::detail
