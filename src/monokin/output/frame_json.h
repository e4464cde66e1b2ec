// SPDX-License-Identifier: Apache-2.0
// One FrameResult as one JSON object: the line format of frames.jsonl, reused by the live view.
// Floats are rounded to fixed precision (pixels 2 decimals, scores 4, world metres 4, time 6)
// so files stay small and diffs readable. The schema is in this folder's README.md.
//
//   nlohmann::json j = output::FrameResultToJson(result);
//   std::string line = j.dump();  // compact, keys sorted
#pragma once

#include <nlohmann/json.hpp>

#include "monokin/core/types.h"

namespace monokin::output {

// {"frame", "t", "width", "height", "detections": [{"box", "score"}],
//  "athletes": [{"id", "box", "score", "pose"?: {"score", "keypoints", "world"}}]}.
// "pose" is present only when the athlete has one. Never throws.
nlohmann::json FrameResultToJson(const FrameResult& result);

}  // namespace monokin::output
