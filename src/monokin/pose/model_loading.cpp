// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/model_loading.h"

#include <fmt/format.h>

#include <algorithm>

namespace monokin::pose {

std::size_t ShapeElements(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(std::max(d, 0));
  return n;
}

Result<std::unique_ptr<infer::Model>> LoadSquareImageModel(const std::string& path, int threads,
                                                           int side_px, std::string_view what) {
  auto model = infer::LoadTfliteModel(path, {.threads = threads});
  if (!model.ok()) return model.status().WithContext(fmt::format("loading {}", what));
  const auto& ins = (*model)->inputs();
  if (ins.size() != 1 || ins[0].shape != std::vector<int>{1, side_px, side_px, 3}) {
    return Unsupported(
        fmt::format("'{}' is not {}: expected one 1x{}x{}x3 input", path, what, side_px, side_px));
  }
  return model;
}

int OutputWithElements(const infer::Model& model, std::size_t elements) {
  int found = -1;
  const auto& outs = model.outputs();
  for (std::size_t i = 0; i < outs.size(); ++i) {
    if (ShapeElements(outs[i].shape) == elements) found = static_cast<int>(i);
  }
  return found;
}

Result<std::vector<infer::Tensor>> RunOnImage(infer::Model& model, std::vector<float> pixels,
                                              std::string_view what) {
  const infer::Tensor input{
      .name = model.inputs()[0].name, .shape = model.inputs()[0].shape, .data = std::move(pixels)};
  auto outputs = model.Run({&input, 1});
  if (!outputs.ok()) return outputs.status().WithContext(fmt::format("running {}", what));
  return outputs;
}

}  // namespace monokin::pose
