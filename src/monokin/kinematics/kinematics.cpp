// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/kinematics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <span>
#include <vector>

#include "monokin/core/config.h"
#include "monokin/core/options.h"
#include "monokin/kinematics/angles.h"
#include "monokin/kinematics/body.h"
#include "monokin/kinematics/cycles.h"
#include "monokin/kinematics/filters.h"
#include "monokin/kinematics/lanes.h"
#include "monokin/kinematics/series_frame.h"
#include "monokin/kinematics/swap.h"

namespace monokin::kinematics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kDefaultFps = 30;          // when a series has a single sample
constexpr int kMaxSamples = 10'000'000;  // a grid this long means broken timestamps

// Keypoints that are cleaned and used (series_frame.h).
constexpr const std::array<int, 27>& kUsed = kSeriesKeypoints;
constexpr const std::array<int, bp::kCount>& kUsedIndex = kSeriesIndex;
// Index of each keypoint among those not in kUsed, or -1.
constexpr int kNumUnused = bp::kCount - static_cast<int>(kUsed.size());
constexpr std::array<int, bp::kCount> kUnusedIndex = [] {
  std::array<int, bp::kCount> a{};
  int u = 0;
  for (int j = 0; j < bp::kCount; ++j) a[j] = kUsedIndex[j] < 0 ? u++ : -1;
  return a;
}();
// Joints whose linear speed and acceleration are reported.
constexpr std::array<int, 12> kSpeedJoints = {11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28};

double MedianOf(std::vector<double> v) {
  if (v.empty()) return kNaN;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

int OddWindow(double seconds, double fs, int min_window) {
  const int half = static_cast<int>(std::lround(seconds * fs / 2));
  return std::max(min_window, 2 * half + 1);
}

// Cleans coordinate series in place, each on its own: Hampel, gap filling, then at Finish()
// the low-pass of all of them (offline several series are filtered together, live the One-Euro
// filters of four series at a time: faster, and the same).
struct Cleaner {
  const KinematicsOptions& o;
  double fs;
  int hampel_half, max_gap;
  int outliers = 0;
  struct Pending {
    double speed_scale;
    std::vector<std::span<double>> xs;
  };
  std::vector<Pending> pending;  // series waiting for the low-pass, by One-Euro speed scale
  void operator()(std::initializer_list<std::span<double>> xs, double speed_scale) {
    for (std::span<double> x : xs) {
      outliers += Hampel(x, hampel_half, o.hampel_sigmas, o.causal);
      FillGaps(x, max_gap, o.causal);
      auto it = std::find_if(pending.begin(), pending.end(),
                             [&](const Pending& p) { return p.speed_scale == speed_scale; });
      if (it == pending.end()) it = pending.insert(pending.end(), {speed_scale, {}});
      it->xs.push_back(x);
    }
  }
  void Finish() {
    for (const Pending& p : pending) {
      if (o.causal) {
        OneEuroMany(
            p.xs, fs,
            {o.one_euro_min_cutoff_hz, o.one_euro_beta, o.one_euro_d_cutoff_hz, p.speed_scale});
      } else {
        ZeroPhaseLowPassMany(p.xs, o.filter_order, o.cutoff_hz, fs);
      }
    }
    pending.clear();
  }
};

// Where the angle pass writes: out[a][t] angle a of frame t (2D joint, 2D segment, 3D joint,
// 3D segment angles), the image centre of mass (px) and the world one relative to the mid-hip
// (x right, y up, z towards the camera).
struct AnglePassOut {
  std::span<double* const> angles;
  double* com_x;
  double* com_y;
  double* com3d[3];
};

// Angles and centres of mass of every frame, kWidth<V> frames at a time (lanes.h), each group
// of skeletons loaded from the series once.
template <typename V>
[[gnu::always_inline]] inline void AnglePassOf(const SeriesFrames& image, const SeriesFrames* world,
                                               double facing, Sex sex, const AnglePassOut& out) {
  using namespace lanes;  // NOLINT
  constexpr size_t kJ = kNumJointAngles, kS = kNumSegmentAngles, W = kWidth<V>;
  const size_t n = image.size();
  JointsV<V> j;
  SegmentsV<V> g;
  P<V> c;
  for (size_t t = 0; t < n; t += W) {
    const size_t count = std::min<size_t>(W, n - t);
    auto store = [&](const V* v, size_t num, size_t first_angle) {
      for (size_t a = 0; a < num; ++a) {
        for (size_t l = 0; l < count; ++l) out.angles[first_angle + a][t + l] = v[a][l];
      }
    };
    // The frames read one value from each of up to 135 series, too many streams for the
    // hardware prefetchers: every cache line (8 frames) the lines 32 frames ahead are asked.
    if (t % 8 == 0 && t + 40 < n) {
      Prefetch(image, t + 32, 2);
      if (world != nullptr) Prefetch(*world, t + 32, 3);
    }
    const Skeletons<V> img = Load<V>(image, t);
    Angles2DV(img, facing, j, g);
    store(j.a, kJ, 0);
    store(g.a, kS, kJ);
    CentreOfMassV(img, sex, c);
    for (size_t l = 0; l < count; ++l) {
      out.com_x[t + l] = c.x[l];
      out.com_y[t + l] = c.y[l];
    }
    if (world == nullptr) continue;
    const Skeletons<V> w = Load<V>(*world, t);
    JointAngles3DV(w, j);
    SegmentAngles3DV(w, g);
    store(j.a, kJ, kJ + kS);
    store(g.a, kS, 2 * kJ + kS);
    CentreOfMassV(w, sex, c);
    const P<V> hip = Mid(w[bp::kLeftHip], w[bp::kRightHip]);
    for (size_t l = 0; l < count; ++l) {
      out.com3d[0][t + l] = c.x[l] - hip.x[l];
      out.com3d[1][t + l] = -(c.y[l] - hip.y[l]);
      out.com3d[2][t + l] = c.z[l] - hip.z[l];
    }
  }
}
void AnglePassV2(const SeriesFrames& image, const SeriesFrames* world, double facing, Sex sex,
                 const AnglePassOut& out) {
  AnglePassOf<lanes::V2>(image, world, facing, sex, out);
}
// Only when the CPU has AVX (lanes::HaveV4).
MONOKIN_KIN_AVX void AnglePassV4(const SeriesFrames& image, const SeriesFrames* world,
                                 double facing, Sex sex, const AnglePassOut& out) {
  AnglePassOf<lanes::V4>(image, world, facing, sex, out);
}

KinematicSignal& AddSignal(AthleteKinematics& k, std::string name, std::string unit, size_t n) {
  k.signals.push_back({std::move(name), std::move(unit), std::vector<double>(n, kNaN)});
  return k.signals.back();
}

}  // namespace

Status KinematicsOptions::Validate() const {
  std::string errors;
  auto add = [&errors](const std::string& e) {
    if (!errors.empty()) errors += "; ";
    errors += e;
  };
  auto range = [&](const char* name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      add(fmt::format("kinematics.{} must be between {} and {}; got {}", name, lo, hi, v));
    }
  };
  range("height_m", height_m, 0.5, 2.6);
  if (sex != "male" && sex != "female") {
    add(fmt::format("kinematics.sex must be male or female; got '{}'", sex));
  }
  range("min_visibility", min_visibility, 0, 1);
  range("cutoff_hz", cutoff_hz, 0.1, 100);
  if (filter_order < 1 || filter_order > 8) {
    add(fmt::format("kinematics.filter_order must be between 1 and 8; got {}", filter_order));
  }
  range("max_gap_s", max_gap_s, 0, 10);
  range("hampel_window_s", hampel_window_s, 0, 5);
  range("hampel_sigmas", hampel_sigmas, 0.5, 20);
  range("one_euro_min_cutoff_hz", one_euro_min_cutoff_hz, 0.01, 100);
  range("one_euro_beta", one_euro_beta, 0, 1000);
  range("one_euro_d_cutoff_hz", one_euro_d_cutoff_hz, 0.01, 100);
  range("derivative_window_s", derivative_window_s, 0.01, 2);
  range("repetition_min_range", repetition_min_range, 0, 1e6);
  if (!athletes.is_object()) {
    add("kinematics.athletes must be an object of per-id overrides");
  } else {
    for (const auto& [id, patch] : athletes.items()) {
      char* end = nullptr;
      const long v = std::strtol(id.c_str(), &end, 10);
      if (id.empty() || *end != '\0' || v < 0) {
        add(fmt::format("kinematics.athletes key '{}' must be a track id (a whole number)", id));
        continue;
      }
      if (!patch.is_object() || patch.contains("athletes")) {
        add(fmt::format("kinematics.athletes.{} must be an object of kinematics settings", id));
        continue;
      }
      Result<KinematicsOptions> r = ForAthlete(static_cast<TrackId>(v));
      if (!r.ok()) add(r.status().message());
    }
  }
  if (errors.empty()) return OkStatus();
  return InvalidArgument(errors);
}

Result<KinematicsOptions> KinematicsOptions::ForAthlete(TrackId id) const {
  const std::string key = std::to_string(id);
  if (!athletes.is_object() || !athletes.contains(key)) return *this;
  nlohmann::json base;
  to_json(base, *this);
  base.erase("athletes");
  const Status s = MergeConfig(base, athletes.at(key), "kinematics.athletes." + key);
  if (!s.ok()) return s;
  KinematicsOptions out;
  from_json(base, out);
  out.athletes = nlohmann::json::object();
  const Status v = out.Validate();
  if (!v.ok()) return v.WithContext("kinematics.athletes." + key);
  return out;
}

template <typename O, typename F>
void KinematicsFields(O& o, F&& f) {
  f("height_m", o.height_m);
  f("sex", o.sex);
  f("min_visibility", o.min_visibility);
  f("cutoff_hz", o.cutoff_hz);
  f("filter_order", o.filter_order);
  f("max_gap_s", o.max_gap_s);
  f("hampel_window_s", o.hampel_window_s);
  f("hampel_sigmas", o.hampel_sigmas);
  f("one_euro_min_cutoff_hz", o.one_euro_min_cutoff_hz);
  f("one_euro_beta", o.one_euro_beta);
  f("one_euro_d_cutoff_hz", o.one_euro_d_cutoff_hz);
  f("derivative_window_s", o.derivative_window_s);
  f("causal", o.causal);
  f("angles_3d", o.angles_3d);
  f("repetition_signal", o.repetition_signal);
  f("repetition_min_range", o.repetition_min_range);
  f("athletes", o.athletes);
}

void to_json(nlohmann::json& j, const KinematicsOptions& o) {
  FieldsToJson(j, o, [](auto& oo, auto&& f) { KinematicsFields(oo, f); });
}

// Keys that are absent keep their current value (MergeConfig rejects unknown keys upstream).
void from_json(const nlohmann::json& j, KinematicsOptions& o) {
  FieldsFromJson(j, o, [](auto& oo, auto&& f) { KinematicsFields(oo, f); });
}

Result<AthleteKinematics> ComputeKinematics(const AthleteSeries& series,
                                            const KinematicsOptions& o) {
  MK_RETURN_IF_ERROR(o.Validate());
  AthleteKinematics k;
  k.id = series.id;
  k.causal = o.causal;
  k.scale.height_m = o.height_m;
  const auto& smp = series.samples;
  if (smp.empty()) return k;

  // ---- Regular grid by frame index; the rate from the container timestamps.
  std::vector<double> dts;
  for (size_t i = 1; i < smp.size(); ++i) {
    const double di = static_cast<double>(smp[i].frame.index - smp[i - 1].frame.index);
    if (di > 0) dts.push_back((smp[i].time_s - smp[i - 1].time_s) / di);
  }
  double dt = MedianOf(dts);
  if (!(dt > 0)) dt = 1.0 / kDefaultFps;
  const double fs = 1.0 / dt;
  k.sample_rate_hz = fs;
  const FrameIndex first = smp.front().frame.index;
  const FrameIndex span = smp.back().frame.index - first + 1;
  if (span > kMaxSamples) {
    return InvalidArgument(
        fmt::format("athlete {} spans {} frames; frame indices look broken", series.id, span));
  }
  const size_t n = static_cast<size_t>(span);
  k.frames.resize(n);
  k.time_s.resize(n);
  for (size_t i = 0; i < n; ++i) {
    k.frames[i] = first + static_cast<FrameIndex>(i);
    k.time_s[i] = smp.front().time_s + static_cast<double>(i) * dt;
  }
  auto usable = [&](const AthleteSample& s) {
    return s.pose && s.pose->keypoints.size() == bp::kCount;
  };
  auto with_world = [&](const AthleteSample& s) {
    return o.angles_3d && usable(s) && s.pose->world.size() == bp::kCount;
  };
  auto visible = [&](const Keypoint& kp) { return !(kp.visibility < o.min_visibility); };
  bool has_world = false;  // a visible keypoint with world coordinates
  for (const AthleteSample& s : smp) {
    if (with_world(s) && std::any_of(s.pose->keypoints.begin(), s.pose->keypoints.end(), visible)) {
      has_world = true;
      break;
    }
  }
  // Every point lives in one per-coordinate series (image x, y; world x, y, z) that is cleaned
  // in place; the angle, body and swap code read frames of it in place (SeriesFrame), so there
  // is no array of skeletons to fill, copy into the series and back. Scratch reused across
  // calls: fresh memory this size costs page faults every call.
  const size_t per = has_world ? 5 : 2;  // image x, y; world x, y, z
  thread_local std::vector<double> soa_buf;
  soa_buf.resize(kUsed.size() * per * n);
  double* const soa = soa_buf.data();  // a plain pointer: each thread_local use costs a check
  auto coord = [&](size_t q, size_t axis) {
    return std::span<double>(soa + (q * per + axis) * n, n);
  };
  // Frames of the image (2D: z 0 where a point exists) and of the world landmarks.
  const SeriesFrames image{{soa, per * n, n, -1, 1.0}, n};
  const SeriesFrames world{{soa + 2 * n, per * n, n, 2, 1.0}, n};
  // Points of the keypoints that are not cleaned, as the model gave them, for the markers:
  // world points copied while the poses are read (the markers use them when there are world
  // landmarks), image points only without world landmarks (with them and no metric scale, the
  // rare case, the markers read the samples again).
  // (As the model's floats, half the memory; NaN where not visible.)
  constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
  std::vector<WorldPoint> raw_world(has_world ? n * kNumUnused : 0,
                                    WorldPoint{kNaNf, kNaNf, kNaNf});
  std::vector<Vec3> raw_image(has_world ? 0 : n * kNumUnused, Vec3{kNaN, kNaN, kNaN});
  std::vector<const AthleteSample*> sample_at(n, nullptr);  // null where not seen
  // Every series is written once, in order: from the pose, or NaN.
  auto write_missing = [&](size_t i) {
    for (size_t c = 0; c < kUsed.size() * per; ++c) soa[c * n + i] = kNaN;
  };
  size_t next = 0;  // the first sample not written yet
  int image_height_px = 0;
  for (const AthleteSample& s : smp) {
    const size_t i = static_cast<size_t>(s.frame.index - first);
    for (; next < i; ++next) write_missing(next);
    next = i + 1;
    k.time_s[i] = s.time_s;
    sample_at[i] = &s;
    image_height_px = std::max(image_height_px, s.frame.height_px);
    if (!usable(s)) {
      write_missing(i);
      continue;
    }
    const PersonPose& p = *s.pose;
    for (int j = 0; j < bp::kCount && !has_world; ++j) {
      if (kUnusedIndex[j] >= 0 && visible(p.keypoints[j])) {
        raw_image[i * kNumUnused + kUnusedIndex[j]] = {p.keypoints[j].x_px, p.keypoints[j].y_px, 0};
      }
    }
    const bool w_ok = has_world && with_world(s);
    for (size_t q = 0; q < kUsed.size(); ++q) {
      const Keypoint& kp = p.keypoints[kUsed[q]];
      double* base = soa + q * per * n + i;
      const bool v = visible(kp);
      base[0] = v ? kp.x_px : kNaN;
      base[n] = v ? kp.y_px : kNaN;
      if (!has_world) continue;
      if (v && w_ok) {
        const WorldPoint& w = p.world[kUsed[q]];
        base[2 * n] = w.x_m;
        base[3 * n] = w.y_m;
        base[4 * n] = w.z_m;
      } else {
        base[2 * n] = base[3 * n] = base[4 * n] = kNaN;
      }
    }
    if (!w_ok) continue;
    for (int j = 0; j < bp::kCount; ++j) {
      if (kUnusedIndex[j] >= 0 && visible(p.keypoints[j])) {
        raw_world[i * kNumUnused + kUnusedIndex[j]] = p.world[j];
      }
    }
  }
  for (; next < n; ++next) write_missing(next);

  // ---- Statures seen on the raw image (the first complete one is used live).
  std::vector<double> raw_stature;
  double first_stature = kNaN;
  for (size_t i = 0; i < n; ++i) {
    const double h = StatureOf(image[i]);
    if (!std::isfinite(h)) continue;
    raw_stature.push_back(h);
    if (!std::isfinite(first_stature)) first_stature = h;
  }
  double stature_guess = o.causal ? first_stature : MedianOf(raw_stature);
  if (!(stature_guess > 0)) stature_guess = 1.0;

  // ---- Left/right swaps, decided on the image (plus world depth in px: in a side view the
  // left and right limbs overlap in the image and only depth tells them apart), applied to
  // both.
  {
    SeriesFrames with_depth = image;
    if (has_world) {
      with_depth.first.z_coord = 4;
      with_depth.first.z_scale = stature_guess / o.height_m;
    }
    const std::vector<bool> swaps = DetectSwaps(with_depth, o.causal);
    int swapped = 0;
    for (size_t t = 0; t < n; ++t) {
      for (int g = 0; g < kNumLimbGroups; ++g) {
        if (!swaps[t * kNumLimbGroups + g]) continue;
        ++swapped;
        for (int l : LeftKeypointsOf(static_cast<LimbGroup>(g))) {
          for (size_t axis = 0; axis < per; ++axis) {
            std::swap(coord(kUsedIndex[l], axis)[t], coord(kUsedIndex[l + 1], axis)[t]);
          }
        }
      }
    }
    k.swaps_repaired = swapped;
  }
  // Foot points for gait before low-pass filtering, which would smear the label errors of
  // crossing legs over neighbouring frames (the gait detector does not rely on labels).
  std::vector<GaitFrame> feet(n);
  for (size_t i = 0; i < n; ++i) {
    const SeriesFrame f = image[i];
    for (int side = 0; side < 2; ++side) {
      feet[i].heel[side] = f[bp::kLeftHeel + side];
      feet[i].toe[side] = f[bp::kLeftToe + side];
    }
    feet[i].hip = Mid(f[bp::kLeftHip], f[bp::kRightHip]);
  }

  // ---- Clean each coordinate. The One-Euro speed scale is the stature in that unit.
  Cleaner clean{o,
                fs,
                static_cast<int>(std::lround(o.hampel_window_s * fs / 2)),
                static_cast<int>(std::lround(o.max_gap_s * fs)),
                0,
                {}};
  for (size_t q = 0; q < kUsed.size(); ++q) {
    clean({coord(q, 0), coord(q, 1)}, stature_guess);
    if (has_world) clean({coord(q, 2), coord(q, 3), coord(q, 4)}, o.height_m);
  }
  clean.Finish();
  k.outliers_replaced = clean.outliers;

  // ---- Scale and facing.
  const StatureMeasurement st = MeasureStature(image, fs);
  if (st.height > 0) {
    k.scale.source = st.upright ? "height_upright" : "height_any_pose";
    k.scale.height_px = st.height;
    k.scale.m_per_px = o.height_m / st.height;
    k.scale.frames_used = st.frames;
  }
  const bool metric = k.scale.m_per_px > 0;
  const double m_per_px = metric ? k.scale.m_per_px : 1.0;
  k.facing = FacingDirection(image, &k.facing_confidence);

  // ---- Angles.
  const int window = OddWindow(o.derivative_window_s, fs, 5);
  // Every angle of a frame is computed in one pass over the frames (the 2D joint and segment
  // angles share their directions); the signals are then added family by family.
  constexpr size_t kJ = kNumJointAngles, kS = kNumSegmentAngles;
  std::vector<std::vector<double>> angles(has_world ? 2 * (kJ + kS) : kJ + kS,
                                          std::vector<double>(n));
  const Sex sex = o.sex == "female" ? Sex::kFemale : Sex::kMale;
  std::vector<double> com3d[3];  // relative to the mid-hip, x right, y up, z towards the camera
  if (has_world) {
    for (std::vector<double>& c : com3d) c.resize(n);
  }
  // Angles and centres of mass, two frames at a time (lanes.h), each pair of skeletons loaded
  // from the series once.
  std::vector<double> com_x(n), com_y(n);  // image, px
  {
    std::vector<double*> out(angles.size());
    for (size_t a = 0; a < angles.size(); ++a) out[a] = angles[a].data();
    const AnglePassOut o3{
        out, com_x.data(), com_y.data(), {com3d[0].data(), com3d[1].data(), com3d[2].data()}};
    if (lanes::HaveV4()) {
      AnglePassV4(image, has_world ? &world : nullptr, k.facing, sex, o3);
    } else {
      AnglePassV2(image, has_world ? &world : nullptr, k.facing, sex, o3);
    }
  }
  auto add_angle_family = [&](const char* prefix, const char* vel_prefix, const char* acc_prefix,
                              auto names, size_t first_angle) {
    constexpr size_t kN = std::tuple_size_v<decltype(names)>;
    const size_t at = k.signals.size();
    for (size_t a = 0; a < kN; ++a) {
      std::vector<double>& v = angles[first_angle + a];
      Unwrap(v, 360.0);
      k.signals.push_back({fmt::format("{}_{}_deg", prefix, names[a]), "deg", std::move(v)});
    }
    for (size_t a = 0; a < kN; ++a) {
      const std::vector<double>& v = k.signals[at + a].values;
      std::vector<double> vel = SavGolDerivative(v, fs, 1, window, 3, o.causal);
      std::vector<double> acc = SavGolDerivative(v, fs, 2, window, 3, o.causal);
      k.signals.push_back(
          {fmt::format("{}_{}_deg_s", vel_prefix, names[a]), "deg/s", std::move(vel)});
      k.signals.push_back(
          {fmt::format("{}_{}_deg_s2", acc_prefix, names[a]), "deg/s^2", std::move(acc)});
    }
  };
  k.signals.reserve(400);
  add_angle_family("angle", "angvel", "angacc", kJointAngleNames, 0);
  add_angle_family("segment", "segvel", "segacc", kSegmentAngleNames, kJ);
  if (has_world) {
    add_angle_family("angle3d", "angvel3d", "angacc3d", kJointAngleNames, kJ + kS);
    add_angle_family("segment3d", "segvel3d", "segacc3d", kSegmentAngleNames, 2 * kJ + kS);
  }

  // ---- Positions: image plane in metres, x right, y up from the bottom edge of the image.
  const char* pos_unit = metric ? "m" : "px";
  const std::string vel_unit = metric ? "m_s" : "px_s", acc_unit = metric ? "m_s2" : "px_s2";
  auto to_metric = [&](Vec3 p) {
    return Vec3{p.x * m_per_px, (image_height_px - p.y) * m_per_px, 0};
  };
  auto add_motion = [&](const std::string& name, const std::vector<double>& x,
                        const std::vector<double>& y, bool with_components) {
    const std::vector<double> vx = SavGolDerivative(x, fs, 1, window, 3, o.causal);
    const std::vector<double> vy = SavGolDerivative(y, fs, 1, window, 3, o.causal);
    const std::vector<double> ax = SavGolDerivative(x, fs, 2, window, 3, o.causal);
    const std::vector<double> ay = SavGolDerivative(y, fs, 2, window, 3, o.causal);
    if (with_components) {
      k.signals.push_back({fmt::format("{}_vx_{}", name, vel_unit), vel_unit, vx});
      k.signals.push_back({fmt::format("{}_vy_{}", name, vel_unit), vel_unit, vy});
    }
    KinematicSignal& sp = AddSignal(k, fmt::format("{}_speed_{}", name, vel_unit), vel_unit, n);
    for (size_t i = 0; i < n; ++i) sp.values[i] = std::sqrt(vx[i] * vx[i] + vy[i] * vy[i]);
    KinematicSignal& ac = AddSignal(k, fmt::format("{}_accel_{}", name, acc_unit), acc_unit, n);
    for (size_t i = 0; i < n; ++i) ac.values[i] = std::sqrt(ax[i] * ax[i] + ay[i] * ay[i]);
  };
  std::vector<double> px(n), py(n);
  for (int j : kSpeedJoints) {
    // From the cleaned series (what the image skeletons hold), read in order.
    const std::span<const double> x = coord(kUsedIndex[j], 0), y = coord(kUsedIndex[j], 1);
    for (size_t i = 0; i < n; ++i) {
      const Vec3 p = to_metric({x[i], y[i], 0});
      px[i] = p.x;
      py[i] = p.y;
    }
    add_motion(kKeypointNames[j], px, py, false);
  }
  // Centre of mass.
  {
    for (size_t i = 0; i < n; ++i) {
      const Vec3 c = to_metric({com_x[i], com_y[i], 0});
      com_x[i] = c.x;
      com_y[i] = c.y;
    }
    k.signals.push_back({fmt::format("com_x_{}", pos_unit), pos_unit, std::move(com_x)});
    k.signals.push_back({fmt::format("com_y_{}", pos_unit), pos_unit, std::move(com_y)});
    const KinematicSignal& cx = k.signals[k.signals.size() - 2];
    const KinematicSignal& cy = k.signals.back();
    px = cx.values;
    py = cy.values;
  }
  add_motion("com", px, py, true);
  {
    KinematicSignal& d = AddSignal(k, fmt::format("com_distance_{}", pos_unit), pos_unit, n);
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && std::isfinite(px[i]) && std::isfinite(px[i - 1])) {
        const double dx = px[i] - px[i - 1], dy = py[i] - py[i - 1];
        total += std::sqrt(dx * dx + dy * dy);
      }
      d.values[i] = std::isfinite(px[i]) ? total : kNaN;
    }
  }
  if (has_world) {
    k.signals.push_back({"com3d_x_m", "m", std::move(com3d[0])});
    k.signals.push_back({"com3d_y_m", "m", std::move(com3d[1])});
    k.signals.push_back({"com3d_z_m", "m", std::move(com3d[2])});
  }

  // ---- Markers for .trc.
  k.markers.names.assign(kKeypointNames.begin(), kKeypointNames.end());
  k.markers.units = pos_unit;
  k.markers.source = has_world && metric ? "world+image" : "image";
  // Each frame's row is built on the stack and appended (no NaN fill of the ~14 MB first).
  const bool world_markers = has_world && metric;
  std::vector<double>& xyz = k.markers.xyz;
  xyz.clear();
  xyz.reserve(n * bp::kCount * 3);
  std::array<double, bp::kCount * 3> row;
  for (size_t i = 0; i < n; ++i) {
    if (i % 8 == 0 && i + 40 < n) {  // many streams: see the angle pass
      if (world_markers) {
        lanes::Prefetch(world, i + 32, 3);
      } else {
        lanes::Prefetch(image, i + 32, 2);
      }
    }
    const SeriesFrame img = image[i];
    const Vec3 hip = to_metric(Mid(img[bp::kLeftHip], img[bp::kRightHip]));
    // The keypoints that are not cleaned, as the pose model gave them (NaN where not visible).
    auto raw_image_at = [&](int j) {
      if (!raw_image.empty()) return raw_image[i * kNumUnused + kUnusedIndex[j]];
      const AthleteSample* const si = sample_at[i];
      if (si == nullptr || !usable(*si) || !visible(si->pose->keypoints[j])) {
        return Vec3{kNaN, kNaN, kNaN};
      }
      return Vec3{si->pose->keypoints[j].x_px, si->pose->keypoints[j].y_px, 0};
    };
    for (int j = 0; j < bp::kCount; ++j) {
      Vec3 p;
      if (world_markers) {
        // Cleaned where used, else as the pose model gave it.
        Vec3 w;
        if (kUsedIndex[j] >= 0) {
          const size_t q = static_cast<size_t>(kUsedIndex[j]);
          w = {coord(q, 2)[i], coord(q, 3)[i], coord(q, 4)[i]};
        } else {
          const WorldPoint& r = raw_world[i * kNumUnused + kUnusedIndex[j]];
          w = {r.x_m, r.y_m, r.z_m};
        }
        p = {hip.x + w.x, hip.y - w.y, w.z};  // world y is down; put the hips at the 2D track
      } else {
        p = to_metric(kUsedIndex[j] >= 0 ? img[j] : raw_image_at(j));
      }
      row[3 * j] = p.x;
      row[3 * j + 1] = p.y;
      row[3 * j + 2] = p.z;
    }
    xyz.insert(xyz.end(), row.begin(), row.end());
  }

  // ---- Repetitions.
  RepetitionOptions ro;
  ro.min_range = o.repetition_min_range;
  if (o.repetition_signal != "auto") {
    const KinematicSignal* s = k.Find(o.repetition_signal);
    if (s == nullptr) {
      return InvalidArgument(
          fmt::format("kinematics.repetition_signal '{}' is not a computed signal (e.g. "
                      "angle_knee_left_deg)",
                      o.repetition_signal));
    }
    k.repetitions = DetectRepetitions(s->values, k.time_s, fs, ro, s->name);
  } else {
    // The limb joint angle with the most repeated motion: largest sum of repetition ranges.
    double best = 0;
    for (int a = 0; a < 12; ++a) {
      const KinematicSignal* s = k.Find(fmt::format("angle_{}_deg", kJointAngleNames[a]));
      if (s == nullptr) continue;
      RepetitionSummary r = DetectRepetitions(s->values, k.time_s, fs, ro, s->name);
      double score = 0;
      for (const Repetition& rep : r.repetitions) score += rep.range;
      if (score > best) {
        best = score;
        k.repetitions = std::move(r);
      }
    }
  }

  // ---- Gait (side views only: the foot direction must tell which way the athlete runs).
  if (k.facing_confidence >= 0.5 && st.height > 0) {
    k.gait = DetectGait(feet, k.time_s, k.frames, fs, k.facing, st.height, o.causal);
  }
  return k;
}

}  // namespace monokin::kinematics
