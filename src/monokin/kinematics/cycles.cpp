// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/cycles.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "monokin/kinematics/filters.h"

namespace monokin::kinematics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return kNaN;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

double Median(std::vector<double> v) { return v.empty() ? 0.0 : Percentile(std::move(v), 0.5); }

// Normalised autocorrelation of the finite samples at one lag (pairs with a NaN are skipped).
double AutocorrelationAt(std::span<const double> x, int lag) {
  double mean = 0;
  int cnt = 0;
  for (double v : x) {
    if (std::isfinite(v)) {
      mean += v;
      ++cnt;
    }
  }
  if (cnt < 2 || lag <= 0 || lag >= static_cast<int>(x.size())) return 0;
  mean /= cnt;
  double num = 0, den = 0;
  int pairs = 0;
  for (double v : x) {
    if (std::isfinite(v)) den += (v - mean) * (v - mean);
  }
  for (size_t i = 0; i + lag < x.size(); ++i) {
    if (std::isfinite(x[i]) && std::isfinite(x[i + lag])) {
      num += (x[i] - mean) * (x[i + lag] - mean);
      ++pairs;
    }
  }
  return den > 0 && pairs > 0 ? (num / pairs) / (den / cnt) : 0;
}

}  // namespace

double DominantPeriodSamples(std::span<const double> x, int min_lag, int max_lag, double* score) {
  const int n = static_cast<int>(x.size());
  double mean = 0;
  int cnt = 0;
  for (double v : x) {
    if (std::isfinite(v)) {
      mean += v;
      ++cnt;
    }
  }
  if (score) *score = 0;
  if (cnt < 4) return 0;
  mean /= cnt;
  std::vector<double> d(n);
  for (int i = 0; i < n; ++i) d[i] = std::isfinite(x[i]) ? x[i] - mean : 0.0;
  double r0 = 0;
  for (double v : d) r0 += v * v;
  if (r0 <= 0) return 0;
  max_lag = std::min(max_lag, n - 2);
  auto r = [&](int lag) {
    double s = 0;
    for (int i = 0; i + lag < n; ++i) s += d[i] * d[i + lag];
    return s / r0 * n / (n - lag);  // unbiased: longer lags sum fewer products
  };
  double best = -2, prev = r(std::max(1, min_lag - 1)), cur = r(std::max(1, min_lag));
  int best_lag = 0;
  for (int lag = std::max(1, min_lag); lag < max_lag; ++lag) {
    const double next = r(lag + 1);
    if (cur >= prev && cur >= next && cur > best) {
      best = cur;
      best_lag = lag;
    }
    prev = cur;
    cur = next;
  }
  if (best_lag == 0) return 0;
  if (score) *score = best;
  return best_lag;
}

RepetitionSummary DetectRepetitions(std::span<const double> x, std::span<const double> time_s,
                                    double fs_hz, const RepetitionOptions& o,
                                    const std::string& signal) {
  RepetitionSummary out;
  out.signal = signal;
  std::vector<double> finite;
  for (double v : x) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.size() < 4) return out;
  const double p5 = Percentile(finite, 0.05), p95 = Percentile(finite, 0.95);
  const double range = p95 - p5;
  if (!(range >= o.min_range)) return out;
  // Work on the signal flipped so that rest is always low: repetitions go valley-peak-valley.
  const bool rest_low = Percentile(finite, 0.5) < 0.5 * (p5 + p95);
  const double sign = rest_low ? 1.0 : -1.0;
  const double rest = rest_low ? p5 : -p95;
  const double lo = rest + o.exit_fraction * range;
  const double hi = rest + o.enter_fraction * range;
  struct Extreme {
    int i;
    bool peak;
  };
  std::vector<Extreme> ext;
  int zone = 0;  // -1 low, +1 high, 0 not yet known
  int arg = -1;
  const int n = static_cast<int>(x.size());
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) continue;
    const double v = sign * x[i];
    if (zone <= 0 && v > hi) {
      if (zone < 0) ext.push_back({arg, false});
      zone = 1;
      arg = i;
    } else if (zone >= 0 && v < lo) {
      if (zone > 0) ext.push_back({arg, true});
      zone = -1;
      arg = i;
    } else if (zone != 0 && (zone > 0 ? v > sign * x[arg] : v < sign * x[arg])) {
      arg = i;
    }
  }
  // Back at rest at the end: the last valley stands.
  if (zone < 0) ext.push_back({arg, false});
  auto at = [&](int i) { return sign * x[i]; };
  for (size_t k = 1; k + 1 < ext.size(); ++k) {
    if (!ext[k].peak || ext[k - 1].peak || ext[k + 1].peak) continue;
    const int v0 = ext[k - 1].i, pk = ext[k].i, v1 = ext[k + 1].i;
    // Movement start: last sample before the peak within 10 % of the range of the valley.
    int s = pk, e = pk;
    while (s > v0 && !(std::isfinite(x[s]) && at(s) <= at(v0) + 0.1 * range)) --s;
    while (e < v1 && !(std::isfinite(x[e]) && at(e) <= at(v1) + 0.1 * range)) ++e;
    Repetition r;
    r.start_s = time_s[s];
    r.peak_s = time_s[pk];
    r.end_s = time_s[e];
    r.rest_value = 0.5 * (x[v0] + x[v1]);
    r.peak_value = x[pk];
    r.range = std::abs(x[pk] - (rest_low ? std::min(x[v0], x[v1]) : std::max(x[v0], x[v1])));
    r.duration_s = r.end_s - r.start_s;
    r.up_s = r.peak_s - r.start_s;
    r.down_s = r.end_s - r.peak_s;
    out.repetitions.push_back(r);
  }
  // Period: median peak-to-peak interval; periodicity: the autocorrelation at that lag (one
  // lag, O(n), where a full autocorrelation search would cost O(n * lags)).
  std::vector<double> intervals;
  for (size_t k = 1; k < out.repetitions.size(); ++k) {
    intervals.push_back(out.repetitions[k].peak_s - out.repetitions[k - 1].peak_s);
  }
  if (!intervals.empty()) {
    out.period_s = Median(intervals);
    const int lag = static_cast<int>(std::lround(out.period_s * fs_hz));
    out.periodicity = AutocorrelationAt(x, lag);
  }
  return out;
}

GaitSummary DetectGait(std::span<const Skeleton> image, std::span<const double> time_s,
                       std::span<const FrameIndex> frames, double fs_hz, double facing,
                       double stature_px, bool causal, const GaitOptions& o) {
  GaitSummary g;
  const int n = static_cast<int>(image.size());
  if (n < 8 || !(stature_px > 0)) return g;
  std::vector<double> low[2], rel_x[2];
  std::vector<double> lower_foot(n, kNaN);
  for (int side = 0; side < 2; ++side) {
    low[side].assign(n, kNaN);
    rel_x[side].assign(n, kNaN);
    for (int t = 0; t < n; ++t) {
      const Vec3 heel = image[t][bp::kLeftHeel + side], toe = image[t][bp::kLeftToe + side];
      const Vec3 hip = Mid(image[t][bp::kLeftHip], image[t][bp::kRightHip]);
      if (!Finite(heel) || !Finite(toe) || !Finite(hip)) continue;
      const bool heel_lower = heel.y >= toe.y;  // image y grows downwards
      low[side][t] = heel_lower ? heel.y : toe.y;
      // Horizontal motion of the whole foot (mid heel-toe): the lowest point flips between heel
      // and toe when the foot is flat, which would make its x jump by a foot length.
      rel_x[side][t] = (0.5 * (heel.x + toe.x) - hip.x) * facing;
      lower_foot[t] =
          std::isfinite(lower_foot[t]) ? std::max(lower_foot[t], low[side][t]) : low[side][t];
    }
  }
  // Ground line: median of the lower foot over +-1 s (trailing 2 s when causal). Robust to a
  // slowly panning or tilting camera, and to flight phases (shorter than half the window).
  const int half = std::max(1, static_cast<int>(std::lround(fs_hz)));
  std::vector<double> ground(n, kNaN), win;
  for (int t = 0; t < n; ++t) {
    win.clear();
    const int a = causal ? t - 2 * half : t - half, b = causal ? t : t + half;
    for (int k = std::max(0, a); k <= std::min(n - 1, b); ++k) {
      if (std::isfinite(lower_foot[k])) win.push_back(lower_foot[k]);
    }
    if (!win.empty()) ground[t] = Percentile(win, 0.5);
  }
  const int window = 2 * std::max(2, static_cast<int>(std::lround(0.05 * fs_hz))) + 1;
  const int min_run = std::max(1, static_cast<int>(std::lround(o.min_contact_s * fs_hz)));
  struct Stance {
    int on, off;  // first contact sample, first sample after contact
    bool left;
  };
  std::vector<Stance> stances;
  for (int side = 0; side < 2; ++side) {
    const std::vector<double> v = SavGolDerivative(rel_x[side], fs_hz, 1, window, 2, causal);
    std::vector<bool> contact(n, false);
    for (int t = 0; t < n; ++t) {
      const double h = (ground[t] - low[side][t]) / stature_px;
      contact[t] = std::isfinite(h) && std::isfinite(v[t]) && h < o.contact_height &&
                   v[t] / stature_px < o.contact_speed;
    }
    for (int t = 0; t < n;) {
      if (!contact[t]) {
        ++t;
        continue;
      }
      int e = t;
      while (e < n && contact[e]) ++e;
      // Complete contacts only: not touching the series ends, not too short.
      if (t > 0 && e < n && e - t >= min_run) stances.push_back({t, e, side == 0});
      t = e;
    }
  }
  std::sort(stances.begin(), stances.end(),
            [](const Stance& a, const Stance& b) { return a.on < b.on; });
  // Trimmed mean: step times alternate between whole frame counts (e.g. 10, 11, 10, ...), and
  // a median would pick one of them; the mean of the middle values does not.
  auto trimmed_mean = [](std::vector<double> v) {
    if (v.empty()) return 0.0;
    const double med = Median(v);
    double sum = 0;
    int cnt = 0;
    for (double x : v) {
      if (x > 0.5 * med && x < 1.5 * med) {
        sum += x;
        ++cnt;
      }
    }
    return cnt ? sum / cnt : med;
  };
  std::vector<double> step_times, stride_times, contact_times, flights;
  for (size_t k = 0; k < stances.size(); ++k) {
    const Stance& s = stances[k];
    g.events.push_back({time_s[s.on], frames[s.on], s.left, GaitEventKind::kFootStrike});
    g.events.push_back({time_s[s.off], frames[s.off], s.left, GaitEventKind::kToeOff});
    contact_times.push_back(time_s[s.off] - time_s[s.on]);
    if (k > 0 && stances[k - 1].left != s.left) {
      step_times.push_back(time_s[s.on] - time_s[stances[k - 1].on]);
      flights.push_back(time_s[s.on] - time_s[stances[k - 1].off]);
    }
    for (size_t j = k; j-- > 0;) {
      if (stances[j].left == s.left) {
        stride_times.push_back(time_s[s.on] - time_s[stances[j].on]);
        break;
      }
    }
  }
  std::sort(g.events.begin(), g.events.end(),
            [](const GaitEvent& a, const GaitEvent& b) { return a.time_s < b.time_s; });
  g.steps = static_cast<int>(stances.size());
  g.step_time_s = trimmed_mean(step_times);
  g.stride_time_s = trimmed_mean(stride_times);
  g.cadence_spm = g.step_time_s > 0 ? 60.0 / g.step_time_s : 0.0;
  g.contact_time_s = trimmed_mean(contact_times);
  const double f = Median(flights);
  g.flight_time_s = std::max(0.0, f);
  g.double_support_s = std::max(0.0, -f);
  return g;
}

}  // namespace monokin::kinematics
