// SPDX-License-Identifier: Apache-2.0
// Text outputs of kinematics; the output stage decides where they go. CSV columns for
// athletes/<id>.csv, OpenSim .trc (markers) and .mot (angles), and a JSON summary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "monokin/core/series.h"

namespace monokin::kinematics {

// Column names (each ends with its unit, e.g. "angle_knee_left_deg", "com_speed_m_s") of the
// kinematics part of a CSV row: every signal, in AthleteKinematics order.
std::vector<std::string> CsvColumns(const AthleteKinematics& k);

// The values of sample `i` for CsvColumns, comma-separated, 4 decimals, empty for NaN.
std::string CsvRow(const AthleteKinematics& k, size_t i);

// Sample index of `frame` in k, or -1 (to join with per-frame rows).
long SampleOf(const AthleteKinematics& k, FrameIndex frame);

// A whole CSV table: "frame,time_s," + CsvColumns, one line per sample.
std::string KinematicsCsv(const AthleteKinematics& k);

// OpenSim .trc marker file (PathFileType 4, X/Y/Z) of k.markers; `file_name` goes in the
// header. Missing markers are empty fields.
std::string TrcText(const AthleteKinematics& k, const std::string& file_name);

// OpenSim .mot storage (inDegrees=yes) of the joint angles: 3D when present, else 2D.
std::string MotText(const AthleteKinematics& k, const std::string& name);

// Summary: scale, sample rate, per-angle ranges of motion (5th-95th percentile and min/max),
// centre-of-mass distance and speeds, repetitions and gait.
nlohmann::json SummaryJson(const AthleteKinematics& k);

}  // namespace monokin::kinematics
