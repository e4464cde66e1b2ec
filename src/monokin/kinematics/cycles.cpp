// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/cycles.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

// out[r] = the value of rank ks[r] (0-based, ascending) among the `count` finite values of x,
// which lie in [lo, hi]: exactly what sorting them would give. A histogram over [lo, hi] (the
// bucket is monotone in the value) finds the bucket holding each rank; only that bucket's
// values are then searched. (nth_element over all values mispredicts a branch per value.)
void FiniteRanks(std::span<const double> x, size_t count, double lo, double hi,
                 std::span<const size_t> ks, std::span<double> out) {
  constexpr size_t kBuckets = 4096;
  const double scale = kBuckets / (hi - lo);
  std::vector<double> pick;
  if (!(hi > lo) || !std::isfinite(scale) || !std::isfinite(hi - lo)) {  // one value, or odd
    std::vector<double> all;
    all.reserve(count);
    for (double v : x) {
      if (std::isfinite(v)) all.push_back(v);
    }
    for (size_t r = 0; r < ks.size(); ++r) {
      std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(ks[r]), all.end());
      out[r] = all[ks[r]];
    }
    return;
  }
  auto bucket = [&](double v) {
    return std::min(kBuckets - 1, static_cast<size_t>((v - lo) * scale));
  };
  std::vector<std::uint32_t> hist(kBuckets + 1, 0);
  for (double v : x) {
    if (std::isfinite(v)) ++hist[bucket(v)];
  }
  // The bucket of each rank and the values below it; then one pass collects every wanted
  // bucket's values (buckets marked in `want`, their values grouped by bucket afterwards).
  std::vector<size_t> bucket_of(ks.size()), below_of(ks.size());
  std::vector<std::uint8_t> want(kBuckets, 0);
  for (size_t r = 0; r < ks.size(); ++r) {
    size_t b = 0, below = 0;  // values in buckets before b
    while (below + hist[b] <= ks[r]) below += hist[b++];
    bucket_of[r] = b;
    below_of[r] = below;
    want[b] = 1;
  }
  std::vector<std::pair<size_t, double>> picked;  // (bucket, value)
  for (double v : x) {
    if (!std::isfinite(v)) continue;
    const size_t b = bucket(v);
    if (want[b]) picked.emplace_back(b, v);
  }
  for (size_t r = 0; r < ks.size(); ++r) {
    pick.clear();
    for (const auto& [b, v] : picked) {
      if (b == bucket_of[r]) pick.push_back(v);
    }
    const size_t k = ks[r] - below_of[r];
    std::nth_element(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(k), pick.end());
    out[r] = pick[k];
  }
}

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
  // Count and range of the finite values, four independent accumulators (no branch, no
  // chain through one minimum).
  constexpr double kInf = std::numeric_limits<double>::infinity();
  size_t counts[4] = {0, 0, 0, 0};
  double mins[4] = {kInf, kInf, kInf, kInf}, maxs[4] = {-kInf, -kInf, -kInf, -kInf};
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = x[i];
    const bool f = std::isfinite(v);
    const size_t a = i % 4;
    counts[a] += f;
    mins[a] = f && v < mins[a] ? v : mins[a];
    maxs[a] = f && v > maxs[a] ? v : maxs[a];
  }
  const size_t count = counts[0] + counts[1] + counts[2] + counts[3];
  const double vmin = std::min(std::min(mins[0], mins[1]), std::min(mins[2], mins[3]));
  const double vmax = std::max(std::max(maxs[0], maxs[1]), std::max(maxs[2], maxs[3]));
  if (count < 4) return out;
  auto rank = [&](double q) {
    return std::min(count - 1, static_cast<size_t>(q * static_cast<double>(count - 1) + 0.5));
  };
  const size_t ks[3] = {rank(0.05), rank(0.5), rank(0.95)};
  double pct[3];
  FiniteRanks(x, count, vmin, vmax, ks, pct);
  const double p5 = pct[0], p50 = pct[1], p95 = pct[2];
  const double range = p95 - p5;
  if (!(range >= o.min_range)) return out;
  // Work on the signal flipped so that rest is always low: repetitions go valley-peak-valley.
  const bool rest_low = p50 < 0.5 * (p5 + p95);
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

namespace {

// The q-quantile of the finite samples of x over +-half samples (trailing 2 * half when
// causal), for slowly varying levels: evaluated every half / 10 samples, offline interpolated
// linearly between evaluations, live held from the last evaluation at or before each sample.
std::vector<double> SlowQuantile(std::span<const double> lower, int half, bool causal, double q) {
  const int n = static_cast<int>(lower.size());
  const int stride = std::max(1, half / 10);
  const int before = causal ? 2 * half : half, after = causal ? 0 : half;
  std::vector<int> at;
  std::vector<double> val, win;  // win: the finite samples of the window, sorted
  win.reserve(before + after + 1);
  auto add = [&](double v) {
    if (std::isfinite(v)) win.insert(std::upper_bound(win.begin(), win.end(), v), v);
  };
  auto drop = [&](double v) {
    if (std::isfinite(v)) win.erase(std::lower_bound(win.begin(), win.end(), v));
  };
  // The window of sample t is [t - before, t + after], clipped; it slides one sample at a time
  // and is read at the evaluation points c = 0, stride, 2 stride, ..., n - 1.
  for (int k = 0; k <= std::min(after, n - 1); ++k) add(lower[k]);
  for (int t = 0, c = 0; t < n; ++t) {
    if (t > 0) {
      if (t + after < n) add(lower[t + after]);
      if (t - before - 1 >= 0) drop(lower[t - before - 1]);
    }
    if (t != c) continue;
    if (!win.empty()) {  // as Percentile(window, q)
      const size_t k = std::min(win.size() - 1, static_cast<size_t>(q * (win.size() - 1) + 0.5));
      at.push_back(c);
      val.push_back(win[k]);
    }
    c = c == n - 1 ? n : std::min(c + stride, n - 1);
  }
  std::vector<double> ground(n, kNaN);
  if (at.empty()) return ground;
  size_t j = 0;  // at[j] <= t < at[j + 1]
  for (int t = 0; t < n; ++t) {
    while (j + 1 < at.size() && at[j + 1] <= t) ++j;
    if (causal) {
      if (at[j] <= t) ground[t] = val[j];
    } else if (t <= at[j] || j + 1 == at.size()) {
      ground[t] = val[j];
    } else {
      const double w = static_cast<double>(t - at[j]) / (at[j + 1] - at[j]);
      ground[t] = (1 - w) * val[j] + w * val[j + 1];
    }
  }
  return ground;
}

// One foot observation: a labelled heel-toe pair at one frame.
struct FootObs {
  bool valid = false;
  bool collapsed = false;     // both feet at the same spot: the model could not tell them apart
  double h = kNaN;            // lowest point above the ground line, statures
  double rel = kNaN;          // foot middle ahead of the mid-hip along the direction of travel, px
  double x = kNaN, y = kNaN;  // foot middle, image px
  double v_back = kNaN, v_fwd = kNaN;  // image-x velocity relative to the hips, px/s, from the
                                       // previous and to the next frame
  double v = kNaN;  // forward velocity relative to the hips, px/s (smaller one-sided value)
};

struct Contact {
  int first = 0, last = 0;  // first and last planted frames
  double rel_first = 0, rel_last = 0;
  int votes[2] = {0, 0};                            // observations carrying the left / right label
  double s0 = 0, st = 0, sr = 0, stt = 0, str = 0;  // least-squares sums of rel over t
  bool strike_known = false, toe_off_known = false;
  int side = 0;        // 0 left, 1 right, after the alternation
  int last_label = 0;  // label of the observation at `last`
  void Add(int t, double rel, int label) {
    last = t;
    last_label = label;
    rel_last = rel;
    ++votes[label];
    s0 += 1;
    st += t;
    sr += rel;
    stt += static_cast<double>(t) * t;
    str += t * rel;
  }
  // Mean hip-relative velocity over the contact, px per frame (0 for a single observation).
  double Slope() const {
    const double den = s0 * stt - st * st;
    return den > 0 ? (s0 * str - st * sr) / den : 0.0;
  }
  int Label() const { return votes[1] > votes[0] ? 1 : 0; }
};

}  // namespace

GaitSummary DetectGait(std::span<const GaitFrame> feet, std::span<const double> time_s,
                       std::span<const FrameIndex> frames, double fs_hz, double facing,
                       double stature_px, bool causal, const GaitOptions& o) {
  GaitSummary g;
  const int n = static_cast<int>(feet.size());
  if (n < 8 || !(stature_px > 0) || !(fs_hz > 0)) return g;

  // ---- Observations and the ground line.
  std::vector<FootObs> obs[2];
  std::vector<double> lower(n, kNaN);
  for (int side = 0; side < 2; ++side) {
    obs[side].resize(n);
    for (int t = 0; t < n; ++t) {
      const Vec3 heel = feet[t].heel[side], toe = feet[t].toe[side], hip = feet[t].hip;
      if (!Finite(heel) || !Finite(toe) || !Finite(hip)) continue;
      FootObs& ob = obs[side][t];
      ob.valid = true;
      const double low = std::max(heel.y, toe.y);  // image y grows downwards
      // The foot middle: the lowest point flips between heel and toe when the foot is flat,
      // which would make its x jump by a foot length.
      ob.x = 0.5 * (heel.x + toe.x);
      ob.y = 0.5 * (heel.y + toe.y);
      ob.rel = ob.x - hip.x;  // signed by the direction of travel below
      ob.h = low;             // made relative to the ground below
      lower[t] = std::isfinite(lower[t]) ? std::max(lower[t], low) : low;
    }
  }
  // Both feet within a few centimetres of each other: the pose model has put them on the same
  // spot (legs crossing in a side view), and the frame cannot say which foot is planted.
  for (int t = 0; t < n; ++t) {
    FootObs& a = obs[0][t];
    FootObs& b = obs[1][t];
    if (a.valid && b.valid && std::hypot(a.x - b.x, a.y - b.y) < o.same_spot * stature_px) {
      a.collapsed = b.collapsed = true;
    }
  }
  const int half = std::max(1, static_cast<int>(std::lround(fs_hz)));
  // Planted feet are the majority of the lower foot's samples; a median would be pulled up by
  // flight phases, the 75th percentile (y down: the lower quarter) is not.
  const std::vector<double> ground = SlowQuantile(lower, half, causal, 0.75);
  auto any_valid = [&](int t) { return t >= 0 && t < n && (obs[0][t].valid || obs[1][t].valid); };
  // Distance between obs[i][t] and obs[j][u] (|t - u| is 1 or 2), each computed once: the
  // neighbour searches below ask for the same pairs from both frames. (The cache holds the
  // pair one way round; the other way is the hypot of the negated differences: equal.)
  // The pairs of the last few frames only (frame t in row t % 4, tagged with t): the searches
  // ask for pairs near the frame they are at; an evicted pair is computed again (same value).
  std::array<std::array<double, 8>, 4> pair_cache;
  std::array<int, 4> pair_tag;
  pair_tag.fill(-1);
  auto dist = [&](int t, int i, int u, int j) {
    if (u < t) {
      std::swap(t, u);
      std::swap(i, j);
    }
    if (pair_tag[t % 4] != t) {
      pair_tag[t % 4] = t;
      pair_cache[t % 4].fill(kNaN);
    }
    double& d = pair_cache[t % 4][(u - t - 1) * 4 + i * 2 + j];
    if (std::isnan(d)) {
      const FootObs& p = obs[i][t];
      const FootObs& q = obs[j][u];
      d = std::hypot(p.x - q.x, p.y - q.y);
    }
    return d;
  };
  // The observation at frame u that is the same foot as obs[side][t], whatever its label:
  // with both feet seen in both frames, the pairing with the smaller total displacement
  // (crossing legs keep their paths); else the nearest one.
  auto same_foot = [&](int t, int side, int u) -> const FootObs* {
    const FootObs& b = obs[1 - side][t];
    auto usable = [](const FootObs& f) { return f.valid && !f.collapsed; };
    const FootObs* c[2] = {usable(obs[0][u]) ? &obs[0][u] : nullptr,
                           usable(obs[1][u]) ? &obs[1][u] : nullptr};
    if (c[0] && c[1] && usable(b)) {
      const double keep = dist(t, side, u, side) + dist(t, 1 - side, u, 1 - side);
      const double swap = dist(t, side, u, 1 - side) + dist(t, 1 - side, u, side);
      return keep <= swap ? c[side] : c[1 - side];
    }
    if (c[0] && c[1]) return dist(t, side, u, 0) <= dist(t, side, u, 1) ? c[0] : c[1];
    return c[0] ? c[0] : c[1];
  };
  std::vector<double> lower_v(n, kNaN);  // hip-relative x velocity of the lower foot
  for (int t = 0; t < n; ++t) {
    int low_side = -1;
    for (int side = 0; side < 2; ++side) {
      FootObs& ob = obs[side][t];
      if (!ob.valid) continue;
      ob.h = std::isfinite(ground[t]) ? (ground[t] - ob.h) / stature_px : kNaN;
      if (ob.collapsed) continue;
      // From the neighbour frames, or from the next ones out when a neighbour shows no usable
      // foot (missing, or both feet on one spot).
      for (int step = 1; step <= 2 && !std::isfinite(ob.v_back) && t - step >= 0; ++step) {
        if (const FootObs* p = same_foot(t, side, t - step)) {
          ob.v_back = (ob.rel - p->rel) * fs_hz / step;
        }
      }
      for (int step = 1; step <= 2 && !causal && !std::isfinite(ob.v_fwd) && t + step < n; ++step) {
        if (const FootObs* q = same_foot(t, side, t + step)) {
          ob.v_fwd = (q->rel - ob.rel) * fs_hz / step;
        }
      }
      if (low_side < 0 || ob.h < obs[low_side][t].h) low_side = side;
    }
    if (low_side >= 0) {
      const FootObs& ob = obs[low_side][t];
      lower_v[t] = std::isfinite(ob.v_back) && std::isfinite(ob.v_fwd)
                       ? 0.5 * (ob.v_back + ob.v_fwd)
                       : (std::isfinite(ob.v_back) ? ob.v_back : ob.v_fwd);
    }
  }
  // Direction of travel over +-1 s: planted feet move backwards relative to the hips, and the
  // lower foot is planted most of the time. Works for a panning camera and for walking
  // backwards (where facing would be wrong); `facing` when undecided (standing).
  const std::vector<double> drift = SlowQuantile(lower_v, half, causal, 0.5);
  const double fallback = facing < 0 ? -1.0 : 1.0;
  // Hip-relative velocity of a planted foot along the direction of travel, px/s (<= 0).
  std::vector<double> planted_v(n, 0.0);
  for (int t = 0; t < n; ++t) {
    const double dir = drift[t] < 0 ? 1.0 : (drift[t] > 0 ? -1.0 : fallback);
    if (std::isfinite(drift[t])) planted_v[t] = -std::abs(drift[t]);
    for (int side = 0; side < 2; ++side) {
      FootObs& ob = obs[side][t];
      if (!ob.valid) continue;
      ob.rel *= dir;
      // Velocity from each neighbour frame separately: a glitch in one neighbour then cannot
      // hide a planted foot, while a swinging foot moves forward on both sides.
      const double vb = ob.v_back * dir, vf = ob.v_fwd * dir;
      ob.v =
          std::isfinite(vb) && std::isfinite(vf) ? std::min(vb, vf) : (std::isfinite(vb) ? vb : vf);
    }
  }

  // ---- Planted observations grouped into contacts by position.
  const double max_fwd_speed = o.contact_speed * stature_px;  // px/s
  const double tol = o.foot_tolerance * stature_px;
  const double back_per_frame = o.max_body_speed * stature_px / fs_hz;
  const int hole = std::max(0, static_cast<int>(std::lround(o.max_hole_s * fs_hz)));
  std::vector<Contact> contacts;
  std::vector<int> open;
  auto joins = [&](const Contact& c, double rel, int t) {
    const double d = rel - c.rel_last;
    return d <= tol && d >= -back_per_frame * (t - c.last) - tol;
  };
  for (int t = 0; t < n; ++t) {
    std::erase_if(open, [&](int ci) { return t - contacts[ci].last - 1 > hole; });
    int cand[2], nc = 0;
    for (int side = 0; side < 2; ++side) {
      const FootObs& ob = obs[side][t];
      if (ob.valid && !ob.collapsed && std::isfinite(ob.h) && std::isfinite(ob.v) &&
          ob.h < o.release_height && ob.v <= max_fwd_speed) {
        cand[nc++] = side;
      }
    }
    if (nc == 0) continue;
    // Assignment of candidates to open contacts (or none): most joins, then least cost.
    const int m = static_cast<int>(open.size());
    int best_a[2] = {-1, -1}, best_joins = -1;
    double best_cost = 0;
    for (int a0 = -1; a0 < m; ++a0) {
      for (int a1 = -1; a1 < (nc > 1 ? m : 0); ++a1) {
        const int a[2] = {a0, nc > 1 ? a1 : -1};
        if (a[0] >= 0 && a[0] == a[1]) continue;
        int nj = 0;
        double cost = 0;
        bool ok = true;
        for (int k = 0; k < nc && ok; ++k) {
          if (a[k] < 0) continue;
          const Contact& c = contacts[open[a[k]]];
          const FootObs& ob = obs[cand[k]][t];
          if (!joins(c, ob.rel, t)) {
            ok = false;
            break;
          }
          ++nj;
          // Nearest to where the planted foot should be (moving back at its own mean velocity,
          // or at the body's for a new contact); ties (crossing feet) go to the observation
          // that continues the contact's foot from the previous frame, else to its label.
          const double v = c.s0 >= 2 ? c.Slope() * fs_hz : planted_v[t];
          const double predicted = c.rel_last + v * (t - c.last) / fs_hz;
          bool same = c.Label() == cand[k];
          if (c.last == t - 1) same = same_foot(t - 1, c.last_label, t) == &ob;
          cost += std::abs(ob.rel - predicted) / stature_px + (same ? 0.0 : 0.05);
        }
        if (!ok) continue;
        if (nj > best_joins || (nj == best_joins && cost < best_cost)) {
          best_joins = nj;
          best_cost = cost;
          best_a[0] = a[0];
          best_a[1] = a[1];
        }
      }
    }
    for (int k = 0; k < nc; ++k) {
      const FootObs& ob = obs[cand[k]][t];
      if (best_a[k] >= 0) {
        contacts[open[best_a[k]]].Add(t, ob.rel, cand[k]);
      } else if (ob.h < o.contact_height) {
        Contact c;
        c.first = t;
        c.rel_first = ob.rel;
        c.Add(t, ob.rel, cand[k]);
        contacts.push_back(c);
        open.push_back(static_cast<int>(contacts.size()) - 1);
      }
    }
  }

  // ---- Plausibility.
  const int min_frames = std::max(2, static_cast<int>(std::lround(o.min_contact_s * fs_hz)));
  std::erase_if(contacts, [&](const Contact& c) {
    return c.last - c.first + 1 < min_frames || c.Slope() * fs_hz > max_fwd_speed;
  });
  std::sort(contacts.begin(), contacts.end(),
            [](const Contact& a, const Contact& b) { return a.first < b.first; });
  // A contact that resumes where the previous one stopped is the same foot (a longer hole).
  for (size_t k = 1; k < contacts.size();) {
    Contact& a = contacts[k - 1];
    const Contact& b = contacts[k];
    if (b.first > a.last && b.first - a.last <= 3 * (hole + 1) && joins(a, b.rel_first, b.first)) {
      a.last = b.last;
      a.rel_last = b.rel_last;
      a.votes[0] += b.votes[0];
      a.votes[1] += b.votes[1];
      a.s0 += b.s0;
      a.st += b.st;
      a.sr += b.sr;
      a.stt += b.stt;
      a.str += b.str;
      contacts.erase(contacts.begin() + static_cast<long>(k));
    } else {
      ++k;
    }
  }
  for (Contact& c : contacts) {
    c.strike_known = any_valid(c.first - 1);
    c.toe_off_known = any_valid(c.last + 1);
  }
  // Two strikes closer than the shortest human step: the shorter contact is not a step.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 1; k < contacts.size(); ++k) {
      const Contact& a = contacts[k - 1];
      const Contact& b = contacts[k];
      if (!a.strike_known || !b.strike_known) continue;
      if (time_s[b.first] - time_s[a.first] >= o.min_step_s) continue;
      const bool drop_a = (a.last - a.first) < (b.last - b.first);
      contacts.erase(contacts.begin() + static_cast<long>(drop_a ? k - 1 : k));
      changed = true;
      break;
    }
  }
  if (contacts.empty()) return g;

  // ---- Sides alternate; segments restart after a gap that hides a step.
  std::vector<double> gaps;
  for (size_t k = 1; k < contacts.size(); ++k) {
    gaps.push_back(time_s[contacts[k].first] - time_s[contacts[k - 1].first]);
  }
  const double typical = gaps.empty() ? 0.0 : Median(gaps);
  std::vector<size_t> seg_start = {0};
  for (size_t k = 1; k < contacts.size(); ++k) {
    if (gaps[k - 1] > 1.6 * typical) seg_start.push_back(k);
  }
  seg_start.push_back(contacts.size());
  std::vector<int> segment(contacts.size());
  for (size_t s = 0; s + 1 < seg_start.size(); ++s) {
    int agree[2] = {0, 0};
    for (size_t k = seg_start[s]; k < seg_start[s + 1]; ++k) {
      for (int p = 0; p < 2; ++p) agree[p] += contacts[k].votes[(k - seg_start[s] + p) % 2];
    }
    const int p = agree[1] > agree[0] ? 1 : 0;
    for (size_t k = seg_start[s]; k < seg_start[s + 1]; ++k) {
      contacts[k].side = static_cast<int>((k - seg_start[s] + p) % 2);
      segment[k] = static_cast<int>(s);
    }
  }

  // ---- Events and summary.
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
  for (size_t k = 0; k < contacts.size(); ++k) {
    const Contact& c = contacts[k];
    const bool left = c.side == 0;
    if (c.strike_known) {
      g.events.push_back({time_s[c.first], frames[c.first], left, GaitEventKind::kFootStrike});
      ++g.steps;
    }
    if (c.toe_off_known) {
      g.events.push_back({time_s[c.last + 1], frames[c.last + 1], left, GaitEventKind::kToeOff});
    }
    if (c.strike_known && c.toe_off_known) {
      contact_times.push_back(time_s[c.last + 1] - time_s[c.first]);
    }
    if (k >= 1 && segment[k - 1] == segment[k]) {
      const Contact& p = contacts[k - 1];
      // Strike to strike and toe-off to toe-off both measure the step: twice the data.
      if (p.strike_known && c.strike_known) {
        step_times.push_back(time_s[c.first] - time_s[p.first]);
      }
      if (p.toe_off_known && c.toe_off_known) {
        step_times.push_back(time_s[c.last + 1] - time_s[p.last + 1]);
      }
      if (p.toe_off_known && c.strike_known) {
        flights.push_back(time_s[c.first] - time_s[p.last + 1]);
      }
    }
    if (k >= 2 && segment[k - 2] == segment[k]) {
      const Contact& q = contacts[k - 2];
      if (q.strike_known && c.strike_known) {
        stride_times.push_back(time_s[c.first] - time_s[q.first]);
      }
      if (q.toe_off_known && c.toe_off_known) {
        stride_times.push_back(time_s[c.last + 1] - time_s[q.last + 1]);
      }
    }
  }
  std::sort(g.events.begin(), g.events.end(),
            [](const GaitEvent& a, const GaitEvent& b) { return a.time_s < b.time_s; });
  g.step_time_s = trimmed_mean(step_times);
  g.stride_time_s = trimmed_mean(stride_times);
  g.cadence_spm = g.step_time_s > 0 ? 60.0 / g.step_time_s : 0.0;
  g.contact_time_s = trimmed_mean(contact_times);
  if (!flights.empty()) {
    const double f = Median(flights);
    g.flight_time_s = std::max(0.0, f);
    g.double_support_s = std::max(0.0, -f);
  }
  return g;
}

GaitSummary DetectGait(std::span<const Skeleton> image, std::span<const double> time_s,
                       std::span<const FrameIndex> frames, double fs_hz, double facing,
                       double stature_px, bool causal, const GaitOptions& options) {
  std::vector<GaitFrame> feet(image.size());
  for (size_t t = 0; t < image.size(); ++t) {
    for (int side = 0; side < 2; ++side) {
      feet[t].heel[side] = image[t][bp::kLeftHeel + side];
      feet[t].toe[side] = image[t][bp::kLeftToe + side];
    }
    feet[t].hip = Mid(image[t][bp::kLeftHip], image[t][bp::kRightHip]);
  }
  return DetectGait(feet, time_s, frames, fs_hz, facing, stature_px, causal, options);
}

}  // namespace monokin::kinematics
