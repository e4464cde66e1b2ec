// SPDX-License-Identifier: Apache-2.0
#include "monokin/track/appearance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <opencv2/imgproc.hpp>

namespace monokin::track {
namespace {

// A textured background with one drawn "person": skin head, shirt, trousers, dark shoes, each
// with pixel noise, so histograms are spread like real ones. Returns the person's box.
BoxPx DrawPerson(cv::Mat& img, cv::Point top_left, int height_px, cv::Scalar shirt_bgr,
                 cv::Scalar trousers_bgr, std::uint64_t seed) {
  const int w = height_px * 2 / 5;
  const int x = top_left.x, y = top_left.y, h = height_px;
  const cv::Scalar skin(120, 150, 200);
  cv::ellipse(img, cv::Point(x + w / 2, y + h / 12), cv::Size(w / 5, h / 12), 0, 0, 360, skin,
              cv::FILLED);
  cv::rectangle(img, cv::Rect(x + w / 8, y + h / 6, w * 3 / 4, h * 2 / 6), shirt_bgr, cv::FILLED);
  cv::rectangle(img, cv::Rect(x + w / 5, y + h / 2, w * 3 / 5, h * 5 / 12), trousers_bgr,
                cv::FILLED);
  cv::rectangle(img, cv::Rect(x + w / 5, y + h * 11 / 12, w * 3 / 5, h / 12),
                cv::Scalar(20, 20, 20), cv::FILLED);
  // Pixel noise (std 6 levels) over the person's box.
  cv::Mat roi = img(cv::Rect(x, y, w, h) & cv::Rect(0, 0, img.cols, img.rows));
  cv::Mat noisy(roi.size(), CV_16SC3);
  cv::RNG rng(seed);
  rng.fill(noisy, cv::RNG::NORMAL, 0, 6);
  cv::Mat roi16;
  roi.convertTo(roi16, CV_16SC3);
  noisy += roi16;
  noisy.convertTo(roi, img.type());  // saturates to 0..255, writes into img
  return {static_cast<float>(x), static_cast<float>(y), static_cast<float>(w),
          static_cast<float>(h)};
}

cv::Mat Background(std::uint64_t seed) {
  cv::Mat img(480, 640, CV_8UC3);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, cv::Scalar(60, 90, 60), cv::Scalar(140, 160, 130));
  cv::GaussianBlur(img, img, cv::Size(9, 9), 3);
  return img;
}

const cv::Scalar kRed(40, 40, 200), kGreen(50, 170, 40), kBlue(150, 70, 30), kGrey(128, 128, 128);

struct Scene {
  cv::Mat img;
  BoxPx box;
};

Scene Person(cv::Scalar shirt, cv::Scalar trousers, cv::Point at = {200, 100}, int h = 200,
             std::uint64_t seed = 7) {
  Scene s{Background(seed), {}};
  s.box = DrawPerson(s.img, at, h, shirt, trousers, seed + 1);
  return s;
}

AppearanceFeature EmbedOne(const AppearanceEmbedder& e, const cv::Mat& img, const BoxPx& box) {
  const std::vector<AppearanceFeature> f = e.Embed(img, std::span<const BoxPx>(&box, 1));
  EXPECT_EQ(f.size(), 1u);
  return f.empty() ? AppearanceFeature{} : f[0];
}

double PartSum(const AppearanceFeature& f, int part) {
  const size_t n = f.size() / 2;
  return std::accumulate(f.begin() + part * n, f.begin() + (part + 1) * n, 0.0);
}

TEST(AppearanceTest, FeatureHasTwoNormalisedPartsOfTheStatedSize) {
  const auto e = MakeColourHistogramEmbedder({});
  EXPECT_EQ(e->name(), "colour_histogram");
  const Scene s = Person(kRed, kBlue);
  const AppearanceFeature f = EmbedOne(*e, s.img, s.box);
  ASSERT_EQ(f.size(), 2u * (16 * 4 + 4));
  EXPECT_NEAR(PartSum(f, 0), 1.0, 1e-5);
  EXPECT_NEAR(PartSum(f, 1), 1.0, 1e-5);
  for (float v : f) EXPECT_GE(v, 0.0f);
}

TEST(AppearanceTest, SameCropGivesZeroDistance) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene s = Person(kRed, kBlue);
  const AppearanceFeature a = EmbedOne(*e, s.img, s.box);
  const AppearanceFeature b = EmbedOne(*e, s.img.clone(), s.box);
  EXPECT_NEAR(e->Distance(a, b), 0.0, 1e-6);
}

TEST(AppearanceTest, SamePersonElsewhereAndAtAnotherSizeIsNear) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene s = Person(kRed, kBlue);
  const Scene moved = Person(kRed, kBlue, {380, 40}, 200, 21);
  const Scene small = Person(kRed, kBlue, {100, 300}, 90, 33);
  const AppearanceFeature f = EmbedOne(*e, s.img, s.box);
  EXPECT_LT(e->Distance(f, EmbedOne(*e, moved.img, moved.box)), 0.1);
  EXPECT_LT(e->Distance(f, EmbedOne(*e, small.img, small.box)), 0.15);
}

TEST(AppearanceTest, ClothesColourChangeIsFar) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene s = Person(kRed, kBlue);
  const AppearanceFeature f = EmbedOne(*e, s.img, s.box);
  const Scene shirt = Person(kGreen, kBlue);
  const Scene trousers = Person(kRed, kGrey);
  const Scene both = Person(kGreen, kGrey);
  const double d_shirt = e->Distance(f, EmbedOne(*e, shirt.img, shirt.box));
  const double d_trousers = e->Distance(f, EmbedOne(*e, trousers.img, trousers.box));
  const double d_both = e->Distance(f, EmbedOne(*e, both.img, both.box));
  // One part changed: about half the distance of a complete change.
  EXPECT_GT(d_shirt, 0.35);
  EXPECT_GT(d_trousers, 0.35);
  EXPECT_GT(d_both, 0.8);
  EXPECT_GT(d_both, d_shirt);
}

TEST(AppearanceTest, LightingChangeIsNear) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene s = Person(kRed, kBlue);
  const AppearanceFeature f = EmbedOne(*e, s.img, s.box);
  for (double scale : {0.7, 1.25}) {
    cv::Mat lit;
    s.img.convertTo(lit, -1, scale);
    const double d = e->Distance(f, EmbedOne(*e, lit, s.box));
    EXPECT_LT(d, 0.2) << "brightness x" << scale;
  }
  // Far nearer than a different shirt under the same light.
  cv::Mat dark;
  s.img.convertTo(dark, -1, 0.7);
  const Scene shirt = Person(kGreen, kBlue);
  EXPECT_LT(2 * e->Distance(f, EmbedOne(*e, dark, s.box)),
            e->Distance(f, EmbedOne(*e, shirt.img, shirt.box)));
}

TEST(AppearanceTest, BackgroundAtTheBoxSidesMattersLittle) {
  const auto e = MakeColourHistogramEmbedder({});
  Scene s = Person(kRed, kBlue);
  const AppearanceFeature f = EmbedOne(*e, s.img, s.box);
  // Repaint the background strips at the box sides (outside the drawn body) in magenta.
  const int strip = static_cast<int>(s.box.w * 0.12);
  for (int x : {static_cast<int>(s.box.x), static_cast<int>(s.box.x + s.box.w) - strip}) {
    cv::Mat side = s.img(cv::Rect(x, static_cast<int>(s.box.y), strip, static_cast<int>(s.box.h)));
    side.setTo(cv::Scalar(200, 0, 200));
  }
  EXPECT_LT(e->Distance(f, EmbedOne(*e, s.img, s.box)), 0.05);
}

TEST(AppearanceTest, BadBoxesAndImagesGiveEmptyFeatures) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene s = Person(kRed, kBlue);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<BoxPx> boxes = {
      {-500, 100, 80, 200},  // left of the image
      {100, 900, 80, 200},   // below
      {100, 100, 80, 10},    // shorter than min_box_height_px
      {100, 100, 0, 200},    // no width
      {100, 100, -5, 200},   // negative width
      {nan, 100, 80, 200},   // not a number
      {630, 100, 80, 200},   // only a sliver inside
  };
  const std::vector<AppearanceFeature> f = e->Embed(s.img, boxes);
  ASSERT_EQ(f.size(), boxes.size());
  const AppearanceFeature good = EmbedOne(*e, s.img, s.box);
  for (size_t i = 0; i < f.size(); ++i) {
    EXPECT_TRUE(f[i].empty()) << "box " << i;
    EXPECT_EQ(e->Distance(f[i], good), 1.0);
    EXPECT_EQ(e->Distance(good, f[i]), 1.0);
    EXPECT_EQ(e->Distance(f[i], f[i]), 1.0);
  }
  // Unusable images: one empty feature per box.
  for (const cv::Mat& img : {cv::Mat(), cv::Mat(480, 640, CV_8UC1, cv::Scalar(100))}) {
    const std::vector<AppearanceFeature> g = e->Embed(img, std::span<const BoxPx>(&s.box, 1));
    ASSERT_EQ(g.size(), 1u);
    EXPECT_TRUE(g[0].empty());
  }
  EXPECT_TRUE(e->Embed(s.img, {}).empty());
  // A feature of the wrong length (another embedder's) is no feature.
  EXPECT_EQ(e->Distance(AppearanceFeature(good.size() + 1, 0.1f), good), 1.0);
}

TEST(AppearanceTest, PersonHalfOutOfTheImageKeepsTheVisiblePart) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene full = Person(kRed, kBlue);
  const AppearanceFeature f = EmbedOne(*e, full.img, full.box);
  // The same person with the legs below the bottom edge.
  const Scene cut = Person(kRed, kBlue, {200, 380}, 200, 9);
  const AppearanceFeature g = EmbedOne(*e, cut.img, cut.box);
  ASSERT_FALSE(g.empty());
  EXPECT_NEAR(PartSum(g, 0), 1.0, 1e-5);
  EXPECT_EQ(PartSum(g, 1), 0.0);  // lower body missing
  EXPECT_LT(e->Distance(f, g), 0.15);
  const Scene other = Person(kGreen, kBlue);
  EXPECT_GT(e->Distance(EmbedOne(*e, other.img, other.box), g), 0.5);
}

TEST(AppearanceTest, BlendKeepsReplacesAndStaysNormalised) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene sa = Person(kRed, kBlue), sb = Person(kGreen, kGrey);
  const AppearanceFeature a = EmbedOne(*e, sa.img, sa.box), b = EmbedOne(*e, sb.img, sb.box);
  AppearanceFeature m = a;
  e->Blend(m, b, 0.0);
  EXPECT_NEAR(e->Distance(m, a), 0.0, 1e-6);
  m = a;
  e->Blend(m, b, 1.0);
  EXPECT_NEAR(e->Distance(m, b), 0.0, 1e-6);
  m = a;
  e->Blend(m, b, 0.5);
  EXPECT_NEAR(PartSum(m, 0), 1.0, 1e-5);
  EXPECT_NEAR(PartSum(m, 1), 1.0, 1e-5);
  const double d_ab = e->Distance(a, b);
  EXPECT_LT(e->Distance(m, a), d_ab);
  EXPECT_LT(e->Distance(m, b), d_ab);
  // Repeated small updates converge to the new look and stay normalised.
  m = a;
  double last = e->Distance(m, b);
  for (int i = 0; i < 40; ++i) {
    e->Blend(m, b, 0.1);
    const double d = e->Distance(m, b);
    EXPECT_LE(d, last + 1e-9);
    last = d;
  }
  EXPECT_LT(last, 0.1);
  EXPECT_NEAR(PartSum(m, 0), 1.0, 1e-5);
  // Empty mean takes latest; empty latest keeps the mean.
  AppearanceFeature empty;
  e->Blend(empty, a, 0.1);
  EXPECT_EQ(empty, a);
  m = a;
  e->Blend(m, AppearanceFeature{}, 0.5);
  EXPECT_EQ(m, a);
}

TEST(AppearanceTest, BlendFillsAPartTheMeanLacks) {
  const auto e = MakeColourHistogramEmbedder({});
  const Scene cut = Person(kRed, kBlue, {200, 380}, 200, 9);  // legs out of the image
  const Scene full = Person(kRed, kBlue);
  AppearanceFeature m = EmbedOne(*e, cut.img, cut.box);
  const AppearanceFeature f = EmbedOne(*e, full.img, full.box);
  e->Blend(m, f, 0.1);
  EXPECT_NEAR(PartSum(m, 1), 1.0, 1e-5);
  // And a latest that lacks a part leaves that part of the mean alone.
  AppearanceFeature n = f;
  e->Blend(n, EmbedOne(*e, cut.img, cut.box), 1.0);
  EXPECT_TRUE(std::equal(n.begin() + n.size() / 2, n.end(), f.begin() + f.size() / 2));
}

TEST(AppearanceTest, DistanceIsSymmetricAndWithinZeroToOne) {
  const auto e = MakeColourHistogramEmbedder({});
  cv::RNG rng(1234);
  std::vector<AppearanceFeature> features;
  for (int i = 0; i < 12; ++i) {
    const cv::Scalar shirt(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
    const cv::Scalar trousers(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
    const Scene s = Person(shirt, trousers, {rng.uniform(0, 400), rng.uniform(0, 200)},
                           rng.uniform(40, 260), 100 + i);
    features.push_back(EmbedOne(*e, s.img, s.box));
  }
  for (const auto& a : features) {
    EXPECT_NEAR(e->Distance(a, a), 0.0, 1e-6);
    for (const auto& b : features) {
      const double d = e->Distance(a, b);
      EXPECT_GE(d, 0.0);
      EXPECT_LE(d, 1.0);
      EXPECT_EQ(d, e->Distance(b, a));
    }
  }
}

TEST(AppearanceTest, ValidateNamesEveryBadField) {
  EXPECT_TRUE(ColourHistogramOptions{}.Validate().ok());
  ColourHistogramOptions o;
  o.hue_bins = 0;
  o.crop_height_px = 2;
  o.split_fraction = 0.05;
  const Status s = o.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("appearance.hue_bins"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("appearance.crop_height_px"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("appearance.split_fraction"), std::string::npos) << s.message();
  // The factory clamps what Validate rejects, so a bad option never crashes.
  const auto e = MakeColourHistogramEmbedder(o);
  const Scene sc = Person(kRed, kBlue);
  EXPECT_FALSE(EmbedOne(*e, sc.img, sc.box).empty());
}

}  // namespace
}  // namespace monokin::track
