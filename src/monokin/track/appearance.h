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

struct ColourHistogramOptions {
  int hue_bins = 16;
  int saturation_bins = 4;
  int value_bins = 4;
  double min_box_height_px = 24;  // smaller boxes give no feature
};

std::unique_ptr<AppearanceEmbedder> MakeColourHistogramEmbedder(
    const ColourHistogramOptions& options);

}  // namespace monokin::track
