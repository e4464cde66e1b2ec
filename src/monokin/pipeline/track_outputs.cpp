// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/track_outputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "monokin/output/athlete_csv_writer.h"
#include "monokin/pipeline/detection_tracking.h"

namespace monokin::pipeline {
namespace {

Athlete AthleteOf(TrackId id, const AthleteSample& s) {
  Athlete a;
  a.id = id;
  a.box = s.box;
  a.score = s.score;
  a.frames_since_seen = s.frames_since_seen;
  return a;
}

// athletes/<id>.csv of a merged series, with the columns the run writes.
std::string AthleteCsvText(const AthleteSeries& s) {
  const std::vector<output::CsvColumn> columns = output::DefaultAthleteColumns();
  std::string text;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) text += ',';
    text += columns[i].name;
  }
  text += '\n';
  for (const AthleteSample& sample : s.samples) {
    const Athlete a = AthleteOf(s.id, sample);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) text += ',';
      text += columns[i].value(sample.frame, a);
    }
    text += '\n';
  }
  return text;
}

}  // namespace

void MergeSeries(std::vector<AthleteSeries>& series, const std::map<TrackId, TrackId>& root_of) {
  if (root_of.empty()) return;
  auto find = [&](TrackId id) {
    return std::find_if(series.begin(), series.end(),
                        [id](const AthleteSeries& s) { return s.id == id; });
  };
  for (const auto& [from, to] : root_of) {
    auto src = find(from), dst = find(to);
    if (src == series.end() || dst == series.end()) continue;
    dst->samples.insert(dst->samples.end(), src->samples.begin(), src->samples.end());
    src->samples.clear();
  }
  for (AthleteSeries& s : series) {
    // Frame order; one sample per frame: the detected one when a prediction meets a detection.
    std::vector<std::size_t> order(s.samples.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const AthleteSample &x = s.samples[a], &y = s.samples[b];
      return x.frame.index != y.frame.index ? x.frame.index < y.frame.index
                                            : x.frames_since_seen < y.frames_since_seen;
    });
    std::vector<AthleteSample> sorted;
    sorted.reserve(order.size());
    for (std::size_t i : order) {
      if (!sorted.empty() && sorted.back().frame.index == s.samples[i].frame.index) continue;
      sorted.push_back(std::move(s.samples[i]));
    }
    s.samples = std::move(sorted);
  }
  std::erase_if(series, [](const AthleteSeries& s) { return s.samples.empty(); });
}

Result<TrackPostReport> PostProcessRunTracks(std::vector<AthleteSeries>& series,
                                             track::PostProcessOptions options, double fps,
                                             const output::OutputOptions& output,
                                             const std::string& out_dir) {
  options.frame_rate = fps > 0 ? fps : 30.0;
  std::vector<track::TrackedBox> rows;
  for (const AthleteSeries& s : series) {
    for (const AthleteSample& a : s.samples) {
      rows.push_back({a.frame.index, a.time_s, s.id, a.box, a.score, a.frames_since_seen > 0});
    }
  }
  // Re-link once: the ids are applied here and the interpolation runs without re-linking.
  const std::map<TrackId, TrackId> root_of = track::RelinkTracks(rows, options);
  for (track::TrackedBox& r : rows) {
    if (auto it = root_of.find(r.id); it != root_of.end()) r.id = it->second;
  }
  track::PostProcessOptions interpolate = options;
  interpolate.relink_max_gap_s = 0;
  const std::vector<track::TrackedBox> post = track::PostProcessTracks(rows, interpolate);
  std::size_t observed = 0;
  for (const auto& r : rows) observed += !r.predicted;

  TrackPostReport report;
  MergeSeries(series, root_of);
  if (output.athletes_csv && !root_of.empty()) {
    std::set<TrackId> roots;
    for (const auto& [from, to] : root_of) roots.insert(to);
    for (const AthleteSeries& s : series) {
      if (!roots.count(s.id)) continue;
      MK_RETURN_IF_ERROR(output::WriteTextFileAtomic(
          fmt::format("{}/athletes/{}.csv", out_dir, s.id), AthleteCsvText(s)));
    }
    for (const auto& [from, to] : root_of) {
      std::error_code ec;
      std::filesystem::remove(fmt::format("{}/athletes/{}.csv", out_dir, from), ec);
      report.removed_files.insert(fmt::format("athletes/{}.csv", from));
    }
  }
  if (output.mot) {
    MK_RETURN_IF_ERROR(
        output::WriteTextFileAtomic(out_dir + "/tracks.txt", TrackedBoxesToMot(post)));
  }
  nlohmann::json relinked = nlohmann::json::object();
  for (const auto& [from, to] : root_of) relinked[std::to_string(from)] = to;
  report.summary = {{"offline", true},
                    {"options", options},
                    {"relinked", relinked},
                    {"interpolated_boxes", post.size() > observed ? post.size() - observed : 0},
                    {"files", output.mot ? nlohmann::json{"tracks.txt"} : nlohmann::json::array()}};
  return report;
}

}  // namespace monokin::pipeline
