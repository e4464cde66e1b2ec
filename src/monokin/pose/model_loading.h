// SPDX-License-Identifier: Apache-2.0
// What the BlazePose detector and landmark model share: loading a .tflite model whose only
// input is one square RGB image, finding its outputs by their size, and running it on one
// image.
//
//   MK_ASSIGN_OR_RETURN(auto model,
//                       LoadSquareImageModel(path, threads, 224, "the BlazePose detector"));
//   const int scores = OutputWithElements(*model, 2254);  // -1 when there is none
//   MK_ASSIGN_OR_RETURN(auto outs, RunOnImage(*model, std::move(pixels), "the BlazePose
//   detector"));
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/infer/model.h"

namespace monokin::pose {

// Number of values in a tensor of `shape` (a negative dimension counts as 0).
std::size_t ShapeElements(const std::vector<int>& shape);

// Loads the .tflite model at `path` and checks that its only input is 1 x side_px x side_px x 3.
// `what` names the model in messages ("the BlazePose detector"). kNotFound / kUnsupported from
// the loader (in the context "loading <what>"); kUnsupported for any other input.
Result<std::unique_ptr<infer::Model>> LoadSquareImageModel(const std::string& path, int threads,
                                                           int side_px, std::string_view what);

// Index of the last output of `model` holding exactly `elements` values, or -1.
int OutputWithElements(const infer::Model& model, std::size_t elements);

// Runs `model` on `pixels`, the tensor of its only input (NHWC, its shape); errors in the
// context "running <what>".
Result<std::vector<infer::Tensor>> RunOnImage(infer::Model& model, std::vector<float> pixels,
                                              std::string_view what);

}  // namespace monokin::pose
