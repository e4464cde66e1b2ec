// SPDX-License-Identifier: Apache-2.0
// Internal to filters.cpp and hampel_avx.cpp (not part of the API): the Hampel filter's sorted
// sliding window and its fixed-size form, which sorts L full windows at a time with a
// compare-exchange network in vector registers. Everything here has internal linkage, so the
// AVX translation unit's copies never replace the baseline ones.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <utility>
#include <vector>
#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace monokin::kinematics {

// Hampel with a window of `window` (5..13, odd) samples, `before` of them before the sample,
// four windows at a time with AVX (hampel_avx.cpp); -1 for other windows or when not built
// with AVX. Call only when the CPU has AVX.
int HampelAvx(int window, std::span<double> x, int before, double limit, bool causal);

namespace {

// The finite samples of a sliding window, kept sorted in a small array: O(window) insert,
// erase or replace (shifting a few doubles), O(1) median and O(window / 2) MAD, where copying
// the window and selecting twice (the reference) costs several times more.
class SortedWindow {
 public:
  explicit SortedWindow(int capacity) : v_(capacity) {}
  int size() const { return m_; }
  void Insert(double x) {
    int i = m_++;
    for (; i > 0 && v_[i - 1] > x; --i) v_[i] = v_[i - 1];
    v_[i] = x;
  }
  void Erase(double x) {
    int i = Find(x);
    for (--m_; i < m_; ++i) v_[i] = v_[i + 1];
  }
  // Erase(out) then Insert(in), in one pass.
  void Replace(double out, double in) {
    int i = Find(out);
    if (in > out) {
      for (; i + 1 < m_ && v_[i + 1] < in; ++i) v_[i] = v_[i + 1];
    } else {
      for (; i > 0 && v_[i - 1] > in; --i) v_[i] = v_[i - 1];
    }
    v_[i] = in;
  }
  // As MedianOf: the middle value, or the mean of the two middle values.
  double Median() const { return m_ % 2 == 1 ? v_[m_ / 2] : 0.5 * (v_[m_ / 2] + v_[m_ / 2 - 1]); }
  // Median of |v - med| (med from Median()). The deviations of v[0..p) (p = size / 2, all
  // <= med) and of v[p..size) (all >= med) are two sorted sequences growing outwards from med.
  // The r-th smallest of their union takes a from the first and r - a from the second for the
  // a that minimises the larger of the two last taken: a min-max over a few candidates, without
  // the unpredictable branches of a merge.
  double MedianDeviation(double med) const {
    const int p = m_ / 2;
    auto order = [&](int r) {  // r-th smallest deviation, 1-based
      double best = std::numeric_limits<double>::infinity();
      for (int a = std::max(0, r - (m_ - p)); a <= std::min(r, p); ++a) {
        const double l = a > 0 ? med - v_[p - a] : 0.0;
        const double h = r - a > 0 ? v_[p + r - a - 1] - med : 0.0;
        best = std::min(best, std::max(l, h));
      }
      return best;
    };
    return m_ % 2 == 1 ? order(m_ / 2 + 1) : 0.5 * (order(m_ / 2 + 1) + order(m_ / 2));
  }

 private:
  int Find(double x) const {  // index of a value equal to x (present)
    int i = 0;
    while (v_[i] < x) ++i;
    return i;
  }
  std::vector<double> v_;
  int m_ = 0;
};

// Comparators of Batcher's odd-even merge sort for the next power of two >= N, those between
// two of the first N inputs (the others only ever meet +infinity padding, a no-op).
template <int N>
constexpr auto SortingNetwork() {
  constexpr int kP = N <= 1 ? 1 : 2 * std::bit_floor(static_cast<unsigned>(N - 1));
  std::array<std::pair<int, int>, kP * 8> all{};
  int count = 0;
  for (int p = 1; p < kP; p *= 2) {
    for (int k = p; k >= 1; k /= 2) {
      for (int j = k % p; j <= kP - 1 - k; j += 2 * k) {
        for (int i = 0; i <= std::min(k - 1, kP - j - k - 1); ++i) {
          if ((i + j) / (2 * p) == (i + j + k) / (2 * p) && i + j + k < N) {
            all[count++] = {i + j, i + j + k};
          }
        }
      }
    }
  }
  return std::pair{all, count};
}

// The windows of L consecutive samples, one per lane: 2 in SSE2 registers (x86-64 baseline),
// 4 in AVX registers (in the translation unit built with AVX, hampel_avx.cpp).
using V2 = double __attribute__((vector_size(16)));
#if defined(__AVX__)
using V4 = double __attribute__((vector_size(32)));
#endif
template <int L>
struct LanesOf;
template <>
struct LanesOf<2> {
  using Type = V2;
};
#if defined(__AVX__)
template <>
struct LanesOf<4> {
  using Type = V4;
};
#endif

// Branch-free minimum and maximum (the sorted windows hold finite values only).
#if defined(__SSE2__)
inline V2 Min(V2 a, V2 b) { return _mm_min_pd(a, b); }
inline V2 Max(V2 a, V2 b) { return _mm_max_pd(a, b); }
#else
inline V2 Min(V2 a, V2 b) { return a < b ? a : b; }
inline V2 Max(V2 a, V2 b) { return a < b ? b : a; }
#endif
#if defined(__AVX__)
inline V4 Min(V4 a, V4 b) { return _mm256_min_pd(a, b); }
inline V4 Max(V4 a, V4 b) { return _mm256_max_pd(a, b); }
#endif
// Whether any lane of a comparison result is true.
template <typename M>
inline bool AnyLane(M m) {
  long any = 0;
  for (size_t l = 0; l < sizeof(M) / sizeof(long); ++l) any |= m[l];
  return any != 0;
}

template <typename V>
[[gnu::always_inline]] inline void CompareExchange(V& a, V& b) {
  const V lo = Min(a, b), hi = Max(a, b);
  a = lo;
  b = hi;
}

template <int N, typename V, size_t... I>
[[gnu::always_inline]] inline void SortRows(V (&r)[N], std::index_sequence<I...>) {
  constexpr auto kNet = SortingNetwork<N>();
  (CompareExchange(r[kNet.first[I].first], r[kNet.first[I].second]), ...);
}

// r[j] = the L samples from src + j (unrolled: the rows stay in registers).
template <int N, typename V, size_t... J>
[[gnu::always_inline]] inline void LoadRows(V (&r)[N], const double* src,
                                            std::index_sequence<J...>) {
  ((std::memcpy(&r[J], src + J, sizeof(V))), ...);
}

// Hampel for a window of N samples (N = before + after + 1, odd): L full windows at a time
// are sorted by a fixed compare-exchange network held in registers (no branches); clipped or
// gappy windows go through SortedWindow. Same order statistics, so the same decisions.
template <int N, int L>
[[gnu::always_inline]] inline int HampelLanes(std::span<double> x, int before, double limit,
                                              bool causal) {
  using V = typename LanesOf<L>::Type;
  constexpr int kNet = SortingNetwork<N>().second;
  constexpr int p = N / 2;
  const int n = static_cast<int>(x.size());
  const int after = N - 1 - before;
  thread_local std::vector<double> in_buf;
  thread_local std::vector<int> bad_buf;
  in_buf.assign(x.begin(), x.end());
  bad_buf.resize(n + 1);
  // Plain pointers: every use of a thread_local goes through its initialisation check.
  const double* const in = in_buf.data();
  int* const bad = bad_buf.data();  // bad[k]: non-finite samples among in[0..k)
  int nonfinite = 0;                // counted first (a loop that vectorises): most series have none
  for (int k = 0; k < n; ++k) nonfinite += std::isfinite(in[k]) ? 0 : 1;
  if (nonfinite > 0) {
    bad[0] = 0;
    for (int k = 0; k < n; ++k) bad[k + 1] = bad[k] + (std::isfinite(in[k]) ? 0 : 1);
  }
  // Windows i and j > i full: so are those between (their union is contiguous).
  auto full = [&](int i) {
    return i - before >= 0 && i + after < n &&
           (nonfinite == 0 || bad[i + after + 1] == bad[i - before]);
  };
  int replaced = 0;
  auto decide = [&](int i, double med, double mad) {
    if (std::abs(in[i] - med) > limit * mad && mad > 0) {
      x[i] = (causal && i > 0 && std::isfinite(x[i - 1])) ? x[i - 1] : med;
      ++replaced;
    }
  };
  for (int i = 0; i < n;) {
    if (i + L - 1 < n && full(i) && full(i + L - 1)) {
      V r[N];
      LoadRows(r, in + i - before, std::make_index_sequence<N>());
      SortRows<N>(r, std::make_index_sequence<kNet>());
      const V med = r[p];
      V mad = r[2 * p] - med;  // split a = 0 (see SortedWindow::MedianDeviation)
      for (int a = 1; a <= p; ++a) {
        const V l = med - r[p - a], h = r[2 * p - a] - med;
        mad = Min(Max(l, h), mad);
      }
      // The test of decide() on all lanes at once; most windows have no outlier.
      V xi;
      std::memcpy(&xi, &in[i], sizeof(V));
      const V dev = xi - med;
      if (AnyLane((Max(dev, -dev) > limit * mad) & (mad > 0))) {
        for (int l = 0; l < L; ++l) decide(i + l, med[l], mad[l]);
      }
      i += L;
      continue;
    }
    if (std::isfinite(in[i])) {
      SortedWindow win(N);
      for (int k = std::max(0, i - before); k <= std::min(n - 1, i + after); ++k) {
        if (std::isfinite(in[k])) win.Insert(in[k]);
      }
      if (win.size() >= 3) {
        const double med = win.Median();
        decide(i, med, win.MedianDeviation(med));
      }
    }
    ++i;
  }
  return replaced;
}

}  // namespace
}  // namespace monokin::kinematics
