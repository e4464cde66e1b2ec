// SPDX-License-Identifier: Apache-2.0
// MOTChallenge text files (ground truth, tracker output, detections) and seqinfo.ini, read
// with validation: every malformed row gives an error naming the file and the line.
//
//   MK_ASSIGN_OR_RETURN(SeqInfo info, LoadSeqInfo(dir + "/seqinfo.ini"));
//   MK_ASSIGN_OR_RETURN(MotSequence gt, LoadMotFile(dir + "/gt/gt.txt", MotFileKind::kGroundTruth,
//                                                   info.length));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "monokin/core/status.h"

namespace monokin::eval {

// One row of a MOT file: `frame,id,x,y,w,h,conf,class,visibility[,...]`.
struct MotBox {
  std::int64_t id = -1;    // track or gt identity; -1 in detection files
  double x = 0, y = 0;     // top-left corner, pixels
  double w = 0, h = 0;     // size, pixels, >= 0
  double conf = 1;         // gt: 0 = ignore, 1 = evaluate; tracker/detections: score
  int class_id = -1;       // MOT17 class (1 pedestrian, ...); -1 when the column is absent
  double visibility = -1;  // gt visibility 0..1; -1 when absent
  int line = 0;            // 1-based line in the file, for messages
};

// The rows of one file grouped by frame: frames[t] holds the rows of frame t + 1.
struct MotSequence {
  std::string name;  // sequence name (folder or file stem)
  std::string path;  // file it came from
  std::vector<std::vector<MotBox>> frames;
  int num_columns = 0;  // fewest columns seen on a row (0 for an empty file)
  std::size_t num_rows() const;
};

enum class MotFileKind {
  kGroundTruth,  // ids >= 0, unique per frame; needs conf (7 columns)
  kTracker,      // ids >= 0, unique per frame; 6 columns are enough (conf defaults to 1)
  kDetections,   // ids ignored (usually -1); needs a score (7 columns)
};

// Reads a MOT file. Separators: commas and/or spaces (MOTChallenge, and SportsMOT's ", ").
// Empty lines are skipped; frames may be unsorted. `num_frames` > 0 fixes the sequence length
// (rows past it are an error, as in TrackEval); 0 sizes it to the last frame in the file.
// Errors: kNotFound (no file), kDataLoss (a bad row: too few columns, text, NaN or infinity,
// negative size, non-integer or out-of-range frame or id, an id twice in one frame), with
// "path:line: reason".
Result<MotSequence> LoadMotFile(const std::string& path, MotFileKind kind, int num_frames = 0);

// Same, from text already in memory (`path` only names it in messages).
Result<MotSequence> ParseMotText(const std::string& text, const std::string& path, MotFileKind kind,
                                 int num_frames = 0);

// The [Sequence] section of a MOTChallenge seqinfo.ini.
struct SeqInfo {
  std::string name;
  int length = 0;  // frames (seqLength)
  double frame_rate = 0;
  int width_px = 0, height_px = 0;
};
Result<SeqInfo> LoadSeqInfo(const std::string& path);

}  // namespace monokin::eval
