// SPDX-License-Identifier: Apache-2.0
#include "monokin/detect/nms.h"

#include <algorithm>

#include "monokin/core/geometry.h"

namespace monokin::detect {

std::vector<Detection> NonMaxSuppression(std::vector<Detection> detections, float max_iou) {
  std::stable_sort(detections.begin(), detections.end(),
                   [](const Detection& a, const Detection& b) { return a.score > b.score; });
  std::vector<Detection> kept;
  for (const Detection& d : detections) {
    const bool overlaps = std::any_of(
        kept.begin(), kept.end(), [&](const Detection& k) { return IoU(k.box, d.box) > max_iou; });
    if (!overlaps) kept.push_back(d);
  }
  return kept;
}

}  // namespace monokin::detect
