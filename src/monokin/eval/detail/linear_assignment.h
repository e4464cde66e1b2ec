// SPDX-License-Identifier: Apache-2.0
// Optimal assignment (rectangular linear sum assignment) for the MOT evaluator: a shortest
// augmenting path solver with dual potentials (Jonker-Volgenant family), O(n^2 m).
//
//   std::vector<double> cost = {...};  // rows x cols, row-major
//   std::vector<int> col_of_row = detail::SolveMinCostAssignment(cost, rows, cols);
#pragma once

#include <span>
#include <utility>
#include <vector>

namespace monokin::eval::detail {

// Minimum-cost assignment of min(rows, cols) pairs: every row is assigned when rows <= cols,
// every column otherwise (the same contract as scipy.optimize.linear_sum_assignment).
// `cost` is row-major rows x cols and must be finite. Returns, for each row, its column or -1.
std::vector<int> SolveMinCostAssignment(std::span<const double> cost, int rows, int cols);

// Maximum-weight matching on a non-negative score matrix (row-major rows x cols): the pairs of
// an optimal assignment of -score whose score is above `min_score`. The matrix is split into
// connected components of entries above zero first (exact, and much faster on the sparse
// overlap matrices of tracking). Pairs come back sorted by row.
std::vector<std::pair<int, int>> MaxWeightMatching(std::span<const double> score, int rows,
                                                   int cols, double min_score = 0.0);

struct WeightedEdge {
  int row = 0, col = 0;
  double weight = 0;  // > 0
};
// The same on a sparse matrix given by its positive entries (each (row, col) at most once).
std::vector<std::pair<int, int>> MaxWeightMatchingSparse(std::span<const WeightedEdge> edges,
                                                         int rows, int cols,
                                                         double min_score = 0.0);

}  // namespace monokin::eval::detail
