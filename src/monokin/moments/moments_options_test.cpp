// SPDX-License-Identifier: Apache-2.0
#include "monokin/moments/moments_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "monokin/core/config.h"

namespace monokin::moments {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST(MomentsOptionsTest, DefaultsAndEveryPresetValidate) {
  EXPECT_TRUE(MomentsOptions{}.Validate().ok());
  for (const std::string& name : MomentsPresetNames()) {
    Result<MomentsOptions> o = MomentsPreset(name);
    ASSERT_TRUE(o.ok()) << name;
    EXPECT_TRUE(o->Validate().ok()) << name << ": " << o->Validate().ToString();
    EXPECT_EQ(o->preset, name);
  }
}

TEST(MomentsOptionsTest, PresetsDifferWhereTheSportDoes) {
  const MomentsOptions football = *MomentsPreset("football");
  const MomentsOptions running = *MomentsPreset("running");
  const MomentsOptions gym = *MomentsPreset("gym");
  const MomentsOptions basketball = *MomentsPreset("basketball");
  EXPECT_TRUE(football.strike.feet);
  EXPECT_FALSE(running.strike.enabled);
  EXPECT_FALSE(running.repetition.enabled);
  EXPECT_TRUE(gym.repetition.enabled);
  EXPECT_FALSE(gym.sprint.enabled);
  EXPECT_FALSE(basketball.strike.feet);
  EXPECT_TRUE(basketball.strike.hands);
  EXPECT_LT(running.sprint.min_speed_mps, football.sprint.min_speed_mps);
  // Aliases give the same rules.
  EXPECT_EQ(json(*MomentsPreset("fitness")).dump(),
            json(gym).dump().replace(json(gym).dump().find("\"gym\""), 5, "\"fitness\""));
}

TEST(MomentsOptionsTest, UnknownPresetIsAnErrorListingTheKnownOnes) {
  Result<MomentsOptions> o = MomentsPreset("curling");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(o.status().message(), HasSubstr("moments.preset 'curling'"));
  EXPECT_THAT(o.status().message(), HasSubstr("football"));
}

TEST(MomentsOptionsTest, JsonRoundTripKeepsEveryField) {
  MomentsOptions o = *MomentsPreset("basketball");
  o.jump.min_flight_s = 0.25;
  o.contact.min_overlap = 0.2;
  o.strike.feet = true;
  const json j = o;
  MomentsOptions back;
  from_json(j, back);
  EXPECT_EQ(json(back).dump(), j.dump());
  EXPECT_TRUE(j.at("jump").contains("enabled"));
  EXPECT_TRUE(j.at("change_of_direction").contains("min_angle_deg"));
}

TEST(MomentsOptionsTest, ConfigStartsFromThePresetThenAppliesTheUserKeys) {
  const json patch = {{"preset", "gym"}, {"jump", {{"min_height_m", 0.2}}}};
  Result<MomentsOptions> o = MomentsOptionsFromConfig(patch, "run.json");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->preset, "gym");
  EXPECT_FALSE(o->sprint.enabled);              // from the preset
  EXPECT_DOUBLE_EQ(o->jump.min_height_m, 0.2);  // from the user
  EXPECT_DOUBLE_EQ(o->repetition.min_range, MomentsPreset("gym")->repetition.min_range);
  // Null (no "moments" key) gives the defaults.
  Result<MomentsOptions> d = MomentsOptionsFromConfig(json(), "run.json");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(json(*d).dump(), json(MomentsOptions{}).dump());
}

TEST(MomentsOptionsTest, UnknownKeysAreErrorsNamingTheKey) {
  Result<MomentsOptions> o =
      MomentsOptionsFromConfig(json{{"jump", {{"min_flite_s", 0.3}}}}, "rules.json");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(o.status().message(), HasSubstr("moments.jump.min_flite_s"));
  EXPECT_THAT(o.status().message(), HasSubstr("rules.json"));
  Result<MomentsOptions> block = MomentsOptionsFromConfig(json{{"tackle", json::object()}}, "x");
  ASSERT_FALSE(block.ok());
  EXPECT_THAT(block.status().message(), HasSubstr("moments.tackle"));
}

TEST(MomentsOptionsTest, WrongKindsAreErrorsNamingTheKey) {
  Result<MomentsOptions> o =
      MomentsOptionsFromConfig(json{{"sprint", {{"enabled", "yes"}}}}, "rules.json");
  ASSERT_FALSE(o.ok());
  EXPECT_THAT(o.status().message(), HasSubstr("moments.sprint.enabled"));
  Result<MomentsOptions> p = MomentsOptionsFromConfig(json{{"preset", 3}}, "rules.json");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("moments.preset"));
}

TEST(MomentsOptionsTest, ImpossibleValuesAreErrorsNamingEachKey) {
  Result<MomentsOptions> o = MomentsOptionsFromConfig(json{{"jump", {{"min_flight_s", -0.1}}},
                                                           {"fall", {{"max_height_ratio", 1.5}}},
                                                           {"contact", {{"min_overlap", 0}}}},
                                                      "rules.json");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(o.status().message(), HasSubstr("moments.jump.min_flight_s"));
  EXPECT_THAT(o.status().message(), HasSubstr("moments.fall.max_height_ratio"));
  EXPECT_THAT(o.status().message(), HasSubstr("moments.contact.min_overlap"));
}

TEST(MomentsOptionsTest, InconsistentPairsAreErrors) {
  MomentsOptions o;
  o.jump.max_flight_s = 0.1;  // below min_flight_s
  EXPECT_THAT(o.Validate().message(), HasSubstr("moments.jump.max_flight_s"));
  o = MomentsOptions{};
  o.fall.upright_ratio = 0.2;  // below max_height_ratio
  EXPECT_THAT(o.Validate().message(), HasSubstr("moments.fall.upright_ratio"));
  o = MomentsOptions{};
  o.sprint.min_speed_mps = std::nan("");
  EXPECT_THAT(o.Validate().message(), HasSubstr("moments.sprint.min_speed_mps"));
}

TEST(MomentsOptionsTest, PresetWinsOverAConfigAlreadyMergedOntoTheDefaults) {
  // A config built as defaults + user file {"preset": "gym", "jump": {"min_height_m": 0.2}}.
  json merged = json(MomentsOptions{});
  merged["preset"] = "gym";
  merged["jump"]["min_height_m"] = 0.2;
  Result<MomentsOptions> o = MomentsOptionsFromConfig(merged, "run.json");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_FALSE(o->sprint.enabled);
  EXPECT_DOUBLE_EQ(o->fall.max_transition_s, MomentsPreset("gym")->fall.max_transition_s);
  EXPECT_DOUBLE_EQ(o->jump.min_height_m, 0.2);
}

TEST(MomentsOptionsTest, SetOverridesASingleKeyOnTheDefaults) {
  // What the CLI does with --set moments.sprint.min_speed_mps=6.5 on the defaults.
  json base = json{{"moments", json(MomentsOptions{})}};
  ASSERT_TRUE(ApplySetting(base, "moments.sprint.min_speed_mps=6.5").ok());
  Result<MomentsOptions> o = MomentsOptionsFromConfig(base["moments"], "--set");
  ASSERT_TRUE(o.ok());
  EXPECT_DOUBLE_EQ(o->sprint.min_speed_mps, 6.5);
}

}  // namespace
}  // namespace monokin::moments
