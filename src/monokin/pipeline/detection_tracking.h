// SPDX-License-Identifier: Apache-2.0
// Tracking from a detection file, without images: `monokin track` and the MOT17 benchmark of
// the tracker. Detections in MOTChallenge format (frame,id,x,y,w,h,score,...); scores outside
// 0..1 (DPM's raw SVM scores) are mapped to 0..1 with the logistic 1/(1+e^-s). Frame times
// are (frame - 1) / frameRate from seqinfo.ini.
#pragma once

#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/eval/mot_data.h"
#include "monokin/track/byte_tracker.h"
#include "monokin/track/tracker.h"

namespace monokin::pipeline {

// Detections of each frame (index = frame - 1) as the tracker takes them.
std::vector<std::vector<Detection>> DetectionsPerFrame(const eval::MotSequence& detections);

// Runs a fresh tracker over `per_frame`; with `post`, the byte tracker's offline
// post-processing follows (its frame_rate is taken from `info`). Rows sorted by frame, then id.
Result<std::vector<track::TrackedBox>> TrackFrames(
    const std::vector<std::vector<Detection>>& per_frame, const eval::SeqInfo& info,
    const track::TrackerOptions& options, const track::PostProcessOptions* post = nullptr);

// MOTChallenge text of tracker rows (output::MotLine): frame (1-based),id,x,y,w,h,score,-1,-1,-1.
std::string TrackedBoxesToMot(const std::vector<track::TrackedBox>& rows);

// Loads det_path and seqinfo_path, tracks, and writes the MOTChallenge result to out_path.
Status TrackDetectionFile(const std::string& det_path, const std::string& seqinfo_path,
                          const track::TrackerOptions& options, bool offline,
                          const std::string& out_path);

}  // namespace monokin::pipeline
