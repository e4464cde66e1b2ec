// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/export.h"

#include <gtest/gtest.h>

#include <sstream>

namespace monokin::kinematics {
namespace {

AthleteKinematics Small() {
  AthleteKinematics k;
  k.id = 2;
  k.sample_rate_hz = 30;
  k.frames = {10, 11, 12};
  k.time_s = {1.0, 1.0 + 1 / 30.0, 1.0 + 2 / 30.0};
  k.signals.push_back({"angle3d_knee_left_deg", "deg", {10, NAN, 30}});
  k.signals.push_back({"com_speed_m_s", "m/s", {1, 2, 3}});
  k.markers.names = {"a", "b"};
  k.markers.xyz = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, NAN};
  k.repetitions.signal = "angle3d_knee_left_deg";
  k.repetitions.repetitions.push_back({});
  return k;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(Export, CsvHasUnitsInHeaderAndEmptyNaN) {
  const AthleteKinematics k = Small();
  const std::vector<std::string> lines = Lines(KinematicsCsv(k));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "frame,time_s,angle3d_knee_left_deg,com_speed_m_s");
  EXPECT_EQ(lines[2], "11,1.033333,,2.0000");
  EXPECT_EQ(SampleOf(k, 12), 2);
  EXPECT_EQ(SampleOf(k, 13), -1);
}

TEST(Export, TrcHeaderFollowsTheFormat) {
  const std::vector<std::string> l = Lines(TrcText(Small(), "athlete_2.trc"));
  ASSERT_EQ(l.size(), 9u);
  EXPECT_EQ(l[0], "PathFileType\t4\t(X/Y/Z)\tathlete_2.trc");
  EXPECT_EQ(l[2], "30.000000\t30.000000\t3\t2\tm\t30.000000\t1\t3");
  EXPECT_EQ(l[3], "Frame#\tTime\ta\t\t\tb\t\t");
  EXPECT_EQ(l[4], "\t\tX1\tY1\tZ1\tX2\tY2\tZ2");
  EXPECT_EQ(l[5], "");
  EXPECT_EQ(l[6].substr(0, 10), "1\t0.000000");
  EXPECT_EQ(l[8].substr(l[8].size() - 1), "\t");  // missing Z of marker b: empty field
}

TEST(Export, MotHeaderAndColumns) {
  const std::vector<std::string> l = Lines(MotText(Small(), "athlete_2"));
  ASSERT_EQ(l.size(), 10u);
  EXPECT_EQ(l[2], "nRows=3");
  EXPECT_EQ(l[3], "nColumns=2");
  EXPECT_EQ(l[4], "inDegrees=yes");
  EXPECT_EQ(l[5], "endheader");
  EXPECT_EQ(l[6], "time\tangle3d_knee_left_deg");
  EXPECT_EQ(l[8], "0.033333\tNaN");
}

TEST(Export, SummaryHasRangesRepetitionsGaitAndScale) {
  const nlohmann::json j = SummaryJson(Small());
  EXPECT_EQ(j.at("repetitions").at("count"), 1);
  EXPECT_DOUBLE_EQ(j.at("range_of_motion_deg").at("angle3d_knee_left_deg").at("max"), 30.0);
  EXPECT_EQ(j.at("scale").at("source"), "none");
  EXPECT_TRUE(j.at("gait").contains("cadence_spm"));
}

}  // namespace
}  // namespace monokin::kinematics
