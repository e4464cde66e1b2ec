// SPDX-License-Identifier: Apache-2.0
#include "monokin/kinematics/body.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "monokin/kinematics/lanes.h"
#include "monokin/kinematics/series_frame.h"

namespace monokin::kinematics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDeg = 180.0 / 3.14159265358979323846;

double Dist(Vec3 a, Vec3 b) { return Norm(a - b); }

// Angle at b of a-b-c subtracted from 180: 0 when a, b, c are in line.
double Bend(Vec3 a, Vec3 b, Vec3 c) {
  const Vec3 u = b - a, v = c - b;
  return std::atan2(Norm(Cross(u, v)), Dot(u, v)) * kDeg;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return kNaN;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

// de Leva (1996) Table 4: mass fraction (% of body mass) and longitudinal CoM position (% of
// the segment length from the proximal end point).
struct SegmentParams {
  double head_mass, trunk_mass, trunk_com, upper_arm_mass, upper_arm_com, forearm_mass, forearm_com,
      hand_mass, hand_com, thigh_mass, thigh_com, shank_mass, shank_com, foot_mass, foot_com;
};
constexpr SegmentParams kMale = {6.94,  43.46, 51.38, 2.71, 57.72, 1.62, 45.74, 0.61,
                                 79.00, 14.16, 40.95, 4.33, 44.59, 1.37, 44.15};
constexpr SegmentParams kFemale = {6.68,  42.57, 49.64, 2.55, 57.54, 1.38, 45.59, 0.56,
                                   74.74, 14.78, 36.12, 4.81, 44.16, 1.29, 40.14};

// S: a Skeleton or a SeriesFrame; Frames: a span of Skeletons or SeriesFrames.
template <typename S>
[[gnu::always_inline]] inline double StatureOfFrame(const S& s) {
  double legs = 0;
  int sides = 0;
  for (int side = 0; side < 2; ++side) {
    const double l = Dist(s[bp::kLeftHeel + side], s[bp::kLeftAnkle + side]) +
                     Dist(s[bp::kLeftAnkle + side], s[bp::kLeftKnee + side]) +
                     Dist(s[bp::kLeftKnee + side], s[bp::kLeftHip + side]);
    if (std::isfinite(l)) {
      legs += l;
      ++sides;
    }
  }
  if (sides == 0) return kNaN;
  const Vec3 hip = Mid(s[bp::kLeftHip], s[bp::kRightHip]);
  const Vec3 sho = Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
  const Vec3 eye = Mid(s[bp::kLeftEye], s[bp::kRightEye]);
  const double chain = legs / sides + Dist(hip, sho) + Dist(sho, eye);
  return std::isfinite(chain) ? chain / 0.936 : kNaN;
}

template <typename Frames>
StatureMeasurement MeasureStatureOf(const Frames& image, double fs_hz) {
  const size_t n = image.size();
  std::vector<double> stature(n, kNaN);
  std::vector<double> all;
  for (size_t t = 0; t < n; ++t) {
    stature[t] = StatureOfFrame(image[t]);
    if (std::isfinite(stature[t])) all.push_back(stature[t]);
  }
  StatureMeasurement m;
  if (all.empty()) return m;
  const double rough = Percentile(all, 0.9);
  // Upright and calm frames.
  std::vector<bool> ok(n, false);
  for (size_t t = 0; t < n; ++t) {
    const auto& s = image[t];
    if (!std::isfinite(stature[t])) continue;
    const Vec3 hip = Mid(s[bp::kLeftHip], s[bp::kRightHip]);
    const Vec3 sho = Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
    const double lean = std::abs(std::atan2(sho.x - hip.x, hip.y - sho.y)) * kDeg;
    bool straight = lean < 15;
    for (int side = 0; side < 2 && straight; ++side) {
      const double knee =
          Bend(s[bp::kLeftHip + side], s[bp::kLeftKnee + side], s[bp::kLeftAnkle + side]);
      const double hipb =
          Bend(s[bp::kLeftShoulder + side], s[bp::kLeftHip + side], s[bp::kLeftKnee + side]);
      straight = knee < 15 && hipb < 15;
    }
    if (!straight) continue;
    if (t > 0 && std::isfinite(stature[t - 1])) {
      const auto& p = image[t - 1];
      const double v = Dist(hip, Mid(p[bp::kLeftHip], p[bp::kRightHip])) * fs_hz;
      if (v > 0.5 * rough) continue;
    }
    ok[t] = true;
  }
  // Keep stretches of at least 0.3 s.
  const size_t min_run = std::max<size_t>(1, static_cast<size_t>(std::lround(0.3 * fs_hz)));
  std::vector<double> chosen;
  for (size_t t = 0; t < n;) {
    size_t e = t;
    while (e < n && ok[e]) ++e;
    if (e - t >= min_run) {
      for (size_t k = t; k < e; ++k) chosen.push_back(stature[k]);
    }
    t = (e == t) ? t + 1 : e;
  }
  if (chosen.size() >= 5) {
    m.height = Percentile(chosen, 0.5);
    m.frames = static_cast<int>(chosen.size());
    m.upright = true;
  } else {
    m.height = rough;
    m.frames = static_cast<int>(all.size());
  }
  return m;
}

}  // namespace

namespace {

// Every lane's centre of mass (lanes.h); lanes with a required segment missing are NaN.
template <typename V>
[[gnu::always_inline]] inline void CentreOfMassOf(const lanes::Skeletons<V>& s, Sex sex,
                                                  lanes::P<V>& out) {
  using namespace lanes;  // NOLINT
  const SegmentParams& p = sex == Sex::kMale ? kMale : kFemale;
  const P<V> hip = Mid(s[bp::kLeftHip], s[bp::kRightHip]);
  const P<V> sho = Mid(s[bp::kLeftShoulder], s[bp::kRightShoulder]);
  const P<V> head = Mid(s[bp::kLeftEar], s[bp::kRightEar]);
  MaskOf<V> missing = ~(Finite(hip) & Finite(sho) & Finite(head));
  P<V> sum = p.head_mass * head + p.trunk_mass * (sho + p.trunk_com / 100 * (hip - sho));
  V mass = Splat<V>(p.head_mass + p.trunk_mass);
  // Adds the segment a->b where both ends exist; a missing required segment makes the lane
  // missing (its sum is not used).
  auto add = [&](const P<V>& a, const P<V>& b, double m, double com, bool required) {
    const MaskOf<V> ok = Finite(a) & Finite(b);
    const P<V> next = sum + m * (a + com / 100 * (b - a));
    sum = {Sel(ok, next.x, sum.x), Sel(ok, next.y, sum.y), Sel(ok, next.z, sum.z)};
    mass = Sel(ok, mass + m, mass);
    if (required) missing |= ~ok;
  };
  for (int side = 0; side < 2; ++side) {
    const P<V> knuckles = Mid(s[bp::kLeftIndex + side], s[bp::kLeftPinky + side]);
    add(s[bp::kLeftHip + side], s[bp::kLeftKnee + side], p.thigh_mass, p.thigh_com, true);
    add(s[bp::kLeftKnee + side], s[bp::kLeftAnkle + side], p.shank_mass, p.shank_com, true);
    add(s[bp::kLeftHeel + side], s[bp::kLeftToe + side], p.foot_mass, p.foot_com, false);
    add(s[bp::kLeftShoulder + side], s[bp::kLeftElbow + side], p.upper_arm_mass, p.upper_arm_com,
        false);
    add(s[bp::kLeftElbow + side], s[bp::kLeftWrist + side], p.forearm_mass, p.forearm_com, false);
    add(s[bp::kLeftWrist + side], knuckles, p.hand_mass, p.hand_com, false);
  }
  const P<V> c = (1.0 / mass) * sum;
  const V nan = Splat<V>(kNaN);
  out = {Sel(missing, nan, c.x), Sel(missing, nan, c.y), Sel(missing, nan, c.z)};
}

}  // namespace

namespace lanes {

void CentreOfMassV(const Skeletons<V2>& s, Sex sex, P<V2>& out) { CentreOfMassOf(s, sex, out); }
MONOKIN_KIN_AVX void CentreOfMassV(const Skeletons<V4>& s, Sex sex, P<V4>& out) {
  CentreOfMassOf(s, sex, out);
}

}  // namespace lanes

double StatureOf(const Skeleton& s) { return StatureOfFrame(s); }
double StatureOf(const SeriesFrame& s) { return StatureOfFrame(s); }

StatureMeasurement MeasureStature(std::span<const Skeleton> image, double fs_hz) {
  return MeasureStatureOf(image, fs_hz);
}
StatureMeasurement MeasureStature(const SeriesFrames& image, double fs_hz) {
  return MeasureStatureOf(image, fs_hz);
}

Vec3 CentreOfMass(const Skeleton& s, Sex sex) {
  lanes::P<lanes::V2> c;
  lanes::CentreOfMassV(lanes::Both(s), sex, c);
  return {c.x[0], c.y[0], c.z[0]};
}

}  // namespace monokin::kinematics
