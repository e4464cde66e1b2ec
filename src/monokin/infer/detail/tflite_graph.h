// SPDX-License-Identifier: Apache-2.0
// The parsed form of a .tflite file: tensors, constant data and operators of subgraph 0, read
// with the bounds-checked FlatBuffer reader. Field numbers follow TFLite's schema.fbs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "monokin/core/status.h"

namespace monokin::infer::detail {

// TFLite TensorType values used here.
enum TfType : int { kTfFloat32 = 0, kTfFloat16 = 1, kTfInt32 = 2, kTfInt64 = 4 };

// TFLite BuiltinOperator codes implemented here.
enum TfOp : int {
  kOpAdd = 0,
  kOpConcatenation = 2,
  kOpConv2d = 3,
  kOpDepthwiseConv2d = 4,
  kOpDepthToSpace = 5,
  kOpDequantize = 6,
  kOpLogistic = 14,
  kOpMaxPool2d = 17,
  kOpReshape = 22,
  kOpResizeBilinear = 23,
  kOpPad = 34,
  kOpDensify = 124,
};

// Name of a TFLite builtin operator code ("CONV_2D"), or "BUILTIN_<n>" if unknown here.
std::string BuiltinOpName(int code);

enum class Activation : std::uint8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3 };

struct SparseDim {
  bool sparse = false;  // SPARSE_CSR, else DENSE
  int dense_size = 0;
  std::vector<int> segments, indices;  // CSR arrays (sparse only)
};

struct Sparsity {
  std::vector<int> traversal_order, block_map;
  std::vector<SparseDim> dims;
};

struct GraphTensor {
  std::string name;
  std::vector<int> shape;
  int type = kTfFloat32;
  // Constant contents (empty for activations): a view into the bytes given to ParseTflite, valid
  // as long as they are.
  std::span<const std::uint8_t> data;
  bool has_sparsity = false;
  Sparsity sparsity;
};

struct OpOptions {
  int padding = 0;  // 0 SAME, 1 VALID
  int stride_w = 1, stride_h = 1, dilation_w = 1, dilation_h = 1;
  int depth_multiplier = 1;
  int filter_w = 1, filter_h = 1;
  int activation = 0;  // raw ActivationFunctionType; checked by the executor
  int axis = 0;
  bool align_corners = false, half_pixel_centers = false;
  int block_size = 0;
};

struct GraphOp {
  int code = -1;
  std::string custom_code;
  std::vector<int> inputs, outputs;  // tensor indices, -1 = optional input absent
  OpOptions options;
};

struct Graph {
  std::vector<GraphTensor> tensors;
  std::vector<GraphOp> ops;
  std::vector<int> inputs, outputs;
};

// Parses `bytes` (a whole .tflite file). kUnsupported with the reason for anything malformed:
// bad offsets, indices out of range, shapes too large, more than one subgraph.
Result<Graph> ParseTflite(std::span<const std::uint8_t> bytes);

}  // namespace monokin::infer::detail
