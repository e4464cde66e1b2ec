// SPDX-License-Identifier: Apache-2.0
// TFLite's sparse tensor format (SparsityParameters: traversal order, block map, per-dimension
// DENSE / SPARSE_CSR metadata) expanded to a dense row-major tensor, at load time.
#pragma once

#include <cstdint>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/infer/detail/tflite_graph.h"

namespace monokin::infer::detail {

// Expands `values` (elements of `elem_size` bytes in traversal order) to a dense tensor of
// `shape`. Every index is checked; kUnsupported names what is inconsistent.
Result<std::vector<std::uint8_t>> Densify(const Sparsity& sparsity, const std::vector<int>& shape,
                                          const std::vector<std::uint8_t>& values, int elem_size);

}  // namespace monokin::infer::detail
