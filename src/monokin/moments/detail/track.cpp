// SPDX-License-Identifier: Apache-2.0
#include "monokin/moments/detail/track.h"

#include <algorithm>
#include <numbers>

namespace monokin::moments::detail {
namespace {

// Fraction of the box height, from its bottom, where the centre of mass of a standing person
// sits (about 0.55 of stature; de Leva), used when there is no pose.
constexpr double kComHeightInBox = 0.55;

int MarkerIndex(const MarkerSeries& m, const char* name) {
  for (size_t i = 0; i < m.names.size(); ++i) {
    if (m.names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

double Median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  return v[mid];
}

}  // namespace

size_t Track::IndexAt(double time) const {
  if (t.empty()) return 0;
  const double f = (time - t.front()) * fs;
  if (f <= 0) return 0;
  return std::min(t.size() - 1, static_cast<size_t>(std::llround(f)));
}

double Track::TimeAt(double index) const {
  if (t.empty()) return 0;
  if (index <= 0) return t.front() + index * dt;
  const size_t i = static_cast<size_t>(index);
  if (i + 1 >= t.size()) return t.back() + (index - static_cast<double>(t.size() - 1)) * dt;
  const double a = index - static_cast<double>(i);
  return t[i] * (1 - a) + t[i + 1] * a;
}

int Samples(double seconds, double fs, int at_least) {
  return std::max(at_least, static_cast<int>(std::lround(seconds * fs)));
}

void Derivative(const std::vector<double>& x, double dt, int k, std::vector<double>& out) {
  const size_t n = x.size();
  out.assign(n, kNaN);
  double sum_j2_full = 0;
  for (int j = -k; j <= k; ++j) sum_j2_full += j * j;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) continue;
    const bool inside = i >= static_cast<size_t>(k) && i + k < n;
    if (inside) {  // fast path: the whole window is valid
      double s = 0;
      bool all = true;
      for (int j = -k; j <= k; ++j) {
        const double v = x[i + j];
        if (!std::isfinite(v)) {
          all = false;
          break;
        }
        s += j * v;
      }
      if (all) {
        out[i] = s / (sum_j2_full * dt);
        continue;
      }
    }
    double cnt = 0, sj = 0, sj2 = 0, sx = 0, sjx = 0;
    for (int j = -k; j <= k; ++j) {
      const std::ptrdiff_t m = static_cast<std::ptrdiff_t>(i) + j;
      if (m < 0 || m >= static_cast<std::ptrdiff_t>(n) || !std::isfinite(x[m])) continue;
      cnt += 1;
      sj += j;
      sj2 += j * j;
      sx += x[m];
      sjx += j * x[m];
    }
    const double den = cnt * sj2 - sj * sj;
    if (cnt < k + 1 || den <= 0) continue;
    out[i] = (cnt * sjx - sj * sx) / (den * dt);
  }
}

void FillGaps(std::vector<double>& x, int max_gap) {
  const size_t n = x.size();
  size_t i = 0;
  while (i < n) {
    if (std::isfinite(x[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && !std::isfinite(x[j])) ++j;
    if (i > 0 && j < n && static_cast<int>(j - i) <= max_gap) {
      const double a = x[i - 1], b = x[j];
      const double len = static_cast<double>(j - i + 1);
      for (size_t m = i; m < j; ++m) x[m] = a + (b - a) * static_cast<double>(m - i + 1) / len;
    }
    i = j;
  }
}

std::vector<Run> Runs(const std::vector<std::uint8_t>& mask, int merge_gap, int min_len) {
  std::vector<Run> runs;
  const size_t n = mask.size();
  for (size_t i = 0; i < n;) {
    if (!mask[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < n && mask[j + 1]) ++j;
    if (!runs.empty() && static_cast<int>(i - runs.back().end - 1) <= merge_gap) {
      runs.back().end = j;
    } else {
      runs.push_back({i, j});
    }
    i = j + 1;
  }
  std::erase_if(runs,
                [&](const Run& r) { return static_cast<int>(r.end - r.begin + 1) < min_len; });
  return runs;
}

double Crossing(const std::vector<double>& x, size_t i, size_t j, double level) {
  const double a = x[i], b = x[j];
  if (!std::isfinite(a) || !std::isfinite(b) || a == b) return static_cast<double>(i);
  const double f = std::clamp((level - a) / (b - a), 0.0, 1.0);
  return static_cast<double>(i) + f * (static_cast<double>(j) - static_cast<double>(i));
}

double Coverage(const std::vector<double>& x, size_t a, size_t b) {
  if (x.empty() || b < a) return 0;
  b = std::min(b, x.size() - 1);
  size_t ok = 0;
  for (size_t i = a; i <= b; ++i) ok += std::isfinite(x[i]) ? 1 : 0;
  return static_cast<double>(ok) / static_cast<double>(b - a + 1);
}

KeyMoment MakeMoment(const Track& tr, std::string type, double start_idx, double peak_idx,
                     double end_idx) {
  KeyMoment m;
  m.type = std::move(type);
  m.athletes = {tr.id};
  m.start_s = tr.TimeAt(start_idx);
  m.peak_s = tr.TimeAt(peak_idx);
  m.end_s = tr.TimeAt(end_idx);
  auto frame = [&](double idx) {
    const double c = std::clamp(idx, 0.0, static_cast<double>(tr.size() - 1));
    return tr.frames[static_cast<size_t>(std::llround(c))];
  };
  m.start_frame = frame(start_idx);
  m.peak_frame = frame(peak_idx);
  m.end_frame = frame(end_idx);
  return m;
}

Track BuildTrack(const AthleteSeries& series, const AthleteKinematics* kin, const MomentsOptions& o,
                 double t_from, double t_to) {
  Track tr;
  tr.id = series.id;
  tr.kin = kin;
  // ---- The grid: kinematics' when present, else the series' frames.
  if (kin != nullptr && !kin->time_s.empty() && kin->frames.size() == kin->time_s.size()) {
    size_t a = 0;
    while (a < kin->time_s.size() && kin->time_s[a] < t_from) ++a;
    size_t b = a;
    while (b < kin->time_s.size() && kin->time_s[b] <= t_to) ++b;
    tr.kin_offset = a;
    tr.frames.assign(kin->frames.begin() + static_cast<std::ptrdiff_t>(a),
                     kin->frames.begin() + static_cast<std::ptrdiff_t>(b));
    tr.t.assign(kin->time_s.begin() + static_cast<std::ptrdiff_t>(a),
                kin->time_s.begin() + static_cast<std::ptrdiff_t>(b));
    tr.fs = kin->sample_rate_hz > 0 ? kin->sample_rate_hz : 30;
  } else if (!series.samples.empty()) {
    const auto& s = series.samples;
    std::vector<double> dts;
    for (size_t i = 1; i < s.size(); ++i) {
      const double df = static_cast<double>(s[i].frame.index - s[i - 1].frame.index);
      if (df > 0) dts.push_back((s[i].time_s - s[i - 1].time_s) / df);
    }
    const double dt = dts.empty() ? 1.0 / 30 : Median(dts);
    tr.fs = dt > 0 ? 1.0 / dt : 30;
    for (FrameIndex f = s.front().frame.index; f <= s.back().frame.index; ++f) {
      const double time = s.front().time_s + static_cast<double>(f - s.front().frame.index) / tr.fs;
      if (time < t_from || time > t_to) continue;
      tr.frames.push_back(f);
      tr.t.push_back(time);
    }
  }
  tr.dt = 1.0 / tr.fs;
  const size_t n = tr.t.size();
  // ---- Boxes by frame index.
  tr.box.assign(n, BoxPx{});
  int image_h = 0;
  std::vector<double> box_h;
  if (n > 0) {
    auto it =
        std::lower_bound(series.samples.begin(), series.samples.end(), tr.frames.front(),
                         [](const AthleteSample& s, FrameIndex f) { return s.frame.index < f; });
    for (; it != series.samples.end() && it->frame.index <= tr.frames.back(); ++it) {
      const AthleteSample& s = *it;
      tr.box[static_cast<size_t>(s.frame.index - tr.frames.front())] = s.box;
      image_h = std::max(image_h, s.frame.height_px);
      if (s.box.h > 0) box_h.push_back(s.box.h);
    }
  }
  if (image_h == 0 && !series.samples.empty()) image_h = series.samples.front().frame.height_px;
  tr.body_height_px = Median(box_h);
  if (!std::isfinite(tr.body_height_px)) tr.body_height_px = 0;
  // ---- Scale.
  const bool metric = kin != nullptr && kin->scale.m_per_px > 0;
  if (metric) {
    tr.m_per_px = kin->scale.m_per_px;
    tr.stature_m = kin->scale.height_m > 0 ? kin->scale.height_m : o.assumed_height_m;
  } else {
    const double h = Median(box_h);
    tr.m_per_px = std::isfinite(h) && h > 0 ? o.assumed_height_m / h : 0;
    tr.stature_m = o.assumed_height_m;
    tr.scale_confidence = 0.6;  // stature assumed and the box is only roughly the stature
  }
  const double to_m = metric ? 1.0 : tr.m_per_px;  // kinematics px values -> m
  // ---- Positions.
  auto kin_signal = [&](const std::string& base) -> std::vector<double> {
    if (kin == nullptr) return {};
    const KinematicSignal* s = kin->Find(base + (metric ? "_m" : "_px"));
    if (s == nullptr || s->values.size() != kin->time_s.size()) return {};
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = s->values[tr.kin_offset + i] * to_m;
    return v;
  };
  tr.cx = kin_signal("com_x");
  tr.cy = kin_signal("com_y");
  const bool markers =
      kin != nullptr && !kin->markers.names.empty() &&
      kin->markers.xyz.size() == kin->time_s.size() * kin->markers.names.size() * 3;
  const double marker_to_m = kin != nullptr && kin->markers.units == "m" ? 1.0 : tr.m_per_px;
  auto marker = [&](int k, int axis, size_t i) {
    if (k < 0) return kNaN;
    const size_t nm = kin->markers.names.size();
    return kin->markers.xyz[((tr.kin_offset + i) * nm + static_cast<size_t>(k)) * 3 +
                            static_cast<size_t>(axis)] *
           marker_to_m;
  };
  tr.foot_y.assign(n, kNaN);
  tr.low_y.assign(n, kNaN);
  tr.axis_deg.assign(n, kNaN);
  for (auto& v : tr.dx) v.assign(n, kNaN);
  for (auto& v : tr.dy) v.assign(n, kNaN);
  if (markers) {
    const MarkerSeries& m = kin->markers;
    const int feet[6] = {MarkerIndex(m, "left_heel"),  MarkerIndex(m, "right_heel"),
                         MarkerIndex(m, "left_toe"),   MarkerIndex(m, "right_toe"),
                         MarkerIndex(m, "left_ankle"), MarkerIndex(m, "right_ankle")};
    const int ls = MarkerIndex(m, "left_shoulder"), rs = MarkerIndex(m, "right_shoulder");
    const int lh = MarkerIndex(m, "left_hip"), rh = MarkerIndex(m, "right_hip");
    const int distal[kNumDistal][2] = {
        {MarkerIndex(m, "left_wrist"), -1},
        {MarkerIndex(m, "right_wrist"), -1},
        {MarkerIndex(m, "left_toe"), MarkerIndex(m, "left_ankle")},
        {MarkerIndex(m, "right_toe"), MarkerIndex(m, "right_ankle")}};
    const int nm = static_cast<int>(m.names.size());
    for (size_t i = 0; i < n; ++i) {
      double fy = kNaN;
      for (int k : feet) {
        const double y = marker(k, 1, i);
        if (std::isfinite(y) && !(y >= fy)) fy = y;
      }
      tr.foot_y[i] = fy;
      double ly = kNaN;
      for (int k = 0; k < nm; ++k) {
        const double y = marker(k, 1, i);
        if (std::isfinite(y) && !(y >= ly)) ly = y;
      }
      tr.low_y[i] = ly;
      const double sx = 0.5 * (marker(ls, 0, i) + marker(rs, 0, i));
      const double sy = 0.5 * (marker(ls, 1, i) + marker(rs, 1, i));
      const double hx = 0.5 * (marker(lh, 0, i) + marker(rh, 0, i));
      const double hy = 0.5 * (marker(lh, 1, i) + marker(rh, 1, i));
      tr.axis_deg[i] = std::atan2(std::abs(sx - hx), sy - hy) * 180.0 / std::numbers::pi;
      for (int d = 0; d < kNumDistal; ++d) {
        for (int c = 0; c < 2; ++c) {
          const int k = distal[d][c];
          const double x = marker(k, 0, i), y = marker(k, 1, i);
          if (std::isfinite(x) && std::isfinite(y)) {
            tr.dx[d][i] = x;
            tr.dy[d][i] = y;
            break;
          }
        }
      }
    }
    tr.has_pose = true;
  }
  // ---- Box fallback for what the pose did not give.
  const bool box_com = tr.cx.empty() || tr.cy.empty();
  if (box_com) {
    tr.cx.assign(n, kNaN);
    tr.cy.assign(n, kNaN);
  }
  if (tr.m_per_px > 0 && image_h > 0) {
    const double s = tr.m_per_px;
    for (size_t i = 0; i < n; ++i) {
      const BoxPx& b = tr.box[i];
      if (b.h <= 0) continue;
      const double bottom = (image_h - (b.y + b.h)) * s;
      if (box_com) {
        tr.cx[i] = b.cx() * s;
        tr.cy[i] = bottom + kComHeightInBox * b.h * s;
      }
      if (!markers) {
        tr.foot_y[i] = bottom;
        tr.low_y[i] = bottom;
        // A lying body gives a wide box: atan(w/h) reads about 20 deg standing, 70 lying.
        tr.axis_deg[i] = std::atan2(b.w, b.h) * 180.0 / std::numbers::pi;
      }
    }
  }
  // ---- Gap filling and derivatives.
  const int max_gap = Samples(o.max_gap_s, tr.fs, 0);
  for (auto* v : {&tr.cx, &tr.cy, &tr.foot_y, &tr.low_y, &tr.axis_deg}) FillGaps(*v, max_gap);
  for (int d = 0; d < kNumDistal; ++d) {
    FillGaps(tr.dx[d], max_gap);
    FillGaps(tr.dy[d], max_gap);
  }
  const int k = std::max(1, Samples(o.derivative_window_s / 2, tr.fs));
  Derivative(tr.cx, tr.dt, k, tr.vx);
  Derivative(tr.cy, tr.dt, k, tr.vy);
  tr.speed.assign(n, kNaN);
  for (size_t i = 0; i < n; ++i) tr.speed[i] = Norm(tr.vx[i], tr.vy[i]);
  Derivative(tr.speed, tr.dt, std::max(1, Samples(o.accel_window_s / 2, tr.fs)), tr.accel);
  return tr;
}

}  // namespace monokin::moments::detail
