// SPDX-License-Identifier: Apache-2.0
// Optimal rectangular min-cost assignment with a cost gate, for matching tracks to detections.
//
//   // 2 tracks x 3 detections, cost = 1 - IoU; pairs above 0.7 (IoU below 0.3) never match.
//   std::vector<double> cost = {0.1, 0.9, 1.0,
//                               0.8, 0.2, 0.6};
//   AssignmentResult r = SolveAssignment(cost, 2, 3, 0.7);  // matches (0,0), (1,1)
#pragma once

#include <span>
#include <utility>
#include <vector>

namespace monokin::track {

struct AssignmentResult {
  std::vector<std::pair<int, int>> matches;  // (row, col), sorted by row
  std::vector<int> unmatched_rows;           // ascending
  std::vector<int> unmatched_cols;           // ascending
};

// Chooses pairs (row, col), each row and column at most once, using only pairs whose cost is
// at most `max_cost`, so as to minimise  sum over chosen pairs of (cost - max_cost):  every
// allowed pair is worth taking on its own, and the sum of costs is minimal among the
// best sets of pairs (leaving a row and a column unmatched counts as max_cost). A pair whose
// cost equals max_cost changes nothing and may or may not be chosen.
//
// `cost` is rows x cols, row-major. Costs may be +inf or NaN (never allowed). `max_cost` must be
// finite. Shortest augmenting paths with dual potentials (Hungarian / Jonker-Volgenant family),
// O(min(r,c)^2 * max(r,c)) time, O(r + c) extra memory besides one clamped copy of `cost`.
// Aborts (MK_CHECK) when cost.size() != rows * cols or max_cost is not finite.
AssignmentResult SolveAssignment(std::span<const double> cost, int rows, int cols, double max_cost);

// The objective minimised above, sum of (cost - max_cost) over `result.matches`; for tests and
// for comparing solvers.
double AssignmentObjective(std::span<const double> cost, int cols, double max_cost,
                           const AssignmentResult& result);

}  // namespace monokin::track
