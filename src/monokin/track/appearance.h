// SPDX-License-Identifier: Apache-2.0
// Appearance features of people, for re-identification after long occlusions or re-entry.
// Built in: colour histograms of the upper and lower body. Other embedders (a re-id network)
// plug in through AppearanceEmbedder.
//
//   auto embedder = MakeColourHistogramEmbedder({});
//   std::vector<AppearanceFeature> f = embedder->Embed(frame.bgr, boxes);
//   double d = embedder->Distance(f[0], f[1]);  // 0 same look .. 1 unrelated
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <span>
#include <string>
#include <vector>

#include "monokin/core/status.h"
#include "monokin/core/types.h"

namespace monokin::track {

// Empty = no feature (box outside the image or too small).
using AppearanceFeature = std::vector<float>;

class AppearanceEmbedder {
 public:
  virtual ~AppearanceEmbedder() = default;
  // One feature per box, in the order given; boxes in full-resolution pixels of `bgr`.
  virtual std::vector<AppearanceFeature> Embed(const cv::Mat& bgr,
                                               std::span<const BoxPx> boxes) const = 0;
  // 0 (same appearance) .. 1 (unrelated); 1 when either feature is empty.
  virtual double Distance(const AppearanceFeature& a, const AppearanceFeature& b) const = 0;
  // Running average of a track's feature: `mean` moved towards `latest` by `weight` (0..1),
  // the result still comparable by Distance. An empty mean takes `latest`.
  virtual void Blend(AppearanceFeature& mean, const AppearanceFeature& latest,
                     double weight) const = 0;
  virtual std::string name() const = 0;
};

// Feature layout: for each body part (upper, lower) hue_bins x saturation_bins bins for coloured
// pixels, then value_bins for pixels of low saturation or value (no reliable hue); each part
// sums to 1, or is all zeros when the part lies outside the image.
struct ColourHistogramOptions {
  int hue_bins = 16;
  int saturation_bins = 4;
  int value_bins = 4;
  double min_box_height_px = 24;  // smaller boxes give no feature
  // Added with the implementation (defaults chosen for upright people boxes, head to feet):
  int crop_height_px = 64;          // the body region is sampled on at most this many rows, 8..512
  double width_fraction = 0.5;      // central share of the box width used, 0.1..1
  double top_skip_fraction = 0.12;  // head share of the box height skipped, 0..0.4
  double bottom_skip_fraction = 0.1;  // feet share of the box height skipped, 0..0.4
  double split_fraction = 0.5;  // upper/lower body split, share of the box height from the top
  double min_saturation = 0.2;  // pixels below this saturation (0..1) go to the value bins
  double min_value = 0.15;      // so do pixels below this value (0..1): too dark for hue
  // Every bad field, one per line ("appearance.hue_bins must be between 1 and 180; got 0").
  Status Validate() const;
};

// Options are expected to pass Validate(); out-of-range values are clamped into range.
// Embed, Distance and Blend are const and thread-safe.
std::unique_ptr<AppearanceEmbedder> MakeColourHistogramEmbedder(
    const ColourHistogramOptions& options);

}  // namespace monokin::track
