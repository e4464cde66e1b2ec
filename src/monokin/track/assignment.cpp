// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "monokin/core/check.h"

namespace monokin::track {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Full assignment of every row (n <= m) minimising the sum of a[i][j] (n x m, row-major, all
// finite). Returns col_of_row. Classic shortest augmenting path: rows are added one at a time;
// Dijkstra over reduced costs a[i][j] - u[i] - v[j] (kept >= 0 by the potentials u, v) finds the
// cheapest way to free a column for the new row, and the path is flipped.
std::vector<int> SolveFull(const std::vector<double>& a, int n, int m) {
  // 1-based rows and columns; column 0 is a virtual start holding the row being added.
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0), min_slack(m + 1);
  std::vector<int> row_of_col(m + 1, 0), prev_col(m + 1, 0);
  std::vector<char> visited(m + 1);
  for (int row = 1; row <= n; ++row) {
    row_of_col[0] = row;
    int col = 0;
    std::fill(min_slack.begin(), min_slack.end(), kInf);
    std::fill(visited.begin(), visited.end(), 0);
    do {
      visited[col] = 1;
      const int i = row_of_col[col];
      const double* a_row = &a[static_cast<size_t>(i - 1) * m];
      double delta = kInf;
      int next = 0;
      for (int j = 1; j <= m; ++j) {
        if (visited[j]) continue;
        const double slack = a_row[j - 1] - u[i] - v[j];
        if (slack < min_slack[j]) {
          min_slack[j] = slack;
          prev_col[j] = col;
        }
        if (min_slack[j] < delta) {
          delta = min_slack[j];
          next = j;
        }
      }
      for (int j = 0; j <= m; ++j) {
        if (visited[j]) {
          u[row_of_col[j]] += delta;
          v[j] -= delta;
        } else {
          min_slack[j] -= delta;
        }
      }
      col = next;
    } while (row_of_col[col] != 0);
    // Flip the alternating path back to the start.
    while (col != 0) {
      const int prev = prev_col[col];
      row_of_col[col] = row_of_col[prev];
      col = prev;
    }
  }
  std::vector<int> col_of_row(n, -1);
  for (int j = 1; j <= m; ++j) {
    if (row_of_col[j] != 0) col_of_row[row_of_col[j] - 1] = j - 1;
  }
  return col_of_row;
}

}  // namespace

AssignmentResult SolveAssignment(std::span<const double> cost, int rows, int cols,
                                 double max_cost) {
  MK_CHECK(rows >= 0 && cols >= 0 && cost.size() == static_cast<size_t>(rows) * cols)
      << "cost has " << cost.size() << " entries for " << rows << "x" << cols;
  MK_CHECK(std::isfinite(max_cost)) << "max_cost " << max_cost;
  AssignmentResult result;
  if (rows > 0 && cols > 0) {
    // Capping every cost at max_cost turns the gated problem into a full one: a capped pair is
    // exactly as good as leaving its row and column unmatched, so the best full assignment,
    // minus its capped pairs, is a best gated one. Transposed so that rows <= cols.
    const bool transpose = rows > cols;
    const int n = transpose ? cols : rows, m = transpose ? rows : cols;
    std::vector<double> a(static_cast<size_t>(n) * m);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        const double x = cost[static_cast<size_t>(r) * cols + c];
        const double capped = std::isnan(x) ? max_cost : std::min(x, max_cost);
        if (transpose) {
          a[static_cast<size_t>(c) * m + r] = capped;
        } else {
          a[static_cast<size_t>(r) * m + c] = capped;
        }
      }
    }
    const std::vector<int> partner = SolveFull(a, n, m);
    for (int i = 0; i < n; ++i) {
      const int r = transpose ? partner[i] : i, c = transpose ? i : partner[i];
      if (cost[static_cast<size_t>(r) * cols + c] <= max_cost) result.matches.emplace_back(r, c);
    }
    std::sort(result.matches.begin(), result.matches.end());
  }
  std::vector<char> row_used(rows, 0), col_used(cols, 0);
  for (const auto& [r, c] : result.matches) row_used[r] = col_used[c] = 1;
  for (int r = 0; r < rows; ++r) {
    if (!row_used[r]) result.unmatched_rows.push_back(r);
  }
  for (int c = 0; c < cols; ++c) {
    if (!col_used[c]) result.unmatched_cols.push_back(c);
  }
  return result;
}

double AssignmentObjective(std::span<const double> cost, int cols, double max_cost,
                           const AssignmentResult& result) {
  double sum = 0;
  for (const auto& [r, c] : result.matches) {
    sum += cost[static_cast<size_t>(r) * cols + c] - max_cost;
  }
  return sum;
}

}  // namespace monokin::track
