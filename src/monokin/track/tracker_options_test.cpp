// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "monokin/track/tracker.h"

namespace monokin::track {
namespace {

using ::testing::HasSubstr;

TEST(TrackerOptionsTest, DefaultsAreValid) { EXPECT_TRUE(TrackerOptions{}.Validate().ok()); }

TEST(TrackerOptionsTest, ReportsEveryBadField) {
  TrackerOptions o;
  o.backend = "deepsort";
  o.match_iou = 0.0f;
  o.start_score = 1.5f;
  o.min_hits = 0;
  o.keep_lost_s = -1;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("track.backend must be \"byte\" or \"sort\"; got \"deepsort\""));
  EXPECT_THAT(s.message(), HasSubstr("track.match_iou must be above 0 and at most 1"));
  EXPECT_THAT(s.message(), HasSubstr("track.start_score must be between 0 and 1; got 1.5"));
  EXPECT_THAT(s.message(), HasSubstr("track.min_hits must be between 1 and 1000; got 0"));
  EXPECT_THAT(s.message(),
              HasSubstr("track.keep_lost_s must be between 0 and 3600 seconds; got -1"));
}

TEST(TrackerOptionsTest, NanIsRejected) {
  TrackerOptions o;
  o.keep_lost_s = std::numeric_limits<double>::quiet_NaN();
  o.match_iou = std::numeric_limits<float>::quiet_NaN();
  const Status s = o.Validate();
  EXPECT_THAT(s.message(), HasSubstr("track.keep_lost_s"));
  EXPECT_THAT(s.message(), HasSubstr("track.match_iou"));
}

TEST(TrackerOptionsTest, JsonRoundTripKeepsEveryField) {
  TrackerOptions in;
  in.match_iou = 0.25f;
  in.start_score = 0.7f;
  in.min_hits = 5;
  in.keep_lost_s = 2.5;
  const nlohmann::json j = in;
  for (const char* key :
       {"backend", "match_iou", "start_score", "min_hits", "keep_lost_s", "byte", "offline"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.size(), 7u);
  const TrackerOptions out = j.get<TrackerOptions>();
  EXPECT_EQ(out.backend, in.backend);
  EXPECT_EQ(out.match_iou, in.match_iou);
  EXPECT_EQ(out.start_score, in.start_score);
  EXPECT_EQ(out.min_hits, in.min_hits);
  EXPECT_EQ(out.keep_lost_s, in.keep_lost_s);
}

TEST(TrackerOptionsTest, MissingJsonKeysKeepDefaults) {
  TrackerOptions o;
  from_json(nlohmann::json{{"min_hits", 1}}, o);
  EXPECT_EQ(o.min_hits, 1);
  EXPECT_EQ(o.keep_lost_s, TrackerOptions{}.keep_lost_s);
}

TEST(TrackerOptionsTest, FactoryValidatesAndBuildsEachBackend) {
  TrackerOptions bad;
  bad.min_hits = -3;
  auto t = MakeTracker(bad);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  auto byte = MakeTracker(TrackerOptions{});
  ASSERT_TRUE(byte.ok());
  EXPECT_EQ((*byte)->name(), "byte");
  TrackerOptions sort_options;
  sort_options.backend = "sort";
  auto sort = MakeTracker(sort_options);
  ASSERT_TRUE(sort.ok());
  EXPECT_EQ((*sort)->name(), "sort");
}

TEST(TrackerOptionsTest, ByteSettingsRoundTripThroughJson) {
  TrackerOptions o;
  o.byte.keep_lost_s = 3.5;
  const nlohmann::json j = o;
  TrackerOptions back;
  from_json(j, back);
  EXPECT_EQ(back.byte.keep_lost_s, 3.5);
  back.byte.low_score = 2;
  EXPECT_EQ(back.Validate().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace monokin::track
