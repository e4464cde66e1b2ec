// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/appearance.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "monokin/core/options.h"

namespace monokin::track {
namespace {

constexpr int kParts = 2;  // upper body, lower body
// A part whose visible (in-image) area is below this share of its nominal area is treated as
// missing: a sliver at the image border says little about the whole shirt or trousers.
constexpr double kMinPartVisibleShare = 0.3;

// Soft assignment of a scalar to two neighbouring bins (linear interpolation between bin
// centres): small shifts (lighting, compression) move weight gradually instead of flipping a
// whole pixel into the next bin.
struct SoftBin {
  int lo = 0, hi = 0;
  float w_hi = 0;  // weight of `hi`; `lo` gets 1 - w_hi
};

SoftBin SoftBinLinear(double pos, int bins) {  // pos in bin units, centres at 0..bins-1
  if (pos <= 0) return {0, 0, 0};
  if (pos >= bins - 1) return {bins - 1, bins - 1, 0};
  const int lo = static_cast<int>(std::floor(pos));
  return {lo, lo + 1, static_cast<float>(pos - lo)};
}

SoftBin SoftBinCircular(double pos, int bins) {
  const int lo = static_cast<int>(std::floor(pos));
  const float frac = static_cast<float>(pos - lo);
  return {((lo % bins) + bins) % bins, ((lo + 1) % bins + bins) % bins, frac};
}

// OpenCV's 8-bit HSV (cv::COLOR_BGR2HSV): H 0..179 (degrees / 2), S and V 0..255.
struct HsvPixel {
  int h = 0, s = 0, v = 0;
};

HsvPixel ToHsv(int b, int g, int r) {
  const int v = std::max({b, g, r});
  const int diff = v - std::min({b, g, r});
  if (diff == 0) return {0, 0, v};
  const int s = (255 * diff + v / 2) / v;
  double h_deg;
  if (v == r) {
    h_deg = 60.0 * (g - b) / diff;
  } else if (v == g) {
    h_deg = 120.0 + 60.0 * (b - r) / diff;
  } else {
    h_deg = 240.0 + 60.0 * (r - g) / diff;
  }
  if (h_deg < 0) h_deg += 360;
  return {static_cast<int>(h_deg / 2 + 0.5) % 180, s, v};
}

ColourHistogramOptions Clamped(ColourHistogramOptions o) {
  o.hue_bins = std::clamp(o.hue_bins, 1, 180);
  o.saturation_bins = std::clamp(o.saturation_bins, 1, 64);
  o.value_bins = std::clamp(o.value_bins, 1, 64);
  if (!(o.min_box_height_px >= 0)) o.min_box_height_px = 0;
  o.crop_height_px = std::clamp(o.crop_height_px, 8, 512);
  const auto clamp_or = [](double v, double lo, double hi) {
    return std::isfinite(v) ? std::clamp(v, lo, hi) : lo;
  };
  o.width_fraction = clamp_or(o.width_fraction, 0.1, 1.0);
  o.top_skip_fraction = clamp_or(o.top_skip_fraction, 0.0, 0.4);
  o.bottom_skip_fraction = clamp_or(o.bottom_skip_fraction, 0.0, 0.4);
  o.min_saturation = clamp_or(o.min_saturation, 0.0, 1.0);
  o.min_value = clamp_or(o.min_value, 0.0, 1.0);
  const double top = o.top_skip_fraction, bottom = 1.0 - o.bottom_skip_fraction;
  if (!(o.split_fraction > top && o.split_fraction < bottom)) o.split_fraction = (top + bottom) / 2;
  return o;
}

class ColourHistogramEmbedder final : public AppearanceEmbedder {
 public:
  explicit ColourHistogramEmbedder(const ColourHistogramOptions& options)
      : o_(Clamped(options)),
        chroma_bins_(o_.hue_bins * o_.saturation_bins),
        part_size_(chroma_bins_ + o_.value_bins) {
    // Lookup tables over the 8-bit HSV values of OpenCV (H 0..179, S and V 0..255).
    for (int h = 0; h < 180; ++h)
      hue_[h] = SoftBinCircular(h / 180.0 * o_.hue_bins - 0.5, o_.hue_bins);
    const double s_min = o_.min_saturation * 255.0, v_min = o_.min_value * 255.0;
    for (int i = 0; i < 256; ++i) {
      value_[i] = SoftBinLinear(i / 256.0 * o_.value_bins - 0.5, o_.value_bins);
      sat_[i] =
          i < s_min
              ? -1
              : std::min(o_.saturation_bins - 1,
                         static_cast<int>((i - s_min) / (256.0 - s_min) * o_.saturation_bins));
      dark_[i] = i < v_min;
    }
  }

  std::vector<AppearanceFeature> Embed(const cv::Mat& bgr,
                                       std::span<const BoxPx> boxes) const override {
    std::vector<AppearanceFeature> out(boxes.size());
    if (bgr.empty() || bgr.type() != CV_8UC3) return out;
    for (size_t i = 0; i < boxes.size(); ++i) out[i] = EmbedOne(bgr, boxes[i]);
    return out;
  }

  double Distance(const AppearanceFeature& a, const AppearanceFeature& b) const override {
    if (!Valid(a) || !Valid(b)) return 1.0;
    double sum = 0;
    int shared = 0;
    for (int p = 0; p < kParts; ++p) {
      const float* pa = a.data() + p * part_size_;
      const float* pb = b.data() + p * part_size_;
      double sa = 0, sb = 0, bc = 0;
      for (int i = 0; i < part_size_; ++i) {
        sa += pa[i];
        sb += pb[i];
        bc += std::sqrt(static_cast<double>(pa[i]) * pb[i]);
      }
      if (sa <= 0 || sb <= 0) continue;  // part missing in one of them
      // Hellinger distance sqrt(1 - BC), BC the Bhattacharyya coefficient of the normalised
      // histograms: 0 for equal histograms, 1 for disjoint ones.
      bc /= std::sqrt(sa * sb);
      sum += std::sqrt(std::max(0.0, 1.0 - bc));
      ++shared;
    }
    if (shared == 0) return 1.0;
    return std::clamp(sum / shared, 0.0, 1.0);
  }

  void Blend(AppearanceFeature& mean, const AppearanceFeature& latest,
             double weight) const override {
    if (!Valid(latest)) return;
    if (!Valid(mean)) {
      mean = latest;
      return;
    }
    const double w = std::isfinite(weight) ? std::clamp(weight, 0.0, 1.0) : 0.0;
    for (int p = 0; p < kParts; ++p) {
      float* pm = mean.data() + p * part_size_;
      const float* pl = latest.data() + p * part_size_;
      const double sl = PartSum(pl);
      if (sl <= 0) continue;  // latest lacks this part: keep what the track knows
      const double sm = PartSum(pm);
      double total = 0;
      for (int i = 0; i < part_size_; ++i) {
        // A part the mean lacks is taken from `latest` whatever the weight.
        const double v = sm <= 0 ? pl[i] / sl : (1 - w) * pm[i] / sm + w * pl[i] / sl;
        pm[i] = static_cast<float>(v);
        total += v;
      }
      if (total > 0) {
        for (int i = 0; i < part_size_; ++i) pm[i] = static_cast<float>(pm[i] / total);
      }
    }
  }

  std::string name() const override { return "colour_histogram"; }

 private:
  bool Valid(const AppearanceFeature& f) const {
    return f.size() == static_cast<size_t>(kParts * part_size_);
  }
  double PartSum(const float* p) const {
    double s = 0;
    for (int i = 0; i < part_size_; ++i) s += p[i];
    return s;
  }

  AppearanceFeature EmbedOne(const cv::Mat& bgr, const BoxPx& box) const {
    if (!(std::isfinite(box.x) && std::isfinite(box.y) && std::isfinite(box.w) &&
          std::isfinite(box.h)) ||
        box.w <= 0 || box.h <= 0 || box.h < o_.min_box_height_px) {
      return {};
    }
    // Body region in box coordinates: the central columns (the sides are mostly background)
    // from below the head to above the feet, split at the hips.
    const double x0 = box.x + box.w * (1 - o_.width_fraction) / 2;
    const double x1 = box.x + box.w * (1 + o_.width_fraction) / 2;
    const double y0 = box.y + box.h * o_.top_skip_fraction;
    const double y1 = box.y + box.h * (1 - o_.bottom_skip_fraction);
    const double ys = box.y + box.h * o_.split_fraction;
    const auto visible = [&](double top, double bottom) {
      const double w = std::min<double>(x1, bgr.cols) - std::max(x0, 0.0);
      const double h = std::min<double>(bottom, bgr.rows) - std::max(top, 0.0);
      return w > 0 && h > 0 && w * h >= kMinPartVisibleShare * (x1 - x0) * (bottom - top);
    };
    const std::array<bool, kParts> present = {visible(y0, ys), visible(ys, y1)};
    if (!present[0] && !present[1]) return {};

    const cv::Rect roi =
        cv::Rect(cv::Point(static_cast<int>(std::floor(std::max(x0, 0.0))),
                           static_cast<int>(std::floor(std::max(y0, 0.0)))),
                 cv::Point(static_cast<int>(std::ceil(std::min<double>(x1, bgr.cols))),
                           static_cast<int>(std::ceil(std::min<double>(y1, bgr.rows))))) &
        cv::Rect(0, 0, bgr.cols, bgr.rows);
    if (roi.width < 1 || roi.height < 1) return {};
    // Sample a grid of at most crop_height_px rows (nearest pixel, no averaging: a histogram
    // wants real pixel colours, not blends of neighbours), so the cost per box stays flat however
    // tall the person is. Done by hand rather than with cv::resize + cv::cvtColor: those small
    // calls cost more in allocation and thread-pool dispatch than the pixels themselves.
    const int rows = std::min(roi.height, o_.crop_height_px);
    const int cols =
        std::max(1, std::min(roi.width, static_cast<int>(std::lround(
                                            roi.width * static_cast<double>(rows) / roi.height))));
    AppearanceFeature f(static_cast<size_t>(kParts * part_size_), 0.0f);
    for (int r = 0; r < rows; ++r) {
      const int y = roi.y + (2 * r + 1) * roi.height / (2 * rows);
      const int part = y + 0.5 < ys ? 0 : 1;  // above or below the hips
      if (!present[part]) continue;
      float* hist = f.data() + part * part_size_;
      const cv::Vec3b* row = bgr.ptr<cv::Vec3b>(y);
      for (int c = 0; c < cols; ++c) {
        const cv::Vec3b& px = row[roi.x + (2 * c + 1) * roi.width / (2 * cols)];
        const HsvPixel hsv = ToHsv(px[0], px[1], px[2]);
        const int sb = sat_[hsv.s];
        if (sb < 0 || dark_[hsv.v]) {
          // Grey, white, black or too dark: hue is noise here, so only the value counts.
          const SoftBin& vb = value_[hsv.v];
          hist[chroma_bins_ + vb.lo] += 1 - vb.w_hi;
          hist[chroma_bins_ + vb.hi] += vb.w_hi;
        } else {
          const SoftBin& hb = hue_[hsv.h];
          hist[hb.lo * o_.saturation_bins + sb] += 1 - hb.w_hi;
          hist[hb.hi * o_.saturation_bins + sb] += hb.w_hi;
        }
      }
    }
    bool any = false;
    for (int p = 0; p < kParts; ++p) {
      float* hist = f.data() + p * part_size_;
      const double sum = PartSum(hist);
      if (sum <= 0) continue;
      any = true;
      for (int i = 0; i < part_size_; ++i) hist[i] = static_cast<float>(hist[i] / sum);
    }
    if (!any) return {};
    return f;
  }

  ColourHistogramOptions o_;
  int chroma_bins_;
  int part_size_;
  std::array<SoftBin, 180> hue_{};
  std::array<SoftBin, 256> value_{};
  std::array<int, 256> sat_{};  // saturation bin, -1 below min_saturation
  std::array<bool, 256> dark_{};
};

}  // namespace

Status ColourHistogramOptions::Validate() const {
  OptionErrors e("appearance.");
  e.Between("hue_bins", hue_bins, 1, 180);
  e.Between("saturation_bins", saturation_bins, 1, 64);
  e.Between("value_bins", value_bins, 1, 64);
  e.Between("min_box_height_px", min_box_height_px, 0, 1e6);
  e.Between("crop_height_px", crop_height_px, 8, 512);
  e.Between("width_fraction", width_fraction, 0.1, 1);
  e.Between("top_skip_fraction", top_skip_fraction, 0, 0.4);
  e.Between("bottom_skip_fraction", bottom_skip_fraction, 0, 0.4);
  e.Between("min_saturation", min_saturation, 0, 1);
  e.Between("min_value", min_value, 0, 1);
  e.Require(split_fraction > top_skip_fraction && split_fraction < 1 - bottom_skip_fraction,
            "split_fraction",
            fmt::format("must lie between top_skip_fraction ({}) and 1 - bottom_skip_fraction ({})",
                        top_skip_fraction, 1 - bottom_skip_fraction),
            split_fraction);
  return e.ToStatus();
}

std::unique_ptr<AppearanceEmbedder> MakeColourHistogramEmbedder(
    const ColourHistogramOptions& options) {
  return std::make_unique<ColourHistogramEmbedder>(options);
}

}  // namespace monokin::track
