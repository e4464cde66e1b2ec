// SPDX-License-Identifier: Apache-2.0
// The files of one analysis folder, written as the run goes so that an interrupted run keeps
// every completed frame: frames.jsonl (one JSON line per frame), tracks.txt (MOTChallenge),
// athletes/<id>.csv (per-athlete time series) and annotated.mp4 (boxes, ids, short trails).
// run.json is assembled by the pipeline and written with WriteJsonFileAtomic.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"

namespace monokin::output {

struct OutputOptions {
  bool annotated_video = true;  // write annotated.mp4
  // "auto" (H.264 when the writer has it, else MPEG-4), "h264", "mp4v", "mjpg" (annotated.avi)
  std::string video_codec = "auto";
  int trail_frames = 30;     // length of the drawn trail behind each athlete, frames
  bool frames_jsonl = true;  // write frames.jsonl
  bool athletes_csv = true;  // write athletes/<id>.csv
  bool mot = true;           // write tracks.txt
  bool highlights = true;    // cut highlights/<n>_<type>_<ids>.mp4 and highlights.mp4 (file input)
  double highlight_pre_roll_s = 2.0;   // seconds of video kept before each key moment
  double highlight_post_roll_s = 2.0;  // seconds of video kept after each key moment
  Status Validate() const;
};
void to_json(nlohmann::json& j, const OutputOptions& o);
void from_json(const nlohmann::json& j, OutputOptions& o);

// Owns every per-frame writer of one run. One thread at a time, frames in order.
class RunOutputs {
 public:
  // Creates `dir` (and parents) and checks it is writable. kFailedPrecondition with the path
  // and the reason when it is not. `fps` is the nominal frame rate for the annotated video.
  static Result<std::unique_ptr<RunOutputs>> Create(const std::string& dir,
                                                    const OutputOptions& options, double fps);
  virtual ~RunOutputs() = default;
  // Appends one frame to every output; each text line is flushed before returning.
  // `bgr` is the frame's picture, used only for the annotated video (may be empty otherwise).
  virtual Status Write(const FrameResult& result, const cv::Mat& bgr) = 0;
  // Flushes and closes every file (the video trailer too). Idempotent.
  virtual Status Close() = 0;
  // Paths written so far, relative to the folder.
  virtual std::vector<std::string> files() const = 0;
  // Codec of the annotated video for run.json: "h264", "mp4v" or "mjpg"; "" while no frame
  // has been written or when the video is off. Chosen at the first frame.
  virtual std::string video_codec_used() const { return {}; }
};

// Writes `j` to `path` through a temporary file and a rename, so readers never see half a
// file. kFailedPrecondition when the folder is not writable.
Status WriteJsonFileAtomic(const std::string& path, const nlohmann::json& j);

// Writes `text` to `path` the same way (temporary file, then rename).
Status WriteTextFileAtomic(const std::string& path, const std::string& text);

}  // namespace monokin::output
