// SPDX-License-Identifier: Apache-2.0
// Sources of the ideas: ByteTrack (Zhang et al., ECCV 2022) for associating low-score
// detections in a second stage; OC-SORT (Cao et al., CVPR 2023) for observation-centric
// recovery (OCR), re-update (ORU) and velocity direction consistency; BoT-SORT (Aharon et
// al., 2022) for a Kalman state holding width and height with noise relative to the box.
#include "monokin/track/byte_tracker.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "monokin/core/assignment.h"
#include "monokin/track/appearance.h"
#include "monokin/track/camera_motion.h"
#include "monokin/track/kalman_box.h"

namespace monokin::track {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The Kalman box of kalman_box.h with BoT-SORT's noise: relative to the box width for the
// horizontal components and to its height for the vertical ones; per-frame weights 1/20
// (position, measurement) and 1/160 (velocity) turned into rates, so any frame rate works.
KalmanBoxNoise ByteNoise() {
  KalmanBoxNoise n;
  n.measurement = 1.0 / 20;
  n.process_position = 0.27;             // per sqrt(s), x box size
  n.process_velocity = 1.0;              // per sqrt(s), x box size per second
  n.initial_position = 2.0 / 20;         // x box size
  n.initial_velocity = 10.0 / 160 * 30;  // x box size per second
  n.scale = KalmanBoxNoise::Scale::kPerAxis;
  return n;
}

double Iou(const BoxPx& a, const BoxPx& b) {
  const double ix = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const double iy = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return 0;
  const double inter = ix * iy;
  const double uni = static_cast<double>(a.w) * a.h + static_cast<double>(b.w) * b.h - inter;
  return uni > 0 ? inter / uni : 0;
}

// The box grown by `b` times its size on every side, around the same centre.
BoxPx Grow(const BoxPx& a, double b) {
  return BoxPx{static_cast<float>(a.x - b * a.w), static_cast<float>(a.y - b * a.h),
               static_cast<float>(a.w * (1 + 2 * b)), static_cast<float>(a.h * (1 + 2 * b))};
}

// `a` moved by the camera: centre through the affine map, size scaled by sqrt|det A|; a pure
// translation keeps the size exactly.
BoxPx WarpBox(const cv::Matx23d& m, const BoxPx& a) {
  if (m(0, 0) == 1 && m(0, 1) == 0 && m(1, 0) == 0 && m(1, 1) == 1) {
    return BoxPx{static_cast<float>(a.x + m(0, 2)), static_cast<float>(a.y + m(1, 2)), a.w, a.h};
  }
  const double cx = a.cx(), cy = a.cy();
  const double nx = m(0, 0) * cx + m(0, 1) * cy + m(0, 2);
  const double ny = m(1, 0) * cx + m(1, 1) * cy + m(1, 2);
  const double k = std::sqrt(std::abs(m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)));
  const double w = a.w * k, h = a.h * k;
  return BoxPx{static_cast<float>(nx - w / 2), static_cast<float>(ny - h / 2),
               static_cast<float>(w), static_cast<float>(h)};
}

// ---- tracks ---------------------------------------------------------------------------------
struct Observation {
  double time_s;
  BoxPx box;
};

struct TrackState {
  explicit TrackState(const KalmanBox& filter) : kf(filter), kf_at_obs(filter) {}
  TrackId id = -1;  // assigned when confirmed
  KalmanBox kf;
  int hits = 0;  // consecutive matches while tentative, total after
  int frames_since_seen = 0;
  bool confirmed = false;
  float score = 0;
  BoxPx last_det;
  double last_seen_s = 0;
  // State at the last observation and the time steps predicted since (for ORU).
  KalmanBox kf_at_obs;
  std::vector<double> dts_since_obs;
  std::deque<Observation> history;  // recent observations, for the motion direction
  AppearanceFeature look;           // running colour histogram (with frames only)
  int look_updates = 0;
  double look_time_s = -1;  // when `look` was last updated
};

class ByteTracker final : public Tracker {
 public:
  explicit ByteTracker(const ByteTrackerOptions& o) : opt_(o) {
    if (opt_.appearance) embedder_ = MakeColourHistogramEmbedder({});
    if (opt_.camera_motion.mode != "off") cmc_.emplace(opt_.camera_motion);
  }

  std::string name() const override { return "byte"; }

  std::vector<Track> Update(const FrameInfo& frame, std::span<const Detection> detections,
                            const cv::Mat* image) override {
    const double now = ToSeconds(frame.pts);
    double dt = has_time_ ? now - last_time_s_ : 0.0;
    if (has_time_ && dt <= 0) dt = 1.0 / opt_.default_frame_rate;
    const double t = has_time_ ? last_time_s_ + dt : now;
    const double prev_t = has_time_ ? last_time_s_ : now;
    has_time_ = true;
    last_time_s_ = t;

    for (TrackState& tr : tracks_) {
      if (tr.frames_since_seen > 0) tr.kf.HoldSize();  // a lost box keeps its size (BoT-SORT)
      tr.kf.Predict(dt);
      tr.dts_since_obs.push_back(dt);
    }
    const bool have_image = image != nullptr && !image->empty();
    if (have_image && cmc_) FollowCamera(*image, frame, detections);

    std::vector<int> high, low;
    for (int i = 0; i < static_cast<int>(detections.size()); ++i) {
      const Detection& d = detections[i];
      // Boxes the filter cannot use (empty, NaN, infinite) are ignored rather than trusted.
      if (!(d.box.w > 0 && d.box.h > 0) || !std::isfinite(d.box.x) || !std::isfinite(d.box.y) ||
          !std::isfinite(d.box.w) || !std::isfinite(d.box.h) || !std::isfinite(d.score)) {
        continue;
      }
      if (d.score >= opt_.high_score) {
        high.push_back(i);
      } else if (d.score >= opt_.low_score) {
        low.push_back(i);
      }
    }
    // Dormant tracks (lost longer than keep_lost_s at the previous frame, kept for
    // re-identification by look) only take part in the appearance stage: their motion
    // prediction is no longer trustworthy.
    std::vector<int> confirmed, tentative, dormant;
    for (int k = 0; k < static_cast<int>(tracks_.size()); ++k) {
      const TrackState& tr = tracks_[k];
      if (!tr.confirmed) {
        tentative.push_back(k);
      } else if (prev_t - tr.last_seen_s > opt_.keep_lost_s + 1e-9) {
        dormant.push_back(k);
      } else {
        confirmed.push_back(k);
      }
    }
    std::vector<int> det_match(detections.size(), -1);
    std::vector<char> track_matched(tracks_.size(), 0);

    // Stage 1: high detections against every confirmed track (tracked or lost).
    auto stage = [&](std::vector<int>& trks, std::vector<int>& dets, double min_iou,
                     bool use_last_obs, bool fuse, bool direction) {
      const int nt = static_cast<int>(trks.size()), nd = static_cast<int>(dets.size());
      std::vector<double> w(static_cast<size_t>(nt) * nd, 0.0);
      for (int a = 0; a < nt; ++a) {
        const TrackState& tr = tracks_[trks[a]];
        const BoxPx ref = use_last_obs ? tr.last_det : tr.kf.box();
        const double buffer =
            tr.frames_since_seen > 0
                ? std::min(opt_.lost_buffer_max, opt_.lost_buffer_per_s * (t - tr.last_seen_s))
                : 0.0;
        double dir_x = 0, dir_y = 0;
        const Observation* prev = direction ? PreviousObservation(tr, t) : nullptr;
        if (prev) {
          dir_x = tr.last_det.cx() - prev->box.cx();
          dir_y = tr.last_det.cy() - prev->box.cy();
          const double norm = std::hypot(dir_x, dir_y);
          if (norm > 1e-6) {
            dir_x /= norm;
            dir_y /= norm;
          } else {
            prev = nullptr;
          }
        }
        for (int b = 0; b < nd; ++b) {
          const Detection& d = detections[dets[b]];
          const double iou =
              buffer > 0 ? Iou(Grow(ref, buffer), Grow(d.box, buffer)) : Iou(ref, d.box);
          if (iou < min_iou) continue;
          double value = fuse ? iou * d.score : iou;
          if (prev) {
            double ex = d.box.cx() - prev->box.cx(), ey = d.box.cy() - prev->box.cy();
            const double norm = std::hypot(ex, ey);
            if (norm > 1e-6) {
              const double cosang = std::clamp((ex * dir_x + ey * dir_y) / norm, -1.0, 1.0);
              const double diff = (kPi / 2 - std::abs(std::acos(cosang))) / kPi;
              value += opt_.direction_weight * diff * d.score;
            }
          }
          w[static_cast<size_t>(a) * nd + b] = std::max(value, 1e-9);
        }
      }
      const auto matches = MaxWeightMatching(w, nt, nd);
      std::vector<char> tm(nt, 0), dm(nd, 0);
      for (const auto& [a, b] : matches) {
        track_matched[trks[a]] = 1;
        det_match[dets[b]] = trks[a];
        tm[a] = dm[b] = 1;
      }
      std::vector<int> rest_t, rest_d;
      for (int a = 0; a < nt; ++a) {
        if (!tm[a]) rest_t.push_back(trks[a]);
      }
      for (int b = 0; b < nd; ++b) {
        if (!dm[b]) rest_d.push_back(dets[b]);
      }
      trks.swap(rest_t);
      dets.swap(rest_d);
    };

    if (opt_.global_motion) CompensateGlobalMotion(detections, high);
    std::vector<int> pool = confirmed;
    stage(pool, high, opt_.match_iou, false, opt_.fuse_score, opt_.direction_weight > 0);
    // Stage 2: low detections keep tracks that were seen last frame alive.
    std::vector<int> recent, older;
    for (int k : pool) (tracks_[k].frames_since_seen == 0 ? recent : older).push_back(k);
    stage(recent, low, opt_.low_match_iou, false, false, false);
    // Stage 3 (OCR): what is left, by the last observed box rather than the prediction.
    std::vector<int> left = recent;
    left.insert(left.end(), older.begin(), older.end());
    if (opt_.observation_recovery) stage(left, high, opt_.recovery_match_iou, true, false, false);
    // Stage 3b: lost and dormant tracks against the remaining high detections, by look.
    std::vector<AppearanceFeature> det_look(detections.size());
    std::vector<char> det_look_done(detections.size(), 0);
    auto look_of = [&](int i) -> const AppearanceFeature& {
      if (!det_look_done[i]) {
        det_look_done[i] = 1;
        const BoxPx box = detections[i].box;
        det_look[i] = std::move(embedder_->Embed(*image, std::span<const BoxPx>(&box, 1))[0]);
      }
      return det_look[i];
    };
    std::vector<char> reidentified(tracks_.size(), 0);
    if (have_image && embedder_) {
      std::vector<int> lost = left;
      lost.insert(lost.end(), dormant.begin(), dormant.end());
      ReidentifyByLook(lost, high, detections, t, look_of, det_match, track_matched, reidentified);
    }
    // Stage 4: tentative tracks against the remaining high detections.
    stage(tentative, high, opt_.unconfirmed_match_iou, false, opt_.fuse_score, false);

    for (size_t i = 0; i < detections.size(); ++i) {
      if (det_match[i] < 0) continue;
      TrackState& tr = tracks_[det_match[i]];
      if (reidentified[det_match[i]]) {  // back after a long absence: restart the motion model
        tr.kf = KalmanBox(detections[i].box, noise_);
        tr.kf_at_obs = tr.kf;
        tr.dts_since_obs.clear();
        tr.history.clear();
      }
      Apply(tr, detections[i], t);
      if (have_image && embedder_ && tr.confirmed) UpdateLook(tr, detections, i, t, look_of);
    }
    for (size_t k = 0; k < tracks_.size(); ++k) {
      if (!track_matched[k]) tracks_[k].frames_since_seen += 1;
    }
    // Remove tentative tracks that missed, and confirmed ones lost for too long.
    std::vector<TrackState> kept;
    kept.reserve(tracks_.size() + high.size());
    for (TrackState& tr : tracks_) {
      if (!tr.confirmed && tr.frames_since_seen > 0) continue;
      const double keep = have_image && embedder_ && !tr.look.empty()
                              ? std::max(opt_.keep_lost_s, opt_.reid_keep_s)
                              : opt_.keep_lost_s;
      if (tr.confirmed && t - tr.last_seen_s > keep + 1e-9) continue;
      kept.push_back(std::move(tr));
    }
    tracks_.swap(kept);
    // Births from unmatched confident detections.
    for (int i : high) {
      const Detection& d = detections[i];
      if (d.score < opt_.new_track_score) continue;
      TrackState tr(KalmanBox(d.box, noise_));
      tr.hits = 1;
      tr.score = d.score;
      tr.last_det = d.box;
      tr.last_seen_s = t;
      tr.history.push_back({t, d.box});
      if (first_frame_ || opt_.confirm_hits <= 1) Confirm(tr);
      tracks_.push_back(std::move(tr));
    }
    first_frame_ = false;

    std::vector<Track> out;
    for (const TrackState& tr : tracks_) {
      if (!tr.confirmed) continue;
      const bool lost = tr.frames_since_seen > 0;
      if (lost && t - tr.last_seen_s > opt_.report_lost_s + 1e-9) continue;
      Track o;
      o.id = tr.id;
      o.box = opt_.report_detection_box && !lost ? tr.last_det : tr.kf.box();
      o.score = tr.score;
      o.hits = tr.hits;
      o.frames_since_seen = tr.frames_since_seen;
      out.push_back(o);
    }
    std::sort(out.begin(), out.end(), [](const Track& a, const Track& b) { return a.id < b.id; });
    return out;
  }

 private:
  // Moves every track with the camera (camera_motion.h): the filter states, the last observed
  // boxes and the motion history, so that every stage compares boxes in this frame's pixels.
  void FollowCamera(const cv::Mat& image, const FrameInfo& frame,
                    std::span<const Detection> detections) {
    std::vector<BoxPx> people;
    people.reserve(detections.size());
    for (const Detection& d : detections) people.push_back(d.box);
    const CameraMotion m = cmc_->Estimate(image, frame, people);
    if (!m.estimated) return;
    MoveTracks(m.affine);
  }

  // Moves everything that compares boxes with the camera: the filter, the state kept for the
  // re-update, the last observation (recovery by last box) and the history (motion direction).
  void MoveTracks(const cv::Matx23d& m) {
    const bool shift = m(0, 0) == 1 && m(0, 1) == 0 && m(1, 0) == 0 && m(1, 1) == 1;
    Eigen::Matrix<double, 2, 3> a;
    a << m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2);
    for (TrackState& tr : tracks_) {
      for (KalmanBox* kf : {&tr.kf, &tr.kf_at_obs}) {
        if (shift) {
          kf->Shift(m(0, 2), m(1, 2));
        } else {
          kf->Warp(a);
        }
      }
      tr.last_det = WarpBox(m, tr.last_det);
      for (Observation& o : tr.history) o.box = WarpBox(m, o.box);
    }
  }

  // Re-identification by look: optimal matching on 1 - distance among the pairs that pass the
  // motion gate, the distance threshold and the ratio test against every other confirmed
  // track's look (people dressed alike are left to a new id rather than risk a swap).
  template <typename LookOf>
  void ReidentifyByLook(const std::vector<int>& trks, std::vector<int>& dets,
                        std::span<const Detection> detections, double t, LookOf& look_of,
                        std::vector<int>& det_match, std::vector<char>& track_matched,
                        std::vector<char>& reidentified) {
    std::vector<int> cand_t;
    for (int k : trks) {
      if (!tracks_[k].look.empty()) cand_t.push_back(k);
    }
    const std::vector<int>& cand_d = dets;  // every remaining confident (high) detection
    const int nt = static_cast<int>(cand_t.size()), nd = static_cast<int>(cand_d.size());
    if (nt == 0 || nd == 0) return;
    std::vector<double> dist(static_cast<size_t>(nt) * nd, 1.0);
    for (int a = 0; a < nt; ++a) {
      const TrackState& tr = tracks_[cand_t[a]];
      const double unseen = t - tr.last_seen_s;
      const double h = std::max(1.0f, tr.last_det.h);
      for (int b = 0; b < nd; ++b) {
        const BoxPx& d = detections[cand_d[b]].box;
        const double reach = (0.5 + opt_.reid_max_speed * unseen) * h;
        if (std::hypot(d.cx() - tr.last_det.cx(), d.cy() - tr.last_det.cy()) > reach) continue;
        const double ratio = d.h / h;
        if (ratio < 1 / 1.5 || ratio > 1.5) continue;
        dist[static_cast<size_t>(a) * nd + b] = embedder_->Distance(tr.look, look_of(cand_d[b]));
      }
    }
    // Ratio test: the best look for a detection must clearly beat every other confirmed track
    // (tracked ones included), and the best detection for a track every other detection. Both
    // need only the nearest and second-nearest rival: per track row, and per detection over
    // every confirmed track's look (computed once per detection, when first needed).
    struct Nearest {
      double d1 = 2, d2 = 2;  // smallest and second-smallest distance (2 = none)
      int who = -1;           // owner of d1
      void Add(double d, int i) {
        if (d < d1) {
          d2 = d1;
          d1 = d;
          who = i;
        } else if (d < d2) {
          d2 = d;
        }
      }
      double Other(int i) const { return who == i ? d2 : d1; }
    };
    std::vector<Nearest> row(nt);
    for (int a = 0; a < nt; ++a) {
      for (int b = 0; b < nd; ++b) row[a].Add(dist[static_cast<size_t>(a) * nd + b], b);
    }
    std::vector<std::optional<Nearest>> column(nd);
    auto looks_near = [&](int b) -> const Nearest& {
      if (!column[b]) {
        column[b].emplace();
        for (int k = 0; k < static_cast<int>(tracks_.size()); ++k) {
          const TrackState& other = tracks_[k];
          if (!other.confirmed || other.look.empty()) continue;
          column[b]->Add(embedder_->Distance(other.look, look_of(cand_d[b])), k);
        }
      }
      return *column[b];
    };
    std::vector<double> w(dist.size(), 0.0);
    for (int a = 0; a < nt; ++a) {
      for (int b = 0; b < nd; ++b) {
        const double d = dist[static_cast<size_t>(a) * nd + b];
        if (d > opt_.appearance_max_distance) continue;
        if (d > opt_.appearance_ratio * row[a].Other(b)) continue;
        if (d > opt_.appearance_ratio * looks_near(b).Other(cand_t[a])) continue;
        w[static_cast<size_t>(a) * nd + b] = 1.0 - d;
      }
    }
    std::vector<char> taken(detections.size(), 0);
    for (const auto& [a, b] : MaxWeightMatching(w, nt, nd)) {
      const int k = cand_t[a], i = cand_d[b];
      track_matched[k] = 1;
      det_match[i] = k;
      reidentified[k] = t - tracks_[k].last_seen_s > opt_.keep_lost_s + 1e-9;
      taken[i] = 1;
    }
    std::erase_if(dets, [&](int i) { return taken[i] != 0; });
  }

  // Blends the matched detection's look into the track's, only from confident boxes that
  // overlap no other detection (a crossing would mix two people), at most ten times a second.
  template <typename LookOf>
  void UpdateLook(TrackState& tr, std::span<const Detection> detections, size_t i, double t,
                  LookOf& look_of) {
    const Detection& d = detections[i];
    if (d.score < opt_.high_score || (tr.look_time_s >= 0 && t - tr.look_time_s < 0.1)) return;
    for (size_t j = 0; j < detections.size(); ++j) {
      if (j != i && Iou(detections[j].box, d.box) > 0.1) return;
    }
    const AppearanceFeature& f = look_of(static_cast<int>(i));
    if (f.empty()) return;
    const double dt = tr.look_time_s >= 0 ? t - tr.look_time_s : 0.0;
    double weight = 1.0 - std::exp(-dt / opt_.appearance_tau_s);
    tr.look_updates += 1;
    weight = std::max(weight, 1.0 / tr.look_updates);  // plain average while the track is young
    embedder_->Blend(tr.look, f, weight);
    tr.look_time_s = t;
  }

  // The observation closest to direction_delta_s before the last one (OC-SORT's k steps).
  const Observation* PreviousObservation(const TrackState& tr, double /*now*/) const {
    if (tr.history.size() < 2) return nullptr;
    const double target = tr.history.back().time_s - opt_.direction_delta_s;
    const Observation* best = nullptr;
    for (size_t i = 0; i + 1 < tr.history.size(); ++i) {
      const Observation& o = tr.history[i];
      if (!best || std::abs(o.time_s - target) < std::abs(best->time_s - target)) best = &o;
    }
    return best;
  }

  // Camera motion seen through the people. Tracks followed in the previous frame are paired
  // with the confident detections by an optimal assignment on IoU of boxes grown to three
  // times their size (so that pairs survive a fast pan); the median error between predicted
  // and detected centres, in pixels, is the image motion the filter did not expect. When the
  // camera pans or shakes every person shows it by the same pixels whatever their size (on
  // MOT17-05, a walking camera, pixels beat box heights by 0.1-1.2 HOTA), and every track is
  // shifted by it before the real association. With a static camera the errors scatter
  // around zero.
  void CompensateGlobalMotion(std::span<const Detection> detections, const std::vector<int>& high) {
    std::vector<int> trks;
    for (int k = 0; k < static_cast<int>(tracks_.size()); ++k) {
      if (tracks_[k].confirmed && tracks_[k].frames_since_seen == 0) trks.push_back(k);
    }
    const int nt = static_cast<int>(trks.size()), nd = static_cast<int>(high.size());
    if (nt < opt_.global_motion_min_tracks || nd < opt_.global_motion_min_tracks) return;
    std::vector<double> w(static_cast<size_t>(nt) * nd, 0.0);
    std::vector<BoxPx> pred(nt);
    for (int a = 0; a < nt; ++a) {
      pred[a] = tracks_[trks[a]].kf.box();
      const BoxPx grown = Grow(pred[a], 1.0);
      for (int b = 0; b < nd; ++b) {
        const BoxPx& d = detections[high[b]].box;
        // Same person only if the size agrees too: a pan moves boxes, it does not scale them.
        if (d.h < 0.7f * pred[a].h || d.h > 1.4f * pred[a].h) continue;
        w[static_cast<size_t>(a) * nd + b] = Iou(grown, Grow(d, 1.0));
      }
    }
    std::vector<double> ex, ey;
    for (const auto& [a, b] : MaxWeightMatching(w, nt, nd)) {
      const BoxPx& d = detections[high[b]].box;
      ex.push_back(d.cx() - pred[a].cx());
      ey.push_back(d.cy() - pred[a].cy());
    }
    if (static_cast<int>(ex.size()) < opt_.global_motion_min_tracks) return;
    auto median = [](std::vector<double>& v) {
      std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
      return v[v.size() / 2];
    };
    // Only a shift that is significant: |median| above 3 standard errors of the median
    // (1.2533 x 1.4826 MAD / sqrt(n)), so the people's own motion is not mistaken for a pan.
    auto significant = [&](std::vector<double>& v) {
      const double m = median(v);
      std::vector<double> dev(v.size());
      for (size_t i = 0; i < v.size(); ++i) dev[i] = std::abs(v[i] - m);
      const double se = 1.2533 * 1.4826 * median(dev) / std::sqrt(static_cast<double>(v.size()));
      return std::abs(m) > opt_.global_motion_significance * se ? m : 0.0;
    };
    const double mx = significant(ex), my = significant(ey);
    if (mx == 0 && my == 0) return;
    MoveTracks(cv::Matx23d(1, 0, mx, 0, 1, my));
  }

  void Confirm(TrackState& tr) {
    tr.confirmed = true;
    tr.id = next_id_++;
  }

  void Apply(TrackState& tr, const Detection& d, double t) {
    if (opt_.observation_reupdate && tr.frames_since_seen > 0 && tr.dts_since_obs.size() > 1) {
      // ORU: replay the gap from the last observation along a straight virtual path.
      const double total = std::accumulate(tr.dts_since_obs.begin(), tr.dts_since_obs.end(), 0.0);
      KalmanBox kf = tr.kf_at_obs;
      kf.HoldSize();
      double elapsed = 0;
      for (size_t s = 0; s + 1 < tr.dts_since_obs.size(); ++s) {
        elapsed += tr.dts_since_obs[s];
        const double f = total > 0 ? elapsed / total : 1.0;
        BoxPx v;
        v.x = static_cast<float>(tr.last_det.x + f * (d.box.x - tr.last_det.x));
        v.y = static_cast<float>(tr.last_det.y + f * (d.box.y - tr.last_det.y));
        v.w = static_cast<float>(tr.last_det.w + f * (d.box.w - tr.last_det.w));
        v.h = static_cast<float>(tr.last_det.h + f * (d.box.h - tr.last_det.h));
        kf.Predict(tr.dts_since_obs[s]);
        kf.Update(v);
      }
      kf.Predict(tr.dts_since_obs.back());
      tr.kf = kf;
    }
    tr.kf.Update(d.box);
    tr.kf_at_obs = tr.kf;
    tr.dts_since_obs.clear();
    tr.frames_since_seen = 0;
    tr.hits += 1;
    tr.score = d.score;
    tr.last_det = d.box;
    tr.last_seen_s = t;
    tr.history.push_back({t, d.box});
    while (tr.history.size() > 2 && tr.history[1].time_s <= t - opt_.direction_delta_s - 1e-9) {
      tr.history.pop_front();
    }
    if (!tr.confirmed && tr.hits >= opt_.confirm_hits) Confirm(tr);
  }

  ByteTrackerOptions opt_;
  std::unique_ptr<AppearanceEmbedder> embedder_;  // null with appearance off
  std::optional<CameraMotionEstimator> cmc_;      // empty with camera_motion.mode "off"
  KalmanBoxNoise noise_ = ByteNoise();
  std::vector<TrackState> tracks_;
  TrackId next_id_ = 1;
  bool has_time_ = false, first_frame_ = true;
  double last_time_s_ = 0;
};

}  // namespace

Result<std::unique_ptr<Tracker>> MakeByteTracker(const ByteTrackerOptions& options) {
  MK_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<Tracker>(std::make_unique<ByteTracker>(options));
}

namespace {

// Non-predicted rows per id, each sorted by frame.
std::map<TrackId, std::vector<TrackedBox>> ObservedById(const std::vector<TrackedBox>& rows) {
  std::map<TrackId, std::vector<TrackedBox>> by_id;
  for (const TrackedBox& r : rows) {
    if (!r.predicted) by_id[r.id].push_back(r);
  }
  for (auto& [id, v] : by_id) {
    std::sort(v.begin(), v.end(),
              [](const TrackedBox& a, const TrackedBox& b) { return a.frame < b.frame; });
  }
  return by_id;
}

}  // namespace

std::map<TrackId, TrackId> RelinkTracks(const std::vector<TrackedBox>& rows,
                                        const PostProcessOptions& options) {
  std::map<TrackId, TrackId> root_of;
  if (options.relink_max_gap_s <= 0) return root_of;
  const std::map<TrackId, std::vector<TrackedBox>> by_id = ObservedById(rows);
  // Greedily, by increasing normalised distance, join an ending track to a later starting one
  // when constant-velocity extrapolation lands near its first box.
  struct Candidate {
    double cost;
    TrackId a, b;
  };
  std::vector<Candidate> cands;
  for (const auto& [ia, va] : by_id) {
    const TrackedBox& end = va.back();
    double vx = 0, vy = 0;
    if (va.size() >= 2) {
      const TrackedBox& ref = va[va.size() >= 6 ? va.size() - 6 : 0];
      const double span = end.time_s - ref.time_s;
      if (span > 0) {
        vx = (end.box.cx() - ref.box.cx()) / span;
        vy = (end.box.cy() - ref.box.cy()) / span;
      }
    }
    for (const auto& [ib, vb] : by_id) {
      if (ib == ia) continue;
      const TrackedBox& start = vb.front();
      const double gap = start.time_s - end.time_s;
      if (start.frame <= end.frame || gap > options.relink_max_gap_s) continue;
      const double px = end.box.cx() + vx * gap, py = end.box.cy() + vy * gap;
      const double size = 0.5 * (end.box.h + start.box.h);
      const double dist = std::hypot(px - start.box.cx(), py - start.box.cy()) / size;
      const double scale = std::abs(std::log(start.box.h / std::max(end.box.h, 1.0f)));
      const double cost = dist + scale;
      if (cost <= options.relink_max_distance) cands.push_back({cost, ia, ib});
    }
  }
  std::sort(cands.begin(), cands.end(),
            [](const Candidate& x, const Candidate& y) { return x.cost < y.cost; });
  std::map<TrackId, TrackId> next, prev;
  for (const Candidate& c : cands) {
    if (next.count(c.a) || prev.count(c.b)) continue;
    // A later part must start after the whole chain so far has ended (chains stay in time
    // order), which also rules out cycles.
    next[c.a] = c.b;
    prev[c.b] = c.a;
  }
  for (const auto& [id, v] : by_id) {
    if (prev.count(id) || !next.count(id)) continue;
    for (TrackId cur = id; next.count(cur);) {
      cur = next[cur];
      root_of[cur] = id;
    }
  }
  return root_of;
}

std::vector<TrackedBox> PostProcessTracks(std::vector<TrackedBox> rows,
                                          const PostProcessOptions& options) {
  const std::map<TrackId, TrackId> root_of = RelinkTracks(rows, options);
  for (TrackedBox& r : rows) {
    if (auto it = root_of.find(r.id); it != root_of.end()) r.id = it->second;
  }
  std::map<TrackId, std::vector<TrackedBox>> by_id = ObservedById(rows);
  const double frame_dt = 1.0 / std::max(options.frame_rate, 1e-6);
  std::vector<TrackedBox> out;
  for (auto& [id, v] : by_id) {
    if (v.empty()) continue;
    if (options.min_length_s > 0 && v.back().time_s - v.front().time_s < options.min_length_s) {
      continue;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      out.push_back(v[i]);
      if (i + 1 == v.size() || options.max_gap_s <= 0) continue;
      const TrackedBox& a = v[i];
      const TrackedBox& b = v[i + 1];
      const FrameIndex gap = b.frame - a.frame;
      if (gap <= 1 || b.time_s - a.time_s > options.max_gap_s + 1e-9) continue;
      for (FrameIndex f = a.frame + 1; f < b.frame; ++f) {
        const double u = static_cast<double>(f - a.frame) / static_cast<double>(gap);
        TrackedBox r;
        r.frame = f;
        r.time_s = a.time_s + static_cast<double>(f - a.frame) * frame_dt;
        r.id = id;
        r.score = 0;
        r.box.x = static_cast<float>(a.box.x + u * (b.box.x - a.box.x));
        r.box.y = static_cast<float>(a.box.y + u * (b.box.y - a.box.y));
        r.box.w = static_cast<float>(a.box.w + u * (b.box.w - a.box.w));
        r.box.h = static_cast<float>(a.box.h + u * (b.box.h - a.box.h));
        out.push_back(r);
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const TrackedBox& a, const TrackedBox& b) {
    return a.frame != b.frame ? a.frame < b.frame : a.id < b.id;
  });
  return out;
}

}  // namespace monokin::track
