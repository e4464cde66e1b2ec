// SPDX-License-Identifier: Apache-2.0
#include "monokin/infer/detail/densify.h"

#include <fmt/format.h>

#include <cstring>
#include <functional>

namespace monokin::infer::detail {

Result<std::vector<std::uint8_t>> Densify(const Sparsity& sp, const std::vector<int>& shape,
                                          const std::vector<std::uint8_t>& values, int elem_size) {
  const int n = static_cast<int>(shape.size());
  const int levels = static_cast<int>(sp.traversal_order.size());
  const int k = static_cast<int>(sp.block_map.size());
  if (levels != n + k || static_cast<int>(sp.dims.size()) != levels) {
    return Unsupported(fmt::format(
        "sparse tensor: traversal_order has {} entries, dim_metadata {}, expected {} + {}", levels,
        sp.dims.size(), n, k));
  }
  // Which original dimension each level indexes, and whether it is a block (inner) level.
  std::vector<int> level_dim(levels), level_size(levels);
  std::vector<bool> seen(levels, false);
  std::vector<int> block_size(n, 1);
  for (int l = 0; l < levels; ++l) {
    const int t = sp.traversal_order[l];
    if (t < 0 || t >= levels || seen[t]) {
      return Unsupported("sparse tensor: traversal_order is not a permutation");
    }
    seen[t] = true;
  }
  for (int b = 0; b < k; ++b) {
    const int d = sp.block_map[b];
    if (d < 0 || d >= n) return Unsupported("sparse tensor: block_map entry out of range");
    // The block level of dimension d is the level whose traversal entry is n + b.
    for (int l = 0; l < levels; ++l) {
      if (sp.traversal_order[l] == n + b) {
        if (sp.dims[l].sparse || sp.dims[l].dense_size <= 0) {
          return Unsupported("sparse tensor: block dimensions must be dense");
        }
        block_size[d] = sp.dims[l].dense_size;
      }
    }
  }
  for (int l = 0; l < levels; ++l) {
    const int t = sp.traversal_order[l];
    if (t < n) {
      if (shape[t] % block_size[t] != 0) {
        return Unsupported("sparse tensor: block size does not divide the dimension");
      }
      level_dim[l] = t;
      level_size[l] = shape[t] / block_size[t];
    } else {
      level_dim[l] = sp.block_map[t - n];
      level_size[l] = block_size[level_dim[l]];
    }
    if (!sp.dims[l].sparse && sp.dims[l].dense_size != level_size[l]) {
      return Unsupported(fmt::format("sparse tensor: level {} dense_size {} != {}", l,
                                     sp.dims[l].dense_size, level_size[l]));
    }
  }
  std::int64_t total = 1;
  for (int d : shape) total *= d;
  std::vector<std::int64_t> stride(n, 1);
  for (int d = n - 2; d >= 0; --d) stride[d] = stride[d + 1] * shape[d + 1];
  const std::int64_t value_count = static_cast<std::int64_t>(values.size()) / elem_size;

  std::vector<std::uint8_t> dense(static_cast<size_t>(total) * elem_size, 0);
  std::vector<int> coord(levels, 0);
  std::string error;
  // Depth-first walk of the levels; `pos` is the position within the current level's storage.
  std::function<void(int, std::int64_t)> walk = [&](int l, std::int64_t pos) {
    if (!error.empty()) return;
    if (l == levels) {
      if (pos < 0 || pos >= value_count) {
        error = "value index out of range";
        return;
      }
      std::int64_t offset = 0;
      std::vector<std::int64_t> full(n, 0);
      for (int q = 0; q < levels; ++q) {
        const int d = level_dim[q];
        if (sp.traversal_order[q] < n) {
          full[d] += static_cast<std::int64_t>(coord[q]) * block_size[d];
        } else {
          full[d] += coord[q];
        }
      }
      for (int d = 0; d < n; ++d) offset += full[d] * stride[d];
      std::memcpy(dense.data() + offset * elem_size, values.data() + pos * elem_size, elem_size);
      return;
    }
    const SparseDim& dim = sp.dims[l];
    if (!dim.sparse) {
      for (int i = 0; i < dim.dense_size && error.empty(); ++i) {
        coord[l] = i;
        walk(l + 1, pos * dim.dense_size + i);
      }
      return;
    }
    const std::int64_t nseg = static_cast<std::int64_t>(dim.segments.size());
    if (pos < 0 || pos + 1 >= nseg) {
      error = fmt::format("level {} has too few segments", l);
      return;
    }
    const int begin = dim.segments[pos], end = dim.segments[pos + 1];
    if (begin < 0 || end < begin || end > static_cast<int>(dim.indices.size())) {
      error = fmt::format("level {} segment [{}, {}) is invalid", l, begin, end);
      return;
    }
    for (int j = begin; j < end && error.empty(); ++j) {
      const int idx = dim.indices[j];
      if (idx < 0 || idx >= level_size[l]) {
        error = fmt::format("level {} index {} out of range", l, idx);
        return;
      }
      coord[l] = idx;
      walk(l + 1, j);
    }
  };
  walk(0, 0);
  if (!error.empty()) return Unsupported("sparse tensor: " + error);
  return dense;
}

}  // namespace monokin::infer::detail
