// SPDX-License-Identifier: Apache-2.0
#include "monokin/eval/detail/linear_assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

namespace monokin::eval::detail {
namespace {

// Exhaustive minimum over all assignments of min(rows, cols) pairs (small sizes only).
double BruteForceMin(const std::vector<double>& cost, int rows, int cols) {
  const bool wide = rows <= cols;
  const int n = wide ? rows : cols, m = wide ? cols : rows;
  std::vector<int> perm(m);
  std::iota(perm.begin(), perm.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double s = 0;
    for (int i = 0; i < n; ++i) s += wide ? cost[i * cols + perm[i]] : cost[perm[i] * cols + i];
    best = std::min(best, s);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

TEST(LinearAssignment, MatchesBruteForceOnRandomRectangularMatrices) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-5.0, 5.0);
  for (int trial = 0; trial < 300; ++trial) {
    const int rows = 1 + static_cast<int>(rng() % 6), cols = 1 + static_cast<int>(rng() % 6);
    std::vector<double> cost(rows * cols);
    for (double& c : cost) c = u(rng);
    const std::vector<int> a = SolveMinCostAssignment(cost, rows, cols);
    ASSERT_EQ(static_cast<int>(a.size()), rows);
    double total = 0;
    int assigned = 0;
    std::vector<char> used(cols, 0);
    for (int r = 0; r < rows; ++r) {
      if (a[r] < 0) continue;
      ASSERT_LT(a[r], cols);
      ASSERT_FALSE(used[a[r]]) << "column used twice";
      used[a[r]] = 1;
      total += cost[r * cols + a[r]];
      ++assigned;
    }
    EXPECT_EQ(assigned, std::min(rows, cols));
    EXPECT_NEAR(total, BruteForceMin(cost, rows, cols), 1e-9) << rows << "x" << cols;
  }
}

TEST(LinearAssignment, MaxWeightMatchingOnSparseScoresIsOptimal) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 300; ++trial) {
    const int rows = 1 + static_cast<int>(rng() % 7), cols = 1 + static_cast<int>(rng() % 7);
    std::vector<double> score(rows * cols, 0.0), neg(rows * cols);
    for (double& s : score) s = u(rng) < 0.3 ? u(rng) : 0.0;
    for (size_t i = 0; i < score.size(); ++i) neg[i] = -score[i];
    const auto matches = MaxWeightMatching(score, rows, cols);
    double total = 0;
    std::vector<char> row_used(rows, 0), col_used(cols, 0);
    for (const auto& [r, c] : matches) {
      ASSERT_FALSE(row_used[r]);
      ASSERT_FALSE(col_used[c]);
      row_used[r] = col_used[c] = 1;
      EXPECT_GT(score[r * cols + c], 0.0);
      total += score[r * cols + c];
    }
    EXPECT_NEAR(total, -BruteForceMin(neg, rows, cols), 1e-9);
  }
}

TEST(LinearAssignment, EmptyAndThreshold) {
  EXPECT_TRUE(MaxWeightMatching({}, 0, 3).empty());
  const std::vector<double> score = {0.9, 0.0, 0.0, 0.3};
  const auto all = MaxWeightMatching(score, 2, 2);
  ASSERT_EQ(all.size(), 2u);
  const auto strict = MaxWeightMatching(score, 2, 2, 0.5);
  ASSERT_EQ(strict.size(), 1u);
  EXPECT_EQ(strict[0], std::make_pair(0, 0));
}

}  // namespace
}  // namespace monokin::eval::detail
