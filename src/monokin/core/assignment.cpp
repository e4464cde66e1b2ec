// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/assignment.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "monokin/core/check.h"

namespace monokin {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Buffers of the solver, kept across the blocks of one call: the block's costs and the
// solver's doubles in one vector, its integers in another (small problems are dominated by
// allocations otherwise).
struct Workspace {
  std::vector<double> reals;
  std::vector<int> ints;
};

// Full assignment of every row (n <= m) minimising the sum of a[i][j] (n x m, row-major, all
// finite). Classic shortest augmenting path: rows are added one at a time; Dijkstra over
// reduced costs a[i][j] - u[i] - v[j] (kept >= 0 by the potentials u, v) finds the cheapest way
// to free a column for the new row, and the path is flipped. Among equal slacks the lowest
// column wins, so ties go to the earliest columns. 1-based rows and columns; column 0 is a
// virtual start holding the row being added. On return row_of_col[j] is the 1-based row of
// column j (1..m), 0 when free. u (n + 1), v, min_slack, row_of_col, prev_col and visited
// (m + 1 each) are scratch.
void SolveWide(const double* a, int n, int m, double* u, double* v, double* min_slack,
               int* row_of_col, int* prev_col, int* visited) {
  std::fill(u, u + n + 1, 0.0);
  std::fill(v, v + m + 1, 0.0);
  std::fill(row_of_col, row_of_col + m + 1, 0);
  std::fill(prev_col, prev_col + m + 1, 0);
  for (int row = 1; row <= n; ++row) {
    row_of_col[0] = row;
    int col = 0;
    std::fill(min_slack, min_slack + m + 1, kInf);
    std::fill(visited, visited + m + 1, 0);
    do {
      visited[col] = 1;
      const int i = row_of_col[col];
      const double* a_row = a + static_cast<size_t>(i - 1) * m;
      const double u_i = u[i];  // loaded once: the stores below cannot change it
      double delta = kInf;
      int next = 0;
      for (int j = 1; j <= m; ++j) {
        if (visited[j]) continue;
        const double slack = a_row[j - 1] - u_i - v[j];
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
}

// Solves the rows x cols block given by value(r, c) (finite), transposed when rows > cols so
// that the solver's rows are the shorter side; calls take(r, c) for each assigned pair, in no
// particular order.
template <typename Value, typename Take>
void SolveBlock(int rows, int cols, Value value, Take take, Workspace& ws) {
  const bool transpose = rows > cols;
  const int n = transpose ? cols : rows, m = transpose ? rows : cols;
  const size_t cells = static_cast<size_t>(n) * m;
  ws.reals.resize(cells + (n + 1) + 2 * static_cast<size_t>(m + 1));
  ws.ints.resize(3 * static_cast<size_t>(m + 1));
  double* a = ws.reals.data();
  double* u = a + cells;
  double* v = u + (n + 1);
  double* min_slack = v + (m + 1);
  int* row_of_col = ws.ints.data();
  int* prev_col = row_of_col + (m + 1);
  int* visited = prev_col + (m + 1);
  if (transpose) {
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) a[static_cast<size_t>(c) * m + r] = value(r, c);
    }
  } else {
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) a[static_cast<size_t>(r) * m + c] = value(r, c);
    }
  }
  SolveWide(a, n, m, u, v, min_slack, row_of_col, prev_col, visited);
  for (int j = 1; j <= m; ++j) {
    const int i = row_of_col[j] - 1;
    if (i >= 0) transpose ? take(j - 1, i) : take(i, j - 1);
  }
}

struct Edge {
  int row = 0, col = 0;
  double cost = 0;  // < max_cost
};

int FindRoot(int* parent, int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

// The gated problem on a matrix whose pairs are `edges` (each cost < max_cost, each pair at
// most once) and max_cost everywhere else, one connected group at a time. Appends the chosen
// pairs, with their costs, to `chosen`. Trackers call this many times a frame on small
// matrices, so the bookkeeping lives in one buffer.
void SolveGroups(std::span<const Edge> edges, int rows, int cols, double max_cost, Workspace& ws,
                 std::vector<Edge>& chosen) {
  if (edges.empty()) return;
  // Nodes: rows 0..rows-1, then columns rows..rows+cols-1. A group holds at least one row and
  // one column, so there are at most min(rows, cols) of them.
  const int nodes = rows + cols, max_groups = std::min(rows, cols);
  const int num_edges = static_cast<int>(edges.size());
  std::vector<int> buffer(static_cast<size_t>(5) * nodes + 6 * max_groups + 3 + num_edges);
  int* next = buffer.data();
  auto take = [&](int n) {
    int* p = next;
    next += n;
    return p;
  };
  int* parent = take(nodes);
  int* root_group = take(nodes);  // group of a root node, -1 before it has one
  int* group = take(nodes);       // group of a node, -1 when it has no edge
  int* local = take(nodes);       // index of a node inside its group
  int* member = take(nodes);      // rows of each group, then columns of each group
  int* group_rows = take(max_groups);
  int* group_cols = take(max_groups);
  int* row_begin = take(max_groups + 1);
  int* col_begin = take(max_groups + 1);
  int* edge_begin = take(max_groups + 1);
  int* fill = take(max_groups);
  int* by_group = take(num_edges);  // edge indices, grouped
  std::iota(parent, parent + nodes, 0);
  std::fill(root_group, root_group + nodes, -1);
  std::fill(group, group + nodes, -1);
  for (const Edge& e : edges) {
    group[e.row] = group[rows + e.col] = 0;  // has an edge
    const int a = FindRoot(parent, e.row), b = FindRoot(parent, rows + e.col);
    if (a != b) parent[a] = b;
  }
  // Number the groups and give every node with an edge its index inside its group; nodes are
  // visited in ascending order, so rows and columns keep their order inside a group.
  int groups = 0;
  for (int node = 0; node < nodes; ++node) {
    if (group[node] < 0) continue;
    int& g = root_group[FindRoot(parent, node)];
    if (g < 0) {
      g = groups++;
      group_rows[g] = group_cols[g] = 0;
    }
    group[node] = g;
    local[node] = node < rows ? group_rows[g]++ : group_cols[g]++;
  }
  row_begin[0] = col_begin[0] = edge_begin[0] = 0;
  for (int g = 0; g < groups; ++g) {
    row_begin[g + 1] = row_begin[g] + group_rows[g];
    col_begin[g + 1] = col_begin[g] + group_cols[g];
    edge_begin[g + 1] = 0;
  }
  const int col_offset = row_begin[groups];
  for (int node = 0; node < nodes; ++node) {
    const int g = group[node];
    if (g < 0) continue;
    if (node < rows) {
      member[row_begin[g] + local[node]] = node;
    } else {
      member[col_offset + col_begin[g] + local[node]] = node - rows;
    }
  }
  for (const Edge& e : edges) ++edge_begin[group[e.row] + 1];
  for (int g = 0; g < groups; ++g) {
    edge_begin[g + 1] += edge_begin[g];
    fill[g] = edge_begin[g];
  }
  for (int k = 0; k < num_edges; ++k) by_group[fill[group[edges[k].row]]++] = k;

  std::vector<double> sub;
  for (int g = 0; g < groups; ++g) {
    const int n = group_rows[g], m = group_cols[g];
    if (n == 1 && m == 1) {  // one pair, cheaper than leaving both unmatched
      chosen.push_back(edges[by_group[edge_begin[g]]]);
      continue;
    }
    const int* rs = member + row_begin[g];
    const int* cs = member + col_offset + col_begin[g];
    sub.assign(static_cast<size_t>(n) * m, max_cost);
    for (int k = edge_begin[g]; k < edge_begin[g + 1]; ++k) {
      const Edge& e = edges[by_group[k]];
      sub[static_cast<size_t>(local[e.row]) * m + local[rows + e.col]] = e.cost;
    }
    SolveBlock(
        n, m, [&](int i, int j) { return sub[static_cast<size_t>(i) * m + j]; },
        [&](int i, int j) {
          const double x = sub[static_cast<size_t>(i) * m + j];
          if (x < max_cost) chosen.push_back({rs[i], cs[j], x});
        },
        ws);
  }
}

void FillUnmatched(int rows, int cols, AssignmentResult& result) {
  std::sort(result.matches.begin(), result.matches.end());
  std::vector<char> row_used(rows, 0), col_used(cols, 0);
  for (const auto& [r, c] : result.matches) row_used[r] = col_used[c] = 1;
  for (int r = 0; r < rows; ++r) {
    if (!row_used[r]) result.unmatched_rows.push_back(r);
  }
  for (int c = 0; c < cols; ++c) {
    if (!col_used[c]) result.unmatched_cols.push_back(c);
  }
}

std::vector<std::pair<int, int>> MatchWeights(std::span<const Edge> edges, int rows, int cols,
                                              double min_score) {
  std::vector<std::pair<int, int>> matches;
  if (rows <= 0 || cols <= 0 || edges.empty()) return matches;
  Workspace ws;
  std::vector<Edge> chosen;
  chosen.reserve(std::min(rows, cols));
  SolveGroups(edges, rows, cols, 0.0, ws, chosen);
  // The threshold comes after the solve: a pair at or below it still takes its row and column.
  for (const Edge& e : chosen) {
    if (-e.cost > min_score) matches.emplace_back(e.row, e.col);
  }
  std::sort(matches.begin(), matches.end());
  return matches;
}

}  // namespace

AssignmentResult SolveAssignment(std::span<const double> cost, int rows, int cols,
                                 const AssignmentOptions& options) {
  MK_CHECK(rows >= 0 && cols >= 0 && cost.size() == static_cast<size_t>(rows) * cols)
      << "cost has " << cost.size() << " entries for " << rows << "x" << cols;
  const double max_cost = options.max_cost;
  MK_CHECK(!std::isnan(max_cost)) << "max_cost is NaN";
  const bool gated = std::isfinite(max_cost);
  AssignmentResult result;
  if (rows > 0 && cols > 0) {
    Workspace ws;
    auto at = [&](int r, int c) { return cost[static_cast<size_t>(r) * cols + c]; };
    if (!gated) {
      for (const double x : cost) MK_CHECK(std::isfinite(x)) << "cost " << x << " without a gate";
      SolveBlock(
          rows, cols, at, [&](int r, int c) { result.matches.emplace_back(r, c); }, ws);
    } else if (options.split_components) {
      std::vector<Edge> edges;
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
          if (at(r, c) < max_cost) edges.push_back({r, c, at(r, c)});
        }
      }
      std::vector<Edge> chosen;
      SolveGroups(edges, rows, cols, max_cost, ws, chosen);
      for (const Edge& e : chosen) result.matches.emplace_back(e.row, e.col);
    } else {
      // Capping every cost at max_cost turns the gated problem into a full one: a capped pair
      // is exactly as good as leaving its row and column unmatched, so the best full
      // assignment, minus its capped pairs, is a best gated one.
      SolveBlock(
          rows, cols,
          [&](int r, int c) {
            const double x = at(r, c);
            return std::isnan(x) ? max_cost : std::min(x, max_cost);
          },
          [&](int r, int c) {
            if (at(r, c) <= max_cost) result.matches.emplace_back(r, c);
          },
          ws);
    }
  }
  FillUnmatched(std::max(rows, 0), std::max(cols, 0), result);
  return result;
}

AssignmentResult SolveAssignment(std::span<const double> cost, int rows, int cols,
                                 double max_cost) {
  MK_CHECK(std::isfinite(max_cost)) << "max_cost " << max_cost;
  return SolveAssignment(cost, rows, cols, AssignmentOptions{max_cost, false});
}

double AssignmentObjective(std::span<const double> cost, int cols, double max_cost,
                           const AssignmentResult& result) {
  double sum = 0;
  for (const auto& [r, c] : result.matches) {
    sum += cost[static_cast<size_t>(r) * cols + c] - max_cost;
  }
  return sum;
}

std::vector<std::pair<int, int>> MaxWeightMatching(std::span<const double> score, int rows,
                                                   int cols, double min_score) {
  const size_t cells = static_cast<size_t>(std::max(rows, 0)) * std::max(cols, 0);
  std::vector<Edge> edges;
  edges.reserve(static_cast<size_t>(
      std::count_if(score.begin(), score.begin() + cells, [](double w) { return w > 0; })));
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double w = score[static_cast<size_t>(r) * cols + c];
      if (w > 0) edges.push_back({r, c, -w});
    }
  }
  return MatchWeights(edges, rows, cols, min_score);
}

std::vector<std::pair<int, int>> MaxWeightMatchingSparse(std::span<const WeightedEdge> edges,
                                                         int rows, int cols, double min_score) {
  std::vector<Edge> costs;
  costs.reserve(edges.size());
  for (const WeightedEdge& e : edges) {
    if (e.weight > 0) costs.push_back({e.row, e.col, -e.weight});
  }
  return MatchWeights(costs, rows, cols, min_score);
}

}  // namespace monokin
