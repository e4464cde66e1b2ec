// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/kinematics_outputs.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "monokin/kinematics/export.h"
#include "monokin/output/run_outputs.h"

namespace monokin::pipeline {
namespace {

int CountPoses(const AthleteSeries& s) {
  int n = 0;
  for (const AthleteSample& a : s.samples) n += a.pose.has_value();
  return n;
}

// athletes/<id>.csv as written during the run, with the kinematics columns appended to each
// row of the same frame (empty where the athlete has no kinematics sample).
Status ExtendAthleteCsv(const std::string& path, const AthleteKinematics& k) {
  std::ifstream in(path);
  if (!in) return OkStatus();  // the per-athlete CSV is switched off
  const std::vector<std::string> columns = kinematics::CsvColumns(k);
  const std::string empty_row(columns.empty() ? 0 : columns.size() - 1, ',');
  std::string text, line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    text += line;
    if (header) {
      for (const std::string& c : columns) text += "," + c;
      header = false;
    } else {
      const long frame = std::strtol(line.c_str(), nullptr, 10);
      const long i = kinematics::SampleOf(k, frame);
      text += "," + (i >= 0 ? kinematics::CsvRow(k, static_cast<std::size_t>(i)) : empty_row);
    }
    text += "\n";
  }
  return output::WriteTextFileAtomic(path, text);
}

}  // namespace

Result<KinematicsReport> WriteKinematicsOutputs(const std::vector<AthleteSeries>& series,
                                                const kinematics::KinematicsOptions& options,
                                                const std::string& out_dir,
                                                int min_pose_samples) {
  KinematicsReport report;
  nlohmann::json problems = nlohmann::json::array();
  nlohmann::json summaries = nlohmann::json::object();
  std::vector<std::string> files;
  const std::string dir = out_dir + "/athletes";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const AthleteSeries& s : series) {
    if (CountPoses(s) < min_pose_samples) continue;
    Result<kinematics::KinematicsOptions> per = options.ForAthlete(s.id);
    if (!per.ok()) return per.status();
    Result<AthleteKinematics> k = kinematics::ComputeKinematics(s, *per);
    if (!k.ok()) {
      problems.push_back(fmt::format("athlete {}: {}", s.id, k.status().message()));
      continue;
    }
    const std::string base = dir + "/" + std::to_string(s.id);
    MK_RETURN_IF_ERROR(ExtendAthleteCsv(base + ".csv", *k));
    MK_RETURN_IF_ERROR(output::WriteTextFileAtomic(
        base + ".trc", kinematics::TrcText(*k, std::to_string(s.id) + ".trc")));
    MK_RETURN_IF_ERROR(output::WriteTextFileAtomic(
        base + ".mot", kinematics::MotText(*k, "athlete " + std::to_string(s.id))));
    files.push_back(fmt::format("athletes/{}.trc", s.id));
    files.push_back(fmt::format("athletes/{}.mot", s.id));
    summaries[std::to_string(s.id)] = kinematics::SummaryJson(*k);
    report.athletes.push_back(std::move(*k));
  }
  MK_RETURN_IF_ERROR(output::WriteJsonFileAtomic(
      out_dir + "/kinematics.json", nlohmann::json{{"athletes", summaries}}));
  files.push_back("kinematics.json");
  report.summary = {{"athletes", report.athletes.size()}, {"files", files}, {"problems", problems}};
  return report;
}

}  // namespace monokin::pipeline
