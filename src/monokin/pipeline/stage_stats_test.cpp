// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/stage_stats.h"

#include <gtest/gtest.h>

namespace monokin::pipeline {
namespace {

TEST(StageStatsTest, SummarisesPercentiles) {
  StageStats s("detect");
  for (int ms = 1; ms <= 100; ++ms) s.Add(std::chrono::milliseconds(ms));
  StageSummary sum = s.Summarise();
  EXPECT_EQ(sum.calls, 100);
  EXPECT_NEAR(sum.mean_ms, 50.5, 1e-9);
  EXPECT_NEAR(sum.p50_ms, 50, 1e-9);
  EXPECT_NEAR(sum.p95_ms, 95, 1e-9);
  EXPECT_NEAR(sum.max_ms, 100, 1e-9);
}

TEST(StageStatsTest, EmptyIsZero) {
  StageSummary sum = StageStats("x").Summarise();
  EXPECT_EQ(sum.calls, 0);
  EXPECT_EQ(sum.p95_ms, 0);
}

}  // namespace
}  // namespace monokin::pipeline
