// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any byte string given to the TFLite loader must yield a model or a Status,
// never a crash, hang or out-of-bounds access; a model that loads must run on a zero input.
#include <cstddef>
#include <cstdint>

#include "monokin/infer/detail/tflite_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace monokin::infer;
  auto model = detail::LoadTfliteFromBuffer({data, size}, ModelOptions{}, "fuzz");
  if (!model.ok()) return 0;
  std::vector<Tensor> inputs;
  std::int64_t total = 0;
  for (const TensorSpec& s : (*model)->inputs()) {
    std::int64_t n = 1;
    for (int d : s.shape) n *= d;
    total += n;
    if (total > (1 << 24)) return 0;  // keep each run small
    inputs.push_back(Tensor{s.name, s.shape, std::vector<float>(static_cast<std::size_t>(n))});
  }
  (void)(*model)->Run(inputs);
  return 0;
}
