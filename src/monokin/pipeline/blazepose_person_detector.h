// SPDX-License-Identifier: Apache-2.0
// The person detector the Engine uses: detect's own backends ("hog", "yolox"), or "blazepose",
// BlazePose's near-range detector from the pose stage behind the detect::Detector interface.
// It lives here because only the pipeline may join two stages.
#pragma once

#include <memory>

#include "monokin/core/status.h"
#include "monokin/detect/detector.h"
#include "monokin/pipeline/engine_options.h"

namespace monokin::pipeline {

// detect.backend "blazepose" uses pose.models_dir to find the model and detect.threads (or 1)
// for inference; its boxes are filtered by detect.min_score.
Result<std::unique_ptr<detect::Detector>> MakePersonDetector(const EngineOptions& options);

}  // namespace monokin::pipeline
