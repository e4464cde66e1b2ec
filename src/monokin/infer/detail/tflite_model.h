// SPDX-License-Identifier: Apache-2.0
// Builds a runnable Model from the bytes of a .tflite file (what LoadTfliteModel does after
// reading the file). Used by the tests and the fuzz target.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "monokin/infer/model.h"

namespace monokin::infer::detail {

// `label` names the model in error messages (usually the file path).
Result<std::unique_ptr<Model>> LoadTfliteFromBuffer(std::span<const std::uint8_t> bytes,
                                                    const ModelOptions& options,
                                                    const std::string& label);

}  // namespace monokin::infer::detail
