// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/swap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "monokin/kinematics/series_frame.h"

namespace monokin::kinematics {
namespace {

constexpr std::array<int, 2> kTorso = {bp::kLeftShoulder, bp::kLeftHip};
constexpr std::array<int, 5> kArms = {bp::kLeftElbow, bp::kLeftWrist, bp::kLeftPinky,
                                      bp::kLeftIndex, bp::kLeftThumb};
constexpr std::array<int, 4> kLegs = {bp::kLeftKnee, bp::kLeftAnkle, bp::kLeftHeel, bp::kLeftToe};

// sqrt of the sum of squares, not hypot (no overflow at image scales, several times faster; the
// median trunk length differs at most in rounding).
double Dist2D(Vec3 a, Vec3 b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}
// Distance including z when both points have one (depth from world landmarks, see header).
double SquaredDist(Vec3 a, Vec3 b) {
  const double dz = std::isfinite(a.z) && std::isfinite(b.z) ? a.z - b.z : 0.0;
  const double dx = a.x - b.x, dy = a.y - b.y;
  return dx * dx + dy * dy + dz * dz;
}
double Dist(Vec3 a, Vec3 b) {
  return std::sqrt(SquaredDist(a, b));  // 3-argument hypot is several times slower
}

// Two label combinations at once (lanes), in SSE2 registers: the same operations lane by lane
// as the scalar forms, so the same values. Going through memory instead (scalar stores, packed
// loads) stalls on store forwarding.
using V2 = double __attribute__((vector_size(16)));
using M2 = std::int64_t __attribute__((vector_size(16)));

inline V2 Sqrt2(V2 x) {
#if defined(__SSE2__)
  return _mm_sqrt_pd(x);
#else
  return V2{std::sqrt(x[0]), std::sqrt(x[1])};
#endif
}

// SquaredDist(c[lane], pred) for two points c and one prediction.
inline V2 SquaredDist2(const Vec3 (&c)[2], Vec3 pred) {
  const V2 cz = {c[0].z, c[1].z};
  const M2 both = (cz - cz == 0) & (std::isfinite(pred.z) ? M2{-1, -1} : M2{0, 0});
  const V2 dz = both ? cz - pred.z : V2{0.0, 0.0};
  const V2 dx = V2{c[0].x, c[1].x} - pred.x, dy = V2{c[0].y, c[1].y} - pred.y;
  return dx * dx + dy * dy + dz * dz;
}

template <typename S>
bool HasPair(const S& s, int l) {
  return std::isfinite(s[l].x) && std::isfinite(s[l + 1].x);
}

// Cost of labelling frame c with state sc given frames a, b (states sa, sb) before it: how far
// each keypoint lands from its constant-velocity prediction. Using velocity matters: with
// positions alone, two legs passing each other "bounce" (swap) at no cost. Frames are at
// sample times ta < tb < tc. Pairs missing in any of the frames do not count.
double Transition(const Skeleton& a, int sa, double ta, const Skeleton& b, int sb, double tb,
                  const Skeleton& c, int sc, double tc, std::span<const int> ls) {
  const double r = (tc - tb) / (tb - ta);
  double cost = 0;
  for (int l : ls) {
    if (!HasPair(a, l) || !HasPair(b, l) || !HasPair(c, l)) continue;
    for (int side = 0; side < 2; ++side) {
      const Vec3 pa = a[l + (side ^ sa)], pb = b[l + (side ^ sb)], pc = c[l + (side ^ sc)];
      const Vec3 pred = pb + r * (pb - pa);
      cost += Dist(pc, pred);
    }
  }
  return cost;
}

// Median trunk length (shoulder mid to hip mid), the unit of the swap penalty.
template <typename Frames>
double TrunkScale(const Frames& frames) {
  std::vector<double> v;
  for (size_t t = 0; t < frames.size(); ++t) {
    const auto& s = frames[t];
    const double d = Dist2D(Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]),
                            Mid(s[bp::kLeftHip], s[bp::kRightHip]));
    if (std::isfinite(d) && d > 0) v.push_back(d);
  }
  if (v.empty()) return 1.0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

std::span<const int> LeftKeypointsOf(LimbGroup g) {
  switch (g) {
    case LimbGroup::kTorso:
      return kTorso;
    case LimbGroup::kArms:
      return kArms;
    case LimbGroup::kLegs:
      return kLegs;
  }
  return {};
}

namespace {

// Frames: a span of Skeletons or SeriesFrames.
template <typename Frames>
std::vector<bool> DetectSwapsOf(const Frames& image, bool causal) {
  const size_t n = image.size();
  std::vector<bool> swapped(n * kNumLimbGroups, false);
  // Penalty per swapped frame: 2 % of the trunk per keypoint pair. Small against a real swap
  // (which costs about twice the left-right separation per pair every frame it lasts), large
  // enough that when both labellings fit equally (limbs crossing) the model's labels stay.
  const double unit = 0.02 * TrunkScale(image);
  for (int g = 0; g < kNumLimbGroups; ++g) {
    const std::span<const int> ls = LeftKeypointsOf(static_cast<LimbGroup>(g));
    const double penalty = unit * static_cast<double>(ls.size());
    // Frames that carry at least one pair of this group; the others are skipped.
    std::vector<size_t> idx;
    for (size_t t = 0; t < n; ++t) {
      if (std::any_of(ls.begin(), ls.end(), [&](int l) { return HasPair(image[t], l); })) {
        idx.push_back(t);
      }
    }
    if (idx.empty()) continue;
    const size_t m = idx.size();
    if (m < 3) continue;
    // States (previous label, current label) = 2 * prev + cur; label 1 = swapped.
    std::vector<std::array<double, 4>> cost(m);
    std::vector<std::array<int, 4>> from(m);  // label of the frame before the previous one
    for (int st = 0; st < 4; ++st) cost[1][st] = penalty * ((st >> 1) + (st & 1));
    // Transition costs are computed for a block of frames first, then the block's Viterbi
    // steps: the costs of different frames are independent, so their square roots overlap
    // instead of waiting on each other (the same values).
    constexpr size_t kBlock = 64;
    std::array<std::array<double, 8>, kBlock> block;
    // The group's points of the last three frames, each frame read once (frame k in slot
    // k % 3); has[u]: both points of pair u exist (HasPair).
    struct GroupFrame {
      Vec3 p[5][2];
      bool has[5];
    };
    GroupFrame slots[3];
    auto load = [&](size_t k) {
      const auto& s = image[idx[k]];
      GroupFrame& f = slots[k % 3];
      for (size_t u = 0; u < ls.size(); ++u) {
        f.p[u][0] = s[ls[u]];
        f.p[u][1] = s[ls[u] + 1];
        f.has[u] = std::isfinite(f.p[u][0].x) && std::isfinite(f.p[u][1].x);
      }
    };
    load(0);
    load(1);
    for (size_t k0 = 2; k0 < m; k0 += kBlock) {
      const size_t k1 = std::min(m, k0 + kBlock);
      for (size_t k = k0; k < k1; ++k) {
        load(k);
        const GroupFrame& fa = slots[(k - 2) % 3];
        const GroupFrame& fb = slots[(k - 1) % 3];
        const GroupFrame& fc = slots[k % 3];
        const double ta = static_cast<double>(idx[k - 2]), tb = static_cast<double>(idx[k - 1]),
                     tc = static_cast<double>(idx[k]);
        // Transition(fa, sa, ta, fb, sb, tb, fc, sc, tc, ls) for the 8 label combinations at once:
        // the pair checks and predictions are shared; each sum adds the same terms in the same
        // order as Transition does.
        const double r = (tc - tb) / (tb - ta);
        // trans[e], e = 4 sa + 2 sb + sc, as pairs (sc = 0, 1): t2[h] holds e = 2m, 2m + 1.
        V2 t2[4] = {};
        for (size_t u = 0; u < ls.size(); ++u) {
          if (!fa.has[u] || !fb.has[u] || !fc.has[u]) continue;
          // The left side's term of combination e; the right side's term of e is the left
          // side's of 7 - e (flipping every label and the side picks the same points), so each
          // distance is computed once and added in Transition's order.
          const Vec3(&pa)[2] = fa.p[u];
          const Vec3(&pb)[2] = fb.p[u];
          const Vec3(&pc)[2] = fc.p[u];
          V2 d[4];  // d[h] = distances of e = 2m, 2m + 1
          for (int h = 0; h < 4; ++h) {
            const Vec3 a = pa[h >> 1], b = pb[h & 1];
            const Vec3 pred = b + r * (b - a);
            d[h] = Sqrt2(SquaredDist2(pc, pred));
          }
          for (int h = 0; h < 4; ++h) t2[h] += d[h];
          for (int h = 0; h < 4; ++h) t2[h] += V2{d[3 - h][1], d[3 - h][0]};
        }
        std::array<double, 8>& trans = block[k - k0];  // [4 sa + 2 sb + sc]
        for (int h = 0; h < 4; ++h) {
          trans[2 * h] = t2[h][0];
          trans[2 * h + 1] = t2[h][1];
        }
      }
      for (size_t k = k0; k < k1; ++k) {
        const std::array<double, 8>& trans = block[k - k0];
        for (int st = 0; st < 4; ++st) {
          const int sb = st >> 1, sc = st & 1;
          double best = 0;
          int best_sa = -1;
          for (int sa = 0; sa < 2; ++sa) {
            const double c = cost[k - 1][2 * sa + sb] + trans[4 * sa + 2 * sb + sc];
            if (best_sa < 0 || c < best) {
              best = c;
              best_sa = sa;
            }
          }
          cost[k][st] = best + (sc ? penalty : 0.0);
          from[k][st] = best_sa;
        }
        if (causal) {
          const auto it = std::min_element(cost[k].begin(), cost[k].end());
          swapped[idx[k] * kNumLimbGroups + g] = ((it - cost[k].begin()) & 1) != 0;
        }
      }
    }
    if (causal) continue;  // the first two frames keep the model's labels
    int st = static_cast<int>(std::min_element(cost[m - 1].begin(), cost[m - 1].end()) -
                              cost[m - 1].begin());
    for (size_t k = m - 1; k >= 1; --k) {
      swapped[idx[k] * kNumLimbGroups + g] = (st & 1) != 0;
      if (k == 1) {
        swapped[idx[0] * kNumLimbGroups + g] = (st >> 1) != 0;
        break;
      }
      st = 2 * from[k][st] + (st >> 1);
    }
  }
  return swapped;
}

}  // namespace

std::vector<bool> DetectSwaps(std::span<const Skeleton> image, bool causal) {
  return DetectSwapsOf(image, causal);
}

std::vector<bool> DetectSwaps(const SeriesFrames& image, bool causal) {
  return DetectSwapsOf(image, causal);
}

namespace detail {

std::vector<bool> DetectSwapsReference(std::span<const Skeleton> image, bool causal) {
  const size_t n = image.size();
  std::vector<bool> swapped(n * kNumLimbGroups, false);
  // Penalty per swapped frame: 2 % of the trunk per keypoint pair. Small against a real swap
  // (which costs about twice the left-right separation per pair every frame it lasts), large
  // enough that when both labellings fit equally (limbs crossing) the model's labels stay.
  const double unit = 0.02 * TrunkScale(image);
  for (int g = 0; g < kNumLimbGroups; ++g) {
    const std::span<const int> ls = LeftKeypointsOf(static_cast<LimbGroup>(g));
    const double penalty = unit * static_cast<double>(ls.size());
    // Frames that carry at least one pair of this group; the others are skipped.
    std::vector<size_t> idx;
    for (size_t t = 0; t < n; ++t) {
      if (std::any_of(ls.begin(), ls.end(), [&](int l) { return HasPair(image[t], l); })) {
        idx.push_back(t);
      }
    }
    if (idx.empty()) continue;
    const size_t m = idx.size();
    if (m < 3) continue;
    // States (previous label, current label) = 2 * prev + cur; label 1 = swapped.
    std::vector<std::array<double, 4>> cost(m);
    std::vector<std::array<int, 4>> from(m);  // label of the frame before the previous one
    for (int st = 0; st < 4; ++st) cost[1][st] = penalty * ((st >> 1) + (st & 1));
    for (size_t k = 2; k < m; ++k) {
      const Skeleton& fa = image[idx[k - 2]];
      const Skeleton& fb = image[idx[k - 1]];
      const Skeleton& fc = image[idx[k]];
      const double ta = static_cast<double>(idx[k - 2]), tb = static_cast<double>(idx[k - 1]),
                   tc = static_cast<double>(idx[k]);
      for (int st = 0; st < 4; ++st) {
        const int sb = st >> 1, sc = st & 1;
        double best = 0;
        int best_sa = -1;
        for (int sa = 0; sa < 2; ++sa) {
          const double c =
              cost[k - 1][2 * sa + sb] + Transition(fa, sa, ta, fb, sb, tb, fc, sc, tc, ls);
          if (best_sa < 0 || c < best) {
            best = c;
            best_sa = sa;
          }
        }
        cost[k][st] = best + (sc ? penalty : 0.0);
        from[k][st] = best_sa;
      }
      if (causal) {
        const auto it = std::min_element(cost[k].begin(), cost[k].end());
        swapped[idx[k] * kNumLimbGroups + g] = ((it - cost[k].begin()) & 1) != 0;
      }
    }
    if (causal) continue;  // the first two frames keep the model's labels
    int st = static_cast<int>(std::min_element(cost[m - 1].begin(), cost[m - 1].end()) -
                              cost[m - 1].begin());
    for (size_t k = m - 1; k >= 1; --k) {
      swapped[idx[k] * kNumLimbGroups + g] = (st & 1) != 0;
      if (k == 1) {
        swapped[idx[0] * kNumLimbGroups + g] = (st >> 1) != 0;
        break;
      }
      st = 2 * from[k][st] + (st >> 1);
    }
  }
  return swapped;
}

}  // namespace detail

}  // namespace monokin::kinematics
