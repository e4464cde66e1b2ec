// SPDX-License-Identifier: Apache-2.0
// TFLite executor: folds the constant DENSIFY / DEQUANTIZE chains into fp32 weights, checks
// every operator's shapes and options against what it computes, plans activation memory by
// liveness, and turns each operator into a closure over fixed buffers.
#include "monokin/infer/detail/tflite_model.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>

#include "monokin/infer/detail/densify.h"
#include "monokin/infer/detail/fast_kernels.h"
#include "monokin/infer/detail/kernels.h"
#include "monokin/infer/detail/tflite_graph.h"
#include "monokin/infer/detail/thread_pool.h"
#include "monokin/infer/model.h"

namespace monokin::infer {
namespace detail {
namespace {

// Upper bound on the activation memory a model may ask for (floats): 1 GiB.
constexpr std::int64_t kMaxArenaFloats = std::int64_t{1} << 28;

struct Value {
  std::string name;
  std::vector<int> shape;
  std::int64_t size = 1;
  int type = kTfFloat32;
  bool is_const = false;
  std::vector<float> f;           // constant fp32 data
  std::vector<std::int32_t> i32;  // constant int32 data
  std::vector<std::uint8_t> raw;  // constant data of other types (fp16), before folding
  const GraphTensor* tensor = nullptr;
  int slot = -1;      // activation buffer
  int last_use = -1;  // index of the last runtime op reading it
};

std::string ShapeStr(const std::vector<int>& s) { return fmt::format("[{}]", fmt::join(s, ",")); }

std::int64_t NumElements(const std::vector<int>& s) {
  std::int64_t n = 1;
  for (int d : s) n *= d;
  return n;
}

Result<ActRange> ActivationRange(int act) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (act) {
    case 0:
      return ActRange{-kInf, kInf};
    case 1:
      return ActRange{0.0f, kInf};
    case 2:
      return ActRange{-1.0f, 1.0f};
    case 3:
      return ActRange{0.0f, 6.0f};
    default:
      return Unsupported(fmt::format("fused activation {} is not supported", act));
  }
}

// A PAD in front of a convolution, folded into the convolution's own zero padding.
struct FusedPad {
  int top = 0, bottom = 0, left = 0, right = 0;
};

class TfliteModel final : public Model {
 public:
  TfliteModel(const ModelOptions& options, std::string label)
      : label_(std::move(label)), pool_(std::max(1, options.threads)) {}

  const std::vector<TensorSpec>& inputs() const override { return input_specs_; }
  const std::vector<TensorSpec>& outputs() const override { return output_specs_; }
  std::int64_t multiply_adds() const override { return macs_; }

  Result<std::vector<Tensor>> Run(std::span<const Tensor> inputs) override {
    if (inputs.size() != input_ids_.size()) {
      return InvalidArgument(fmt::format("{} expects {} input tensor(s), got {}", label_,
                                         input_ids_.size(), inputs.size()));
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Value& v = values_[input_ids_[i]];
      if (inputs[i].shape != v.shape ||
          static_cast<std::int64_t>(inputs[i].data.size()) != v.size) {
        return InvalidArgument(fmt::format(
            "input {} '{}' of {} must have shape {} ({} floats); got shape {} with {} floats", i,
            v.name, label_, ShapeStr(v.shape), v.size, ShapeStr(inputs[i].shape),
            inputs[i].data.size()));
      }
      std::copy(inputs[i].data.begin(), inputs[i].data.end(), Data(input_ids_[i]));
    }
    for (const auto& step : steps_) step();
    std::vector<Tensor> out;
    for (int id : output_ids_) {
      const Value& v = values_[id];
      const float* p = v.is_const ? v.f.data() : Data(id);
      out.push_back(Tensor{v.name, v.shape, std::vector<float>(p, p + v.size)});
    }
    return out;
  }

  Status Build(const Graph& g);

 private:
  float* Data(int id) { return slots_[values_[id].slot].data(); }
  const float* In(int id) { return values_[id].is_const ? values_[id].f.data() : Data(id); }

  Status Fail(int op_index, const GraphOp& op, const std::string& what) const {
    return Unsupported(
        fmt::format("{}: operator {} ({}): {}", label_, op_index, BuiltinOpName(op.code), what));
  }
  Status FoldConstant(int op_index, const GraphOp& op);
  // Checks the operator and returns the closure that runs it (buffers are bound later, so the
  // closure looks them up through `this`).
  // `pad`: spatial zero padding of a fused PAD whose input is op.inputs[0].
  Result<std::function<void()>> Prepare(int op_index, const GraphOp& op, const FusedPad& pad = {});
  // Whether PAD operator `pad_op` can be folded into `next` (its only reader, a convolution).
  bool CanFusePad(const GraphOp& pad_op, const GraphOp& next, FusedPad& pad) const;
  Status PlanMemory(const std::vector<std::vector<int>>& step_inputs,
                    const std::vector<std::vector<int>>& step_outputs);

  std::string label_;
  ThreadPool pool_;
  std::vector<Value> values_;
  std::vector<int> input_ids_, output_ids_;
  std::vector<TensorSpec> input_specs_, output_specs_;
  std::vector<std::function<void()>> steps_;
  std::vector<std::vector<float>> slots_;
  std::int64_t macs_ = 0;
};

Status TfliteModel::FoldConstant(int op_index, const GraphOp& op) {
  if (op.inputs.size() != 1 || op.outputs.size() != 1 || op.inputs[0] < 0) {
    return Fail(op_index, op, "expects one input and one output");
  }
  Value& in = values_[op.inputs[0]];
  Value& out = values_[op.outputs[0]];
  if (!in.is_const) return Fail(op_index, op, "only constant inputs are supported");
  if (in.shape != out.shape) return Fail(op_index, op, "input and output shapes differ");
  const int elem = in.type == kTfFloat32 ? 4 : in.type == kTfFloat16 ? 2 : 0;
  if (elem == 0) return Fail(op_index, op, fmt::format("tensor type {} is not supported", in.type));
  std::vector<std::uint8_t> bytes;
  if (in.type == kTfFloat32) {
    bytes.resize(in.f.size() * 4);
    std::memcpy(bytes.data(), in.f.data(), bytes.size());
  } else {
    bytes = in.raw;
  }
  if (op.code == kOpDensify) {
    if (in.tensor == nullptr || !in.tensor->has_sparsity) {
      return Fail(op_index, op, "input has no sparsity parameters");
    }
    auto dense = Densify(in.tensor->sparsity, in.shape, bytes, elem);
    if (!dense.ok()) return Fail(op_index, op, dense.status().message());
    bytes = std::move(*dense);
    if (out.type != in.type) return Fail(op_index, op, "output type differs from input type");
  } else if (out.type != kTfFloat32) {
    return Fail(op_index, op, "only fp16/fp32 -> fp32 is supported");
  }
  if (static_cast<std::int64_t>(bytes.size()) != out.size * elem) {
    return Fail(op_index, op, "constant data size does not match the shape");
  }
  out.is_const = true;
  if (out.type == kTfFloat16) {
    out.raw = std::move(bytes);
  } else {
    out.f.resize(out.size);
    if (elem == 4) {
      std::memcpy(out.f.data(), bytes.data(), bytes.size());
    } else {
      for (std::int64_t i = 0; i < out.size; ++i) {
        std::uint16_t h;
        std::memcpy(&h, bytes.data() + 2 * i, 2);
        out.f[i] = HalfToFloat(h);
      }
    }
  }
  return OkStatus();
}

bool TfliteModel::CanFusePad(const GraphOp& pad_op, const GraphOp& next, FusedPad& pad) const {
  if (next.code != kOpConv2d && next.code != kOpDepthwiseConv2d) return false;
  if (pad_op.inputs.size() != 2 || pad_op.outputs.size() != 1 || next.inputs.empty()) return false;
  const int x_id = pad_op.inputs[0], p_id = pad_op.inputs[1], out_id = pad_op.outputs[0];
  if (x_id < 0 || p_id < 0 || next.inputs[0] != out_id) return false;
  const Value& x = values_[x_id];
  const Value& p = values_[p_id];
  const Value& out = values_[out_id];
  if (x.is_const || x.type != kTfFloat32 || out.type != kTfFloat32 || x.shape.size() != 4) {
    return false;
  }
  if (!p.is_const || p.type != kTfInt32 || p.i32.size() != 8) return false;
  const std::vector<std::int32_t>& v = p.i32;
  if (v[0] != 0 || v[1] != 0 || v[6] != 0 || v[7] != 0) return false;  // spatial only
  for (int i = 2; i < 6; ++i) {
    if (v[i] < 0 || v[i] > (1 << 16)) return false;
  }
  if (out.shape != std::vector<int>{x.shape[0], x.shape[1] + v[2] + v[3], x.shape[2] + v[4] + v[5],
                                    x.shape[3]}) {
    return false;
  }
  pad = FusedPad{v[2], v[3], v[4], v[5]};
  return true;
}

Result<std::function<void()>> TfliteModel::Prepare(int op_index, const GraphOp& op,
                                                   const FusedPad& pad) {
  auto fail = [&](const std::string& what) { return Fail(op_index, op, what); };
  for (int id : op.inputs) {
    if (id >= 0 && values_[id].type != kTfFloat32 && values_[id].type != kTfInt32) {
      return fail(fmt::format("input '{}' has tensor type {}; only float32 is supported",
                              values_[id].name, values_[id].type));
    }
  }
  if (op.outputs.size() != 1) return fail("expects exactly one output");
  const int out_id = op.outputs[0];
  Value& out = values_[out_id];
  if (out.type != kTfFloat32) return fail("output must be float32");
  if (out.is_const) return fail("output tensor has constant data");
  auto need_inputs = [&](size_t lo, size_t hi) {
    return op.inputs.size() >= lo && op.inputs.size() <= hi && op.inputs[0] >= 0;
  };
  auto float_runtime = [&](int id) { return id >= 0 && values_[id].type == kTfFloat32; };
  auto check_out = [&](const std::vector<int>& expect) -> Status {
    if (expect != out.shape) {
      return fail(fmt::format("output '{}' is declared {} but the inputs give {}", out.name,
                              ShapeStr(out.shape), ShapeStr(expect)));
    }
    return OkStatus();
  };
  MK_ASSIGN_OR_RETURN(const ActRange act, ActivationRange(op.options.activation));
  const OpOptions& o = op.options;

  switch (op.code) {
    case kOpConv2d:
    case kOpDepthwiseConv2d: {
      const bool dw = op.code == kOpDepthwiseConv2d;
      if (!need_inputs(2, 3)) return fail("expects input, filter and optional bias");
      const Value& x = values_[op.inputs[0]];
      const Value& w = values_[op.inputs[1]];
      if (!float_runtime(op.inputs[0]) || x.shape.size() != 4)
        return fail("input must be 4-D float");
      if (!w.is_const || w.type != kTfFloat32 || w.shape.size() != 4) {
        return fail("filter must be a constant 4-D float tensor");
      }
      if (o.stride_h < 1 || o.stride_w < 1 || o.dilation_h < 1 || o.dilation_w < 1 ||
          o.stride_h > 64 || o.stride_w > 64 || o.dilation_h > 64 || o.dilation_w > 64) {
        return fail("strides and dilations must be between 1 and 64");
      }
      if (o.padding != 0 && o.padding != 1) return fail("unknown padding type");
      const int in_c = x.shape[3];
      const int out_c = dw ? w.shape[3] : w.shape[0];
      const int kh = w.shape[1], kw = w.shape[2];
      int multiplier = 1;
      if (dw) {
        if (w.shape[0] != 1 || in_c == 0 || out_c % in_c != 0) {
          return fail("depthwise filter must be [1,kh,kw,in_c*multiplier]");
        }
        multiplier = out_c / in_c;
        if (o.depth_multiplier != 0 && o.depth_multiplier != multiplier) {
          return fail("depth_multiplier does not match the filter");
        }
      } else if (w.shape[3] != in_c) {
        return fail(
            fmt::format("filter {} does not match input channels {}", ShapeStr(w.shape), in_c));
      }
      if (kh < 1 || kw < 1) return fail("empty filter");
      std::vector<float> bias(out_c, 0.0f);
      if (op.inputs.size() == 3 && op.inputs[2] >= 0) {
        const Value& b = values_[op.inputs[2]];
        if (!b.is_const || b.type != kTfFloat32 || b.size != out_c) {
          return fail("bias must be a constant float tensor of out_c values");
        }
        bias = b.f;
      }
      // With a fused PAD the window is laid over the padded input (pad.top + in_h + pad.bottom).
      const WindowAxis ay = ComputeWindow(x.shape[1] + pad.top + pad.bottom, kh, o.stride_h,
                                          o.dilation_h, o.padding == 0);
      const WindowAxis ax = ComputeWindow(x.shape[2] + pad.left + pad.right, kw, o.stride_w,
                                          o.dilation_w, o.padding == 0);
      MK_RETURN_IF_ERROR(check_out({x.shape[0], ay.out, ax.out, out_c}));
      if (x.shape[0] != 1) return fail("batch size must be 1");
      ConvGeometry geo{x.shape[1],
                       x.shape[2],
                       in_c,
                       ay.out,
                       ax.out,
                       out_c,
                       kh,
                       kw,
                       o.stride_h,
                       o.stride_w,
                       o.dilation_h,
                       o.dilation_w,
                       ay.pad_before + pad.top,
                       ax.pad_before + pad.left};
      const std::int64_t pixels = static_cast<std::int64_t>(ay.out) * ax.out;
      const int in_id = op.inputs[0];
      if (dw) {
        macs_ += pixels * out_c * kh * kw;
        if (DepthwiseFastApplies(geo, multiplier)) {
          return std::function<void()>(
              [this, geo, in_id, out_id, act, weights = w.f, bias = std::move(bias)] {
                DepthwiseConv2dFast(geo, In(in_id), weights.data(), bias.data(), act, Data(out_id),
                                    pool_);
              });
        }
        return std::function<void()>(
            [this, geo, multiplier, in_id, out_id, act, weights = w.f, bias = std::move(bias)] {
              DepthwiseConv2d(geo, multiplier, In(in_id), weights.data(), bias.data(), act,
                              Data(out_id), pool_);
            });
      }
      macs_ += pixels * out_c * kh * kw * in_c;
      const std::int64_t k = static_cast<std::int64_t>(kh) * kw * in_c;
      if (SmallConvApplies(geo)) {
        return std::function<void()>(
            [this, geo, in_id, out_id, act, weights = w.f, bias = std::move(bias)] {
              SmallConv2d(geo, In(in_id), weights.data(), bias.data(), act, Data(out_id), pool_);
            });
      }
      if (FastKernelsAvailable() && k <= std::numeric_limits<int>::max() / 64) {
        // The filter [out_c][kh*kw*in_c] is the GEMM's [n][k]; sparse only for 1x1 (the
        // detector's pruned pointwise convolutions).
        auto packed = std::make_shared<const PackedGemm>(
            PackGemmWeights(w.f.data(), bias.data(), out_c, static_cast<int>(k), IsPointwise(geo)));
        return std::function<void()>([this, geo, in_id, out_id, act, packed] {
          Conv2dPacked(geo, In(in_id), *packed, act, Data(out_id), pool_);
        });
      }
      // [out_c][kh*kw*in_c] -> [kh*kw*in_c][out_c], so output channels are contiguous in GEMM.
      std::vector<float> wt(static_cast<size_t>(k * out_c));
      for (int co = 0; co < out_c; ++co) {
        for (std::int64_t i = 0; i < k; ++i) wt[i * out_c + co] = w.f[co * k + i];
      }
      return std::function<void()>(
          [this, geo, in_id, out_id, act, weights = std::move(wt), bias = std::move(bias)] {
            Conv2d(geo, In(in_id), weights.data(), bias.data(), act, Data(out_id), pool_);
          });
    }
    case kOpAdd: {
      if (!need_inputs(2, 2) || op.inputs[1] < 0) return fail("expects two inputs");
      const int a_id = op.inputs[0], b_id = op.inputs[1];
      std::vector<int> as = values_[a_id].shape, bs = values_[b_id].shape;
      if (values_[a_id].type != kTfFloat32 || values_[b_id].type != kTfFloat32) {
        return fail("inputs must be float");
      }
      const size_t rank = std::max(as.size(), bs.size());
      as.insert(as.begin(), rank - as.size(), 1);
      bs.insert(bs.begin(), rank - bs.size(), 1);
      std::vector<int> os(rank);
      for (size_t d = 0; d < rank; ++d) {
        if (as[d] != bs[d] && as[d] != 1 && bs[d] != 1) {
          return fail(fmt::format("shapes {} and {} do not broadcast", ShapeStr(as), ShapeStr(bs)));
        }
        os[d] = as[d] == 1 ? bs[d] : as[d];
      }
      MK_RETURN_IF_ERROR(check_out(os));
      return std::function<void()>([this, as, bs, os, a_id, b_id, out_id, act] {
        Add(as, In(a_id), bs, In(b_id), os, act, Data(out_id), pool_);
      });
    }
    case kOpPad: {
      if (!need_inputs(2, 2) || op.inputs[1] < 0) return fail("expects input and paddings");
      const Value& x = values_[op.inputs[0]];
      const Value& p = values_[op.inputs[1]];
      const size_t rank = x.shape.size();
      if (!float_runtime(op.inputs[0])) return fail("input must be float");
      if (!p.is_const || p.type != kTfInt32 ||
          p.shape != std::vector<int>{static_cast<int>(rank), 2}) {
        return fail("paddings must be a constant int32 [rank,2] tensor");
      }
      std::vector<int> pads(p.i32.begin(), p.i32.end());
      std::vector<int> os(rank);
      for (size_t d = 0; d < rank; ++d) {
        if (pads[2 * d] < 0 || pads[2 * d + 1] < 0 || pads[2 * d] > (1 << 16) ||
            pads[2 * d + 1] > (1 << 16)) {
          return fail("paddings must be between 0 and 65536");
        }
        os[d] = x.shape[d] + pads[2 * d] + pads[2 * d + 1];
      }
      MK_RETURN_IF_ERROR(check_out(os));
      const int in_id = op.inputs[0];
      return std::function<void()>([this, shape = x.shape, pads, in_id, out_id] {
        Pad(shape, In(in_id), pads, Data(out_id));
      });
    }
    case kOpMaxPool2d: {
      if (!need_inputs(1, 1)) return fail("expects one input");
      const Value& x = values_[op.inputs[0]];
      if (!float_runtime(op.inputs[0]) || x.shape.size() != 4 || x.shape[0] != 1) {
        return fail("input must be 4-D float with batch 1");
      }
      if (o.filter_h < 1 || o.filter_w < 1 || o.stride_h < 1 || o.stride_w < 1 || o.filter_h > 64 ||
          o.filter_w > 64 || o.stride_h > 64 || o.stride_w > 64) {
        return fail("filter and strides must be between 1 and 64");
      }
      const WindowAxis ay = ComputeWindow(x.shape[1], o.filter_h, o.stride_h, 1, o.padding == 0);
      const WindowAxis ax = ComputeWindow(x.shape[2], o.filter_w, o.stride_w, 1, o.padding == 0);
      MK_RETURN_IF_ERROR(check_out({1, ay.out, ax.out, x.shape[3]}));
      PoolGeometry geo{x.shape[1], x.shape[2], x.shape[3], ay.out,        ax.out,       o.filter_h,
                       o.filter_w, o.stride_h, o.stride_w, ay.pad_before, ax.pad_before};
      const int in_id = op.inputs[0];
      return std::function<void()>(
          [this, geo, in_id, out_id, act] { MaxPool2d(geo, In(in_id), act, Data(out_id)); });
    }
    case kOpResizeBilinear: {
      if (!need_inputs(2, 2) || op.inputs[1] < 0) return fail("expects input and size");
      const Value& x = values_[op.inputs[0]];
      const Value& size = values_[op.inputs[1]];
      if (!float_runtime(op.inputs[0]) || x.shape.size() != 4)
        return fail("input must be 4-D float");
      if (!size.is_const || size.type != kTfInt32 || size.i32.size() != 2 || size.i32[0] < 1 ||
          size.i32[1] < 1) {
        return fail("size must be a constant int32 [2] tensor of positive values");
      }
      if (o.align_corners && o.half_pixel_centers) {
        return fail("align_corners and half_pixel_centers cannot both be set");
      }
      MK_RETURN_IF_ERROR(check_out({x.shape[0], size.i32[0], size.i32[1], x.shape[3]}));
      const int in_id = op.inputs[0];
      return std::function<void()>([this, s = x.shape, oh = size.i32[0], ow = size.i32[1],
                                    ac = o.align_corners, hp = o.half_pixel_centers, in_id,
                                    out_id] {
        if (FastKernelsAvailable() && s[3] % 8 == 0) {
          ResizeBilinearFast(s[0], s[1], s[2], s[3], oh, ow, ac, hp, In(in_id), Data(out_id),
                             pool_);
        } else {
          ResizeBilinear(s[0], s[1], s[2], s[3], oh, ow, ac, hp, In(in_id), Data(out_id));
        }
      });
    }
    case kOpReshape: {
      if (!need_inputs(1, 2)) return fail("expects input and optional shape");
      if (!float_runtime(op.inputs[0])) return fail("input must be float");
      // The declared output shape is authoritative; the element count must agree.
      if (NumElements(values_[op.inputs[0]].shape) != out.size) {
        return fail(fmt::format("cannot reshape {} to {}", ShapeStr(values_[op.inputs[0]].shape),
                                ShapeStr(out.shape)));
      }
      const int in_id = op.inputs[0];
      const std::int64_t n = out.size;
      return std::function<void()>(
          [this, in_id, out_id, n] { std::memcpy(Data(out_id), In(in_id), sizeof(float) * n); });
    }
    case kOpConcatenation: {
      if (op.inputs.empty() || op.inputs.size() > 64) return fail("expects 1 to 64 inputs");
      const std::vector<int>& s0 = values_[op.inputs[0] < 0 ? 0 : op.inputs[0]].shape;
      const int rank = static_cast<int>(s0.size());
      const int axis = o.axis < 0 ? o.axis + rank : o.axis;
      if (axis < 0 || axis >= rank) return fail(fmt::format("axis {} is out of range", o.axis));
      std::vector<std::vector<int>> shapes;
      std::vector<int> ids;
      std::vector<int> os = s0;
      os[axis] = 0;
      for (int id : op.inputs) {
        if (!float_runtime(id)) return fail("inputs must be float");
        const std::vector<int>& s = values_[id].shape;
        if (static_cast<int>(s.size()) != rank) return fail("inputs differ in rank");
        for (int d = 0; d < rank; ++d) {
          if (d != axis && s[d] != s0[d]) return fail("inputs differ off the concatenation axis");
        }
        os[axis] += s[axis];
        shapes.push_back(s);
        ids.push_back(id);
      }
      MK_RETURN_IF_ERROR(check_out(os));
      return std::function<void()>([this, shapes, ids, axis, out_id, act] {
        std::vector<const float*> ins;
        for (int id : ids) ins.push_back(In(id));
        Concatenate(shapes, ins, axis, act, Data(out_id));
      });
    }
    case kOpDepthToSpace: {
      if (!need_inputs(1, 1)) return fail("expects one input");
      const Value& x = values_[op.inputs[0]];
      const int b = o.block_size;
      if (!float_runtime(op.inputs[0]) || x.shape.size() != 4)
        return fail("input must be 4-D float");
      if (b < 1 || b > 64 || x.shape[3] % (b * b) != 0) {
        return fail(fmt::format("block size {} does not divide {} channels", b, x.shape[3]));
      }
      MK_RETURN_IF_ERROR(
          check_out({x.shape[0], x.shape[1] * b, x.shape[2] * b, x.shape[3] / (b * b)}));
      const int in_id = op.inputs[0];
      return std::function<void()>([this, s = x.shape, b, in_id, out_id] {
        DepthToSpace(s[0], s[1], s[2], s[3], b, In(in_id), Data(out_id));
      });
    }
    case kOpLogistic: {
      if (!need_inputs(1, 1) || !float_runtime(op.inputs[0]))
        return fail("expects one float input");
      MK_RETURN_IF_ERROR(check_out(values_[op.inputs[0]].shape));
      const int in_id = op.inputs[0];
      const std::int64_t n = out.size;
      return std::function<void()>(
          [this, in_id, out_id, n] { Logistic(n, In(in_id), Data(out_id)); });
    }
    default:
      break;
  }
  if (op.code == 32) {
    return Unsupported(
        fmt::format("{}: operator {} is the custom operator '{}', which monokin "
                    "does not implement",
                    label_, op_index, op.custom_code));
  }
  return Unsupported(fmt::format("{}: operator {} is {}, which monokin does not implement", label_,
                                 op_index, BuiltinOpName(op.code)));
}

Status TfliteModel::PlanMemory(const std::vector<std::vector<int>>& step_inputs,
                               const std::vector<std::vector<int>>& step_outputs) {
  const int steps = static_cast<int>(step_inputs.size());
  for (int s = 0; s < steps; ++s) {
    for (int id : step_inputs[s]) {
      if (id >= 0) values_[id].last_use = s;
    }
  }
  for (int id : output_ids_) values_[id].last_use = steps;  // outputs live to the end
  std::vector<std::int64_t> slot_size;
  std::vector<int> free_slots;
  auto allocate = [&](int id) {
    Value& v = values_[id];
    if (v.is_const || v.slot >= 0) return;
    // Best fit among free slots; otherwise grow the largest free one, or add a slot.
    int best = -1;
    for (int s : free_slots) {
      if (slot_size[s] >= v.size && (best < 0 || slot_size[s] < slot_size[best])) best = s;
    }
    if (best < 0 && !free_slots.empty()) {
      best = *std::max_element(free_slots.begin(), free_slots.end(),
                               [&](int a, int b) { return slot_size[a] < slot_size[b]; });
    }
    if (best < 0) {
      best = static_cast<int>(slot_size.size());
      slot_size.push_back(0);
    } else {
      free_slots.erase(std::find(free_slots.begin(), free_slots.end(), best));
    }
    slot_size[best] = std::max(slot_size[best], std::max<std::int64_t>(v.size, 1));
    v.slot = best;
  };
  auto release = [&](int id, int s) {
    Value& v = values_[id];
    if (v.is_const || v.slot < 0 || v.last_use > s) return;
    if (std::find(free_slots.begin(), free_slots.end(), v.slot) == free_slots.end()) {
      free_slots.push_back(v.slot);
    }
  };
  for (int id : input_ids_) allocate(id);
  for (int s = 0; s < steps; ++s) {
    for (int id : step_outputs[s]) allocate(id);
    for (int id : step_inputs[s]) {
      if (id >= 0) release(id, s);
    }
    // An output nobody reads is dead at once.
    for (int id : step_outputs[s]) release(id, s);
  }
  std::int64_t total = 0;
  for (std::int64_t n : slot_size) total += n;
  if (total > kMaxArenaFloats) {
    return Unsupported(fmt::format("{}: activations need {} MB, more than the {} MB limit", label_,
                                   total * 4 >> 20, kMaxArenaFloats * 4 >> 20));
  }
  slots_.clear();
  for (std::int64_t n : slot_size) slots_.emplace_back(static_cast<size_t>(n), 0.0f);
  return OkStatus();
}

Status TfliteModel::Build(const Graph& g) {
  values_.resize(g.tensors.size());
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const GraphTensor& t = g.tensors[i];
    Value& v = values_[i];
    v.name = t.name;
    v.shape = t.shape;
    v.type = t.type;
    v.size = NumElements(t.shape);
    v.tensor = &t;
    if (t.data.empty()) continue;
    v.is_const = true;
    const std::int64_t bytes = static_cast<std::int64_t>(t.data.size());
    if (t.has_sparsity) {
      v.raw.assign(t.data.begin(), t.data.end());  // expanded by its DENSIFY operator
    } else if (t.type == kTfFloat32 && bytes == v.size * 4) {
      v.f.resize(v.size);
      std::memcpy(v.f.data(), t.data.data(), bytes);
    } else if (t.type == kTfInt32 && bytes == v.size * 4) {
      v.i32.resize(v.size);
      std::memcpy(v.i32.data(), t.data.data(), bytes);
    } else if (t.type == kTfFloat16 && bytes == v.size * 2) {
      v.raw.assign(t.data.begin(), t.data.end());
    } else {
      return Unsupported(
          fmt::format("{}: constant tensor '{}' (type {}, shape {}) has {} bytes of "
                      "data, which does not match",
                      label_, t.name, t.type, ShapeStr(t.shape), bytes));
    }
  }
  auto spec = [&](int id) { return TensorSpec{values_[id].name, values_[id].shape}; };
  for (int id : g.inputs) {
    if (values_[id].is_const || values_[id].type != kTfFloat32) {
      return Unsupported(
          fmt::format("{}: input '{}' must be a float32 tensor", label_, values_[id].name));
    }
    input_ids_.push_back(id);
    input_specs_.push_back(spec(id));
  }
  // Constants read by one operator only are freed as soon as it has copied them.
  std::vector<int> uses(values_.size(), 0);
  for (const GraphOp& op : g.ops) {
    for (int id : op.inputs) {
      if (id >= 0 && id < static_cast<int>(uses.size())) ++uses[id];
    }
  }
  for (int id : g.outputs) {
    if (id >= 0 && id < static_cast<int>(uses.size())) ++uses[id];
  }
  auto free_if_single_use = [&](int id) {
    Value& v = values_[id];
    if (!v.is_const || uses[id] != 1) return;
    std::vector<float>().swap(v.f);
    std::vector<std::int32_t>().swap(v.i32);
    std::vector<std::uint8_t>().swap(v.raw);
  };
  std::vector<std::vector<int>> step_inputs, step_outputs;
  std::vector<bool> produced(values_.size(), false), read_at_run(values_.size(), false);
  for (int id : input_ids_) produced[id] = true;
  // PAD (spatial, zeros) whose only reader is a convolution: the convolution pads instead, and
  // the padded copy is never made. fused_pad[conv op] = its PAD's input and amounts.
  std::vector<int> skip(g.ops.size(), 0), pad_input(g.ops.size(), -1);
  std::vector<FusedPad> fused_pad(g.ops.size());
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const GraphOp& op = g.ops[i];
    if (op.code != kOpPad || op.outputs.size() != 1 || op.outputs[0] < 0 ||
        uses[op.outputs[0]] != 1) {
      continue;
    }
    for (size_t j = i + 1; j < g.ops.size(); ++j) {
      const std::vector<int>& in = g.ops[j].inputs;
      if (std::find(in.begin(), in.end(), op.outputs[0]) == in.end()) continue;
      FusedPad pad;
      if (pad_input[j] < 0 && CanFusePad(op, g.ops[j], pad)) {
        skip[i] = 1;
        pad_input[j] = op.inputs[0];
        fused_pad[j] = pad;
      }
      break;
    }
  }
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const int index = static_cast<int>(i);
    if (skip[i]) continue;
    GraphOp fused_op;
    if (pad_input[i] >= 0) {
      fused_op = g.ops[i];
      fused_op.inputs[0] = pad_input[i];
    }
    const GraphOp& op = pad_input[i] >= 0 ? fused_op : g.ops[i];
    if (op.code == kOpDensify || op.code == kOpDequantize) {
      MK_RETURN_IF_ERROR(FoldConstant(index, op));
      free_if_single_use(op.inputs[0]);
      continue;
    }
    // Operators must come in execution order: every runtime input already computed.
    for (int id : op.inputs) {
      if (id >= 0 && !values_[id].is_const && !produced[id]) {
        return Fail(index, op,
                    fmt::format("input '{}' is used before it is computed", values_[id].name));
      }
    }
    MK_ASSIGN_OR_RETURN(std::function<void()> step, Prepare(index, op, fused_pad[i]));
    for (int id : op.outputs) {
      if (produced[id]) return Fail(index, op, "output is written twice");
      produced[id] = true;
    }
    // Conv and depthwise filters and biases are copied into their closure in the layout the
    // kernel wants; every other input is read through In() at run time.
    const bool conv = op.code == kOpConv2d || op.code == kOpDepthwiseConv2d;
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      if (op.inputs[k] < 0) continue;
      if (!conv || k == 0) {
        read_at_run[op.inputs[k]] = true;
      } else {
        free_if_single_use(op.inputs[k]);
      }
    }
    steps_.push_back(std::move(step));
    step_inputs.push_back(op.inputs);
    step_outputs.push_back(op.outputs);
  }
  for (int id : g.outputs) {
    if (!produced[id] && !values_[id].is_const) {
      return Unsupported(
          fmt::format("{}: output '{}' is never computed", label_, values_[id].name));
    }
    if (values_[id].type != kTfFloat32 || (values_[id].is_const && values_[id].f.empty())) {
      return Unsupported(fmt::format("{}: output '{}' must be float32", label_, values_[id].name));
    }
    output_ids_.push_back(id);
    output_specs_.push_back(spec(id));
  }
  MK_RETURN_IF_ERROR(PlanMemory(step_inputs, step_outputs));
  for (int id : output_ids_) read_at_run[id] = true;
  // Constant data no longer needed once folded into the closures.
  for (size_t i = 0; i < values_.size(); ++i) {
    Value& v = values_[i];
    if (!read_at_run[i]) {
      v.f.clear();
      v.f.shrink_to_fit();
    }
    v.raw.clear();
    v.raw.shrink_to_fit();
    v.tensor = nullptr;
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<Model>> LoadTfliteFromBuffer(std::span<const std::uint8_t> bytes,
                                                    const ModelOptions& options,
                                                    const std::string& label) {
  if (options.threads < 1 || options.threads > 256) {
    return InvalidArgument(
        fmt::format("infer threads must be between 1 and 256; got {}", options.threads));
  }
  Result<Graph> graph = ParseTflite(bytes);
  if (!graph.ok()) return graph.status().WithContext(label);
  auto model = std::make_unique<TfliteModel>(options, label);
  MK_RETURN_IF_ERROR(model->Build(*graph));
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace detail

Result<std::unique_ptr<Model>> LoadTfliteModel(const std::string& path,
                                               const ModelOptions& options) {
  // The file is mapped read-only, not read into memory: the executor copies what it needs
  // into its own layouts, and the mapping is dropped once the model is built.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return NotFound(
        fmt::format("cannot open model '{}'; run scripts/setup to install the "
                    "default models",
                    path));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Unsupported(fmt::format("cannot read model '{}': not a regular file", path));
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return detail::LoadTfliteFromBuffer({}, options, path);
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Unsupported(fmt::format("cannot map model '{}'", path));
  auto model =
      detail::LoadTfliteFromBuffer({static_cast<const std::uint8_t*>(map), size}, options, path);
  ::munmap(map, size);
#if defined(__GLIBC__)
  ::malloc_trim(0);  // return the load-time scratch to the system
#endif
  return model;
}

}  // namespace monokin::infer
