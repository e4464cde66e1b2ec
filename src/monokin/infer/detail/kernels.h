// SPDX-License-Identifier: Apache-2.0
// Float32 NHWC kernels for the TFLite operators monokin runs. Shapes are checked by the caller
// (the executor validates every operator at load time); these functions trust their arguments.
#pragma once

#include <cstdint>
#include <vector>

#include "monokin/infer/detail/thread_pool.h"

namespace monokin::infer::detail {

// Clamp range of a fused activation (NONE is +-infinity).
struct ActRange {
  float lo, hi;
};

// Output size and leading pad of a window op along one axis (TFLite SAME / VALID rules).
struct WindowAxis {
  int out = 0, pad_before = 0;
};
WindowAxis ComputeWindow(int in, int kernel, int stride, int dilation, bool same_padding);

struct ConvGeometry {
  int in_h, in_w, in_c, out_h, out_w, out_c;
  int k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
};

// Rows [row0, row0+rows) of the im2col matrix ([out_h*out_w][k_h*k_w*in_c], zeros for padding).
void Im2col(const ConvGeometry& g, int row0, int rows, const float* in, float* cols);

// Conv2D with weights pre-arranged as [k_h*k_w*in_c][out_c] (row-major) and bias [out_c].
void Conv2d(const ConvGeometry& g, const float* in, const float* weights_kxc, const float* bias,
            ActRange act, float* out, ThreadPool& pool);

// Depthwise conv, weights [k_h][k_w][out_c], out_c = in_c * multiplier.
void DepthwiseConv2d(const ConvGeometry& g, int multiplier, const float* in, const float* weights,
                     const float* bias, ActRange act, float* out, ThreadPool& pool);

struct PoolGeometry {
  int in_h, in_w, c, out_h, out_w, k_h, k_w, stride_h, stride_w, pad_top, pad_left;
};
void MaxPool2d(const PoolGeometry& g, const float* in, ActRange act, float* out);

// out = act(a + b) with NumPy broadcasting; shapes already padded to the same rank.
void Add(const std::vector<int>& a_shape, const float* a, const std::vector<int>& b_shape,
         const float* b, const std::vector<int>& out_shape, ActRange act, float* out,
         ThreadPool& pool);

// Zero padding; `pads` holds (before, after) per dimension.
void Pad(const std::vector<int>& in_shape, const float* in, const std::vector<int>& pads,
         float* out);

// Source rows (or columns) of RESIZE_BILINEAR output positions: neighbours lo/hi and the weight
// of hi (TFLite's mapping, see ResizeBilinear).
struct ResizeTap {
  int lo, hi;
  float frac;
};
std::vector<ResizeTap> ResizeTaps(int n_out, int n_in, bool align_corners, bool half_pixel_centers);

void ResizeBilinear(int batch, int in_h, int in_w, int c, int out_h, int out_w, bool align_corners,
                    bool half_pixel_centers, const float* in, float* out);

void DepthToSpace(int batch, int in_h, int in_w, int in_c, int block, const float* in, float* out);

// Concatenation along `axis` of inputs whose shapes agree elsewhere.
void Concatenate(const std::vector<std::vector<int>>& shapes, const std::vector<const float*>& ins,
                 int axis, ActRange act, float* out);

void Logistic(std::int64_t n, const float* in, float* out);

float HalfToFloat(std::uint16_t h);

}  // namespace monokin::infer::detail
