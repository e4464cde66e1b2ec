// SPDX-License-Identifier: Apache-2.0
// Box geometry shared by detectors, trackers, evaluators and writers.
#pragma once

#include "monokin/core/types.h"

namespace monokin {

// Area of the overlap of two boxes, in px^2 (0 when they do not touch).
float IntersectionArea(const BoxPx& a, const BoxPx& b);

// Intersection over union, 0..1; 0 when both boxes are empty.
float IoU(const BoxPx& a, const BoxPx& b);

// The part of `box` inside a width x height image (may become empty).
BoxPx ClipToImage(const BoxPx& box, int width_px, int height_px);

// Box scaled about its centre by (sx, sy).
BoxPx ScaleAboutCentre(const BoxPx& box, float sx, float sy);

}  // namespace monokin
