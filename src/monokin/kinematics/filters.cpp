// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/filters.h"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <type_traits>
#include <utility>

#include "monokin/core/check.h"
#include "monokin/kinematics/cpu_avx.h"
#include "monokin/kinematics/hampel_lanes.h"

namespace monokin::kinematics {
namespace {

constexpr double kPi = std::numbers::pi;

// Calls f(begin, end) for each maximal run of finite samples.
template <typename F>
void ForEachFiniteRun(std::span<const double> x, F&& f) {
  const size_t n = x.size();
  size_t i = 0;
  while (i < n) {
    while (i < n && !std::isfinite(x[i])) ++i;
    size_t j = i;
    while (j < n && std::isfinite(x[j])) ++j;
    if (j > i) f(i, j);
    i = j;
  }
}

// Median of v (destroys order).
double MedianOf(double* v, int n) {
  std::nth_element(v, v + n / 2, v + n);
  double m = v[n / 2];
  if (n % 2 == 0) m = 0.5 * (m + *std::max_element(v, v + n / 2));
  return m;
}

}  // namespace

void Unwrap(std::span<double> x, double period) {
  double offset = 0;
  double prev = std::numeric_limits<double>::quiet_NaN();
  for (double& v : x) {
    if (!std::isfinite(v)) continue;
    double raw = v;
    if (std::isfinite(prev)) {
      double d = raw + offset - prev;
      // Bring the step into (-period/2, period/2]; a real step that large is impossible at
      // video rates, a wrap-around is certain. (Most steps are small: round() would give 0.)
      if (!(std::abs(d) < 0.5 * period)) offset -= period * std::round(d / period);
    }
    v = raw + offset;
    prev = v;
  }
}

void FillGaps(std::span<double> x, int max_gap, bool causal) {
  const int n = static_cast<int>(x.size());
  if (max_gap <= 0) return;
  // Gap by gap (scanning the finite runs in a tight loop: most samples are in one).
  int i = 0;
  while (i < n && !std::isfinite(x[i])) ++i;  // leading NaNs stay NaN
  while (i < n) {
    while (i < n && std::isfinite(x[i])) ++i;
    if (i == n) break;
    const int last = i - 1;  // the last finite sample before the gap [i, j)
    int j = i;
    while (j < n && !std::isfinite(x[j])) ++j;
    if (causal) {
      // Hold the last finite value for at most max_gap samples (the end is not known yet).
      for (int k = i; k < j && k - last <= max_gap; ++k) x[k] = x[last];
    } else if (j < n && j - last - 1 <= max_gap) {
      // Cubic Hermite between the two ends, with the end slopes from the neighbouring samples
      // (a moving limb keeps its velocity into a gap, which a straight line would break);
      // samples between the ends and those neighbours are assumed finite when they are.
      // linear where a neighbour is missing.
      const double a = x[last], b = x[j];
      const double len = j - last;
      // Slopes over 4 samples: a single difference would carry the keypoint noise into the
      // whole gap, multiplied by its length.
      const double ma =
          (last >= 4 && std::isfinite(x[last - 4])) ? (a - x[last - 4]) / 4 * len : b - a;
      const double mb = (j + 4 < n && std::isfinite(x[j + 4])) ? (x[j + 4] - b) / 4 * len : b - a;
      for (int k = last + 1; k < j; ++k) {
        const double t = (k - last) / len, t2 = t * t, t3 = t2 * t;
        x[k] = (2 * t3 - 3 * t2 + 1) * a + (t3 - 2 * t2 + t) * ma + (-2 * t3 + 3 * t2) * b +
               (t3 - t2) * mb;
      }
    }
    i = j;
  }
}

namespace {

int HampelSliding(std::span<double> x, int half_window, double n_sigmas, bool causal) {
  const int n = static_cast<int>(x.size());
  if (half_window <= 0 || n == 0) return 0;
  constexpr double kMadToSigma = 1.4826;  // MAD of a normal distribution is 0.6745 sigma
  const int before = causal ? 2 * half_window : half_window;
  const int after = causal ? 0 : half_window;
  // The decisions use the input values, not already-corrected ones: the inputs of the last
  // before + 1 samples (those that can still leave the window) are kept in a ring.
  const int ring = before + 2;
  std::vector<double> orig(ring);
  SortedWindow win(2 * half_window + 1);
  // Window of sample i: [i - before, i + after], clipped to the series.
  for (int k = 0; k <= std::min(after, n - 1); ++k) {
    if (std::isfinite(x[k])) win.Insert(x[k]);
  }
  int replaced = 0;
  int slot = 0;  // i % ring; sample i - before - 1 is at slot + 1 (mod ring)
  for (int i = 0; i < n; ++i, slot = slot + 1 == ring ? 0 : slot + 1) {
    const double xi = x[i];  // still the input: only samples before i have been replaced
    orig[slot] = xi;
    if (i > 0) {
      const int add = i + after, drop = i - before - 1;
      const double gone = orig[slot + 1 == ring ? 0 : slot + 1];
      const bool in = add < n && std::isfinite(x[add]);
      const bool out = drop >= 0 && std::isfinite(gone);
      if (in && out) {
        win.Replace(gone, x[add]);
      } else if (in) {
        win.Insert(x[add]);
      } else if (out) {
        win.Erase(gone);
      }
    }
    if (!std::isfinite(xi) || win.size() < 3) continue;
    const double med = win.Median();
    const double mad = win.MedianDeviation(med);
    if (std::abs(xi - med) > n_sigmas * kMadToSigma * mad && mad > 0) {
      // Offline the centred median is the local level. A trailing median lags a moving signal
      // by half a window, so live the previous (already cleaned) sample is the better guess.
      x[i] = (causal && i > 0 && std::isfinite(x[i - 1])) ? x[i - 1] : med;
      ++replaced;
    }
  }
  return replaced;
}

}  // namespace

namespace {

template <int N>
int HampelFixed(std::span<double> x, int before, double limit, bool causal) {
  return HampelLanes<N, 2>(x, before, limit, causal);
}

}  // namespace

int Hampel(std::span<double> x, int half_window, double n_sigmas, bool causal) {
  constexpr double kMadToSigma = 1.4826;  // MAD of a normal distribution is 0.6745 sigma
  const int before = causal ? 2 * half_window : half_window;
  const double limit = n_sigmas * kMadToSigma;
  if (x.size() >= 2) {
    // Checked here, in code built for the baseline: the AVX translation unit may use AVX
    // instructions anywhere in its functions.
    if (CpuHasAvx()) {
      const int r = HampelAvx(2 * half_window + 1, x, before, limit, causal);
      if (r >= 0) return r;
    }
    // The usual windows (0.1 to 0.5 s at 25 to 60 fps) have a fixed-size form.
    switch (2 * half_window + 1) {
      case 5:
        return HampelFixed<5>(x, before, limit, causal);
      case 7:
        return HampelFixed<7>(x, before, limit, causal);
      case 9:
        return HampelFixed<9>(x, before, limit, causal);
      case 11:
        return HampelFixed<11>(x, before, limit, causal);
      case 13:
        return HampelFixed<13>(x, before, limit, causal);
      default:
        break;
    }
  }
  return HampelSliding(x, half_window, n_sigmas, causal);
}

namespace detail {

int HampelReference(std::span<double> x, int half_window, double n_sigmas, bool causal) {
  const int n = static_cast<int>(x.size());
  if (half_window <= 0 || n == 0) return 0;
  // The decision uses the input values, not already-corrected ones, so a copy is kept.
  std::vector<double> in(x.begin(), x.end());
  std::vector<double> win(2 * half_window + 1), dev(2 * half_window + 1);
  constexpr double kMadToSigma = 1.4826;  // MAD of a normal distribution is 0.6745 sigma
  int replaced = 0;
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(in[i])) continue;
    const int lo = causal ? i - 2 * half_window : i - half_window;
    const int hi = causal ? i : i + half_window;
    int m = 0;
    for (int k = std::max(lo, 0); k <= std::min(hi, n - 1); ++k) {
      if (std::isfinite(in[k])) win[m++] = in[k];
    }
    if (m < 3) continue;
    const double med = MedianOf(win.data(), m);
    for (int k = 0; k < m; ++k) dev[k] = std::abs(win[k] - med);
    const double mad = MedianOf(dev.data(), m);
    if (std::abs(in[i] - med) > n_sigmas * kMadToSigma * mad && mad > 0) {
      // Offline the centred median is the local level. A trailing median lags a moving signal
      // by half a window, so live the previous (already cleaned) sample is the better guess.
      x[i] = (causal && i > 0 && std::isfinite(x[i - 1])) ? x[i - 1] : med;
      ++replaced;
    }
  }
  return replaced;
}

}  // namespace detail

std::vector<Biquad> DesignButterworthLowPass(int order, double cutoff_hz, double fs_hz) {
  MK_CHECK(order >= 1 && order <= 8) << "order " << order;
  MK_CHECK(cutoff_hz > 0 && cutoff_hz < fs_hz / 2) << cutoff_hz << " Hz at fs " << fs_hz;
  // Prewarp: the bilinear transform maps analog w to digital 2*atan(w/(2 fs)), so the analog
  // prototype cutoff 2 fs tan(pi fc / fs) lands exactly on fc.
  const double k = 2.0 * fs_hz;
  const double wa = k * std::tan(kPi * cutoff_hz / fs_hz);
  std::vector<Biquad> sections;
  // Analog poles wa * exp(j pi (2m + N + 1) / (2N)), m = 0..N-1, in the left half plane;
  // conjugate pairs m and N-1-m make one real section each.
  for (int m = 0; m < order / 2; ++m) {
    const double theta = kPi * (2.0 * m + order + 1) / (2.0 * order);
    const std::complex<double> p = wa * std::polar(1.0, theta);
    // Bilinear: z = (k + p) / (k - p); zeros of a low-pass all go to z = -1.
    const std::complex<double> z = (k + p) / (k - p);
    Biquad s;
    s.a1 = -2.0 * z.real();
    s.a2 = std::norm(z);
    const double gain = (1.0 + s.a1 + s.a2) / 4.0;  // DC gain 1: H(1) = 4 g / (1 + a1 + a2)
    s.b0 = gain;
    s.b1 = 2.0 * gain;
    s.b2 = gain;
    sections.push_back(s);
  }
  if (order % 2 == 1) {  // real pole at -wa
    const double z = (k - wa) / (k + wa);
    Biquad s;
    s.a1 = -z;
    s.a2 = 0;
    const double gain = (1.0 - z) / 2.0;
    s.b0 = gain;
    s.b1 = gain;
    s.b2 = 0;
    sections.push_back(s);
  }
  return sections;
}

double ZeroPhaseDesignCutoffHz(int order, double cutoff_hz, double fs_hz) {
  // Single pass |H|^2 = 1 / (1 + (W/Wc)^(2N)) in the prewarped variable W = tan(pi f / fs).
  // Forward-backward gives |H|^2; we want it 1/sqrt(2) at fc: (Wf/Wc)^(2N) = sqrt(2) - 1.
  const double w = std::tan(kPi * cutoff_hz / fs_hz);
  const double wc = w / std::pow(std::sqrt(2.0) - 1.0, 1.0 / (2.0 * order));
  return std::atan(wc) * fs_hz / kPi;
}

namespace {

// State of one section started at the steady state of a constant input x0 (DC gain g).
struct SectionState {
  double z1 = 0, z2 = 0;
  SectionState() = default;
  SectionState(const Biquad& s, double x0) {
    const double g = (s.b0 + s.b1 + s.b2) / (1.0 + s.a1 + s.a2);
    const double y0 = g * x0;
    z1 = y0 - s.b0 * x0;
    z2 = s.b2 * x0 - s.a2 * y0;
  }
  double Step(const Biquad& s, double in) {
    const double y = s.b0 * in + z1;
    z1 = s.b1 * in - s.a1 * y + z2;
    z2 = s.b2 * in - s.a2 * y;
    return y;
  }
};

// Runs the sections over n samples from `x` in steps of `stride` (+1 forward, -1 backward), two
// sections per pass: the second section's recurrence then overlaps the first's (a single
// section is bound by the latency of its own recurrence). Same arithmetic, in the same order
// per sample, as running the sections one after the other (FilterForwardReference).
void RunSections(std::span<const Biquad> sections, double* x, size_t n, std::ptrdiff_t stride) {
  if (n == 0) return;
  size_t k = 0;
  for (; k + 1 < sections.size(); k += 2) {
    const Biquad p = sections[k], q = sections[k + 1];
    SectionState sp(p, x[0]);
    const double y0 = sp.Step(p, x[0]);
    SectionState sq(q, y0);
    x[0] = sq.Step(q, y0);
    double* v = x;
    for (size_t i = 1; i < n; ++i) {
      v += stride;
      *v = sq.Step(q, sp.Step(p, *v));
    }
  }
  if (k < sections.size()) {
    const Biquad p = sections[k];
    SectionState sp(p, x[0]);
    double* v = x;
    for (size_t i = 0; i < n; ++i, v += stride) *v = sp.Step(p, *v);
  }
}

// RunSections on C = K * W channels interleaved (x[i * C + c]), W channels per register of V:
// 2 K independent recurrences per pass instead of 2, at W channels per instruction. V is a pair
// (SSE2, every x86-64 CPU) or a quad (AVX: only in the functions built for it, see
// ForwardBackwardQuads). Same arithmetic per channel (no fused multiply-add on either target).
using Pair = double __attribute__((vector_size(16)));
using Quad = double __attribute__((vector_size(32)));

template <typename V>
[[gnu::always_inline]] inline V LoadV(const double* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V>
[[gnu::always_inline]] inline void StoreV(double* p, V v) {
  std::memcpy(p, &v, sizeof v);
}

// SectionState::Step on W channels.
template <typename V>
[[gnu::always_inline]] inline V StepV(const Biquad& s, V& z1, V& z2, V in) {
  const V y = s.b0 * in + z1;
  z1 = s.b1 * in - s.a1 * y + z2;
  z2 = s.b2 * in - s.a2 * y;
  return y;
}

template <typename V, int K>
[[gnu::always_inline]] inline void RunSectionsInterleaved(std::span<const Biquad> sections,
                                                          double* x, size_t n,
                                                          std::ptrdiff_t step) {
  constexpr int W = static_cast<int>(sizeof(V) / sizeof(double));
  constexpr int C = W * K;
  if (n == 0) return;
  size_t k = 0;
  for (; k + 1 < sections.size(); k += 2) {
    const Biquad p = sections[k], q = sections[k + 1];
    double z[4][C];  // z1, z2 of section p, then of q, per channel; started as RunSections
    for (int c = 0; c < C; ++c) {
      SectionState sp(p, x[c]);
      const double y0 = sp.Step(p, x[c]);
      SectionState sq(q, y0);
      x[c] = sq.Step(q, y0);
      z[0][c] = sp.z1;
      z[1][c] = sp.z2;
      z[2][c] = sq.z1;
      z[3][c] = sq.z2;
    }
    V z1p[K], z2p[K], z1q[K], z2q[K];
    for (int h = 0; h < K; ++h) {
      z1p[h] = LoadV<V>(&z[0][W * h]);
      z2p[h] = LoadV<V>(&z[1][W * h]);
      z1q[h] = LoadV<V>(&z[2][W * h]);
      z2q[h] = LoadV<V>(&z[3][W * h]);
    }
    double* v = x;
    for (size_t i = 1; i < n; ++i) {
      v += step * C;
      for (int h = 0; h < K; ++h) {
        const V y = StepV(p, z1p[h], z2p[h], LoadV<V>(v + W * h));
        StoreV(v + W * h, StepV(q, z1q[h], z2q[h], y));
      }
    }
  }
  if (k < sections.size()) {
    const Biquad p = sections[k];
    double z[2][C];
    for (int c = 0; c < C; ++c) {
      const SectionState sp(p, x[c]);
      z[0][c] = sp.z1;
      z[1][c] = sp.z2;
    }
    V z1p[K], z2p[K];
    for (int h = 0; h < K; ++h) {
      z1p[h] = LoadV<V>(&z[0][W * h]);
      z2p[h] = LoadV<V>(&z[1][W * h]);
    }
    double* v = x;
    for (size_t i = 0; i < n; ++i, v += step * C) {
      for (int h = 0; h < K; ++h) StoreV(v + W * h, StepV(p, z1p[h], z2p[h], LoadV<V>(v + W * h)));
    }
  }
}

// The forward pass over the interleaved samples data[0 .. len) then the backward one, K
// registers of V per sample.
template <typename V, int K>
[[gnu::always_inline]] inline void ForwardBackward(std::span<const Biquad> sections, double* data,
                                                   size_t len) {
  constexpr int C = static_cast<int>(sizeof(V) / sizeof(double)) * K;
  RunSectionsInterleaved<V, K>(sections, data, len, 1);
  RunSectionsInterleaved<V, K>(sections, data + (len - 1) * C, len, -1);
}

// k pairs (1..8) per sample.
void ForwardBackwardPairs(int k, std::span<const Biquad> sections, double* data, size_t len) {
  switch (k) {
    case 1:
      return ForwardBackward<Pair, 1>(sections, data, len);
    case 2:
      return ForwardBackward<Pair, 2>(sections, data, len);
    case 3:
      return ForwardBackward<Pair, 3>(sections, data, len);
    case 4:
      return ForwardBackward<Pair, 4>(sections, data, len);
    case 5:
      return ForwardBackward<Pair, 5>(sections, data, len);
    case 6:
      return ForwardBackward<Pair, 6>(sections, data, len);
    case 7:
      return ForwardBackward<Pair, 7>(sections, data, len);
    default:
      return ForwardBackward<Pair, 8>(sections, data, len);
  }
}

// k quads (1..4) per sample; only when the CPU has AVX.
MONOKIN_KIN_AVX void ForwardBackwardQuads(int k, std::span<const Biquad> sections, double* data,
                                          size_t len) {
  switch (k) {
    case 1:
      return ForwardBackward<Quad, 1>(sections, data, len);
    case 2:
      return ForwardBackward<Quad, 2>(sections, data, len);
    case 3:
      return ForwardBackward<Quad, 3>(sections, data, len);
    default:
      return ForwardBackward<Quad, 4>(sections, data, len);
  }
}

}  // namespace

void FilterForward(std::span<const Biquad> sections, std::span<double> x) {
  RunSections(sections, x.data(), x.size(), 1);
}

namespace detail {

void FilterForwardReference(std::span<const Biquad> sections, std::span<double> x) {
  if (x.empty()) return;
  for (const Biquad& s : sections) {
    // Steady state for a constant input x[0]: y = g x0 with g the DC gain (1 by design).
    const double x0 = x[0];
    const double g = (s.b0 + s.b1 + s.b2) / (1.0 + s.a1 + s.a2);
    const double y0 = g * x0;
    double z1 = y0 - s.b0 * x0;
    double z2 = s.b2 * x0 - s.a2 * y0;
    for (double& v : x) {
      const double in = v;
      const double y = s.b0 * in + z1;
      z1 = s.b1 * in - s.a1 * y + z2;
      z2 = s.b2 * in - s.a2 * y;
      v = y;
    }
  }
}

}  // namespace detail

bool ZeroPhaseLowPass(std::span<double> x, int order, double cutoff_hz, double fs_hz) {
  if (cutoff_hz >= 0.49 * fs_hz) return false;
  const double design = ZeroPhaseDesignCutoffHz(order, cutoff_hz, fs_hz);
  if (design >= 0.49 * fs_hz) return false;
  const std::vector<Biquad> sections = DesignButterworthLowPass(order, design, fs_hz);
  // Padding: six periods of the cutoff, so the start-up transient (the state starts at the
  // steady state of a constant, not of the local trend) has died out before the data begins;
  // at least 3 * (order + 1) samples as is customary, and at most the run length - 1.
  const int pad_wanted = std::max(3 * (order + 1), static_cast<int>(6.0 * fs_hz / cutoff_hz));
  // Scratch reused across calls: a fresh buffer per signal would be a fresh mapping (page
  // faults) for long series.
  thread_local std::vector<double> buf;
  ForEachFiniteRun(x, [&](size_t b, size_t e) {
    const int n = static_cast<int>(e - b);
    if (n < 4) return;
    const int pad = std::min(pad_wanted, n - 1);
    buf.resize(n + 2 * pad);
    const double first = x[b], last = x[e - 1];
    // Odd reflection about the end points keeps the value and the slope continuous.
    for (int i = 0; i < pad; ++i) buf[i] = 2 * first - x[b + pad - i];
    for (int i = 0; i < n; ++i) buf[pad + i] = x[b + i];
    for (int i = 0; i < pad; ++i) buf[pad + n + i] = 2 * last - x[e - 2 - i];
    FilterForward(sections, buf);
    RunSections(sections, buf.data() + buf.size() - 1, buf.size(), -1);  // backward
    for (int i = 0; i < n; ++i) x[b + i] = buf[pad + i];
  });
  return true;
}

namespace {

// ZeroPhaseLowPass of m <= 16 channels with the same finite runs `runs`, filtered together:
// channel c at buf[i * ns + c] (ns = m rounded up to whole registers; padding channels of
// zeros stay 0).
void LowPassTogether(std::span<const std::span<double>> xs,
                     std::span<const std::pair<size_t, size_t>> runs,
                     std::span<const Biquad> sections, int pad_wanted) {
  thread_local std::vector<double> buf;
  const size_t m = xs.size();
  const bool quads = CpuHasAvx();
  const size_t width = quads ? 4 : 2;
  const size_t ns = (m + width - 1) / width * width;
  for (auto [b, e] : runs) {
    const int n = static_cast<int>(e - b);
    if (n < 4) continue;
    const int pad = std::min(pad_wanted, n - 1);
    const size_t len = n + 2 * pad;
    buf.resize(len * ns);
    for (size_t c = m; c < ns; ++c) {
      for (size_t i = 0; i < len; ++i) buf[i * ns + c] = 0.0;
    }
    // Padded as ZeroPhaseLowPass; the run itself copied sample by sample (buf in order).
    double* const data = buf.data();
    for (size_t c = 0; c < m; ++c) {
      const std::span<double> x = xs[c];
      const double first = x[b], last = x[e - 1];
      for (int i = 0; i < pad; ++i) data[i * ns + c] = 2 * first - x[b + pad - i];
      for (int i = 0; i < pad; ++i) data[(pad + n + i) * ns + c] = 2 * last - x[e - 2 - i];
    }
    const double* src[16];
    for (size_t c = 0; c < m; ++c) src[c] = xs[c].data() + b;
    for (int i = 0; i < n; ++i) {
      double* row = data + (pad + i) * ns;
      for (size_t c = 0; c < m; ++c) row[c] = src[c][i];
    }
    const int regs = static_cast<int>(ns / width);
    if (quads) {
      ForwardBackwardQuads(regs, sections, data, len);
    } else {
      ForwardBackwardPairs(regs, sections, data, len);
    }
    double* dst[16];
    for (size_t c = 0; c < m; ++c) dst[c] = xs[c].data() + b;
    for (int i = 0; i < n; ++i) {
      const double* row = data + (pad + i) * ns;
      for (size_t c = 0; c < m; ++c) dst[c][i] = row[c];
    }
  }
}

}  // namespace

bool ZeroPhaseLowPassMany(std::span<const std::span<double>> xs, int order, double cutoff_hz,
                          double fs_hz) {
  if (cutoff_hz >= 0.49 * fs_hz) return false;
  const double design = ZeroPhaseDesignCutoffHz(order, cutoff_hz, fs_hz);
  if (design >= 0.49 * fs_hz) return false;
  const std::vector<Biquad> sections = DesignButterworthLowPass(order, design, fs_hz);
  const int pad_wanted = std::max(3 * (order + 1), static_cast<int>(6.0 * fs_hz / cutoff_hz));
  // Channels with the same finite runs are filtered together, up to 16 at a time: their
  // recurrences are independent, so they overlap (and go two or four per instruction).
  const size_t nc = xs.size();
  std::vector<std::vector<std::pair<size_t, size_t>>> runs(nc);
  for (size_t c = 0; c < nc; ++c) {
    ForEachFiniteRun(xs[c], [&](size_t b, size_t e) { runs[c].emplace_back(b, e); });
  }
  std::vector<bool> done(nc, false);
  std::vector<std::span<double>> group;
  for (size_t c0 = 0; c0 < nc; ++c0) {
    if (done[c0]) continue;
    group.clear();
    for (size_t c = c0; c < nc; ++c) {
      if (done[c] || xs[c].size() != xs[c0].size() || runs[c] != runs[c0]) continue;
      done[c] = true;
      group.push_back(xs[c]);
    }
    for (size_t g = 0; g < group.size(); g += 16) {
      const size_t m = std::min<size_t>(16, group.size() - g);
      LowPassTogether(std::span(group).subspan(g, m), runs[c0], sections, pad_wanted);
    }
  }
  return true;
}

namespace {

// |x| lane by lane (the sign bit cleared, as std::abs).
template <typename V>
[[gnu::always_inline]] inline V AbsLanes(V x) {
  using M = decltype(V{} < V{});
  return std::bit_cast<V>(std::bit_cast<M>(x) & std::numeric_limits<std::int64_t>::max());
}

// The One-Euro filter of `count` series of the same length (count <= K * W), one per lane of K
// registers of V (W lanes each; lanes past `count` idle): the filters of different series are
// independent, so they run in lockstep, W per instruction (the recurrence is four divisions
// deep, so one series at a time waits on it). Every lane does the scalar operations in the
// scalar order (no FMA): each series gets the values it gets alone. V is a pair (SSE2) or a
// quad (AVX: only inside OneEuroQuads, built for it).
template <typename V, int K>
[[gnu::always_inline]] inline void OneEuroOf(const std::span<double>* xs, size_t count,
                                             double fs_hz, const OneEuroParams& p) {
  constexpr int W = static_cast<int>(sizeof(V) / sizeof(double));
  using M = decltype(V{} < V{});
  const double dt = 1.0 / fs_hz;
  const double tau_d = 1.0 / (2.0 * kPi * p.d_cutoff_hz);
  const double a_d = 1.0 / (1.0 + tau_d / dt);
  V prev[K] = {}, dprev[K] = {};
  M started[K] = {};
  const size_t n = xs[0].size();
  for (size_t i = 0; i < n; ++i) {
    for (int h = 0; h < K; ++h) {
      V v = {};
      for (int l = 0; l < W; ++l) {
        const size_t c = static_cast<size_t>(h * W + l);
        v[l] = c < count ? xs[c][i] : std::numeric_limits<double>::quiet_NaN();
      }
      const M finite = (v - v) == 0;
      const M run = finite & started[h];  // filtered; finite and not started: starts here
      const V dx = (v - prev[h]) / dt;
      const V d = dprev[h] + a_d * (dx - dprev[h]);
      const V cutoff = p.min_cutoff_hz + p.beta * AbsLanes(d) / p.speed_scale;
      const V tau = 1.0 / (2.0 * kPi * cutoff);
      const V alpha = 1.0 / (1.0 + tau / dt);
      const V next = prev[h] + alpha * (v - prev[h]);
      const M start = finite & ~started[h];
      prev[h] = run ? next : (start ? v : prev[h]);
      dprev[h] = run ? d : (start ? V{} : dprev[h]);
      started[h] = finite;
      for (int l = 0; l < W; ++l) {
        if (run[l]) xs[static_cast<size_t>(h * W + l)][i] = next[l];
      }
    }
  }
}

// Up to 8 series, two per register (see OneEuroOf).
void OneEuroPairs(const std::span<double>* xs, size_t count, double fs_hz, const OneEuroParams& p) {
  if (count <= 2) return OneEuroOf<Pair, 1>(xs, count, fs_hz, p);
  if (count <= 4) return OneEuroOf<Pair, 2>(xs, count, fs_hz, p);
  return OneEuroOf<Pair, 4>(xs, count, fs_hz, p);
}

// Up to 16 series; only when the CPU has AVX.
MONOKIN_KIN_AVX void OneEuroQuads(const std::span<double>* xs, size_t count, double fs_hz,
                                  const OneEuroParams& p) {
  if (count <= 4) return OneEuroOf<Quad, 1>(xs, count, fs_hz, p);
  if (count <= 8) return OneEuroOf<Quad, 2>(xs, count, fs_hz, p);
  return OneEuroOf<Quad, 4>(xs, count, fs_hz, p);
}

}  // namespace

void OneEuro(std::span<double> x, double fs_hz, const OneEuroParams& p) {
  OneEuroPairs(&x, 1, fs_hz, p);
}

void OneEuroMany(std::span<const std::span<double>> xs, double fs_hz, const OneEuroParams& p) {
  const bool quads = CpuHasAvx();
  const size_t most = quads ? 16 : 8;
  for (size_t c = 0; c < xs.size();) {
    size_t m = 1;  // consecutive series of the same length, up to `most`
    while (m < most && c + m < xs.size() && xs[c + m].size() == xs[c].size()) ++m;
    if (quads) {
      OneEuroQuads(&xs[c], m, fs_hz, p);
    } else {
      OneEuroPairs(&xs[c], m, fs_hz, p);
    }
    c += m;
  }
}

void Smooth(std::span<double> x, double fs_hz, bool causal, int order, double cutoff_hz,
            const OneEuroParams& one_euro) {
  if (causal) {
    OneEuro(x, fs_hz, one_euro);
  } else {
    ZeroPhaseLowPass(x, order, cutoff_hz, fs_hz);
  }
}

namespace {

// Weights w[k] such that sum_k w[k] x[k] is the deriv-th derivative at window position t0 of
// the degree-`poly` least-squares polynomial through x[0..window-1] (unit sample spacing).
std::vector<double> SavGolWeights(int window, int poly, int deriv, int t0) {
  Eigen::MatrixXd a(window, poly + 1);
  for (int k = 0; k < window; ++k) {
    const double t = k - t0;  // centre the polynomial on t0 for conditioning
    double pw = 1;
    for (int j = 0; j <= poly; ++j) {
      a(k, j) = pw;
      pw *= t;
    }
  }
  // Coefficients c = (A^T A)^-1 A^T x; the derivative at t = 0 is deriv! * c[deriv].
  const Eigen::MatrixXd pinv = (a.transpose() * a).ldlt().solve(a.transpose());
  double fact = 1;
  for (int j = 2; j <= deriv; ++j) fact *= j;
  std::vector<double> w(window);
  for (int k = 0; k < window; ++k) w[k] = fact * pinv(deriv, k);
  return w;
}

// Samples i in [begin, end) of a run whose window is x[i - t0 .. i - t0 + w) with the same
// weights `cw` (the centred interior offline, everything past the first w - 1 samples live):
// the same sum, term by term, as the generic loop. The usual windows have a fixed number of
// taps, so the loop vectorises.
template <int W>
void SavGolFixedTaps(const double* cw, const double* x, double* out, int t0, int begin, int end,
                     double unit) {
  std::array<double, W> w;
  std::copy(cw, cw + W, w.begin());
  for (int i = begin; i < end; ++i) {
    double acc = 0;
    for (int k = 0; k < W; ++k) acc += w[k] * x[i - t0 + k];
    out[i] = acc * unit;
  }
}

void SavGolSameWeights(const double* cw, int w, const double* x, double* out, int t0, int begin,
                       int end, double unit) {
  switch (w) {
    case 5:
      return SavGolFixedTaps<5>(cw, x, out, t0, begin, end, unit);
    case 7:
      return SavGolFixedTaps<7>(cw, x, out, t0, begin, end, unit);
    case 9:
      return SavGolFixedTaps<9>(cw, x, out, t0, begin, end, unit);
    default:
      for (int i = begin; i < end; ++i) {
        double acc = 0;
        for (int k = 0; k < w; ++k) acc += cw[k] * x[i - t0 + k];
        out[i] = acc * unit;
      }
  }
}

}  // namespace

std::vector<double> SavGolDerivative(std::span<const double> x, double fs_hz, int deriv, int window,
                                     int poly, bool causal) {
  MK_CHECK(window % 2 == 1 && window > poly && deriv <= poly) << window << " " << poly;
  const size_t n = x.size();
  std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
  const double unit = std::pow(fs_hz, deriv);
  // Weight sets per (window, reference position), computed once per call.
  std::vector<std::vector<double>> cache;
  int cache_window = -1;
  auto weights_for = [&](int w, int t0) -> const std::vector<double>& {
    if (w != cache_window) {
      cache.assign(w, {});
      cache_window = w;
    }
    if (cache[t0].empty()) cache[t0] = SavGolWeights(w, poly, deriv, t0);
    return cache[t0];
  };
  ForEachFiniteRun(x, [&](size_t b, size_t e) {
    const int len = static_cast<int>(e - b);
    if (len < poly + 2) return;
    // Short runs use the largest odd window that fits.
    int w = std::min(window, len % 2 == 1 ? len : len - 1);
    if (w <= poly) return;
    const int half = w / 2;
    for (int i = 0; i < len; ++i) {
      int start;
      if (causal) {
        start = i - (w - 1);
        if (start < 0) start = 0;                 // first samples: the window cannot end at i yet
        if (i < w - 1 && i < poly + 1) continue;  // too few past samples for a fit
        if (i < w - 1) {
          // Growing window ending at i: fit on samples 0..i only.
          const int wi = i + 1;
          const std::vector<double> ww = SavGolWeights(wi, std::min(poly, wi - 1), deriv, i);
          if (deriv > std::min(poly, wi - 1)) continue;
          double acc = 0;
          for (int k = 0; k < wi; ++k) acc += ww[k] * x[b + k];
          out[b + i] = acc * unit;
          continue;
        }
        // From here on every window ends at its sample with all w samples.
        SavGolSameWeights(weights_for(w, w - 1).data(), w, x.data() + b, out.data() + b, w - 1, i,
                          len, unit);
        break;
      } else {
        start = std::clamp(i - half, 0, len - w);
        if (start == i - half && i + 1 < len - half) {
          // The interior: the centred weights, in a tight loop up to the last centred sample.
          const int end = len - half;
          SavGolSameWeights(weights_for(w, half).data(), w, x.data() + b, out.data() + b, half, i,
                            end, unit);
          i = end - 1;  // the loop's ++i moves on to the first end sample
          continue;
        }
      }
      const std::vector<double>& ww = weights_for(w, i - start);
      double acc = 0;
      for (int k = 0; k < w; ++k) acc += ww[k] * x[b + start + k];
      out[b + i] = acc * unit;
    }
  });
  return out;
}

}  // namespace monokin::kinematics
