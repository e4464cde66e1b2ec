// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/detail/pts_sequencer.h"

#include <gtest/gtest.h>

#include <random>

namespace monokin::video::detail {
namespace {

TEST(PtsSequencerTest, PassesIncreasingContainerTimesThrough) {
  PtsSequencer seq(25, "t");
  EXPECT_EQ(seq.Next(0, 0), Micros(0));
  EXPECT_EQ(seq.Next(40'000, 1), Micros(40'000));
  EXPECT_EQ(seq.Next(150'000, 2), Micros(150'000));
  EXPECT_EQ(seq.missing_count(), 0);
  EXPECT_EQ(seq.repeated_count(), 0);
}

TEST(PtsSequencerTest, KeepsANonZeroStart) {
  PtsSequencer seq(25, "t");
  EXPECT_EQ(seq.Next(80'000, 0), Micros(80'000));
  EXPECT_EQ(seq.Next(120'000, 1), Micros(120'000));
}

TEST(PtsSequencerTest, RepeatedPtsIsNudgedByOneMicrosecond) {
  PtsSequencer seq(25, "t");
  seq.Next(0, 0);
  seq.Next(40'000, 1);
  EXPECT_EQ(seq.Next(40'000, 2), Micros(40'001));
  EXPECT_EQ(seq.Next(30'000, 3), Micros(40'002));  // backwards
  EXPECT_EQ(seq.Next(80'000, 4), Micros(80'000));
  EXPECT_EQ(seq.repeated_count(), 2);
}

TEST(PtsSequencerTest, MissingPtsIsExtrapolatedFromTheLastInterval) {
  PtsSequencer seq(25, "t");
  seq.Next(0, 0);
  seq.Next(100'000, 1);
  seq.Next(200'000, 2);
  EXPECT_EQ(seq.Next(0, 3), Micros(300'000));
  EXPECT_EQ(seq.Next(0, 4), Micros(400'000));
  EXPECT_EQ(seq.missing_count(), 2);
}

TEST(PtsSequencerTest, NoTimingAtAllFallsBackToNominalRate) {
  PtsSequencer seq(50, "t");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(seq.Next(0, i), Micros(i * 20'000));
}

TEST(PtsSequencerTest, OutputAlwaysStrictlyIncreases) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<std::int64_t> value(0, 1'000'000);
  PtsSequencer seq(0, "t");
  Micros last{-1};
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t raw = kind(rng) == 0 ? 0 : value(rng);
    const Micros t = seq.Next(raw, i);
    ASSERT_GT(t, last) << "frame " << i;
    last = t;
  }
}

}  // namespace
}  // namespace monokin::video::detail
