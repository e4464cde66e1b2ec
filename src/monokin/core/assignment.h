// SPDX-License-Identifier: Apache-2.0
// Optimal rectangular min-cost assignment (linear sum assignment), the one solver of the
// project: tracks to detections in the trackers, ground truth to tracker boxes in the
// evaluator.
//
//   // 2 tracks x 3 detections, cost = 1 - IoU; pairs above 0.7 (IoU below 0.3) never match.
//   std::vector<double> cost = {0.1, 0.9, 1.0,
//                               0.8, 0.2, 0.6};
//   AssignmentResult r = SolveAssignment(cost, 2, 3, 0.7);  // matches (0,0), (1,1)
//
//   // Maximum-weight matching on overlaps (zero = no pair), split into independent groups.
//   std::vector<std::pair<int, int>> m = MaxWeightMatching(iou, rows, cols);
#pragma once

#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace monokin {

struct AssignmentResult {
  std::vector<std::pair<int, int>> matches;  // (row, col), sorted by row
  std::vector<int> unmatched_rows;           // ascending
  std::vector<int> unmatched_cols;           // ascending
};

struct AssignmentOptions {
  // The gate. Finite: only pairs whose cost is at most max_cost may be chosen, so as to
  // minimise  sum over chosen pairs of (cost - max_cost):  every allowed pair is worth taking
  // on its own, and the sum of costs is minimal among the best sets of pairs (leaving a row and
  // a column unmatched counts as max_cost). A pair whose cost equals max_cost changes nothing
  // and may or may not be chosen; +inf and NaN costs are never chosen.
  // Infinite: no gate, min(rows, cols) pairs of minimum total cost (every row is matched when
  // rows <= cols, every column otherwise: scipy's linear_sum_assignment); costs must be finite.
  double max_cost = std::numeric_limits<double>::infinity();
  // With a finite gate: split the pairs cheaper than max_cost into connected groups (rows and
  // columns joined by such pairs) and solve each group on its own. Exact, and much faster on
  // the sparse overlap matrices of tracking, where most groups are one pair. Pairs at exactly
  // max_cost are then never chosen. Ignored without a gate.
  bool split_components = false;
};

// Shortest augmenting paths with dual potentials (Hungarian / Jonker-Volgenant family),
// O(min(r,c)^2 * max(r,c)) time per solved block. `cost` is rows x cols, row-major. Among
// equally good answers the solver prefers the lowest column indices; a group of the split keeps
// its rows and columns in ascending order (the result does not depend on how the pairs were
// listed). Aborts (MK_CHECK) when cost.size() != rows * cols, max_cost is NaN, or a cost is not
// finite without a gate.
AssignmentResult SolveAssignment(std::span<const double> cost, int rows, int cols,
                                 const AssignmentOptions& options);
// The gated problem above with max_cost, without the split.
AssignmentResult SolveAssignment(std::span<const double> cost, int rows, int cols, double max_cost);

// The objective of the gated problem, sum of (cost - max_cost) over `result.matches`; for tests
// and for comparing solvers.
double AssignmentObjective(std::span<const double> cost, int cols, double max_cost,
                           const AssignmentResult& result);

// Maximum-weight matching on a score matrix (row-major rows x cols) whose entries above zero
// are the candidate pairs: an optimal assignment of -score gated at 0 with the split, of which
// the pairs whose score is above `min_score` are returned (the threshold is applied after the
// solve, as TrackEval does). Pairs come back sorted by row.
std::vector<std::pair<int, int>> MaxWeightMatching(std::span<const double> score, int rows,
                                                   int cols, double min_score = 0.0);

struct WeightedEdge {
  int row = 0, col = 0;
  double weight = 0;  // > 0
};
// The same on a sparse matrix given by its positive entries (each (row, col) at most once, in
// any order).
std::vector<std::pair<int, int>> MaxWeightMatchingSparse(std::span<const WeightedEdge> edges,
                                                         int rows, int cols,
                                                         double min_score = 0.0);

}  // namespace monokin
