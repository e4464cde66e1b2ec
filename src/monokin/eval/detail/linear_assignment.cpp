// SPDX-License-Identifier: Apache-2.0
#include "monokin/eval/detail/linear_assignment.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace monokin::eval::detail {
namespace {

// Shortest augmenting path with potentials for n <= m (rows <= cols). 1-based internal arrays,
// column 0 is the virtual source. Each row is inserted in turn and a Dijkstra-like search over
// reduced costs finds the cheapest augmenting path; the duals keep reduced costs non-negative,
// which is what makes the result optimal.
std::vector<int> SolveWide(std::span<const double> cost, int n, int m) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0), min_to(m + 1);
  std::vector<int> row_of_col(m + 1, 0), way(m + 1, 0);
  std::vector<char> used(m + 1);
  for (int i = 1; i <= n; ++i) {
    row_of_col[0] = i;
    int j0 = 0;
    std::fill(min_to.begin(), min_to.end(), kInf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const int i0 = row_of_col[j0];
      const double* row = cost.data() + static_cast<size_t>(i0 - 1) * m;
      double delta = kInf;
      int j1 = 0;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double cur = row[j - 1] - u[i0] - v[j];
        if (cur < min_to[j]) {
          min_to[j] = cur;
          way[j] = j0;
        }
        if (min_to[j] < delta) {
          delta = min_to[j];
          j1 = j;
        }
      }
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[row_of_col[j]] += delta;
          v[j] -= delta;
        } else {
          min_to[j] -= delta;
        }
      }
      j0 = j1;
    } while (row_of_col[j0] != 0);
    do {
      const int j1 = way[j0];
      row_of_col[j0] = row_of_col[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> col_of_row(n, -1);
  for (int j = 1; j <= m; ++j) {
    if (row_of_col[j] != 0) col_of_row[row_of_col[j] - 1] = j - 1;
  }
  return col_of_row;
}

int Find(std::vector<int>& parent, int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

}  // namespace

std::vector<int> SolveMinCostAssignment(std::span<const double> cost, int rows, int cols) {
  if (rows <= 0 || cols <= 0) return std::vector<int>(std::max(rows, 0), -1);
  if (rows <= cols) return SolveWide(cost, rows, cols);
  std::vector<double> transposed(static_cast<size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c)
      transposed[static_cast<size_t>(c) * rows + r] = cost[r * cols + c];
  }
  const std::vector<int> row_of_col = SolveWide(transposed, cols, rows);
  std::vector<int> col_of_row(rows, -1);
  for (int c = 0; c < cols; ++c) {
    if (row_of_col[c] >= 0) col_of_row[row_of_col[c]] = c;
  }
  return col_of_row;
}

std::vector<std::pair<int, int>> MaxWeightMatchingSparse(std::span<const WeightedEdge> edges,
                                                         int rows, int cols, double min_score) {
  std::vector<std::pair<int, int>> matches;
  if (rows <= 0 || cols <= 0 || edges.empty()) return matches;
  // Union-find over rows (0..rows-1) and columns (rows..rows+cols-1) joined by the edges.
  std::vector<int> parent(rows + cols);
  std::iota(parent.begin(), parent.end(), 0);
  for (const WeightedEdge& e : edges) {
    const int a = Find(parent, e.row), b = Find(parent, rows + e.col);
    if (a != b) parent[a] = b;
  }
  // Local index of each row/column inside its component, and the component's members.
  std::vector<int> local(rows + cols, -1), comp_of(rows + cols, -1);
  std::vector<std::vector<int>> comp_rows, comp_cols;
  std::vector<int> comp_index(rows + cols, -1);
  auto component = [&](int node) {
    const int root = Find(parent, node);
    if (comp_index[root] < 0) {
      comp_index[root] = static_cast<int>(comp_rows.size());
      comp_rows.emplace_back();
      comp_cols.emplace_back();
    }
    return comp_index[root];
  };
  for (const WeightedEdge& e : edges) {
    for (int node : {e.row, rows + e.col}) {
      if (comp_of[node] >= 0) continue;
      const int k = component(node);
      comp_of[node] = k;
      auto& members = node < rows ? comp_rows[k] : comp_cols[k];
      local[node] = static_cast<int>(members.size());
      members.push_back(node < rows ? node : node - rows);
    }
  }
  std::vector<std::vector<WeightedEdge>> comp_edges(comp_rows.size());
  for (const WeightedEdge& e : edges) comp_edges[comp_of[e.row]].push_back(e);
  std::vector<double> sub;
  for (size_t k = 0; k < comp_rows.size(); ++k) {
    const auto& rs = comp_rows[k];
    const auto& cs = comp_cols[k];
    if (rs.size() == 1 && cs.size() == 1) {
      const WeightedEdge& e = comp_edges[k].front();
      if (e.weight > min_score) matches.emplace_back(e.row, e.col);
      continue;
    }
    const int n = static_cast<int>(rs.size()), m = static_cast<int>(cs.size());
    sub.assign(static_cast<size_t>(n) * m, 0.0);
    for (const WeightedEdge& e : comp_edges[k]) {
      sub[static_cast<size_t>(local[e.row]) * m + local[rows + e.col]] = -e.weight;
    }
    const std::vector<int> assigned = SolveMinCostAssignment(sub, n, m);
    for (int i = 0; i < n; ++i) {
      if (assigned[i] < 0) continue;
      if (-sub[static_cast<size_t>(i) * m + assigned[i]] > min_score) {
        matches.emplace_back(rs[i], cs[assigned[i]]);
      }
    }
  }
  std::sort(matches.begin(), matches.end());
  return matches;
}

std::vector<std::pair<int, int>> MaxWeightMatching(std::span<const double> score, int rows,
                                                   int cols, double min_score) {
  std::vector<WeightedEdge> edges;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double w = score[static_cast<size_t>(r) * cols + c];
      if (w > 0) edges.push_back({r, c, w});
    }
  }
  return MaxWeightMatchingSparse(edges, rows, cols, min_score);
}

}  // namespace monokin::eval::detail
