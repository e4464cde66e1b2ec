// SPDX-License-Identifier: Apache-2.0
// The formulas and rules follow TrackEval (Luiten et al., "HOTA: A Higher Order Metric for
// Evaluating Multi-Object Tracking", IJCV 2021, and the TrackEval documentation), including
// its edge cases, so that the numbers agree: e.g. CLEAR keeps the previous-frame match across
// frames without gt or tracker boxes, and sequences without tracker boxes skip the final
// ratios.
#include "monokin/eval/mot_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "monokin/core/assignment.h"

namespace monokin::eval {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

std::uint64_t PairKey(int g, int t) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(g)) << 32) |
         static_cast<std::uint32_t>(t);
}
int KeyGt(std::uint64_t k) { return static_cast<int>(k >> 32); }
int KeyTracker(std::uint64_t k) { return static_cast<int>(k & 0xffffffffu); }

bool IsValidMotClass(int c) { return c >= 1 && c <= 13; }

bool IsDistractor(int c, MotBenchmark b) {
  // person_on_vehicle, static_person, distractor, reflection (+ non_mot_vehicle on MOT20).
  return c == 2 || c == 7 || c == 8 || c == 12 || (b == MotBenchmark::kMot20 && c == 6);
}

void HotaFinalFields(HotaMetrics& h) {
  for (int a = 0; a < kNumHotaAlphas; ++a) {
    h.det_re[a] = h.tp[a] / std::max(1.0, h.tp[a] + h.fn[a]);
    h.det_pr[a] = h.tp[a] / std::max(1.0, h.tp[a] + h.fp[a]);
    h.det_a[a] = h.tp[a] / std::max(1.0, h.tp[a] + h.fn[a] + h.fp[a]);
    h.hota[a] = std::sqrt(h.det_a[a] * h.ass_a[a]);
    h.owta[a] = std::sqrt(h.det_re[a] * h.ass_a[a]);
  }
  h.hota0 = h.hota[0];
  h.loc_a0 = h.loc_a[0];
  h.hota_loc_a0 = h.hota0 * h.loc_a0;
}

void ClearFinalFields(ClearMetrics& c) {
  const double num_gt_ids = static_cast<double>(c.mt + c.ml + c.pt);
  const double tp = static_cast<double>(c.tp), fn = static_cast<double>(c.fn);
  const double fp = static_cast<double>(c.fp), idsw = static_cast<double>(c.idsw);
  c.mtr = c.mt / std::max(1.0, num_gt_ids);
  c.mlr = c.ml / std::max(1.0, num_gt_ids);
  c.ptr = c.pt / std::max(1.0, num_gt_ids);
  c.recall = tp / std::max(1.0, tp + fn);
  c.precision = tp / std::max(1.0, tp + fp);
  c.moda = (tp - fp) / std::max(1.0, tp + fn);
  c.mota = (tp - fp - idsw) / std::max(1.0, tp + fn);
  c.motp = c.motp_sum / std::max(1.0, tp);
  c.smota = (c.motp_sum - fp - idsw) / std::max(1.0, tp + fn);
  c.f1 = tp / std::max(1.0, tp + 0.5 * fn + 0.5 * fp);
  c.fp_per_frame = fp / std::max(1.0, static_cast<double>(c.frames));
  const double safe_log_idsw = c.idsw > 0 ? std::log10(idsw) : idsw;
  c.motal = (tp - fp - safe_log_idsw) / std::max(1.0, tp + fn);
}

void IdentityFinalFields(IdentityMetrics& m) {
  const double tp = static_cast<double>(m.idtp), fn = static_cast<double>(m.idfn);
  const double fp = static_cast<double>(m.idfp);
  m.idr = tp / std::max(1.0, tp + fn);
  m.idp = tp / std::max(1.0, tp + fp);
  m.idf1 = tp / std::max(1.0, tp + 0.5 * fp + 0.5 * fn);
}

HotaMetrics ComputeHota(const PreparedSequence& seq) {
  HotaMetrics h;
  if (seq.num_tracker_dets == 0 || seq.num_gt_dets == 0) {
    const double n = static_cast<double>(seq.num_tracker_dets == 0 ? seq.num_gt_dets : 0);
    const double p = static_cast<double>(seq.num_tracker_dets == 0 ? 0 : seq.num_tracker_dets);
    h.fn.fill(n);
    h.fp.fill(p);
    h.loc_a.fill(1.0);
    HotaFinalFields(h);
    return h;
  }
  // Global association: similarity-weighted potential matches between every gt/tracker id pair.
  std::unordered_map<std::uint64_t, double> potential;
  std::vector<double> gt_id_count(seq.num_gt_ids, 0.0), tracker_id_count(seq.num_tracker_ids, 0.0);
  std::vector<double> row_sum, col_sum;
  for (const PreparedFrame& f : seq.frames) {
    const size_t ng = f.gt_ids.size(), nt = f.tracker_ids.size();
    row_sum.assign(ng, 0.0);
    col_sum.assign(nt, 0.0);
    for (size_t i = 0; i < ng; ++i) {
      for (size_t j = 0; j < nt; ++j) {
        row_sum[i] += f.similarity[i * nt + j];
        col_sum[j] += f.similarity[i * nt + j];
      }
    }
    for (size_t i = 0; i < ng; ++i) {
      for (size_t j = 0; j < nt; ++j) {
        const double s = f.similarity[i * nt + j];
        const double denom = col_sum[j] + row_sum[i] - s;
        if (denom > kEps && s != 0.0) {
          potential[PairKey(f.gt_ids[i], f.tracker_ids[j])] += s / denom;
        }
      }
    }
    for (int g : f.gt_ids) gt_id_count[g] += 1;
    for (int t : f.tracker_ids) tracker_id_count[t] += 1;
  }
  std::unordered_map<std::uint64_t, double> alignment;
  alignment.reserve(potential.size());
  for (const auto& [key, count] : potential) {
    alignment[key] = count / (gt_id_count[KeyGt(key)] + tracker_id_count[KeyTracker(key)] - count);
  }
  std::unordered_map<std::uint64_t, std::array<double, kNumHotaAlphas>> matches_counts;
  AlphaArray alphas;
  for (int a = 0; a < kNumHotaAlphas; ++a) alphas[a] = HotaAlpha(a);
  AlphaArray loc_sum{};
  std::vector<double> score;
  for (const PreparedFrame& f : seq.frames) {
    const size_t ng = f.gt_ids.size(), nt = f.tracker_ids.size();
    if (ng == 0 || nt == 0) {
      for (int a = 0; a < kNumHotaAlphas; ++a) {
        h.fp[a] += static_cast<double>(nt);
        h.fn[a] += static_cast<double>(ng);
      }
      continue;
    }
    score.assign(ng * nt, 0.0);
    for (size_t i = 0; i < ng; ++i) {
      for (size_t j = 0; j < nt; ++j) {
        const double s = f.similarity[i * nt + j];
        if (s == 0.0) continue;
        const auto it = alignment.find(PairKey(f.gt_ids[i], f.tracker_ids[j]));
        if (it != alignment.end()) score[i * nt + j] = it->second * s;
      }
    }
    const auto matches = MaxWeightMatching(score, static_cast<int>(ng), static_cast<int>(nt));
    for (int a = 0; a < kNumHotaAlphas; ++a) {
      int num_matches = 0;
      for (const auto& [i, j] : matches) {
        const double s = f.similarity[i * nt + j];
        if (s >= alphas[a] - kEps) {
          ++num_matches;
          loc_sum[a] += s;
          matches_counts[PairKey(f.gt_ids[i], f.tracker_ids[j])][a] += 1;
        }
      }
      h.tp[a] += num_matches;
      h.fn[a] += static_cast<double>(ng) - num_matches;
      h.fp[a] += static_cast<double>(nt) - num_matches;
    }
  }
  for (int a = 0; a < kNumHotaAlphas; ++a) {
    double ass_a = 0, ass_re = 0, ass_pr = 0;
    for (const auto& [key, counts] : matches_counts) {
      const double m = counts[a];
      if (m == 0) continue;
      const double gc = gt_id_count[KeyGt(key)], tc = tracker_id_count[KeyTracker(key)];
      ass_a += m * (m / std::max(1.0, gc + tc - m));
      ass_re += m * (m / std::max(1.0, gc));
      ass_pr += m * (m / std::max(1.0, tc));
    }
    const double tp = std::max(1.0, h.tp[a]);
    h.ass_a[a] = ass_a / tp;
    h.ass_re[a] = ass_re / tp;
    h.ass_pr[a] = ass_pr / tp;
    h.loc_a[a] = std::max(1e-10, loc_sum[a]) / std::max(1e-10, h.tp[a]);
  }
  HotaFinalFields(h);
  return h;
}

ClearMetrics ComputeClear(const PreparedSequence& seq) {
  ClearMetrics c;
  if (seq.num_tracker_dets == 0) {
    c.fn = seq.num_gt_dets;
    c.ml = seq.num_gt_ids;
    c.mlr = 1.0;
    return c;
  }
  if (seq.num_gt_dets == 0) {
    c.fp = seq.num_tracker_dets;
    c.mlr = 1.0;
    return c;
  }
  constexpr double kThreshold = 0.5;
  const int n = seq.num_gt_ids;
  std::vector<double> gt_id_count(n, 0), gt_matched_count(n, 0), gt_frag_count(n, 0);
  // IDSW compares with the last tracker id ever matched to the gt id; the matching bonus
  // only continues matches from the single previous timestep (-1 = none).
  std::vector<int> prev_tracker_id(n, -1), prev_timestep_tracker_id(n, -1);
  std::vector<double> score;
  for (const PreparedFrame& f : seq.frames) {
    const size_t ng = f.gt_ids.size(), nt = f.tracker_ids.size();
    if (ng == 0) {
      c.fp += static_cast<std::int64_t>(nt);
      continue;
    }
    if (nt == 0) {
      c.fn += static_cast<std::int64_t>(ng);
      for (int g : f.gt_ids) gt_id_count[g] += 1;
      continue;
    }
    score.assign(ng * nt, 0.0);
    for (size_t i = 0; i < ng; ++i) {
      for (size_t j = 0; j < nt; ++j) {
        const double s = f.similarity[i * nt + j];
        if (s < kThreshold - kEps) continue;
        const bool continues = prev_timestep_tracker_id[f.gt_ids[i]] == f.tracker_ids[j];
        score[i * nt + j] = (continues ? 1000.0 : 0.0) + s;
      }
    }
    const auto matches = MaxWeightMatching(score, static_cast<int>(ng), static_cast<int>(nt), kEps);
    for (const auto& [i, j] : matches) {
      const int g = f.gt_ids[i], t = f.tracker_ids[j];
      if (prev_tracker_id[g] >= 0 && prev_tracker_id[g] != t) ++c.idsw;
    }
    for (int g : f.gt_ids) gt_id_count[g] += 1;
    std::vector<char> was_tracked(n);
    for (int g = 0; g < n; ++g) was_tracked[g] = prev_timestep_tracker_id[g] >= 0;
    std::fill(prev_timestep_tracker_id.begin(), prev_timestep_tracker_id.end(), -1);
    for (const auto& [i, j] : matches) {
      const int g = f.gt_ids[i], t = f.tracker_ids[j];
      gt_matched_count[g] += 1;
      prev_tracker_id[g] = t;
      prev_timestep_tracker_id[g] = t;
      if (!was_tracked[g]) gt_frag_count[g] += 1;
      c.motp_sum += f.similarity[i * nt + j];
    }
    const auto num_matches = static_cast<std::int64_t>(matches.size());
    c.tp += num_matches;
    c.fn += static_cast<std::int64_t>(ng) - num_matches;
    c.fp += static_cast<std::int64_t>(nt) - num_matches;
  }
  for (int g = 0; g < n; ++g) {
    if (gt_id_count[g] > 0) {
      const double ratio = gt_matched_count[g] / gt_id_count[g];
      if (ratio > 0.8) {
        ++c.mt;
      } else if (ratio >= 0.2) {
        ++c.pt;
      }
    }
    if (gt_frag_count[g] > 0) c.frag += static_cast<std::int64_t>(gt_frag_count[g]) - 1;
  }
  c.ml = n - c.mt - c.pt;
  c.frames = static_cast<std::int64_t>(seq.frames.size());
  ClearFinalFields(c);
  return c;
}

IdentityMetrics ComputeIdentity(const PreparedSequence& seq) {
  IdentityMetrics m;
  if (seq.num_tracker_dets == 0) {
    m.idfn = seq.num_gt_dets;
    return m;
  }
  if (seq.num_gt_dets == 0) {
    m.idfp = seq.num_tracker_dets;
    return m;
  }
  // TrackEval solves a (gt + tracker) square assignment with dummy rows and columns; its
  // optimum is the maximum-weight matching of the co-occurrence counts, IDTP.
  std::unordered_map<std::uint64_t, double> potential;
  double gt_total = 0, tracker_total = 0;
  for (const PreparedFrame& f : seq.frames) {
    const size_t ng = f.gt_ids.size(), nt = f.tracker_ids.size();
    for (size_t i = 0; i < ng; ++i) {
      for (size_t j = 0; j < nt; ++j) {
        if (f.similarity[i * nt + j] >= 0.5) potential[PairKey(f.gt_ids[i], f.tracker_ids[j])] += 1;
      }
    }
    gt_total += static_cast<double>(ng);
    tracker_total += static_cast<double>(nt);
  }
  std::vector<WeightedEdge> edges;
  edges.reserve(potential.size());
  for (const auto& [key, count] : potential) edges.push_back({KeyGt(key), KeyTracker(key), count});
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
    return a.row != b.row ? a.row < b.row : a.col < b.col;
  });
  const auto matches = MaxWeightMatchingSparse(edges, seq.num_gt_ids, seq.num_tracker_ids);
  double idtp = 0;
  for (const auto& [g, t] : matches) idtp += potential[PairKey(g, t)];
  m.idtp = static_cast<std::int64_t>(std::llround(idtp));
  m.idfn = static_cast<std::int64_t>(gt_total) - m.idtp;
  m.idfp = static_cast<std::int64_t>(tracker_total) - m.idtp;
  IdentityFinalFields(m);
  return m;
}

Status BoxError(const MotSequence& s, const MotBox& b, const std::string& why) {
  return DataLoss(fmt::format("{}:{}: {}", s.path, b.line, why));
}

}  // namespace

double HotaAlpha(int index) { return 0.05 + index * 0.05; }

double Mean(const AlphaArray& a) {
  double s = 0;
  for (double v : a) s += v;
  return s / kNumHotaAlphas;
}

double BoxIou(double ax, double ay, double aw, double ah, double bx, double by, double bw,
              double bh) {
  // Same operation order as TrackEval's _calculate_box_ious (corners first, then areas).
  const double ax1 = ax + aw, ay1 = ay + ah, bx1 = bx + bw, by1 = by + bh;
  const double area_a = (ax1 - ax) * (ay1 - ay);
  const double area_b = (bx1 - bx) * (by1 - by);
  double inter = std::max(std::min(ax1, bx1) - std::max(ax, bx), 0.0) *
                 std::max(std::min(ay1, by1) - std::max(ay, by), 0.0);
  double uni = area_a + area_b - inter;
  if (area_a <= kEps || area_b <= kEps || uni <= kEps) inter = 0;
  if (uni <= kEps) uni = 1;
  return inter / uni;
}

Result<PreparedSequence> PrepareSequence(const MotSequence& gt, const MotSequence& tracker,
                                         const MotPreprocessOptions& options) {
  PreparedSequence out;
  out.name = tracker.name.empty() ? gt.name : tracker.name;
  const size_t num_frames = std::max(gt.frames.size(), tracker.frames.size());
  out.frames.resize(num_frames);
  const bool classes = options.do_preproc && options.benchmark != MotBenchmark::kMot15;
  if (classes && gt.num_rows() > 0 && gt.num_columns < 8) {
    return DataLoss(
        fmt::format("{}: ground truth needs a class column (8th) for MOT17 rules", gt.path));
  }
  std::vector<std::int64_t> gt_raw_ids, tracker_raw_ids;
  std::vector<std::vector<std::int64_t>> frame_gt(num_frames), frame_tracker(num_frames);
  std::vector<double> sim, matching;
  static const std::vector<MotBox> kNone;
  for (size_t t = 0; t < num_frames; ++t) {
    const auto& g = t < gt.frames.size() ? gt.frames[t] : kNone;
    const auto& k = t < tracker.frames.size() ? tracker.frames[t] : kNone;
    for (const MotBox& b : k) {
      if (b.class_id > 1) {
        return BoxError(tracker, b,
                        fmt::format("tracker box of class {}: evaluation is only valid for "
                                    "pedestrians (class 1)",
                                    b.class_id));
      }
    }
    const size_t ng = g.size(), nt = k.size();
    sim.assign(ng * nt, 0.0);
    for (size_t i = 0; i < ng; ++i) {
      for (size_t j = 0; j < nt; ++j) {
        sim[i * nt + j] = BoxIou(g[i].x, g[i].y, g[i].w, g[i].h, k[j].x, k[j].y, k[j].w, k[j].h);
      }
    }
    std::vector<char> remove_tracker(nt, 0);
    if (classes && ng > 0 && nt > 0) {
      for (const MotBox& b : g) {
        if (!IsValidMotClass(b.class_id)) {
          return BoxError(gt, b, fmt::format("invalid MOT class {} (valid: 1..13)", b.class_id));
        }
      }
      matching = sim;
      for (double& s : matching) {
        if (s < 0.5 - kEps) s = 0;
      }
      for (const auto& [i, j] :
           MaxWeightMatching(matching, static_cast<int>(ng), static_cast<int>(nt), kEps)) {
        if (IsDistractor(g[i].class_id, options.benchmark)) remove_tracker[j] = 1;
      }
    }
    std::vector<size_t> keep_gt, keep_tracker;
    for (size_t i = 0; i < ng; ++i) {
      const bool zero_marked = static_cast<std::int64_t>(g[i].conf) == 0;
      const bool pedestrian = !classes || g[i].class_id == 1;
      if (!zero_marked && pedestrian) keep_gt.push_back(i);
    }
    for (size_t j = 0; j < nt; ++j) {
      if (!remove_tracker[j]) keep_tracker.push_back(j);
    }
    PreparedFrame& f = out.frames[t];
    f.similarity.resize(keep_gt.size() * keep_tracker.size());
    for (size_t a = 0; a < keep_gt.size(); ++a) {
      for (size_t b = 0; b < keep_tracker.size(); ++b) {
        f.similarity[a * keep_tracker.size() + b] = sim[keep_gt[a] * nt + keep_tracker[b]];
      }
      frame_gt[t].push_back(g[keep_gt[a]].id);
      gt_raw_ids.push_back(g[keep_gt[a]].id);
    }
    for (size_t b : keep_tracker) {
      frame_tracker[t].push_back(k[b].id);
      tracker_raw_ids.push_back(k[b].id);
    }
    out.num_gt_dets += static_cast<std::int64_t>(keep_gt.size());
    out.num_tracker_dets += static_cast<std::int64_t>(keep_tracker.size());
  }
  // Relabel ids densely in increasing order (TrackEval's id maps).
  auto relabel = [&](std::vector<std::int64_t>& raw,
                     const std::vector<std::vector<std::int64_t>>& per_frame, bool is_gt) {
    std::sort(raw.begin(), raw.end());
    raw.erase(std::unique(raw.begin(), raw.end()), raw.end());
    std::unordered_map<std::int64_t, int> map;
    map.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) map[raw[i]] = static_cast<int>(i);
    for (size_t t = 0; t < num_frames; ++t) {
      auto& ids = is_gt ? out.frames[t].gt_ids : out.frames[t].tracker_ids;
      for (std::int64_t id : per_frame[t]) ids.push_back(map[id]);
    }
    return static_cast<int>(raw.size());
  };
  out.num_gt_ids = relabel(gt_raw_ids, frame_gt, true);
  out.num_tracker_ids = relabel(tracker_raw_ids, frame_tracker, false);
  return out;
}

SequenceMetrics EvaluatePrepared(const PreparedSequence& seq) {
  SequenceMetrics m;
  m.name = seq.name;
  m.hota = ComputeHota(seq);
  m.clear = ComputeClear(seq);
  m.identity = ComputeIdentity(seq);
  m.num_tracker_dets = seq.num_tracker_dets;
  m.num_gt_dets = seq.num_gt_dets;
  m.num_tracker_ids = seq.num_tracker_ids;
  m.num_gt_ids = seq.num_gt_ids;
  return m;
}

Result<SequenceMetrics> EvaluateSequence(const MotSequence& gt, const MotSequence& tracker,
                                         const MotPreprocessOptions& options) {
  MK_ASSIGN_OR_RETURN(PreparedSequence prepared, PrepareSequence(gt, tracker, options));
  return EvaluatePrepared(prepared);
}

SequenceMetrics CombineSequences(std::span<const SequenceMetrics> sequences,
                                 const std::string& name) {
  SequenceMetrics out;
  out.name = name;
  HotaMetrics& h = out.hota;
  AlphaArray loc_weighted{};
  for (const SequenceMetrics& s : sequences) {
    for (int a = 0; a < kNumHotaAlphas; ++a) {
      h.tp[a] += s.hota.tp[a];
      h.fn[a] += s.hota.fn[a];
      h.fp[a] += s.hota.fp[a];
      h.ass_a[a] += s.hota.ass_a[a] * s.hota.tp[a];
      h.ass_re[a] += s.hota.ass_re[a] * s.hota.tp[a];
      h.ass_pr[a] += s.hota.ass_pr[a] * s.hota.tp[a];
      loc_weighted[a] += s.hota.loc_a[a] * s.hota.tp[a];
    }
    ClearMetrics& c = out.clear;
    c.tp += s.clear.tp;
    c.fn += s.clear.fn;
    c.fp += s.clear.fp;
    c.idsw += s.clear.idsw;
    c.mt += s.clear.mt;
    c.pt += s.clear.pt;
    c.ml += s.clear.ml;
    c.frag += s.clear.frag;
    c.frames += s.clear.frames;
    c.motp_sum += s.clear.motp_sum;
    out.identity.idtp += s.identity.idtp;
    out.identity.idfn += s.identity.idfn;
    out.identity.idfp += s.identity.idfp;
    out.num_tracker_dets += s.num_tracker_dets;
    out.num_gt_dets += s.num_gt_dets;
    out.num_tracker_ids += s.num_tracker_ids;
    out.num_gt_ids += s.num_gt_ids;
  }
  for (int a = 0; a < kNumHotaAlphas; ++a) {
    const double tp = std::max(1.0, h.tp[a]);
    h.ass_a[a] /= tp;
    h.ass_re[a] /= tp;
    h.ass_pr[a] /= tp;
    h.loc_a[a] = std::max(1e-10, loc_weighted[a]) / std::max(1e-10, h.tp[a]);
  }
  HotaFinalFields(h);
  ClearFinalFields(out.clear);
  IdentityFinalFields(out.identity);
  return out;
}

std::vector<std::pair<std::string, double>> DetailedColumns(const SequenceMetrics& m) {
  std::vector<std::pair<std::string, double>> cols;
  const HotaMetrics& h = m.hota;
  cols.emplace_back("HOTA(0)", h.hota0);
  cols.emplace_back("LocA(0)", h.loc_a0);
  cols.emplace_back("HOTALocA(0)", h.hota_loc_a0);
  const std::pair<const char*, const AlphaArray*> arrays[] = {
      {"HOTA", &h.hota},    {"DetA", &h.det_a},   {"AssA", &h.ass_a},   {"DetRe", &h.det_re},
      {"DetPr", &h.det_pr}, {"AssRe", &h.ass_re}, {"AssPr", &h.ass_pr}, {"LocA", &h.loc_a},
      {"OWTA", &h.owta},    {"HOTA_TP", &h.tp},   {"HOTA_FN", &h.fn},   {"HOTA_FP", &h.fp}};
  for (const auto& [name, values] : arrays) {
    for (int a = 0; a < kNumHotaAlphas; ++a) {
      cols.emplace_back(fmt::format("{}___{}", name, 5 * (a + 1)), (*values)[a]);
    }
    cols.emplace_back(fmt::format("{}___AUC", name), Mean(*values));
  }
  const ClearMetrics& c = m.clear;
  const auto d = [](std::int64_t v) { return static_cast<double>(v); };
  cols.insert(cols.end(), {{"MOTA", c.mota},
                           {"MOTP", c.motp},
                           {"MODA", c.moda},
                           {"CLR_Re", c.recall},
                           {"CLR_Pr", c.precision},
                           {"MTR", c.mtr},
                           {"PTR", c.ptr},
                           {"MLR", c.mlr},
                           {"sMOTA", c.smota},
                           {"CLR_F1", c.f1},
                           {"FP_per_frame", c.fp_per_frame},
                           {"MOTAL", c.motal},
                           {"MOTP_sum", c.motp_sum},
                           {"CLR_TP", d(c.tp)},
                           {"CLR_FN", d(c.fn)},
                           {"CLR_FP", d(c.fp)},
                           {"IDSW", d(c.idsw)},
                           {"MT", d(c.mt)},
                           {"PT", d(c.pt)},
                           {"ML", d(c.ml)},
                           {"Frag", d(c.frag)},
                           {"CLR_Frames", d(c.frames)}});
  const IdentityMetrics& i = m.identity;
  cols.insert(cols.end(), {{"IDF1", i.idf1},
                           {"IDR", i.idr},
                           {"IDP", i.idp},
                           {"IDTP", d(i.idtp)},
                           {"IDFN", d(i.idfn)},
                           {"IDFP", d(i.idfp)},
                           {"Dets", d(m.num_tracker_dets)},
                           {"GT_Dets", d(m.num_gt_dets)},
                           {"IDs", d(m.num_tracker_ids)},
                           {"GT_IDs", d(m.num_gt_ids)}});
  return cols;
}

}  // namespace monokin::eval
