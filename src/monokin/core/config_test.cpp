// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/config.h"

#include <gtest/gtest.h>

namespace monokin {
namespace {

using nlohmann::json;

json Defaults() {
  return json{{"detect", {{"min_score", 0.4}, {"backend", "hog"}}},
              {"track", {{"match_iou", 0.3}, {"keep_lost_ms", 1000}}},
              {"athletes", json::object()}};
}

TEST(ConfigTest, MergePatchesKnownKeys) {
  json c = Defaults();
  ASSERT_TRUE(MergeConfig(c, json{{"track", {{"match_iou", 0.25}}}}, "f.json").ok());
  EXPECT_DOUBLE_EQ(c["track"]["match_iou"].get<double>(), 0.25);
  EXPECT_EQ(c["track"]["keep_lost_ms"], 1000);
}

TEST(ConfigTest, UnknownKeyIsAnErrorNamingThePath) {
  json c = Defaults();
  Status s = MergeConfig(c, json{{"track", {{"match_iuo", 0.25}}}}, "f.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("track.match_iuo"), std::string::npos);
  EXPECT_NE(s.message().find("match_iou"), std::string::npos);  // lists what is known
}

TEST(ConfigTest, WrongKindIsAnError) {
  json c = Defaults();
  Status s = MergeConfig(c, json{{"detect", {{"min_score", "high"}}}}, "f.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("must be a number"), std::string::npos);
}

TEST(ConfigTest, SetParsesNumbersAndStrings) {
  json c = Defaults();
  ASSERT_TRUE(ApplySetting(c, "track.keep_lost_ms=500").ok());
  ASSERT_TRUE(ApplySetting(c, "detect.backend=yolox").ok());
  EXPECT_EQ(c["track"]["keep_lost_ms"], 500);
  EXPECT_EQ(c["detect"]["backend"], "yolox");
}

TEST(ConfigTest, SetWithoutEqualsIsAnError) {
  json c = Defaults();
  EXPECT_EQ(ApplySetting(c, "track.keep_lost_ms").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplySetting(c, "nope.x=1").code(), StatusCode::kInvalidArgument);
}

TEST(ConfigTest, EmptyObjectInDefaultsIsAFreeMap) {
  json c = Defaults();
  ASSERT_TRUE(ApplySetting(c, "athletes.3={\"height_m\":1.82}").ok());
  EXPECT_DOUBLE_EQ(c["athletes"]["3"]["height_m"].get<double>(), 1.82);
}

}  // namespace
}  // namespace monokin
