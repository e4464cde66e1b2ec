// SPDX-License-Identifier: Apache-2.0
// Group moments over every pair of athletes seen at the same time: converging (the distance
// between their ground points falls fast) and contact (their boxes overlap right after closing
// in). Distances use the box bottom centres (the ground point) in pixels, turned into metres
// with the mean scale of the two athletes (both stand at about the same depth when close).
#include <algorithm>
#include <cmath>
#include <limits>

#include "monokin/moments/detail/track.h"

namespace monokin::moments::detail {
namespace {

double Clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

double Iou(const BoxPx& a, const BoxPx& b) {
  const double iw = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const double ih = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  if (iw <= 0 || ih <= 0) return 0;
  return iw * ih / (a.area() + b.area() - iw * ih);
}

double Overlap(const BoxPx& a, const BoxPx& b) {
  const double iw = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const double ih = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  if (iw <= 0 || ih <= 0) return 0;
  const double smaller = std::min(a.area(), b.area());
  return smaller > 0 ? iw * ih / smaller : 0;
}

KeyMoment PairMoment(const Track& a, const Track& b, size_t off_a, std::string type, double s,
                     double p, double e) {
  // Indices are in the pair's common grid, which starts at a's sample off_a.
  KeyMoment m = MakeMoment(a, std::move(type), s + static_cast<double>(off_a),
                           p + static_cast<double>(off_a), e + static_cast<double>(off_a));
  m.athletes = {std::min(a.id, b.id), std::max(a.id, b.id)};
  return m;
}

// Slope of x at sample i from a local linear fit over +-k samples (per second); NaN when fewer
// than k + 1 of them are finite.
double SlopeAt(const std::vector<double>& x, std::ptrdiff_t i, int k, double dt) {
  double c = 0, sj = 0, sj2 = 0, sx = 0, sjx = 0;
  for (int j = -k; j <= k; ++j) {
    const std::ptrdiff_t m = i + j;
    if (m < 0 || m >= static_cast<std::ptrdiff_t>(x.size()) || !std::isfinite(x[m])) continue;
    c += 1;
    sj += j;
    sj2 += j * j;
    sx += x[m];
    sjx += j * x[m];
  }
  const double den = c * sj2 - sj * sj;
  if (c < k + 1 || den <= 0) return kNaN;
  return (c * sjx - sj * sx) / (den * dt);
}

struct PairBuffers {
  std::vector<double> dist, closing, overlap, rel_x, rel_y, dist_tmp;
  std::vector<std::uint8_t> mask;
};

void DetectPair(const Track& a, const Track& b, const MomentsOptions& o, PairBuffers& buf,
                std::vector<KeyMoment>& out) {
  if (a.size() == 0 || b.size() == 0) return;
  const FrameIndex f0 = std::max(a.frames.front(), b.frames.front());
  const FrameIndex f1 = std::min(a.frames.back(), b.frames.back());
  if (f1 - f0 < 3) return;
  const size_t oa = static_cast<size_t>(f0 - a.frames.front());
  const size_t ob = static_cast<size_t>(f0 - b.frames.front());
  const size_t n = static_cast<size_t>(f1 - f0 + 1);
  const double s = 0.5 * (a.m_per_px + b.m_per_px);
  if (!(s > 0)) return;
  buf.dist.assign(n, kNaN);
  buf.overlap.assign(n, 0);
  buf.rel_x.assign(n, kNaN);
  buf.rel_y.assign(n, kNaN);
  for (size_t i = 0; i < n; ++i) {
    const BoxPx& ba = a.box[oa + i];
    const BoxPx& bb = b.box[ob + i];
    if (ba.h <= 0 || bb.h <= 0) continue;
    buf.rel_x[i] = s * (ba.cx() - bb.cx());
    buf.rel_y[i] = s * ((ba.y + ba.h) - (bb.y + bb.h));
    const double depth_gap = std::abs((ba.y + ba.h) - (bb.y + bb.h));
    buf.dist[i] = s * Norm(ba.cx() - bb.cx(), depth_gap);
    const bool same_depth = depth_gap <= o.contact.max_depth_gap * 0.5 * (ba.h + bb.h);
    buf.overlap[i] = same_depth ? Overlap(ba, bb) : 0;
  }
  // Most pairs never come close: no converging (which must end within max_end_distance_m) and
  // no contact (boxes must overlap) is possible then, and the rest can be skipped.
  double min_dist = std::numeric_limits<double>::infinity(), max_overlap = 0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isfinite(buf.dist[i])) min_dist = std::min(min_dist, buf.dist[i]);
    max_overlap = std::max(max_overlap, buf.overlap[i]);
  }
  const bool may_converge = o.converging.enabled && min_dist <= o.converging.max_end_distance_m;
  // Contact reads box extents to a few centimetres: both athletes must be large enough.
  const bool may_touch = o.contact.enabled && max_overlap >= o.contact.min_overlap &&
                         std::min(a.body_height_px, b.body_height_px) >= o.min_body_height_px;
  if (!may_converge && !may_touch) return;
  FillGaps(buf.dist, Samples(o.max_gap_s, a.fs, 0));
  FillGaps(buf.rel_x, Samples(o.max_gap_s, a.fs, 0));
  FillGaps(buf.rel_y, Samples(o.max_gap_s, a.fs, 0));
  const int k = std::max(1, Samples(o.derivative_window_s / 2, a.fs));
  Derivative(buf.dist, a.dt, k, buf.closing);
  for (double& c : buf.closing) c = -c;

  if (may_converge) {
    const ConvergingRule& r = o.converging;
    buf.mask.assign(n, 0);
    for (size_t i = 0; i < n; ++i) buf.mask[i] = buf.closing[i] >= r.min_closing_speed_mps;
    for (const Run& run : Runs(buf.mask, Samples(0.2, a.fs, 0), 1)) {
      const double st =
          run.begin > 0 ? Crossing(buf.closing, run.begin - 1, run.begin, r.min_closing_speed_mps)
                        : static_cast<double>(run.begin);
      const double en = run.end + 1 < n
                            ? Crossing(buf.closing, run.end, run.end + 1, r.min_closing_speed_mps)
                            : static_cast<double>(run.end);
      if ((en - st) * a.dt < r.min_duration_s) continue;
      // Closest approach: the distance keeps falling (more slowly) after the run.
      size_t p = run.begin, i = run.begin;
      for (; i < n && (i <= run.end || buf.closing[i] > 0); ++i) {
        if (std::isfinite(buf.dist[i]) && !(buf.dist[i] >= buf.dist[p])) p = i;
      }
      if (!(buf.dist[p] <= r.max_end_distance_m)) continue;
      double peak_closing = 0;
      for (size_t j = run.begin; j <= run.end; ++j) {
        if (std::isfinite(buf.closing[j])) peak_closing = std::max(peak_closing, buf.closing[j]);
      }
      KeyMoment m = PairMoment(a, b, oa, "converging", st, static_cast<double>(p), en);
      m.values["start_distance_m"] = buf.dist[run.begin];
      m.values["min_distance_m"] = buf.dist[p];
      m.values["peak_closing_speed_mps"] = peak_closing;
      m.values["duration_s"] = (en - st) * a.dt;
      m.confidence = Clamp01((0.5 + 2.5 * (peak_closing / r.min_closing_speed_mps - 1)) *
                             Coverage(buf.dist, run.begin, run.end) *
                             std::min(a.scale_confidence, b.scale_confidence));
      out.push_back(std::move(m));
    }
  }
  if (may_touch) {
    const ContactRule& r = o.contact;
    // Box edges jitter by a few pixels: the overlap is averaged over the velocity window before
    // thresholding (the overlap of boxes moving apart slowly would flicker around the threshold).
    buf.mask.assign(n, 0);
    std::vector<double>& smooth = buf.dist_tmp;
    smooth.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
      double sum = 0;
      int cnt = 0;
      for (int j = -k; j <= k; ++j) {
        const std::ptrdiff_t m = static_cast<std::ptrdiff_t>(i) + j;
        if (m < 0 || m >= static_cast<std::ptrdiff_t>(n)) continue;
        sum += buf.overlap[static_cast<size_t>(m)];
        ++cnt;
      }
      smooth[i] = sum / cnt;
    }
    buf.overlap.swap(smooth);
    buf.mask.assign(n, 0);
    for (size_t i = 0; i < n; ++i) buf.mask[i] = buf.overlap[i] >= r.min_overlap;
    const int back = Samples(r.closing_window_s, a.fs);
    for (const Run& run : Runs(buf.mask, Samples(r.min_gap_s, a.fs, 0), 1)) {
      double closing = 0;
      const size_t lo = run.begin > static_cast<size_t>(back) ? run.begin - back : 0;
      for (size_t i = lo; i <= run.begin; ++i) {
        if (std::isfinite(buf.closing[i])) closing = std::max(closing, buf.closing[i]);
      }
      if (closing < r.min_closing_speed_mps) continue;
      // Momentum exchange: the relative velocity before and after the boxes meet.
      const std::ptrdiff_t b0 = static_cast<std::ptrdiff_t>(run.begin) - back;
      const std::ptrdiff_t b1 = static_cast<std::ptrdiff_t>(run.begin) + back;
      const double ux = SlopeAt(buf.rel_x, b0, k, a.dt), uy = SlopeAt(buf.rel_y, b0, k, a.dt);
      const double wx = SlopeAt(buf.rel_x, b1, k, a.dt), wy = SlopeAt(buf.rel_y, b1, k, a.dt);
      const double change = Norm(wx - ux, wy - uy) / std::max(Norm(ux, uy), 0.1);
      if (!(change >= r.min_velocity_change)) continue;
      size_t p = run.begin;
      for (size_t i = run.begin; i <= run.end; ++i) {
        if (buf.overlap[i] > buf.overlap[p]) p = i;
      }
      // Two bodies of about the same size, not one body tracked twice.
      const BoxPx& sa = a.box[oa + run.begin];
      const BoxPx& sb = b.box[ob + run.begin];
      if (sa.h <= 0 || sb.h <= 0 ||
          std::min(sa.h, sb.h) < r.min_height_ratio * std::max(sa.h, sb.h)) {
        continue;
      }
      const double iou = Iou(a.box[oa + p], b.box[ob + p]);
      if (iou > r.max_iou) continue;
      const double st = run.begin > 0
                            ? Crossing(buf.overlap, run.begin - 1, run.begin, r.min_overlap)
                            : static_cast<double>(run.begin);
      const double en = run.end + 1 < n ? Crossing(buf.overlap, run.end, run.end + 1, r.min_overlap)
                                        : static_cast<double>(run.end);
      KeyMoment m = PairMoment(a, b, oa, "contact", st, static_cast<double>(p), en);
      m.values["max_overlap"] = buf.overlap[p];  // of boxes at about the same depth
      m.values["closing_speed_mps"] = closing;
      m.values["velocity_change"] = change;
      m.values["max_iou"] = iou;
      m.values["duration_s"] = (en - st) * a.dt;
      m.confidence = Clamp01((0.5 + 2.5 * (closing / std::max(r.min_closing_speed_mps, 0.5) - 1)) *
                             std::min(a.scale_confidence, b.scale_confidence) *
                             (a.has_pose && b.has_pose ? 1.0 : 0.8));
      out.push_back(std::move(m));
    }
  }
}

}  // namespace

void DetectGroupMoments(const std::vector<Track>& tracks, const MomentsOptions& o,
                        std::vector<KeyMoment>& out) {
  if (!o.converging.enabled && !o.contact.enabled) return;
  PairBuffers buf;
  for (size_t i = 0; i < tracks.size(); ++i) {
    for (size_t j = i + 1; j < tracks.size(); ++j) DetectPair(tracks[i], tracks[j], o, buf, out);
  }
}

}  // namespace monokin::moments::detail
