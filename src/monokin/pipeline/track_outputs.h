// SPDX-License-Identifier: Apache-2.0
// After the frames of a file (offline runs): the tracker's post-processing over the whole run.
// Broken tracks of one athlete are re-linked (their series merge under the first id, and
// athletes/<id>.csv with them), and tracks.txt is rewritten with the re-linked ids and the
// short gaps interpolated. frames.jsonl and annotated.mp4 keep the live ids; the summary for
// run.json lists each re-linked id with the id it now belongs to.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "monokin/core/series.h"
#include "monokin/core/status.h"
#include "monokin/output/run_outputs.h"
#include "monokin/track/byte_tracker.h"

namespace monokin::pipeline {

struct TrackPostReport {
  nlohmann::json summary;               // {"relinked": {"7": 3}, "interpolated_boxes": n, ...}
  std::set<std::string> removed_files;  // athletes/<id>.csv merged into another athlete's file
};

// Merges the series of re-linked ids into their first id (samples in frame order; where a
// predicted sample meets a detected one in the same frame, the detected one stays).
void MergeSeries(std::vector<AthleteSeries>& series, const std::map<TrackId, TrackId>& root_of);

// Runs track::RelinkTracks / PostProcessTracks over `series` (changed in place) and rewrites the
// files in `out_dir` that `output` says exist. `options.frame_rate` is taken from `fps`.
Result<TrackPostReport> PostProcessRunTracks(std::vector<AthleteSeries>& series,
                                             track::PostProcessOptions options, double fps,
                                             const output::OutputOptions& output,
                                             const std::string& out_dir);

}  // namespace monokin::pipeline
