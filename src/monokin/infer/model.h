// SPDX-License-Identifier: Apache-2.0
// Runnable neural networks loaded from model files. TFLite files (the BlazePose models) are
// parsed by monokin itself, bounds-checked, and executed on the CPU. Tensors are float32,
// row-major, in the model's own layout (NHWC for TFLite).
//
//   MK_ASSIGN_OR_RETURN(auto model, infer::LoadTfliteModel("pose_landmark_full.tflite", {}));
//   infer::Tensor in = {.name = "input_1", .shape = {1, 256, 256, 3}, .data = pixels};
//   MK_ASSIGN_OR_RETURN(std::vector<infer::Tensor> out, model->Run({&in, 1}));
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "monokin/core/status.h"

namespace monokin::infer {

struct Tensor {
  std::string name;
  std::vector<int> shape;   // e.g. {1, 256, 256, 3}
  std::vector<float> data;  // row-major, size = product of shape
};

struct TensorSpec {
  std::string name;
  std::vector<int> shape;
};

struct ModelOptions {
  int threads = 1;  // worker threads for one Run(); 1 = single-threaded
};

// A loaded network. Run() is not thread-safe: one instance per thread (weights may be shared
// internally).
class Model {
 public:
  virtual ~Model() = default;
  virtual const std::vector<TensorSpec>& inputs() const = 0;
  virtual const std::vector<TensorSpec>& outputs() const = 0;
  // Runs the network. `inputs` in the order of inputs(), each with exactly that shape
  // (kInvalidArgument otherwise). Returns every output in the order of outputs().
  virtual Result<std::vector<Tensor>> Run(std::span<const Tensor> inputs) = 0;
  // Multiply-adds of one Run(), counted from the graph.
  virtual std::int64_t multiply_adds() const = 0;
};

// Loads a .tflite file. kNotFound (missing), kUnsupported (not a TFLite flatbuffer, malformed,
// or an operator monokin does not implement; the message names it).
Result<std::unique_ptr<Model>> LoadTfliteModel(const std::string& path,
                                               const ModelOptions& options);

}  // namespace monokin::infer
