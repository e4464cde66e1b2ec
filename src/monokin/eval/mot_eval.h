// SPDX-License-Identifier: Apache-2.0
// Whole-benchmark MOT evaluation laid out as TrackEval expects: `gt_root/<seq>/gt/gt.txt` (+
// `seqinfo.ini`) and `tracker_root/<seq>.txt`. Produces per-sequence and COMBINED metrics,
// a printable table, TrackEval's detailed CSV and a JSON summary. No output to stdout here:
// the CLI prints `report.table` and calls WriteMotEvalOutputs for --out.
//
//   MK_ASSIGN_OR_RETURN(MotEvalReport r, RunMotEval("data/gt", "data/tracker", {}));
//   std::fputs(r.table.c_str(), stdout);
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/eval/mot_metrics.h"

namespace monokin::eval {

struct MotEvalOptions {
  // Optional seqmap file: a header line ("name") then one sequence name per line. Empty:
  // every folder of gt_root holding gt/gt.txt, in name order.
  std::string seqmap_path;
  std::string tracker_suffix = ".txt";  // tracker file = tracker_root/<seq><suffix>
  MotPreprocessOptions preprocess;
};

struct MotEvalReport {
  std::vector<SequenceMetrics> sequences;  // in seqmap (or name) order
  SequenceMetrics combined;                // TrackEval's COMBINED row
  std::string table;                       // human-readable summary, one row per sequence
};

// Evaluates every sequence. Errors: kNotFound (missing folder, gt, tracker file or seqmap),
// kDataLoss (malformed file, with path and line), kInvalidArgument (no sequences).
// The sequence length comes from seqinfo.ini (seqLength) and, without one, from the last frame
// of the gt and tracker files.
Result<MotEvalReport> RunMotEval(const std::string& gt_root, const std::string& tracker_root,
                                 const MotEvalOptions& options = {});

// The table of RunMotEval for any list of results (HOTA DetA AssA LocA MOTA MOTP IDF1 IDP IDR
// IDSW Frag FP FN MT PT ML), percentages with 3 decimals as TrackEval prints them.
std::string FormatMotTable(const std::vector<SequenceMetrics>& sequences,
                           const SequenceMetrics& combined);

// TrackEval's detailed CSV: header, one row per sequence, then COMBINED.
std::string DetailedCsv(const std::vector<SequenceMetrics>& sequences,
                        const SequenceMetrics& combined);

// {"sequences": {"<seq>": {"HOTA": .., ...}, ...}, "COMBINED": {...}} with the CSV's columns.
nlohmann::ordered_json SummaryJson(const MotEvalReport& report);

// Writes `out_dir/summary.json` and `out_dir/detailed.csv` (creates out_dir).
Status WriteMotEvalOutputs(const MotEvalReport& report, const std::string& out_dir);

}  // namespace monokin::eval
