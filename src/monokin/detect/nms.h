// SPDX-License-Identifier: Apache-2.0
// Greedy non-maximum suppression shared by the detector backends.
#pragma once

#include <vector>

#include "monokin/core/types.h"

namespace monokin::detect {

// Keeps the highest-scoring detection of every group of overlapping ones: detections are
// visited by score, descending (ties keep their input order), and one is dropped when its IoU
// with an already kept detection is above `max_iou` (0..1). Returns the kept detections sorted
// by score, descending. O(n * kept).
std::vector<Detection> NonMaxSuppression(std::vector<Detection> detections, float max_iou);

}  // namespace monokin::detect
