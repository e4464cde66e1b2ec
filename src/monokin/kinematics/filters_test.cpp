// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/filters.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "monokin/kinematics/hampel_lanes.h"

namespace monokin::kinematics {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> Sine(int n, double fs, double f, double amp, double phase = 0) {
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = amp * std::sin(2 * kPi * f * i / fs + phase);
  return x;
}

// Amplitude of the f-Hz component over the middle half of x (least squares on sin/cos).
double AmplitudeAt(const std::vector<double>& x, double fs, double f) {
  const int n = static_cast<int>(x.size());
  double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
  for (int i = n / 4; i < 3 * n / 4; ++i) {
    const double s = std::sin(2 * kPi * f * i / fs), c = std::cos(2 * kPi * f * i / fs);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    xs += x[i] * s;
    xc += x[i] * c;
  }
  const double det = ss * cc - sc * sc;
  const double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
  return std::hypot(a, b);
}

TEST(Unwrap, RemovesWrapAroundsAndKeepsNaN) {
  std::vector<double> x = {170, 179, -179, -170, kNaN, 175, -175};
  Unwrap(x, 360);
  EXPECT_DOUBLE_EQ(x[2], 181);
  EXPECT_DOUBLE_EQ(x[3], 190);
  EXPECT_TRUE(std::isnan(x[4]));
  EXPECT_DOUBLE_EQ(x[5], 175);  // nearest to 190 modulo 360
  EXPECT_DOUBLE_EQ(x[6], 185);
}

TEST(FillGaps, UpToMaxGapOffline) {
  std::vector<double> x = {kNaN, 0, kNaN, kNaN, 3, kNaN, kNaN, kNaN, kNaN, 8};
  FillGaps(x, 3, /*causal=*/false);
  EXPECT_TRUE(std::isnan(x[0]));
  EXPECT_DOUBLE_EQ(x[2], 1);  // no outer neighbours: linear
  EXPECT_DOUBLE_EQ(x[3], 2);
  EXPECT_TRUE(std::isnan(x[5]));  // gap of 4 > 3
  // Cubic Hermite: exact on a line, and on a smooth curve at most half the error of a line.
  std::vector<double> line = {0, 1, 2, kNaN, kNaN, kNaN, kNaN, 7, 8, 9};
  FillGaps(line, 5, false);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(line[i], i, 1e-12);
  std::vector<double> s(40), truth(40);
  for (int i = 0; i < 40; ++i) s[i] = truth[i] = std::sin(i * 0.15);
  for (int i = 5; i < 17; ++i) s[i] = kNaN;  // around the crest, where a line is worst
  FillGaps(s, 12, false);
  double worst_cubic = 0, worst_linear = 0;
  for (int i = 5; i < 17; ++i) {
    const double lin = truth[4] + (truth[17] - truth[4]) * (i - 4) / 13.0;
    worst_cubic = std::max(worst_cubic, std::abs(s[i] - truth[i]));
    worst_linear = std::max(worst_linear, std::abs(lin - truth[i]));
  }
  EXPECT_LT(worst_cubic, 0.5 * worst_linear);
}

TEST(FillGaps, CausalHoldsLastValue) {
  std::vector<double> x = {1, kNaN, kNaN, kNaN, 5};
  FillGaps(x, 2, /*causal=*/true);
  EXPECT_DOUBLE_EQ(x[1], 1);
  EXPECT_DOUBLE_EQ(x[2], 1);
  EXPECT_TRUE(std::isnan(x[3]));
}

TEST(Hampel, RemovesSpikesKeepsSignal) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 0.01);
  for (bool causal : {false, true}) {
    std::vector<double> clean = Sine(300, 30, 0.25, 1.0);
    std::vector<double> x = clean;
    for (double& v : x) v += noise(rng);
    const std::vector<int> spikes = {40, 77, 150, 151, 220};
    for (int s : spikes) x[s] += 3.0;
    const int replaced = Hampel(x, 4, 3.0, causal);
    EXPECT_GE(replaced, static_cast<int>(spikes.size()));
    // Offline: the centred median; live: the previous sample (one step of the sine, ~0.05).
    for (int s : spikes) EXPECT_NEAR(x[s], clean[s], 0.1) << "sample " << s << " " << causal;
  }
}

TEST(Filters, ConstantsPassUnchanged) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> value(-1000, 1000);
  for (int trial = 0; trial < 20; ++trial) {
    const double c = value(rng);
    for (int order : {1, 2, 3, 4, 6}) {
      std::vector<double> x(97, c);
      ZeroPhaseLowPass(x, order, 6, 30);
      for (double v : x) ASSERT_NEAR(v, c, 1e-9 * std::max(1.0, std::abs(c)));
    }
    std::vector<double> y(60, c);
    OneEuro(y, 30, {});
    for (double v : y) ASSERT_DOUBLE_EQ(v, c);
    std::vector<double> h(60, c);
    EXPECT_EQ(Hampel(h, 3, 3, false), 0);
    for (bool causal : {false, true}) {
      const std::vector<double> d0 = SavGolDerivative(h, 30, 0, 9, 3, causal);
      const std::vector<double> d1 = SavGolDerivative(h, 30, 1, 9, 3, causal);
      // Causal: the first poly + 1 samples have too little past for a cubic fit (NaN).
      for (size_t i = causal ? 4 : 0; i < h.size(); ++i) {
        ASSERT_NEAR(d0[i], c, 1e-8 * std::max(1.0, std::abs(c)));
        ASSERT_NEAR(d1[i], 0, 1e-7 * std::max(1.0, std::abs(c)));
      }
    }
  }
}

// Single pass: -3 dB at the design cutoff, measured on the filtered sine.
TEST(Butterworth, SinglePassMinus3dBAtCutoff) {
  for (int order : {2, 4}) {
    for (double fs : {30.0, 60.0, 240.0}) {
      const double fc = 6;
      const std::vector<Biquad> s = DesignButterworthLowPass(order, fc, fs);
      std::vector<double> x = Sine(static_cast<int>(fs * 40), fs, fc, 1.0);
      FilterForward(s, x);
      const double db = 20 * std::log10(AmplitudeAt(x, fs, fc));
      EXPECT_NEAR(db, -3.0103, 0.1) << "order " << order << " fs " << fs;
    }
  }
}

// The documented cutoff of ZeroPhaseLowPass is that of the forward-backward result.
TEST(Butterworth, ZeroPhaseMinus3dBAtCutoffAndNoPhaseShift) {
  for (int order : {2, 4}) {
    for (double fs : {30.0, 60.0, 100.0}) {
      for (double fc : {3.0, 6.0, 10.0}) {
        std::vector<double> x = Sine(static_cast<int>(fs * 40), fs, fc, 1.0);
        ASSERT_TRUE(ZeroPhaseLowPass(x, order, fc, fs));
        const double db = 20 * std::log10(AmplitudeAt(x, fs, fc));
        EXPECT_NEAR(db, -3.0103, 0.1) << "order " << order << " fs " << fs << " fc " << fc;
        // Zero phase: the output is the input scaled (correlation with cos part is ~0).
        const std::vector<double> ref = Sine(static_cast<int>(fs * 40), fs, fc, 1.0);
        double num = 0, den = 0;
        for (size_t i = x.size() / 4; i < 3 * x.size() / 4; ++i) {
          num += x[i] * ref[i];
          den += ref[i] * ref[i];
        }
        EXPECT_NEAR(num / den, std::pow(10, -3.0103 / 20), 0.02);
      }
    }
  }
}

TEST(Butterworth, PassbandAndStopband) {
  const double fs = 30;
  std::vector<double> low = Sine(1200, fs, 1.0, 1.0);
  std::vector<double> high = Sine(1200, fs, 12.0, 1.0);
  ZeroPhaseLowPass(low, 4, 6, fs);
  ZeroPhaseLowPass(high, 4, 6, fs);
  EXPECT_NEAR(AmplitudeAt(low, fs, 1.0), 1.0, 1e-3);
  EXPECT_LT(AmplitudeAt(high, fs, 12.0), 0.01);
}

TEST(Butterworth, EdgesFollowTrendAndNaNSplitsRuns) {
  // A ramp must survive to the very ends (odd reflection keeps slope), within 1e-6.
  std::vector<double> x(100);
  for (int i = 0; i < 100; ++i) x[i] = 0.5 * i;
  x[50] = kNaN;
  ZeroPhaseLowPass(x, 4, 6, 30);
  EXPECT_TRUE(std::isnan(x[50]));
  for (int i = 0; i < 100; ++i) {
    if (i != 50) {
      EXPECT_NEAR(x[i], 0.5 * i, 1e-5) << i;
    }
  }
}

// Derivatives of sines at 30 fps with the default 5-sample cubic window (0.15 s). The fit
// flattens curvature, so acceleration is biased low as frequency rises. Stated tolerances, as
// a fraction of the peak derivative: interior velocity 1 % (<= 2 Hz); interior acceleration
// 2 % (<= 1 Hz), 7 % (2 Hz); the first/last 2 samples (one-sided fits) velocity 4 %,
// acceleration 5 % (<= 1 Hz), 25 % (2 Hz).
TEST(SavGol, DerivativesOfSines) {
  const double fs = 30;
  for (double f : {0.5, 1.0, 2.0}) {
    const std::vector<double> x = Sine(300, fs, f, 2.0, 0.3);
    const std::vector<double> v = SavGolDerivative(x, fs, 1, 5, 3, false);
    const std::vector<double> a = SavGolDerivative(x, fs, 2, 5, 3, false);
    const double w = 2 * kPi * f;
    for (int i = 0; i < 300; ++i) {
      const double t = i / fs;
      const bool edge = i < 2 || i >= 298;
      const double tol_v = edge ? 0.04 : 0.01;
      const double tol_a = edge ? (f > 1 ? 0.25 : 0.05) : (f > 1 ? 0.07 : 0.02);
      EXPECT_NEAR(v[i], 2 * w * std::cos(w * t + 0.3), tol_v * 2 * w) << f << " Hz i=" << i;
      EXPECT_NEAR(a[i], -2 * w * w * std::sin(w * t + 0.3), tol_a * 2 * w * w)
          << f << " Hz i=" << i;
    }
  }
}

// Polynomials of degree <= poly are differentiated exactly, offline and causal.
TEST(SavGol, ExactOnPolynomials) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> coef(-2, 2);
  for (int trial = 0; trial < 20; ++trial) {
    const double c0 = coef(rng), c1 = coef(rng), c2 = coef(rng), c3 = coef(rng);
    const double fs = 25;
    std::vector<double> x(80);
    for (int i = 0; i < 80; ++i) {
      const double t = i / fs;
      x[i] = c0 + c1 * t + c2 * t * t + c3 * t * t * t;
    }
    for (bool causal : {false, true}) {
      const std::vector<double> v = SavGolDerivative(x, fs, 1, 9, 3, causal);
      const std::vector<double> a = SavGolDerivative(x, fs, 2, 9, 3, causal);
      for (int i = causal ? 4 : 0; i < 80; ++i) {
        const double t = i / fs;
        ASSERT_NEAR(v[i], c1 + 2 * c2 * t + 3 * c3 * t * t, 1e-7) << i << " causal " << causal;
        ASSERT_NEAR(a[i], 2 * c2 + 6 * c3 * t, 1e-5) << i << " causal " << causal;
      }
    }
  }
}

TEST(OneEuro, SmoothsNoiseAndFollowsSteps) {
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0, 1.0);
  std::vector<double> x(300);
  for (int i = 0; i < 300; ++i) x[i] = (i < 150 ? 0 : 100) + noise(rng);
  std::vector<double> y = x;
  OneEuro(y, 30, {.min_cutoff_hz = 1.0, .beta = 0.5, .d_cutoff_hz = 1.0, .speed_scale = 10});
  double var_in = 0, var_out = 0;
  for (int i = 50; i < 150; ++i) {
    var_in += x[i] * x[i];
    var_out += y[i] * y[i];
  }
  EXPECT_LT(var_out, 0.25 * var_in);  // jitter at rest reduced
  EXPECT_NEAR(y[165], 100, 5);        // follows the step within half a second
}

}  // namespace
}  // namespace monokin::kinematics

namespace monokin::kinematics {
namespace {

// The fast Hampel (sorted sliding window) gives what the plain one (copy the window, select
// twice) gives: random series with NaN runs, spikes, repeated values, both modes, many windows.
TEST(Hampel, FastEqualsReference) {
  std::mt19937 rng(31);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 1);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(u(rng) * 400);
    std::vector<double> x(n);
    for (int i = 0; i < n; ++i) {
      const double r = u(rng);
      if (r < 0.08) {
        x[i] = NAN;
      } else if (r < 0.15) {
        x[i] = 50 * noise(rng);  // spike
      } else if (r < 0.25 && i > 0 && std::isfinite(x[i - 1])) {
        x[i] = x[i - 1];  // repeated values (ties in the window)
      } else {
        x[i] = 10 * std::sin(i * 0.05) + noise(rng);
      }
    }
    if (trial % 10 == 0) std::fill(x.begin(), x.end(), 3.0);  // constant: MAD 0
    const int half = 1 + trial % 9;
    const double sigmas = 2 + (trial % 3);
    for (bool causal : {false, true}) {
      std::vector<double> fast = x, ref = x;
      const int nf = Hampel(fast, half, sigmas, causal);
      const int nr = detail::HampelReference(ref, half, sigmas, causal);
      ASSERT_EQ(nf, nr) << "trial " << trial << " causal " << causal;
      for (int i = 0; i < n; ++i) {
        if (std::isnan(ref[i])) {
          ASSERT_TRUE(std::isnan(fast[i])) << i;
        } else {
          ASSERT_NEAR(fast[i], ref[i], 1e-12 * (1 + std::abs(ref[i]))) << "trial " << trial;
        }
      }
    }
  }
}

// The two-lane form (used on CPUs without AVX, where Hampel takes the four-lane one) gives the
// reference's decisions too.
TEST(Hampel, TwoLaneFormEqualsReference) {
  std::mt19937 rng(33);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 1);
  for (int trial = 0; trial < 100; ++trial) {
    const int n = 2 + static_cast<int>(u(rng) * 400);
    std::vector<double> x(n);
    for (int i = 0; i < n; ++i) {
      const double r = u(rng);
      x[i] = r < 0.05 ? NAN : r < 0.12 ? 50 * noise(rng) : 10 * std::sin(i * 0.05) + noise(rng);
    }
    const int half = 2 + trial % 5;
    for (bool causal : {false, true}) {
      std::vector<double> fast = x, ref = x;
      const int before = causal ? 2 * half : half;
      const double limit = 3 * 1.4826;
      int nf = 0;
      switch (half) {
        case 2:
          nf = HampelLanes<5, 2>(fast, before, limit, causal);
          break;
        case 3:
          nf = HampelLanes<7, 2>(fast, before, limit, causal);
          break;
        case 4:
          nf = HampelLanes<9, 2>(fast, before, limit, causal);
          break;
        case 5:
          nf = HampelLanes<11, 2>(fast, before, limit, causal);
          break;
        default:
          nf = HampelLanes<13, 2>(fast, before, limit, causal);
          break;
      }
      ASSERT_EQ(nf, detail::HampelReference(ref, half, 3, causal)) << "trial " << trial;
      for (int i = 0; i < n; ++i) {
        ASSERT_EQ(std::isnan(fast[i]), std::isnan(ref[i])) << i;
        if (!std::isnan(ref[i])) {
          ASSERT_EQ(fast[i], ref[i]) << "trial " << trial << " i " << i;
        }
      }
    }
  }
}

// One-Euro on several series at once gives what it gives on each alone (NaN restarts, unequal
// lengths included).
TEST(OneEuro, ManyEqualsOneByOne) {
  std::mt19937 rng(34);
  std::uniform_real_distribution<double> u(0, 1);
  const OneEuroParams p{1.0, 0.7, 1.0, 2.0};
  for (int trial = 0; trial < 20; ++trial) {
    const int count = 1 + trial % 7;
    std::vector<std::vector<double>> many(count);
    for (int c = 0; c < count; ++c) {
      many[c].resize(trial % 3 == 0 ? 50 + c : 300);
      for (size_t i = 0; i < many[c].size(); ++i) {
        many[c][i] = u(rng) < 0.05 ? NAN : std::sin(0.03 * i * (c + 1)) + 0.1 * u(rng);
      }
    }
    std::vector<std::vector<double>> one = many;
    std::vector<std::span<double>> spans(many.begin(), many.end());
    OneEuroMany(spans, 30, p);
    for (int c = 0; c < count; ++c) {
      OneEuro(one[c], 30, p);
      for (size_t i = 0; i < one[c].size(); ++i) {
        ASSERT_EQ(std::isnan(many[c][i]), std::isnan(one[c][i]));
        if (!std::isnan(one[c][i])) {
          ASSERT_EQ(many[c][i], one[c][i]) << trial << " " << c << " " << i;
        }
      }
    }
  }
}

// Two sections per pass give what one pass per section gives, for every order.
TEST(Butterworth, FusedSectionsEqualReference) {
  std::mt19937 rng(32);
  std::normal_distribution<double> noise(0, 1);
  for (int order = 1; order <= 8; ++order) {
    const std::vector<Biquad> s = DesignButterworthLowPass(order, 3 + order, 60);
    for (int n : {1, 2, 7, 500}) {
      std::vector<double> x(n);
      for (double& v : x) v = 5 + noise(rng);
      std::vector<double> fast = x, ref = x;
      FilterForward(s, fast);
      detail::FilterForwardReference(s, ref);
      for (int i = 0; i < n; ++i) ASSERT_NEAR(fast[i], ref[i], 1e-12) << order << " " << n;
    }
  }
}

// Several signals low-passed together give what each low-passed alone gives, whether they miss
// Up to a dozen channels, some sharing their gaps and some not, some shorter: each comes out
// exactly as when low-passed alone.
TEST(Butterworth, ManyChannelsMixedGapsEqualOneByOne) {
  std::mt19937 rng(35);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 30; ++trial) {
    const int channels = 1 + trial % 12, n = 40 + trial * 17;
    std::vector<bool> shared_gap(n);
    for (int i = 0; i < n; ++i) shared_gap[i] = u(rng) < 0.04;
    std::vector<std::vector<double>> xs(channels);
    for (int c = 0; c < channels; ++c) {
      xs[c].resize(c % 5 == 4 ? n / 2 : n);
      for (size_t i = 0; i < xs[c].size(); ++i) {
        const bool gap = c % 3 == 2 ? u(rng) < 0.04 : static_cast<bool>(shared_gap[i]);
        xs[c][i] = gap ? NAN : 10 * std::sin(0.1 * i + c) + noise(rng);
      }
    }
    std::vector<std::vector<double>> ref = xs;
    std::vector<std::span<double>> spans(xs.begin(), xs.end());
    const int order = 1 + trial % 8;
    ASSERT_TRUE(ZeroPhaseLowPassMany(spans, order, 6, 30));
    for (int c = 0; c < channels; ++c) {
      ZeroPhaseLowPass(ref[c], order, 6, 30);
      for (size_t i = 0; i < ref[c].size(); ++i) {
        ASSERT_EQ(std::isnan(xs[c][i]), std::isnan(ref[c][i]));
        if (!std::isnan(ref[c][i])) {
          ASSERT_EQ(xs[c][i], ref[c][i]) << trial << " " << c << " " << i;
        }
      }
    }
  }
}

// the same samples (filtered interleaved) or not (one by one).
TEST(Butterworth, ManyEqualsOneByOne) {
  std::mt19937 rng(33);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 40; ++trial) {
    const int n = 5 + trial * 23, channels = 2 + trial % 2;
    std::vector<std::vector<double>> xs(channels, std::vector<double>(n));
    for (int i = 0; i < n; ++i) {
      const bool gap = u(rng) < 0.05;
      for (int c = 0; c < channels; ++c) {
        xs[c][i] = gap ? NAN : 10 * std::sin(0.1 * i + c) + noise(rng);
      }
    }
    if (trial % 5 == 4) xs[1][n / 2] = NAN;  // different gaps: one by one
    std::vector<std::vector<double>> ref = xs;
    std::vector<std::span<double>> spans;
    for (auto& x : xs) spans.emplace_back(x);
    const int order = 1 + trial % 8;
    ZeroPhaseLowPassMany(spans, order, 6, 30);
    for (auto& x : ref) ZeroPhaseLowPass(x, order, 6, 30);
    for (int c = 0; c < channels; ++c) {
      for (int i = 0; i < n; ++i) {
        if (std::isnan(ref[c][i])) {
          ASSERT_TRUE(std::isnan(xs[c][i]));
        } else {
          ASSERT_NEAR(xs[c][i], ref[c][i], 1e-12) << trial << " " << c << " " << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace monokin::kinematics
