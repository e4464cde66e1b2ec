// SPDX-License-Identifier: Apache-2.0
#include "monokin/eval/mot_eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace monokin::eval {
namespace fs = std::filesystem;
namespace {

Result<std::vector<std::string>> ReadSeqmap(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("cannot open seqmap '{}'", path));
  std::vector<std::string> names;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t b = line.find_first_not_of(" \t,");
    if (b == std::string::npos) continue;
    const size_t e = line.find_first_of(" \t,", b);
    std::string name = line.substr(b, e == std::string::npos ? std::string::npos : e - b);
    if (first) {
      first = false;
      if (name == "name") continue;  // TrackEval's header
    }
    names.push_back(name);
  }
  return names;
}

std::string Pct(double v) { return fmt::format("{:.3f}", 100.0 * v); }

}  // namespace

Result<MotEvalReport> RunMotEval(const std::string& gt_root, const std::string& tracker_root,
                                 const MotEvalOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(gt_root, ec)) {
    return NotFound(fmt::format("ground-truth folder '{}' does not exist", gt_root));
  }
  if (!fs::is_directory(tracker_root, ec)) {
    return NotFound(fmt::format("tracker folder '{}' does not exist", tracker_root));
  }
  std::vector<std::string> names;
  if (!options.seqmap_path.empty()) {
    MK_ASSIGN_OR_RETURN(names, ReadSeqmap(options.seqmap_path));
  } else {
    for (const auto& entry : fs::directory_iterator(gt_root, ec)) {
      if (entry.is_directory() && fs::exists(entry.path() / "gt" / "gt.txt")) {
        names.push_back(entry.path().filename().string());
      }
    }
    std::sort(names.begin(), names.end());
  }
  if (names.empty()) {
    return InvalidArgument(fmt::format("no sequences to evaluate in '{}'", gt_root));
  }
  MotEvalReport report;
  for (const std::string& name : names) {
    const fs::path seq_dir = fs::path(gt_root) / name;
    const std::string gt_path = (seq_dir / "gt" / "gt.txt").string();
    const std::string tracker_path =
        (fs::path(tracker_root) / (name + options.tracker_suffix)).string();
    if (!fs::exists(gt_path)) return NotFound(fmt::format("ground truth '{}' not found", gt_path));
    if (!fs::exists(tracker_path)) {
      return NotFound(
          fmt::format("tracker file '{}' not found for sequence {}", tracker_path, name));
    }
    int length = 0;
    const fs::path ini = seq_dir / "seqinfo.ini";
    if (fs::exists(ini)) {
      MK_ASSIGN_OR_RETURN(SeqInfo info, LoadSeqInfo(ini.string()));
      length = info.length;
    }
    MK_ASSIGN_OR_RETURN(MotSequence gt, LoadMotFile(gt_path, MotFileKind::kGroundTruth, length));
    MK_ASSIGN_OR_RETURN(MotSequence tracker,
                        LoadMotFile(tracker_path, MotFileKind::kTracker, length));
    gt.name = name;
    tracker.name = name;
    MK_ASSIGN_OR_RETURN(SequenceMetrics m, EvaluateSequence(gt, tracker, options.preprocess));
    report.sequences.push_back(std::move(m));
  }
  report.combined = CombineSequences(report.sequences);
  report.table = FormatMotTable(report.sequences, report.combined);
  return report;
}

std::string FormatMotTable(const std::vector<SequenceMetrics>& sequences,
                           const SequenceMetrics& combined) {
  size_t width = 8;
  for (const auto& s : sequences) width = std::max(width, s.name.size());
  std::string out = fmt::format(
      "{:<{}} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>5} {:>5} {:>6} {:>6} "
      "{:>4} {:>4} {:>4}\n",
      "Sequence", width, "HOTA", "DetA", "AssA", "LocA", "MOTA", "MOTP", "IDF1", "IDP", "IDR",
      "IDSW", "Frag", "FP", "FN", "MT", "PT", "ML");
  auto row = [&](const SequenceMetrics& m) {
    const auto& h = m.hota;
    const auto& c = m.clear;
    const auto& i = m.identity;
    out += fmt::format(
        "{:<{}} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>5} {:>5} {:>6} {:>6} "
        "{:>4} {:>4} {:>4}\n",
        m.name, width, Pct(Mean(h.hota)), Pct(Mean(h.det_a)), Pct(Mean(h.ass_a)),
        Pct(Mean(h.loc_a)), Pct(c.mota), Pct(c.motp), Pct(i.idf1), Pct(i.idp), Pct(i.idr), c.idsw,
        c.frag, c.fp, c.fn, c.mt, c.pt, c.ml);
  };
  for (const auto& s : sequences) row(s);
  row(combined);
  return out;
}

std::string DetailedCsv(const std::vector<SequenceMetrics>& sequences,
                        const SequenceMetrics& combined) {
  std::string out = "seq";
  for (const auto& [name, value] : DetailedColumns(combined)) out += "," + name;
  out += "\n";
  auto row = [&](const SequenceMetrics& m) {
    out += m.name;
    for (const auto& [name, value] : DetailedColumns(m)) out += fmt::format(",{}", value);
    out += "\n";
  };
  for (const auto& s : sequences) row(s);
  row(combined);
  return out;
}

nlohmann::ordered_json SummaryJson(const MotEvalReport& report) {
  auto to_json = [](const SequenceMetrics& m) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [name, value] : DetailedColumns(m)) j[name] = value;
    return j;
  };
  nlohmann::ordered_json j;
  j["sequences"] = nlohmann::ordered_json::object();
  for (const auto& s : report.sequences) j["sequences"][s.name] = to_json(s);
  j["COMBINED"] = to_json(report.combined);
  return j;
}

Status WriteMotEvalOutputs(const MotEvalReport& report, const std::string& out_dir) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return InvalidArgument(fmt::format("cannot create '{}': {}", out_dir, ec.message()));
  const std::string csv_path = (fs::path(out_dir) / "detailed.csv").string();
  const std::string json_path = (fs::path(out_dir) / "summary.json").string();
  {
    std::ofstream csv(csv_path);
    csv << DetailedCsv(report.sequences, report.combined);
    if (!csv) return DataLoss(fmt::format("cannot write '{}'", csv_path));
  }
  std::ofstream json(json_path);
  json << SummaryJson(report).dump(1) << "\n";
  if (!json) return DataLoss(fmt::format("cannot write '{}'", json_path));
  return OkStatus();
}

}  // namespace monokin::eval
