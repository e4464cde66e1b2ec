// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace monokin {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Reference solver: tries every partial matching over allowed pairs (cost <= max_cost) and
// returns the lowest sum of (cost - max_cost). Exponential; for tiny cases only.
double BruteForceObjective(const std::vector<double>& cost, int rows, int cols, double max_cost,
                           int row = 0, std::vector<char>* used = nullptr) {
  std::vector<char> local(cols, 0);
  if (used == nullptr) used = &local;
  if (row == rows) return 0.0;
  double best = BruteForceObjective(cost, rows, cols, max_cost, row + 1, used);  // row unmatched
  for (int c = 0; c < cols; ++c) {
    const double x = cost[row * cols + c];
    if ((*used)[c] || !(x <= max_cost)) continue;
    (*used)[c] = 1;
    best = std::min(best,
                    x - max_cost + BruteForceObjective(cost, rows, cols, max_cost, row + 1, used));
    (*used)[c] = 0;
  }
  return best;
}

void ExpectConsistent(const AssignmentResult& r, const std::vector<double>& cost, int rows,
                      int cols, double max_cost) {
  std::vector<int> row_count(rows, 0), col_count(cols, 0);
  for (const auto& [i, j] : r.matches) {
    ASSERT_GE(i, 0);
    ASSERT_LT(i, rows);
    ASSERT_GE(j, 0);
    ASSERT_LT(j, cols);
    EXPECT_LE(cost[i * cols + j], max_cost);
    ++row_count[i];
    ++col_count[j];
  }
  for (int i : r.unmatched_rows) ++row_count[i];
  for (int j : r.unmatched_cols) ++col_count[j];
  for (int n : row_count) EXPECT_EQ(n, 1);
  for (int n : col_count) EXPECT_EQ(n, 1);
}

TEST(AssignmentTest, PicksTheGloballyCheapestPairsNotTheGreedyOnes) {
  // Greedy would take (0,0) at 0.1 and then be forced into (1,1) at 0.9: total 1.0.
  // Optimal is (0,1) + (1,0) = 0.3 + 0.3.
  const std::vector<double> cost = {0.1, 0.3,  //
                                    0.3, 0.9};
  const AssignmentResult r = SolveAssignment(cost, 2, 2, 1.0);
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0], std::make_pair(0, 1));
  EXPECT_EQ(r.matches[1], std::make_pair(1, 0));
  EXPECT_TRUE(r.unmatched_rows.empty());
  EXPECT_TRUE(r.unmatched_cols.empty());
}

TEST(AssignmentTest, GateLeavesExpensivePairsUnmatched) {
  const std::vector<double> cost = {0.2, 0.95, 0.99,  //
                                    0.9, 0.97, 0.1};
  const AssignmentResult r = SolveAssignment(cost, 2, 3, 0.7);
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0], std::make_pair(0, 0));
  EXPECT_EQ(r.matches[1], std::make_pair(1, 2));
  EXPECT_EQ(r.unmatched_cols, std::vector<int>{1});
}

TEST(AssignmentTest, InfiniteAndNanCostsNeverMatch) {
  const std::vector<double> cost = {kInf, std::nan(""), 0.5, kInf};
  const AssignmentResult r = SolveAssignment(cost, 2, 2, 1.0);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0], std::make_pair(1, 0));
  EXPECT_EQ(r.unmatched_rows, std::vector<int>{0});
  EXPECT_EQ(r.unmatched_cols, std::vector<int>{1});
}

TEST(AssignmentTest, EmptySidesGiveNoMatches) {
  const AssignmentResult a = SolveAssignment({}, 0, 3, 1.0);
  EXPECT_TRUE(a.matches.empty());
  EXPECT_EQ(a.unmatched_cols, (std::vector<int>{0, 1, 2}));
  const AssignmentResult b = SolveAssignment({}, 2, 0, 1.0);
  EXPECT_EQ(b.unmatched_rows, (std::vector<int>{0, 1}));
}

TEST(AssignmentTest, AgreesWithBruteForceOnRandomSmallCases) {
  std::mt19937 rng(12345);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 3000; ++trial) {
    const int rows = 1 + static_cast<int>(rng() % 6), cols = 1 + static_cast<int>(rng() % 6);
    const double max_cost = 0.2 + 0.8 * unit(rng);
    std::vector<double> cost(rows * cols);
    for (double& x : cost) {
      // Mix of coarse values (many ties), fine values and forbidden pairs.
      const double kind = unit(rng);
      x = kind < 0.1 ? kInf : kind < 0.4 ? std::round(unit(rng) * 4) / 4 : unit(rng);
    }
    const AssignmentResult r = SolveAssignment(cost, rows, cols, max_cost);
    ExpectConsistent(r, cost, rows, cols, max_cost);
    EXPECT_NEAR(AssignmentObjective(cost, cols, max_cost, r),
                BruteForceObjective(cost, rows, cols, max_cost), 1e-9)
        << "trial " << trial << " (" << rows << "x" << cols << ")";
    if (HasFailure()) break;
  }
}

TEST(AssignmentTest, LargeRandomCaseIsConsistentAndNoWorseThanIdentity) {
  std::mt19937 rng(99);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int n = 150;
  std::vector<double> cost(n * n);
  for (double& x : cost) x = unit(rng);
  const AssignmentResult r = SolveAssignment(cost, n, n, 2.0);  // nothing gated away
  ExpectConsistent(r, cost, n, n, 2.0);
  EXPECT_EQ(r.matches.size(), static_cast<size_t>(n));
  double identity = 0, solved = 0;
  for (int i = 0; i < n; ++i) identity += cost[i * n + i];
  for (const auto& [i, j] : r.matches) solved += cost[i * n + j];
  // The expected optimum of an n x n uniform assignment is about pi^2/6 = 1.64.
  EXPECT_LT(solved, identity);
  EXPECT_LT(solved, 3.0);
}

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

TEST(AssignmentTest, WithoutAGateMatchesBruteForceOnRandomRectangularMatrices) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-5.0, 5.0);
  for (int trial = 0; trial < 300; ++trial) {
    const int rows = 1 + static_cast<int>(rng() % 6), cols = 1 + static_cast<int>(rng() % 6);
    std::vector<double> cost(rows * cols);
    for (double& c : cost) c = u(rng);
    const AssignmentResult r_all = SolveAssignment(cost, rows, cols, AssignmentOptions{});
    std::vector<int> a(rows, -1);
    for (const auto& [i, j] : r_all.matches) a[i] = j;
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

TEST(AssignmentTest, MaxWeightMatchingOnSparseScoresIsOptimal) {
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

TEST(AssignmentTest, MaxWeightMatchingEmptyAndThreshold) {
  EXPECT_TRUE(MaxWeightMatching({}, 0, 3).empty());
  const std::vector<double> score = {0.9, 0.0, 0.0, 0.3};
  const auto all = MaxWeightMatching(score, 2, 2);
  ASSERT_EQ(all.size(), 2u);
  const auto strict = MaxWeightMatching(score, 2, 2, 0.5);
  ASSERT_EQ(strict.size(), 1u);
  EXPECT_EQ(strict[0], std::make_pair(0, 0));
}

TEST(AssignmentTest, SplitIntoGroupsAgreesWithBruteForceOnSparseCases) {
  std::mt19937 rng(2024);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 3000; ++trial) {
    const int rows = 1 + static_cast<int>(rng() % 7), cols = 1 + static_cast<int>(rng() % 7);
    const double max_cost = 0.3 + 0.7 * unit(rng);
    std::vector<double> cost(rows * cols);
    for (double& x : cost) {
      // Mostly gated away (separate groups), with ties, exact gate values and forbidden pairs.
      const double kind = unit(rng);
      x = kind < 0.5    ? 1.5
          : kind < 0.6  ? kInf
          : kind < 0.65 ? max_cost
          : kind < 0.8  ? std::round(unit(rng) * 4) / 4
                        : unit(rng);
    }
    AssignmentOptions options;
    options.max_cost = max_cost;
    options.split_components = true;
    const AssignmentResult r = SolveAssignment(cost, rows, cols, options);
    ExpectConsistent(r, cost, rows, cols, max_cost);
    for (const auto& [i, j] : r.matches) EXPECT_LT(cost[i * cols + j], max_cost);
    EXPECT_NEAR(AssignmentObjective(cost, cols, max_cost, r),
                BruteForceObjective(cost, rows, cols, max_cost), 1e-9)
        << "trial " << trial << " (" << rows << "x" << cols << ")";
    EXPECT_NEAR(
        AssignmentObjective(cost, cols, max_cost, r),
        AssignmentObjective(cost, cols, max_cost, SolveAssignment(cost, rows, cols, max_cost)),
        1e-9);
    if (HasFailure()) break;
  }
}

TEST(AssignmentTest, SplitSolvesEachGroupOnItsOwn) {
  // Two groups {r0, r1} x {c0, c2} and {r2} x {c1}; inside the first, greedy (r0, c0) would
  // force (r1, c2) at 0.9, the optimum crosses.
  const std::vector<double> cost = {0.1, 9.0, 0.3,  //
                                    0.3, 9.0, 0.9,  //
                                    9.0, 0.5, 9.0};
  AssignmentOptions options;
  options.max_cost = 1.0;
  options.split_components = true;
  const AssignmentResult r = SolveAssignment(cost, 3, 3, options);
  const std::vector<std::pair<int, int>> expected = {{0, 2}, {1, 0}, {2, 1}};
  EXPECT_EQ(r.matches, expected);
  EXPECT_TRUE(r.unmatched_rows.empty());
  EXPECT_TRUE(r.unmatched_cols.empty());
}

TEST(AssignmentTest, SparseMaxWeightMatchingEqualsDense) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 300; ++trial) {
    const int rows = 1 + static_cast<int>(rng() % 9), cols = 1 + static_cast<int>(rng() % 9);
    std::vector<double> score(rows * cols, 0.0);
    std::vector<WeightedEdge> edges;
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < cols; ++j) {
        if (unit(rng) < 0.35) {
          score[i * cols + j] = 1 + static_cast<int>(rng() % 4);  // integer counts, many ties
          edges.push_back({i, j, score[i * cols + j]});
        }
      }
    }
    std::shuffle(edges.begin(), edges.end(), rng);  // order must not matter
    const double min_score = trial % 2 ? 1.5 : 0.0;
    EXPECT_EQ(MaxWeightMatchingSparse(edges, rows, cols, min_score),
              MaxWeightMatching(score, rows, cols, min_score))
        << "trial " << trial;
  }
}

}  // namespace
}  // namespace monokin
