// SPDX-License-Identifier: Apache-2.0
#include "monokin/infer/detail/tflite_graph.h"

#include <fmt/format.h>

#include "monokin/infer/detail/flatbuffer.h"

namespace monokin::infer::detail {
namespace {

// Field indices (declaration order) of the schema.fbs tables we read.
namespace model_f {
constexpr int kOperatorCodes = 1, kSubgraphs = 2, kBuffers = 4;
}
namespace subgraph_f {
constexpr int kTensors = 0, kInputs = 1, kOutputs = 2, kOperators = 3;
}
namespace tensor_f {
constexpr int kShape = 0, kType = 1, kBuffer = 2, kName = 3, kSparsity = 6;
}
namespace opcode_f {
constexpr int kDeprecatedBuiltin = 0, kCustom = 1, kBuiltin = 3;
}
namespace op_f {
constexpr int kOpcodeIndex = 0, kInputs = 1, kOutputs = 2, kOptions = 4;
}
namespace sparsity_f {
constexpr int kTraversalOrder = 0, kBlockMap = 1, kDimMetadata = 2;
}
namespace dim_f {
constexpr int kFormat = 0, kDenseSize = 1, kSegmentsType = 2, kSegments = 3, kIndicesType = 4,
              kIndices = 5;
}

// Limits that keep a hostile file from asking for absurd allocations.
constexpr std::int64_t kMaxTensorElements = std::int64_t{1} << 28;
constexpr int kMaxRank = 6;

std::vector<int> IntVector(FlatBuffer& fb, const FlatBuffer::Table& t, int field) {
  const FlatBuffer::Vector v = fb.GetVector(t, field, 4);
  std::vector<int> out;
  if (!fb.ok()) return out;
  out.reserve(v.size);
  for (std::uint32_t i = 0; i < v.size; ++i) out.push_back(fb.At<std::int32_t>(v, i));
  return out;
}

// A SparseIndexVector union: 1 Int32Vector, 2 Uint16Vector, 3 Uint8Vector; each a table whose
// field 0 is `values`.
std::vector<int> IndexVector(FlatBuffer& fb, const FlatBuffer::Table& dim, int type_field,
                             int value_field) {
  const int type = fb.Scalar<std::uint8_t>(dim, type_field, 0);
  const FlatBuffer::Table t = fb.SubTable(dim, value_field);
  std::vector<int> out;
  if (!t.valid) return out;
  const std::uint32_t elem = type == 1 ? 4 : type == 2 ? 2 : type == 3 ? 1 : 0;
  if (elem == 0) {
    fb.Fail(fmt::format("sparse index vector has unknown type {}", type));
    return out;
  }
  const FlatBuffer::Vector v = fb.GetVector(t, 0, elem);
  if (!fb.ok()) return out;
  out.reserve(v.size);
  for (std::uint32_t i = 0; i < v.size; ++i) {
    if (elem == 4) out.push_back(fb.At<std::int32_t>(v, i));
    if (elem == 2) out.push_back(fb.At<std::uint16_t>(v, i));
    if (elem == 1) out.push_back(fb.At<std::uint8_t>(v, i));
  }
  return out;
}

void ReadSparsity(FlatBuffer& fb, const FlatBuffer::Table& s, Sparsity& out) {
  out.traversal_order = IntVector(fb, s, sparsity_f::kTraversalOrder);
  out.block_map = IntVector(fb, s, sparsity_f::kBlockMap);
  const FlatBuffer::Vector dims = fb.GetVector(s, sparsity_f::kDimMetadata, 4);
  for (std::uint32_t i = 0; fb.ok() && i < dims.size && i < 16; ++i) {
    const FlatBuffer::Table d = fb.TableIn(dims, i);
    SparseDim dim;
    dim.sparse = fb.Scalar<std::int8_t>(d, dim_f::kFormat, 0) == 1;
    dim.dense_size = fb.Scalar<std::int32_t>(d, dim_f::kDenseSize, 0);
    if (dim.sparse) {
      dim.segments = IndexVector(fb, d, dim_f::kSegmentsType, dim_f::kSegments);
      dim.indices = IndexVector(fb, d, dim_f::kIndicesType, dim_f::kIndices);
    }
    out.dims.push_back(std::move(dim));
  }
}

OpOptions ReadOptions(FlatBuffer& fb, const FlatBuffer::Table& t, int code) {
  OpOptions o;
  if (!t.valid) return o;
  switch (code) {
    case kOpConv2d:  // Conv2DOptions
      o.padding = fb.Scalar<std::int8_t>(t, 0, 0);
      o.stride_w = fb.Scalar<std::int32_t>(t, 1, 0);
      o.stride_h = fb.Scalar<std::int32_t>(t, 2, 0);
      o.activation = fb.Scalar<std::int8_t>(t, 3, 0);
      o.dilation_w = fb.Scalar<std::int32_t>(t, 4, 1);
      o.dilation_h = fb.Scalar<std::int32_t>(t, 5, 1);
      break;
    case kOpDepthwiseConv2d:  // DepthwiseConv2DOptions
      o.padding = fb.Scalar<std::int8_t>(t, 0, 0);
      o.stride_w = fb.Scalar<std::int32_t>(t, 1, 0);
      o.stride_h = fb.Scalar<std::int32_t>(t, 2, 0);
      o.depth_multiplier = fb.Scalar<std::int32_t>(t, 3, 0);
      o.activation = fb.Scalar<std::int8_t>(t, 4, 0);
      o.dilation_w = fb.Scalar<std::int32_t>(t, 5, 1);
      o.dilation_h = fb.Scalar<std::int32_t>(t, 6, 1);
      break;
    case kOpMaxPool2d:  // Pool2DOptions
      o.padding = fb.Scalar<std::int8_t>(t, 0, 0);
      o.stride_w = fb.Scalar<std::int32_t>(t, 1, 0);
      o.stride_h = fb.Scalar<std::int32_t>(t, 2, 0);
      o.filter_w = fb.Scalar<std::int32_t>(t, 3, 0);
      o.filter_h = fb.Scalar<std::int32_t>(t, 4, 0);
      o.activation = fb.Scalar<std::int8_t>(t, 5, 0);
      break;
    case kOpConcatenation:  // ConcatenationOptions
      o.axis = fb.Scalar<std::int32_t>(t, 0, 0);
      o.activation = fb.Scalar<std::int8_t>(t, 1, 0);
      break;
    case kOpAdd:  // AddOptions
      o.activation = fb.Scalar<std::int8_t>(t, 0, 0);
      break;
    case kOpResizeBilinear:  // ResizeBilinearOptions (fields 0, 1 deprecated)
      o.align_corners = fb.Scalar<std::uint8_t>(t, 2, 0) != 0;
      o.half_pixel_centers = fb.Scalar<std::uint8_t>(t, 3, 0) != 0;
      break;
    case kOpDepthToSpace:  // DepthToSpaceOptions
      o.block_size = fb.Scalar<std::int32_t>(t, 0, 0);
      break;
    default:
      break;
  }
  return o;
}

}  // namespace

std::string BuiltinOpName(int code) {
  // The operators a pose model might plausibly contain; the rest are reported by number.
  static const std::pair<int, const char*> kNames[] = {
      {0, "ADD"},
      {1, "AVERAGE_POOL_2D"},
      {2, "CONCATENATION"},
      {3, "CONV_2D"},
      {4, "DEPTHWISE_CONV_2D"},
      {5, "DEPTH_TO_SPACE"},
      {6, "DEQUANTIZE"},
      {9, "FULLY_CONNECTED"},
      {14, "LOGISTIC"},
      {17, "MAX_POOL_2D"},
      {18, "MUL"},
      {19, "RELU"},
      {21, "RELU6"},
      {22, "RESHAPE"},
      {23, "RESIZE_BILINEAR"},
      {25, "SOFTMAX"},
      {28, "TANH"},
      {32, "CUSTOM"},
      {34, "PAD"},
      {39, "TRANSPOSE"},
      {40, "MEAN"},
      {41, "SUB"},
      {42, "DIV"},
      {45, "STRIDED_SLICE"},
      {54, "PRELU"},
      {60, "PADV2"},
      {67, "TRANSPOSE_CONV"},
      {97, "RESIZE_NEAREST_NEIGHBOR"},
      {117, "HARD_SWISH"},
      {124, "DENSIFY"},
      {126, "BATCH_MATMUL"},
  };
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return fmt::format("BUILTIN_{}", code);
}

Result<Graph> ParseTflite(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8 || std::memcmp(bytes.data() + 4, "TFL3", 4) != 0) {
    return Unsupported("not a TFLite model (no 'TFL3' FlatBuffer identifier)");
  }
  FlatBuffer fb(bytes);
  Graph g;
  const FlatBuffer::Table model = fb.Root();

  // Operator codes.
  std::vector<int> codes;
  std::vector<std::string> custom_codes;
  const FlatBuffer::Vector opcodes = fb.GetVector(model, model_f::kOperatorCodes, 4);
  for (std::uint32_t i = 0; fb.ok() && i < opcodes.size; ++i) {
    const FlatBuffer::Table oc = fb.TableIn(opcodes, i);
    const int deprecated = fb.Scalar<std::int8_t>(oc, opcode_f::kDeprecatedBuiltin, 0);
    const int builtin = fb.Scalar<std::int32_t>(oc, opcode_f::kBuiltin, 0);
    // The wider field is authoritative when set; older files only fill the byte.
    codes.push_back(std::max(deprecated, builtin));
    custom_codes.push_back(fb.String(oc, opcode_f::kCustom));
  }

  // Buffers: views into `bytes` (copied by the executor into the layout it wants).
  std::vector<std::span<const std::uint8_t>> buffers;
  const FlatBuffer::Vector bufs = fb.GetVector(model, model_f::kBuffers, 4);
  for (std::uint32_t i = 0; fb.ok() && i < bufs.size; ++i) {
    buffers.push_back(fb.Bytes(fb.TableIn(bufs, i), 0));
  }

  const FlatBuffer::Vector subgraphs = fb.GetVector(model, model_f::kSubgraphs, 4);
  if (fb.ok() && subgraphs.size != 1) {
    return Unsupported(fmt::format("expected 1 subgraph in the model, found {}", subgraphs.size));
  }
  const FlatBuffer::Table sg = fb.TableIn(subgraphs, 0);

  const FlatBuffer::Vector tensors = fb.GetVector(sg, subgraph_f::kTensors, 4);
  for (std::uint32_t i = 0; fb.ok() && i < tensors.size; ++i) {
    const FlatBuffer::Table t = fb.TableIn(tensors, i);
    GraphTensor gt;
    gt.shape = IntVector(fb, t, tensor_f::kShape);
    gt.type = fb.Scalar<std::int8_t>(t, tensor_f::kType, 0);
    gt.name = fb.String(t, tensor_f::kName);
    const std::uint32_t buffer = fb.Scalar<std::uint32_t>(t, tensor_f::kBuffer, 0);
    const FlatBuffer::Table sp = fb.SubTable(t, tensor_f::kSparsity);
    if (!fb.ok()) break;
    if (gt.shape.size() > kMaxRank) {
      return Unsupported(fmt::format("tensor {} '{}' has rank {} (max {})", i, gt.name,
                                     gt.shape.size(), kMaxRank));
    }
    std::int64_t n = 1;
    for (int d : gt.shape) {
      if (d < 0) return Unsupported(fmt::format("tensor '{}' has a negative dimension", gt.name));
      n *= std::max(d, 1);
      if (n > kMaxTensorElements) {
        return Unsupported(fmt::format("tensor '{}' is too large", gt.name));
      }
    }
    if (buffer >= buffers.size() && buffer != 0) {
      return Unsupported(
          fmt::format("tensor '{}' refers to buffer {} of {}", gt.name, buffer, buffers.size()));
    }
    if (buffer < buffers.size()) {
      gt.data = buffers[buffer];
    }
    if (sp.valid) {
      gt.has_sparsity = true;
      ReadSparsity(fb, sp, gt.sparsity);
    }
    g.tensors.push_back(std::move(gt));
  }
  const int num_tensors = static_cast<int>(g.tensors.size());
  auto check_indices = [&](const std::vector<int>& idx, bool allow_absent, const char* what) {
    for (int k : idx) {
      if (k >= num_tensors || k < (allow_absent ? -1 : 0)) {
        fb.Fail(fmt::format("{} refers to tensor {} of {}", what, k, num_tensors));
      }
    }
  };
  g.inputs = IntVector(fb, sg, subgraph_f::kInputs);
  g.outputs = IntVector(fb, sg, subgraph_f::kOutputs);
  check_indices(g.inputs, false, "subgraph input");
  check_indices(g.outputs, false, "subgraph output");

  const FlatBuffer::Vector ops = fb.GetVector(sg, subgraph_f::kOperators, 4);
  for (std::uint32_t i = 0; fb.ok() && i < ops.size; ++i) {
    const FlatBuffer::Table o = fb.TableIn(ops, i);
    GraphOp op;
    const std::uint32_t opcode_index = fb.Scalar<std::uint32_t>(o, op_f::kOpcodeIndex, 0);
    if (opcode_index >= codes.size()) {
      fb.Fail(fmt::format("operator {} uses opcode {} of {}", i, opcode_index, codes.size()));
      break;
    }
    op.code = codes[opcode_index];
    op.custom_code = custom_codes[opcode_index];
    op.inputs = IntVector(fb, o, op_f::kInputs);
    op.outputs = IntVector(fb, o, op_f::kOutputs);
    check_indices(op.inputs, true, "operator input");
    check_indices(op.outputs, false, "operator output");
    op.options = ReadOptions(fb, fb.SubTable(o, op_f::kOptions), op.code);
    g.ops.push_back(std::move(op));
  }
  if (!fb.ok()) return Unsupported("malformed TFLite file: " + fb.error());
  return g;
}

}  // namespace monokin::infer::detail
