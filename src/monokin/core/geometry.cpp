// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/geometry.h"

#include <algorithm>

namespace monokin {

float IntersectionArea(const BoxPx& a, const BoxPx& b) {
  const float w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const float h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0.0f;
}

float IoU(const BoxPx& a, const BoxPx& b) {
  const float inter = IntersectionArea(a, b);
  const float uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

BoxPx ClipToImage(const BoxPx& box, int width_px, int height_px) {
  const float x0 = std::clamp(box.x, 0.0f, static_cast<float>(width_px));
  const float y0 = std::clamp(box.y, 0.0f, static_cast<float>(height_px));
  const float x1 = std::clamp(box.x + box.w, 0.0f, static_cast<float>(width_px));
  const float y1 = std::clamp(box.y + box.h, 0.0f, static_cast<float>(height_px));
  return {x0, y0, std::max(0.0f, x1 - x0), std::max(0.0f, y1 - y0)};
}

BoxPx ScaleAboutCentre(const BoxPx& box, float sx, float sy) {
  const float w = box.w * sx, h = box.h * sy;
  return {box.cx() - w / 2, box.cy() - h / 2, w, h};
}

}  // namespace monokin
