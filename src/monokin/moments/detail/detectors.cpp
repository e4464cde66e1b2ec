// SPDX-License-Identifier: Apache-2.0
// Single-athlete detectors. The physics and each rule are written down in ../README.md.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "monokin/moments/detail/track.h"

namespace monokin::moments::detail {
namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;
// Refits of the ground line to the samples near or below the previous fit: the first drops the
// flights (which lift the first fit), the second settles.
constexpr int kGroundPasses = 2;

// How far the CoM's acceleration in flight may be from (0, -g), as a fraction of g: 2 standard
// deviations of a parabola fit to 10 samples (0.33 s at 30 fps) of 2 cm noise.
constexpr double kBallisticTolerance = 0.4;

double Clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// Second derivative of the least-squares parabola through x[a..b] (finite samples), per s^2.
// False with fewer than 5 samples.
bool Parabola(const std::vector<double>& x, size_t a, size_t b, double dt, double& accel) {
  // Normal equations of y = c0 + c1 u + c2 u^2 with u centred (better conditioned).
  const double mid = 0.5 * static_cast<double>(a + b);
  double s[5] = {0, 0, 0, 0, 0}, sy[3] = {0, 0, 0};
  for (size_t i = a; i <= b; ++i) {
    if (!std::isfinite(x[i])) continue;
    const double u = (static_cast<double>(i) - mid) * dt;
    double p = 1;
    for (int k = 0; k < 5; ++k) {
      s[k] += p;
      if (k < 3) sy[k] += p * x[i];
      p *= u;
    }
  }
  if (s[0] < 5) return false;
  // Solve the 3x3 system [s0 s1 s2; s1 s2 s3; s2 s3 s4] c = sy by Cramer's rule.
  auto det3 = [](double a11, double a12, double a13, double a21, double a22, double a23, double a31,
                 double a32, double a33) {
    return a11 * (a22 * a33 - a23 * a32) - a12 * (a21 * a33 - a23 * a31) +
           a13 * (a21 * a32 - a22 * a31);
  };
  const double d = det3(s[0], s[1], s[2], s[1], s[2], s[3], s[2], s[3], s[4]);
  if (std::abs(d) < 1e-30) return false;
  const double d2 = det3(s[0], s[1], sy[0], s[1], s[2], sy[1], s[2], s[3], sy[2]);
  accel = 2 * d2 / d;
  return true;
}

bool Excluded(const Track& tr, size_t i, const std::vector<Interval>& ex) {
  for (const Interval& e : ex) {
    if (tr.t[i] >= e.from_s && tr.t[i] <= e.to_s) return true;
  }
  return false;
}

}  // namespace

// Ground line under an athlete: over +-window around each knot, a straight line fitted to the
// lowest foot point, refitted to the samples less than `tolerance` above the previous fit (the
// feet on the ground: flights lie well above), evaluated at the knot. A line and not a level: in
// the image plane the ground point drifts while the athlete moves in depth. A curved drift biases
// the line at the knot by y'' window^2 / 6 (1 cm at 0.1 m/s^2 and 0.75 s).
std::vector<double> GroundLine(const Track& tr, double window_s, double tolerance) {
  const size_t n = tr.size();
  std::vector<double> g(n, kNaN);
  if (n == 0) return g;
  const int w = Samples(window_s, tr.fs);
  const int step = Samples(kGroundStepS, tr.fs);
  std::vector<double> knots_i, knots_v;
  std::vector<std::pair<double, double>> pts;
  auto fit = [&pts, tolerance](double& a, double& b, double below_a, double below_b, bool filter) {
    double c = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto& [x, y] : pts) {
      if (filter && y > below_a + below_b * x + tolerance) continue;
      c += 1;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const double den = c * sxx - sx * sx;
    if (c < 3 || den <= 0) return false;
    b = (c * sxy - sx * sy) / den;
    a = (sy - b * sx) / c;
    return true;
  };
  // Knots on frames that are multiples of `step`, so that a live window and the whole series
  // put them at the same instants (and give the same line).
  const size_t first = static_cast<size_t>((step - tr.frames.front() % step) % step);
  std::vector<size_t> centres = {0};
  for (size_t c = first; c < n; c += static_cast<size_t>(step)) {
    if (c > 0) centres.push_back(c);
  }
  if (centres.back() != n - 1) centres.push_back(n - 1);
  for (const size_t ci : centres) {
    const size_t lo = ci >= static_cast<size_t>(w) ? ci - w : 0;
    const size_t hi = std::min(n - 1, ci + w);
    pts.clear();
    for (size_t i = lo; i <= hi; ++i) {
      if (std::isfinite(tr.foot_y[i])) {
        pts.push_back({static_cast<double>(i) - static_cast<double>(ci), tr.foot_y[i]});
      }
    }
    double a = 0, b = 0, a2 = 0, b2 = 0;
    if (pts.size() >= 5 && fit(a, b, 0, 0, false)) {
      for (int pass = 0; pass < kGroundPasses; ++pass) {
        if (!fit(a2, b2, a, b, true)) break;
        a = a2;
        b = b2;
      }
      knots_i.push_back(static_cast<double>(ci));
      knots_v.push_back(a);
    }
  }
  if (knots_i.empty()) return g;
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(i);
    while (k + 1 < knots_i.size() && knots_i[k + 1] < x) ++k;
    if (x <= knots_i.front()) {
      g[i] = knots_v.front();
    } else if (k + 1 >= knots_i.size()) {
      g[i] = knots_v.back();
    } else {
      const double f = (x - knots_i[k]) / (knots_i[k + 1] - knots_i[k]);
      g[i] = knots_v[k] + f * (knots_v[k + 1] - knots_v[k]);
    }
  }
  return g;
}

void DetectJumps(const Track& tr, const JumpRule& r, std::vector<KeyMoment>& out) {
  const size_t n = tr.size();
  if (n < 4) return;
  const std::vector<double> ground = GroundLine(tr, r.ground_window_s, 0.5 * r.min_clearance_m);
  std::vector<double> clear(n, kNaN);
  std::vector<std::uint8_t> air(n, 0);
  for (size_t i = 0; i < n; ++i) {
    clear[i] = tr.foot_y[i] - ground[i];
    air[i] = clear[i] > r.min_clearance_m ? 1 : 0;
  }
  // Take-off and landing: where the clearance crosses half the threshold (the feet leave the
  // ground at 2-3 m/s, so this is within ~0.01 s of the true instants).
  const double level = 0.5 * r.min_clearance_m;
  size_t last_b = 0;
  for (const Run& run : Runs(air, 0, 1)) {
    if (run.begin <= last_b && last_b > 0) continue;  // inside the previous flight
    size_t a = run.begin, b = run.end;
    while (a > 0 && clear[a - 1] > level) --a;
    while (b + 1 < n && clear[b + 1] > level) ++b;
    last_b = b;
    if (a == 0 || b + 1 >= n) continue;  // flight cut by the series edge
    const double take_off = Crossing(clear, a - 1, a, level);
    const double landing = Crossing(clear, b, b + 1, level);
    const double flight_s = (landing - take_off) * tr.dt;
    if (flight_s < r.min_flight_s || flight_s > r.max_flight_s) continue;
    // Height from flight time: a body leaving and landing at the same height at vertical
    // speed v flies t = 2v/g and rises h = v^2/2g = g t^2 / 8.
    const double h_flight = kGravity * flight_s * flight_s / 8;
    // Height from displacement: CoM apex above its take-off height, both measured from the
    // ground line (which carries the drift of an athlete moving in depth).
    const size_t ia = static_cast<size_t>(take_off);
    const size_t ia1 = std::min(ia + 1, n - 1);
    const double f = take_off - static_cast<double>(ia);
    const double com_takeoff = (tr.cy[ia] - ground[ia]) * (1 - f) + (tr.cy[ia1] - ground[ia1]) * f;
    double apex = kNaN;
    for (size_t i = a; i <= b; ++i) {
      const double h = tr.cy[i] - ground[i];
      if (std::isfinite(h) && !(h <= apex)) apex = h;
    }
    const double h_com = apex - com_takeoff;
    if (!std::isfinite(h_com) || h_flight < r.min_height_m || h_com < 0.5 * r.min_height_m ||
        std::abs(h_flight - h_com) > r.max_height_mismatch * std::max(h_flight, h_com)) {
      continue;
    }
    // Ballistic check: in flight the CoM has no horizontal and -g vertical acceleration, in any
    // (locally affine) view. Rejects feet that only seem to leave a drifting ground line.
    double acc_x = 0, acc_y = 0;
    if (!Parabola(tr.cx, a, b, tr.dt, acc_x) || !Parabola(tr.cy, a, b, tr.dt, acc_y) ||
        std::abs(acc_y + kGravity) > kBallisticTolerance * kGravity ||
        std::abs(acc_x) > kBallisticTolerance * kGravity) {
      continue;
    }
    double peak_clear = 0;
    for (size_t i = a; i <= b; ++i) peak_clear = std::max(peak_clear, clear[i]);
    // Apex at mid-flight (symmetric ballistic flight); steadier than the noisy CoM maximum.
    KeyMoment m = MakeMoment(tr, "jump", take_off, 0.5 * (take_off + landing), landing);
    m.values["flight_time_s"] = flight_s;
    m.values["height_flight_m"] = h_flight;
    m.values["height_com_m"] = h_com;
    m.values["foot_clearance_m"] = peak_clear;
    m.values["com_vertical_accel_mps2"] = acc_y;
    const size_t ib = std::min(static_cast<size_t>(std::ceil(landing)), n - 1);
    m.values["distance_m"] = Norm(tr.cx[ib] - tr.cx[ia], ground[ib] - ground[ia]);
    const double agree =
        1 - 0.5 * Clamp01(std::abs(h_flight - h_com) / std::max({h_flight, h_com, 0.05}));
    const size_t pad = static_cast<size_t>(Samples(0.2, tr.fs));
    m.confidence =
        Clamp01(agree * Coverage(tr.foot_y, a > pad ? a - pad : 0, b + pad) * tr.scale_confidence);
    out.push_back(std::move(m));
  }
}

void DetectSprints(const Track& tr, const SprintRule& r, std::vector<KeyMoment>& out) {
  const size_t n = tr.size();
  std::vector<std::uint8_t> fast(n, 0);
  for (size_t i = 0; i < n; ++i) fast[i] = tr.speed[i] >= r.min_speed_mps ? 1 : 0;
  for (const Run& run : Runs(fast, Samples(r.merge_gap_s, tr.fs, 0), 1)) {
    const double s = run.begin > 0 ? Crossing(tr.speed, run.begin - 1, run.begin, r.min_speed_mps)
                                   : static_cast<double>(run.begin);
    const double e = run.end + 1 < n ? Crossing(tr.speed, run.end, run.end + 1, r.min_speed_mps)
                                     : static_cast<double>(run.end);
    if ((e - s) * tr.dt < r.min_duration_s) continue;
    size_t peak = run.begin;
    double sum = 0, cnt = 0;
    for (size_t i = run.begin; i <= run.end; ++i) {
      if (!std::isfinite(tr.speed[i])) continue;
      if (!(tr.speed[i] <= tr.speed[peak])) peak = i;
      sum += tr.speed[i];
      cnt += 1;
    }
    if (tr.speed[peak] > r.max_speed_mps) continue;  // a tracking jump, not a run
    KeyMoment m = MakeMoment(tr, "sprint", s, static_cast<double>(peak), e);
    const double mean = cnt > 0 ? sum / cnt : 0;
    m.values["peak_speed_mps"] = tr.speed[peak];
    m.values["mean_speed_mps"] = mean;
    m.values["duration_s"] = (e - s) * tr.dt;
    m.values["distance_m"] = mean * (e - s) * tr.dt;
    const double margin = Clamp01(0.5 + 5 * (tr.speed[peak] / r.min_speed_mps - 1));
    m.confidence = Clamp01(margin * Coverage(tr.speed, run.begin, run.end) * tr.scale_confidence);
    out.push_back(std::move(m));
  }
}

void DetectBursts(const Track& tr, const BurstRule& r, bool deceleration,
                  const std::vector<Interval>& excluded, std::vector<KeyMoment>& out) {
  const size_t n = tr.size();
  const double sign = deceleration ? -1 : 1;
  std::vector<double> a(n);
  std::vector<std::uint8_t> mask(n, 0);
  for (size_t i = 0; i < n; ++i) {
    a[i] = sign * tr.accel[i];
    mask[i] = a[i] >= r.min_accel_mps2 && !Excluded(tr, i, excluded) ? 1 : 0;
  }
  for (const Run& run : Runs(mask, Samples(r.merge_gap_s, tr.fs, 0), 1)) {
    const double s = run.begin > 0 ? Crossing(a, run.begin - 1, run.begin, r.min_accel_mps2)
                                   : static_cast<double>(run.begin);
    const double e = run.end + 1 < n ? Crossing(a, run.end, run.end + 1, r.min_accel_mps2)
                                     : static_cast<double>(run.end);
    if ((e - s) * tr.dt < r.min_duration_s) continue;
    const double v0 = tr.speed[run.begin], v1 = tr.speed[run.end];
    if (!std::isfinite(v0) || !std::isfinite(v1) || sign * (v1 - v0) < r.min_speed_change_mps) {
      continue;
    }
    size_t peak = run.begin;
    for (size_t i = run.begin; i <= run.end; ++i) {
      if (std::isfinite(a[i]) && !(a[i] <= a[peak])) peak = i;
    }
    if (a[peak] > r.max_accel_mps2) continue;  // a tracking jump
    KeyMoment m = MakeMoment(tr, deceleration ? "deceleration" : "acceleration", s,
                             static_cast<double>(peak), e);
    m.values["peak_accel_mps2"] = tr.accel[peak];
    m.values["speed_start_mps"] = v0;
    m.values["speed_end_mps"] = v1;
    m.values["speed_change_mps"] = v1 - v0;
    m.values["duration_s"] = (e - s) * tr.dt;
    const double margin = Clamp01(0.5 + 2.5 * (a[peak] / r.min_accel_mps2 - 1));
    m.confidence = Clamp01(margin * Coverage(tr.speed, run.begin, run.end) * tr.scale_confidence);
    out.push_back(std::move(m));
  }
}

void DetectDirectionChanges(const Track& tr, const DirectionChangeRule& r,
                            const std::vector<Interval>& excluded, std::vector<KeyMoment>& out) {
  const size_t n = tr.size();
  const int h = Samples(r.window_s / 2, tr.fs);
  if (n < static_cast<size_t>(2 * h + 1)) return;
  const double min_disp = r.min_speed_mps * h * tr.dt;
  const double cos_min = std::cos(r.min_angle_deg / kRadToDeg);
  // Turn angle at i: between the paths over the half windows before and after i.
  std::vector<double> turn(n, kNaN);
  std::vector<std::uint8_t> mask(n, 0);
  for (size_t i = h; i + h < n; ++i) {
    const double bx = tr.cx[i] - tr.cx[i - h], by = tr.cy[i] - tr.cy[i - h];
    const double ax = tr.cx[i + h] - tr.cx[i], ay = tr.cy[i + h] - tr.cy[i];
    const double nb = Norm(bx, by), na = Norm(ax, ay);
    if (!(nb >= min_disp) || !(na >= min_disp)) continue;
    const double c = (bx * ax + by * ay) / (nb * na);
    turn[i] = std::acos(std::clamp(c, -1.0, 1.0)) * kRadToDeg;
    if (c <= cos_min && !Excluded(tr, i, excluded)) mask[i] = 1;
  }
  std::vector<double> heading(n, kNaN);
  for (const Run& run : Runs(mask, h, 1)) {
    size_t p = run.begin;
    for (size_t i = run.begin; i <= run.end; ++i) {
      if (std::isfinite(turn[i]) && !(turn[i] <= turn[p])) p = i;
    }
    // Start and end: where the (unwrapped) heading has done 10 % and 90 % of the turn.
    const size_t a = p - h, b = p + h;
    double prev = kNaN;
    for (size_t i = a; i <= b; ++i) {
      double th = std::atan2(tr.vy[i], tr.vx[i]);
      if (!std::isfinite(th)) {
        heading[i] = prev;
        continue;
      }
      if (std::isfinite(prev)) {
        while (th - prev > std::numbers::pi) th -= 2 * std::numbers::pi;
        while (th - prev < -std::numbers::pi) th += 2 * std::numbers::pi;
      }
      heading[i] = prev = th;
    }
    if (!std::isfinite(heading[a]) || !std::isfinite(heading[b])) continue;
    const double total = heading[b] - heading[a];
    std::vector<double> progress(b - a + 1);
    for (size_t i = a; i <= b; ++i) progress[i - a] = (heading[i] - heading[a]) / total;
    double s = static_cast<double>(a), e = static_cast<double>(b);
    for (size_t i = a + 1; i <= b; ++i) {
      if (progress[i - a] >= 0.1) {
        s = static_cast<double>(a) + Crossing(progress, i - a - 1, i - a, 0.1);
        break;
      }
    }
    for (size_t i = a + 1; i <= b; ++i) {
      if (progress[i - a] >= 0.9) {
        e = static_cast<double>(a) + Crossing(progress, i - a - 1, i - a, 0.9);
        break;
      }
    }
    const double sign = std::sin(std::atan2(tr.cy[b] - tr.cy[p], tr.cx[b] - tr.cx[p]) -
                                 std::atan2(tr.cy[p] - tr.cy[a], tr.cx[p] - tr.cx[a]));
    KeyMoment m = MakeMoment(tr, "change_of_direction", s, static_cast<double>(p), e);
    m.values["angle_deg"] = (sign >= 0 ? 1 : -1) * turn[p];  // + = counter-clockwise (y up)
    double vmin = kNaN;
    for (size_t i = static_cast<size_t>(s); i <= static_cast<size_t>(std::ceil(e)); ++i) {
      if (std::isfinite(tr.speed[i]) && !(tr.speed[i] >= vmin)) vmin = tr.speed[i];
    }
    m.values["entry_speed_mps"] = Norm(tr.cx[p] - tr.cx[a], tr.cy[p] - tr.cy[a]) / (h * tr.dt);
    m.values["exit_speed_mps"] = Norm(tr.cx[b] - tr.cx[p], tr.cy[b] - tr.cy[p]) / (h * tr.dt);
    m.values["min_speed_mps"] = vmin;
    m.values["duration_s"] = (e - s) * tr.dt;
    const double margin = Clamp01(0.5 + (turn[p] - r.min_angle_deg) / 30);
    m.confidence = Clamp01(margin * Coverage(tr.cx, a, b) * tr.scale_confidence);
    out.push_back(std::move(m));
  }
}

void DetectStrikes(const Track& tr, const StrikeRule& r, std::vector<KeyMoment>& out) {
  const size_t n = tr.size();
  if (n < 3) return;
  const int refractory = Samples(r.refractory_s, tr.fs, 0);
  std::vector<double> rx(n), ry(n), vx, vy, rel(n);
  for (int d = 0; d < kNumDistal; ++d) {
    const bool foot = d == kLeftFoot || d == kRightFoot;
    if ((foot && !r.feet) || (!foot && !r.hands)) continue;
    const double thr = foot ? r.min_foot_speed_mps : r.min_hand_speed_mps;
    for (size_t i = 0; i < n; ++i) {
      rx[i] = tr.dx[d][i] - tr.cx[i];
      ry[i] = tr.dy[d][i] - tr.cy[i];
    }
    // Central differences: a strike's speed peak lasts ~0.1 s, a wider fit would flatten it.
    Derivative(rx, tr.dt, 1, vx);
    Derivative(ry, tr.dt, 1, vy);
    for (size_t i = 0; i < n; ++i) rel[i] = Norm(vx[i], vy[i]);
    std::vector<std::uint8_t> mask(n, 0);
    for (size_t i = 0; i < n; ++i) mask[i] = rel[i] >= thr ? 1 : 0;
    const size_t first = out.size();
    for (const Run& run : Runs(mask, 0, 1)) {
      size_t p = run.begin;
      for (size_t i = run.begin; i <= run.end; ++i) {
        if (!(rel[i] <= rel[p])) p = i;
      }
      const double half = 0.5 * thr;
      size_t a = p, b = p;
      while (a > 0 && rel[a - 1] > half) --a;
      while (b + 1 < n && rel[b + 1] > half) ++b;
      const double s = a > 0 ? Crossing(rel, a - 1, a, half) : static_cast<double>(a);
      const double e = b + 1 < n ? Crossing(rel, b, b + 1, half) : static_cast<double>(b);
      if ((e - s) * tr.dt < r.min_duration_s) continue;  // a one-frame keypoint jump
      // The limb must be seen on both sides of the peak (not a track's first or last sample).
      if (p == 0 || p + 1 >= n || !std::isfinite(tr.dx[d][p - 1]) ||
          !std::isfinite(tr.dx[d][p + 1])) {
        continue;
      }
      if (out.size() > first) {  // refractory: keep the stronger of two close peaks
        KeyMoment& last = out.back();
        const double gap = tr.IndexAt(tr.t[p]) - tr.IndexAt(last.peak_s);
        if (gap <= refractory) {
          if (rel[p] <= last.values["peak_speed_mps"]) continue;
          out.pop_back();
        }
      }
      KeyMoment m = MakeMoment(tr, "strike", s, static_cast<double>(p), e);
      m.label = kDistalNames[d];
      m.values["peak_speed_mps"] = rel[p];
      m.values["peak_abs_speed_mps"] =  // absolute speed of the limb (central difference)
          Norm(tr.dx[d][p + 1] - tr.dx[d][p - 1], tr.dy[d][p + 1] - tr.dy[d][p - 1]) / (2 * tr.dt);
      if (tr.kin != nullptr) {  // the joint that drives the segment, if kinematics has it
        const char* side = (d == kLeftHand || d == kLeftFoot) ? "left" : "right";
        const std::string name =
            std::string("angvel_") + (foot ? "knee_" : "elbow_") + side + "_deg_s";
        const KinematicSignal* w = tr.kin->Find(name);
        if (w != nullptr && tr.kin_offset + p < w->values.size()) {
          double best = 0;
          for (size_t i = a; i <= b; ++i) {
            const double v = std::abs(w->values[tr.kin_offset + i]);
            if (std::isfinite(v)) best = std::max(best, v);
          }
          m.values[std::string("peak_") + (foot ? "knee" : "elbow") + "_angvel_deg_s"] = best;
        }
      }
      const double margin = Clamp01(0.5 + 2.5 * (rel[p] / thr - 1));
      m.confidence = Clamp01(margin * Coverage(tr.dx[d], a, b) * tr.scale_confidence);
      out.push_back(std::move(m));
    }
  }
}

void DetectFalls(const Track& tr, const FallRule& r, std::vector<KeyMoment>& out) {
  const size_t n = tr.size();
  // Down margin: >= 0 when the CoM is low enough and the body axis tilted enough; its zero
  // crossings give the impact and the getting-up instants whichever condition changes last.
  std::vector<double> ratio(n), margin(n);
  std::vector<std::uint8_t> down(n, 0);
  for (size_t i = 0; i < n; ++i) {
    ratio[i] = (tr.cy[i] - tr.low_y[i]) / tr.stature_m;
    margin[i] = std::min((r.max_height_ratio - ratio[i]) / r.max_height_ratio,
                         (tr.axis_deg[i] - r.min_axis_deg) / std::max(r.min_axis_deg, 1.0));
    down[i] = margin[i] >= 0 ? 1 : 0;
  }
  const int max_transition = Samples(r.max_transition_s, tr.fs);
  // A fall moment ends when the athlete is up again, or kFallMaxDownS after the impact.
  const int max_down = Samples(kFallMaxDownS, tr.fs);
  for (const Run& run : Runs(down, Samples(0.2, tr.fs, 0), 1)) {
    const double impact = run.begin > 0 ? Crossing(margin, run.begin - 1, run.begin, 0)
                                        : static_cast<double>(run.begin);
    double up_again =
        run.end + 1 < n ? Crossing(margin, run.end, run.end + 1, 0) : static_cast<double>(run.end);
    if ((up_again - impact) * tr.dt < r.min_down_s) continue;
    // Start: the last upright instant before the impact, at most max_transition_s before.
    std::ptrdiff_t u = -1;
    const size_t lo =
        run.begin > static_cast<size_t>(max_transition) ? run.begin - max_transition : 0;
    for (size_t i = run.begin; i-- > lo;) {
      if (ratio[i] >= r.upright_ratio) {
        u = static_cast<std::ptrdiff_t>(i);
        break;
      }
    }
    if (u < 0) continue;  // went down slowly, or was already down
    const size_t ui = static_cast<size_t>(u);
    const double start = Crossing(ratio, ui, ui + 1, r.upright_ratio);
    if (!(tr.cy[ui] - tr.cy[run.begin] >= r.min_drop_ratio * tr.stature_m)) continue;
    const bool still_down = up_again - impact > max_down;
    const double end = still_down ? impact + max_down : up_again;
    KeyMoment m = MakeMoment(tr, "fall", start, impact, end);
    double vmax = 0, axis = 0;
    for (size_t i = ui; i <= run.begin; ++i) {
      if (std::isfinite(tr.vy[i])) vmax = std::max(vmax, -tr.vy[i]);
    }
    for (size_t i = run.begin; i <= run.end; ++i) {
      if (std::isfinite(tr.axis_deg[i])) axis = std::max(axis, tr.axis_deg[i]);
    }
    m.values["drop_m"] = tr.cy[ui] - tr.cy[run.begin];
    m.values["descent_time_s"] = (impact - start) * tr.dt;
    m.values["peak_descent_speed_mps"] = vmax;
    m.values["time_down_s"] = (end - impact) * tr.dt;
    m.values["still_down"] = still_down ? 1 : 0;
    m.values["body_axis_deg"] = axis;
    m.confidence = Clamp01(Coverage(tr.low_y, ui, run.end) * (tr.has_pose ? 1.0 : 0.6));
    out.push_back(std::move(m));
  }
}

void DetectRepetitions(const Track& tr, const RepetitionRule& r, std::vector<KeyMoment>& out) {
  if (tr.kin == nullptr || tr.size() == 0) return;
  const RepetitionSummary& s = tr.kin->repetitions;
  if (s.periodicity < r.min_periodicity) return;  // not a repeated movement
  // The unit of the counted signal ends its name ("angle_knee_left_deg" -> "deg").
  std::string unit;
  if (const KinematicSignal* sig = tr.kin->Find(s.signal)) unit = sig->unit;
  for (auto& c : unit) {
    if (c == '/') c = '_';
  }
  const std::string suffix = unit.empty() ? "" : "_" + unit;
  int count = 0;
  for (const Repetition& rep : s.repetitions) {
    ++count;
    if (rep.range < r.min_range) continue;
    if (rep.start_s < tr.t.front() || rep.end_s > tr.t.back()) continue;
    auto idx = [&](double time) { return (time - tr.t.front()) * tr.fs; };
    {  // in place: mean CoM speed over the repetition
      double sum = 0, cnt = 0;
      for (size_t i = tr.IndexAt(rep.start_s); i <= tr.IndexAt(rep.end_s); ++i) {
        if (std::isfinite(tr.speed[i])) {
          sum += tr.speed[i];
          cnt += 1;
        }
      }
      if (cnt > 0 && sum / cnt > r.max_speed_mps) continue;
    }
    KeyMoment m = MakeMoment(tr, "repetition", idx(rep.start_s), idx(rep.peak_s), idx(rep.end_s));
    m.label = s.signal;
    m.values["number"] = count;
    m.values["range" + suffix] = rep.range;
    m.values["peak_value" + suffix] = rep.peak_value;
    m.values["duration_s"] = rep.duration_s;
    m.values["up_s"] = rep.up_s;
    m.values["down_s"] = rep.down_s;
    m.confidence = Clamp01(s.periodicity > 0 ? 0.5 + 0.5 * s.periodicity : 0.5);
    out.push_back(std::move(m));
  }
}

}  // namespace monokin::moments::detail
