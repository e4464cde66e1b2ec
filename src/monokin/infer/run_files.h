// SPDX-License-Identifier: Apache-2.0
// Runs a model on raw tensor files and writes its outputs as raw files: the back end of
// `monokin infer`, with the same output layout as the reference tool's run_tflite.mjs
// (../shared/tools/tflite-ref), so the two can be compared file by file.
//
//   MK_RETURN_IF_ERROR(infer::RunModelOnFiles("pose_landmark_full.tflite", {"in.bin"}, "out", 1));
//   // -> out/Identity.bin ... out/Identity_4.bin and out/outputs.json
#pragma once

#include <string>
#include <vector>

#include "monokin/core/status.h"

namespace monokin::infer {

// Loads the .tflite model at `model_path`, feeds `input_bins` (one file per model input, in
// order; raw float32 little-endian, row-major, exactly the input's size), runs it once with
// `threads` worker threads and writes `<out_dir>/<name>.bin` (raw float32, characters outside
// [A-Za-z0-9_.-] in the name replaced by '_') for every output, plus `<out_dir>/outputs.json`
// (model, inputs, and per output: index, name, dtype, shape, file, sha256, min, max, mean,
// non_finite; timings). Creates `out_dir` if needed.
// Errors: kNotFound (model or input missing), kUnsupported (model), kInvalidArgument (wrong
// number of inputs, or a file of the wrong size; the message gives the expected byte count),
// kUnavailable (cannot write the outputs).
Status RunModelOnFiles(const std::string& model_path, const std::vector<std::string>& input_bins,
                       const std::string& out_dir, int threads);

}  // namespace monokin::infer
