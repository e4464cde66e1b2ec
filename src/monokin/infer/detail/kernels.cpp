// SPDX-License-Identifier: Apache-2.0
#include "monokin/infer/detail/kernels.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstring>

namespace monokin::infer::detail {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Rows of the im2col matrix built at once: 256 rows x K floats stays in L2 for the K (at most
// 2x2x288 or 3x3x8) of these models, so the patches are reused from cache by the GEMM.
constexpr int kIm2colRows = 256;

inline void BiasAct(float* __restrict row, const float* __restrict bias, int n, ActRange act) {
  for (int c = 0; c < n; ++c) row[c] = std::clamp(row[c] + bias[c], act.lo, act.hi);
}

inline void Clamp(float* __restrict row, int n, ActRange act) {
  for (int c = 0; c < n; ++c) row[c] = std::clamp(row[c], act.lo, act.hi);
}

// Depthwise conv for stride 1 along x and few channels (the 256x256x8 .. 64x64x48 layers, where
// a per-pixel loop over 8 channels is mostly loop overhead). With stride 1 a tap's input pixels
// for a whole output row are contiguous, so each tap is one long multiply-add over the row, with
// the tap's weights repeated across the row once per call.
constexpr int kRowwiseMaxChannels = 64;

void DepthwiseRowwise(const ConvGeometry& g, const float* in, const float* weights,
                      const float* bias, ActRange act, float* out, ThreadPool& pool) {
  const int c = g.out_c;
  const int row = g.out_w * c;
  const int taps = g.k_h * g.k_w;
  pool.ParallelFor(g.out_h, 1, [&](int y0, int y1) {
    std::vector<float> wrep(static_cast<size_t>(taps) * row);
    for (int t = 0; t < taps; ++t) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        std::memcpy(&wrep[static_cast<size_t>(t) * row + ox * c], weights + t * c,
                    sizeof(float) * c);
      }
    }
    for (int oy = y0; oy < y1; ++oy) {
      float* __restrict o = out + static_cast<size_t>(oy) * row;
      for (int ox = 0; ox < g.out_w; ++ox) std::memcpy(o + ox * c, bias, sizeof(float) * c);
      for (int ky = 0; ky < g.k_h; ++ky) {
        const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
        if (iy < 0 || iy >= g.in_h) continue;
        const float* in_row = in + static_cast<size_t>(iy) * g.in_w * c;
        for (int kx = 0; kx < g.k_w; ++kx) {
          const int shift = kx - g.pad_left;  // input x = output x + shift
          const int ox0 = std::max(0, -shift), ox1 = std::min(g.out_w, g.in_w - shift);
          if (ox1 <= ox0) continue;
          const float* __restrict ip = in_row + shift * c;
          const float* __restrict wr = wrep.data() + static_cast<size_t>(ky * g.k_w + kx) * row;
          for (int i = ox0 * c, end = ox1 * c; i < end; ++i) o[i] += ip[i] * wr[i];
        }
      }
      Clamp(o, row, act);
    }
  });
}

}  // namespace

WindowAxis ComputeWindow(int in, int kernel, int stride, int dilation, bool same_padding) {
  const int effective = (kernel - 1) * dilation + 1;
  WindowAxis w;
  if (same_padding) {
    w.out = (in + stride - 1) / stride;
    const int total = std::max((w.out - 1) * stride + effective - in, 0);
    w.pad_before = total / 2;
  } else {
    w.out = in >= effective ? (in - effective) / stride + 1 : 0;
  }
  return w;
}

void Im2col(const ConvGeometry& g, int row0, int rows, const float* in, float* cols) {
  const int k = g.k_h * g.k_w * g.in_c;
  for (int r = 0; r < rows; ++r) {
    const int oy = (row0 + r) / g.out_w, ox = (row0 + r) % g.out_w;
    float* dst = cols + static_cast<size_t>(r) * k;
    for (int ky = 0; ky < g.k_h; ++ky) {
      const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
      for (int kx = 0; kx < g.k_w; ++kx, dst += g.in_c) {
        const int ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
        if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
          std::fill(dst, dst + g.in_c, 0.0f);
        } else {
          const float* src = in + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
          if (g.in_c < 16) {  // a call to memcpy per 3 floats (the RGB input) costs more
            for (int c = 0; c < g.in_c; ++c) dst[c] = src[c];
          } else {
            std::memcpy(dst, src, sizeof(float) * g.in_c);
          }
        }
      }
    }
  }
}

void Conv2d(const ConvGeometry& g, const float* in, const float* weights_kxc, const float* bias,
            ActRange act, float* out, ThreadPool& pool) {
  const int k = g.k_h * g.k_w * g.in_c;
  const int m = g.out_h * g.out_w;
  const bool pointwise = g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
                         g.pad_top == 0 && g.pad_left == 0 && g.out_h == g.in_h &&
                         g.out_w == g.in_w;
  const Eigen::Map<const RowMatrix> w(weights_kxc, k, g.out_c);
  pool.ParallelFor(m, 32, [&](int m0, int m1) {
    std::vector<float> cols;
    const int step = pointwise ? m1 - m0 : kIm2colRows;
    if (!pointwise) cols.resize(static_cast<size_t>(step) * k);
    for (int mb = m0; mb < m1; mb += step) {
      const int rows = std::min(step, m1 - mb);
      const float* a = in + static_cast<size_t>(mb) * g.in_c;
      if (!pointwise) {
        Im2col(g, mb, rows, in, cols.data());
        a = cols.data();
      }
      const Eigen::Map<const RowMatrix> am(a, rows, k);
      Eigen::Map<RowMatrix> om(out + static_cast<size_t>(mb) * g.out_c, rows, g.out_c);
      om.noalias() = am * w;
      for (int r = 0; r < rows; ++r)
        BiasAct(om.data() + static_cast<size_t>(r) * g.out_c, bias, g.out_c, act);
    }
  });
}

void DepthwiseConv2d(const ConvGeometry& g, int multiplier, const float* in, const float* weights,
                     const float* bias, ActRange act, float* out, ThreadPool& pool) {
  const int c_out = g.out_c;
  if (multiplier == 1 && g.stride_w == 1 && g.dil_w == 1 && c_out < kRowwiseMaxChannels) {
    DepthwiseRowwise(g, in, weights, bias, act, out, pool);
    return;
  }
  pool.ParallelFor(g.out_h, 1, [&](int y0, int y1) {
    for (int oy = y0; oy < y1; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        float* __restrict o = out + (static_cast<size_t>(oy) * g.out_w + ox) * c_out;
        std::memcpy(o, bias, sizeof(float) * c_out);
        for (int ky = 0; ky < g.k_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.k_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
            if (ix < 0 || ix >= g.in_w) continue;
            const float* __restrict ip = in + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
            const float* __restrict wp = weights + static_cast<size_t>(ky * g.k_w + kx) * c_out;
            if (multiplier == 1) {
              for (int c = 0; c < c_out; ++c) o[c] += ip[c] * wp[c];
            } else {
              for (int c = 0; c < c_out; ++c) o[c] += ip[c / multiplier] * wp[c];
            }
          }
        }
        Clamp(o, c_out, act);
      }
    }
  });
}

void MaxPool2d(const PoolGeometry& g, const float* in, ActRange act, float* out) {
  for (int oy = 0; oy < g.out_h; ++oy) {
    for (int ox = 0; ox < g.out_w; ++ox) {
      float* o = out + (static_cast<size_t>(oy) * g.out_w + ox) * g.c;
      std::fill(o, o + g.c, -INFINITY);
      // Padded positions are skipped, not treated as zeros (TFLite semantics).
      for (int ky = 0; ky < g.k_h; ++ky) {
        const int iy = oy * g.stride_h - g.pad_top + ky;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int kx = 0; kx < g.k_w; ++kx) {
          const int ix = ox * g.stride_w - g.pad_left + kx;
          if (ix < 0 || ix >= g.in_w) continue;
          const float* ip = in + (static_cast<size_t>(iy) * g.in_w + ix) * g.c;
          for (int c = 0; c < g.c; ++c) o[c] = std::max(o[c], ip[c]);
        }
      }
      Clamp(o, g.c, act);
    }
  }
}

void Add(const std::vector<int>& a_shape, const float* a, const std::vector<int>& b_shape,
         const float* b, const std::vector<int>& out_shape, ActRange act, float* out,
         ThreadPool& pool) {
  std::int64_t n = 1;
  for (int d : out_shape) n *= d;
  if (a_shape == b_shape) {
    pool.ParallelFor(static_cast<int>(n), 4096, [&](int i0, int i1) {
      for (int i = i0; i < i1; ++i) out[i] = std::clamp(a[i] + b[i], act.lo, act.hi);
    });
    return;
  }
  // General broadcasting: walk the output with a multi-index; a size-1 input axis has stride 0.
  const int rank = static_cast<int>(out_shape.size());
  std::vector<std::int64_t> sa(rank), sb(rank);
  std::int64_t stride_a = 1, stride_b = 1;
  for (int d = rank - 1; d >= 0; --d) {
    sa[d] = a_shape[d] == 1 ? 0 : stride_a;
    sb[d] = b_shape[d] == 1 ? 0 : stride_b;
    stride_a *= a_shape[d];
    stride_b *= b_shape[d];
  }
  std::vector<int> idx(rank, 0);
  for (std::int64_t i = 0; i < n; ++i) {
    std::int64_t ia = 0, ib = 0;
    for (int d = 0; d < rank; ++d) {
      ia += idx[d] * sa[d];
      ib += idx[d] * sb[d];
    }
    out[i] = std::clamp(a[ia] + b[ib], act.lo, act.hi);
    for (int d = rank - 1; d >= 0; --d) {
      if (++idx[d] < out_shape[d]) break;
      idx[d] = 0;
    }
  }
}

void Pad(const std::vector<int>& in_shape, const float* in, const std::vector<int>& pads,
         float* out) {
  const int rank = static_cast<int>(in_shape.size());
  std::vector<std::int64_t> out_stride(rank, 1);
  std::int64_t out_n = 1;
  for (int d = rank - 1; d >= 0; --d) {
    out_stride[d] = out_n;
    out_n *= in_shape[d] + pads[2 * d] + pads[2 * d + 1];
  }
  std::fill(out, out + out_n, 0.0f);
  if (rank == 0) return;
  const int inner = in_shape[rank - 1];
  std::int64_t rows = 1;
  for (int d = 0; d + 1 < rank; ++d) rows *= in_shape[d];
  std::vector<int> idx(rank, 0);
  for (std::int64_t r = 0; r < rows; ++r) {
    std::int64_t o = pads[2 * (rank - 1)];
    for (int d = 0; d + 1 < rank; ++d) o += (idx[d] + pads[2 * d]) * out_stride[d];
    std::memcpy(out + o, in + r * inner, sizeof(float) * inner);
    for (int d = rank - 2; d >= 0; --d) {
      if (++idx[d] < in_shape[d]) break;
      idx[d] = 0;
    }
  }
}

std::vector<ResizeTap> ResizeTaps(int n_out, int n_in, bool align_corners,
                                  bool half_pixel_centers) {
  // TFLite's mapping: scale = in/out (or (in-1)/(out-1) with align_corners); the source
  // coordinate is y*scale, or (y+0.5)*scale-0.5 with half-pixel centres; neighbours are clamped
  // to the image and the fraction is taken from the unclamped coordinate.
  const float s = align_corners && n_out > 1
                      ? static_cast<float>(n_in - 1) / static_cast<float>(n_out - 1)
                      : static_cast<float>(n_in) / static_cast<float>(n_out);
  std::vector<ResizeTap> t(n_out);
  for (int i = 0; i < n_out; ++i) {
    const float v =
        half_pixel_centers ? (static_cast<float>(i) + 0.5f) * s - 0.5f : static_cast<float>(i) * s;
    const float fl = std::floor(v);
    t[i] = {std::max(static_cast<int>(fl), 0), std::min(static_cast<int>(std::ceil(v)), n_in - 1),
            v - fl};
  }
  return t;
}

void ResizeBilinear(int batch, int in_h, int in_w, int c, int out_h, int out_w, bool align_corners,
                    bool half_pixel_centers, const float* in, float* out) {
  const std::vector<ResizeTap> ty = ResizeTaps(out_h, in_h, align_corners, half_pixel_centers);
  const std::vector<ResizeTap> tx = ResizeTaps(out_w, in_w, align_corners, half_pixel_centers);
  for (int b = 0; b < batch; ++b) {
    const float* src = in + static_cast<size_t>(b) * in_h * in_w * c;
    for (int y = 0; y < out_h; ++y) {
      const float* r0 = src + static_cast<size_t>(ty[y].lo) * in_w * c;
      const float* r1 = src + static_cast<size_t>(ty[y].hi) * in_w * c;
      const float fy = ty[y].frac;
      for (int x = 0; x < out_w; ++x) {
        const float fx = tx[x].frac;
        const float* p00 = r0 + static_cast<size_t>(tx[x].lo) * c;
        const float* p01 = r0 + static_cast<size_t>(tx[x].hi) * c;
        const float* p10 = r1 + static_cast<size_t>(tx[x].lo) * c;
        const float* p11 = r1 + static_cast<size_t>(tx[x].hi) * c;
        float* o = out + ((static_cast<size_t>(b) * out_h + y) * out_w + x) * c;
        for (int k = 0; k < c; ++k) {
          o[k] = p00[k] * (1 - fy) * (1 - fx) + p10[k] * fy * (1 - fx) + p01[k] * (1 - fy) * fx +
                 p11[k] * fy * fx;
        }
      }
    }
  }
}

void DepthToSpace(int batch, int in_h, int in_w, int in_c, int block, const float* in, float* out) {
  const int out_c = in_c / (block * block);
  const int out_w = in_w * block;
  for (int b = 0; b < batch; ++b) {
    for (int y = 0; y < in_h; ++y) {
      for (int x = 0; x < in_w; ++x) {
        const float* ip = in + ((static_cast<size_t>(b) * in_h + y) * in_w + x) * in_c;
        for (int dy = 0; dy < block; ++dy) {
          for (int dx = 0; dx < block; ++dx) {
            float* op = out + ((static_cast<size_t>(b) * in_h * block + y * block + dy) * out_w +
                               x * block + dx) *
                                  out_c;
            std::memcpy(op, ip + (dy * block + dx) * out_c, sizeof(float) * out_c);
          }
        }
      }
    }
  }
}

void Concatenate(const std::vector<std::vector<int>>& shapes, const std::vector<const float*>& ins,
                 int axis, ActRange act, float* out) {
  std::int64_t outer = 1;
  for (int d = 0; d < axis; ++d) outer *= shapes[0][d];
  std::vector<std::int64_t> inner(shapes.size(), 1);
  for (size_t i = 0; i < shapes.size(); ++i) {
    for (size_t d = axis; d < shapes[i].size(); ++d) inner[i] *= shapes[i][d];
  }
  float* o = out;
  for (std::int64_t r = 0; r < outer; ++r) {
    for (size_t i = 0; i < shapes.size(); ++i) {
      const float* src = ins[i] + r * inner[i];
      for (std::int64_t k = 0; k < inner[i]; ++k) *o++ = std::clamp(src[k], act.lo, act.hi);
    }
  }
}

void Logistic(std::int64_t n, const float* in, float* out) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = 1.0f / (1.0f + std::exp(-in[i]));
}

float HalfToFloat(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const int exponent = (h >> 10) & 0x1f;
  const std::uint32_t mantissa = h & 0x3ffu;
  float value;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);  // zero or subnormal
  } else if (exponent == 31) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else {
    value = std::ldexp(static_cast<float>(mantissa | 0x400u), exponent - 25);
  }
  std::uint32_t bits;
  std::memcpy(&bits, &value, 4);
  bits |= sign;
  std::memcpy(&value, &bits, 4);
  return value;
}

}  // namespace monokin::infer::detail
