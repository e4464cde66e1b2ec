// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/assignment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace monokin::track {
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

}  // namespace
}  // namespace monokin::track
