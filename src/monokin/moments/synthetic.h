// SPDX-License-Identifier: Apache-2.0
// Synthetic athlete series with known key moments, for tests and benchmarks. Each athlete runs a
// scripted program (sprints, turns, jumps, kicks, throws, falls; pairs that walk into each
// other; a gym athlete with repetitions) simulated on a fine time grid; the true moments are read
// off the noise-free simulation with the definitions of README.md, then the samples get
// coloured noise and gaps. Header-only; not used by the library itself.
//
//   synth::Scenario s = synth::MakeScenario({.duration_s = 180, .noise_com_m = 0.02});
//   auto found = DetectMoments(s.series, s.kinematics, options);   // compare with s.truth
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "monokin/core/moment.h"
#include "monokin/core/series.h"
#include "monokin/moments/moments_options.h"

namespace monokin::moments::synth {

struct SynthOptions {
  double duration_s = 120;
  double fps = 30;
  int singles = 6;              // athletes with the single-athlete program
  int pairs = 2;                // pairs that walk into each other (converging, contact)
  bool gym = true;              // one athlete doing repetitions in place
  double noise_com_m = 0;       // standard deviation of the (coloured) CoM noise, metres
  double noise_keypoint_m = 0;  // same for keypoints and boxes
  double gaps_per_min = 0;      // gaps (athlete unseen) per athlete per minute
  double gap_max_s = 0.8;       // gap lengths uniform in [0.1, gap_max_s]
  std::uint32_t seed = 1;
  MomentsOptions rules;  // thresholds the true moments are defined with
};

struct Scenario {
  std::vector<AthleteSeries> series;
  std::vector<AthleteKinematics> kinematics;
  std::vector<KeyMoment> truth;  // sorted by start
};

namespace detail {

constexpr double kPi = std::numbers::pi;
constexpr double kG = 9.81;
constexpr double kStature = 1.75;
constexpr double kComHeight = 0.55 * kStature;  // standing CoM height above the ground
constexpr double kTrunk = 0.5;                  // hip to shoulder
constexpr double kLeg = 0.9;                    // hip to foot
constexpr double kArm = 0.7;                    // shoulder to wrist
constexpr double kMPerPx = 0.01;                // image scale
constexpr int kImageH = 1080;
constexpr int kFine = 10;  // simulation steps per frame
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Marker order of the generated MarkerSeries.
enum M { kLS, kRS, kLH, kRH, kLW, kRW, kLHeel, kRHeel, kLToe, kRToe, kNose, kNumM };
inline const std::vector<std::string>& MarkerNames() {
  static const std::vector<std::string> names = {
      "left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_wrist", "right_wrist",
      "left_heel",     "right_heel",     "left_toe", "right_toe", "nose"};
  return names;
}

enum class Seg { kCruise, kRamp, kTurn, kJump, kKick, kThrow, kFall, kFlip };
struct Segment {
  Seg kind = Seg::kCruise;
  double dur = 1;
  double amount = 0;  // ramp: speed change; turn: angle (rad); jump: height; fall: time down
  int limb = 0;       // kick/throw: 0 left, 1 right
};

// The sin^2 bump: its integral over [0, T] is `total`; value at tau.
inline double Bump(double tau, double T, double total) {
  const double s = std::sin(kPi * tau / T);
  return 2 * total / T * s * s;
}
// Its running integral (0..total).
inline double BumpIntegral(double tau, double T, double total) {
  return total * (tau / T - std::sin(2 * kPi * tau / T) / (2 * kPi));
}

struct Body {
  TrackId id = 0;
  double gx = 0, gy = 0, heading = 0, v = 0;
  double hc = kComHeight, tilt = 0, fz = 0;  // CoM height, body axis from vertical, feet lift
  double stride = 0;                         // running stride phase, rad
  int limb = -1;                             // limb in a strike (0..3: LH, RH, LF, RF)
  double psi = 0;                            // its angle from hanging straight down, rad
  double v_entry = 0;                        // speed when a fall began
  bool wander = true;                        // gentle heading drift while cruising
  std::vector<Segment> program;
  size_t seg = 0;
  double tau = 0;  // time in the current segment
  double seg_start = 0;
  // Truth bookkeeping (fine grid).
  double run_start[3] = {-1, -1, -1};  // sprint, acceleration, deceleration
  double run_v0[3] = {0, 0, 0};
  double fall_upright_t = -1, fall_impact_t = -1;
  bool was_down = false;
  double prev_psi = 0;
  bool strike_armed = false;
  double strike_start = -1, strike_peak = -1, strike_peak_speed = 0;
};

struct Pose {
  std::array<std::array<double, 2>, kNumM> p{};  // metres, y up
  double com_x = 0, com_y = 0;
  BoxPx box;
};

inline Pose PoseOf(const Body& b) {
  Pose out;
  const double face = std::cos(b.heading) >= 0 ? 1 : -1;  // side view: faces image left/right
  const double hx = b.gx, hy = b.gy + b.hc;               // hips at the CoM
  out.com_x = hx;
  out.com_y = hy;
  const double sx = hx + face * kTrunk * std::sin(b.tilt), sy = hy + kTrunk * std::cos(b.tilt);
  const double run = std::min(1.0, b.v / 8.0);
  const double freq = 1.0 + 0.08 * b.v;
  const double leg_amp = b.v / (2 * kPi * freq) * 0.9;  // relative foot speed ~0.9 v
  const double flight = b.v > 5 ? 0.05 * std::pow(std::max(0.0, std::sin(2 * b.stride)), 6) : 0;
  // Limb offsets along the direction of travel project onto the image x axis with cos(heading)
  // (continuous through turns); the body axis tilts towards the facing side.
  const double fwd = std::cos(b.heading);
  for (int side = 0; side < 2; ++side) {
    const double ph = b.stride + side * kPi;
    double fx =
        hx + fwd * leg_amp * std::sin(ph) - face * 0.3 * std::sin(b.tilt) * (side ? 1.2 : 1.0);
    double fy = b.gy + b.fz + 0.15 * run * std::max(0.0, std::cos(ph)) + flight;
    if (b.limb == 2 + side) {  // kicking foot on an arc about the hip
      fx = hx + face * kLeg * std::sin(b.psi);
      fy = std::max(b.gy, hy - kLeg * std::cos(b.psi));
    }
    out.p[kLHeel + side] = {fx - fwd * 0.05, fy + 0.02};
    out.p[kLToe + side] = {fx + fwd * 0.15, fy};
    // Hanging arm (with the running swing) rotated with the trunk.
    const double ax = fwd * (0.1 + 0.25 * run * std::sin(ph + kPi)), ay = -0.6;
    const double c = std::cos(b.tilt), sn = face * std::sin(b.tilt);
    double wx = sx + ax * c + ay * -sn, wy = sy + ax * sn + ay * c;
    if (b.limb == side) {  // throwing hand on an arc about the shoulder
      wx = sx + face * kArm * std::sin(b.psi);
      wy = sy - kArm * std::cos(b.psi);
    }
    out.p[kLW + side] = {wx, wy};
    out.p[kLS + side] = {sx, sy};
    out.p[kLH + side] = {hx, hy};
  }
  out.p[kNose] = {hx + face * (kTrunk + 0.25) * std::sin(b.tilt),
                  hy + (kTrunk + 0.25) * std::cos(b.tilt)};
  double x0 = 1e18, x1 = -1e18, y0 = 1e18, y1 = -1e18;
  for (const auto& q : out.p) {
    x0 = std::min(x0, q[0]);
    x1 = std::max(x1, q[0]);
    y0 = std::min(y0, q[1]);
    y1 = std::max(y1, q[1]);
  }
  x0 -= 0.12;
  x1 += 0.12;
  y1 += 0.1;  // top of the head
  y0 = std::min(y0, b.gy + b.fz);
  out.box = {static_cast<float>(x0 / kMPerPx), static_cast<float>(kImageH - y1 / kMPerPx),
             static_cast<float>((x1 - x0) / kMPerPx), static_cast<float>((y1 - y0) / kMPerPx)};
  return out;
}

inline KeyMoment Truth(std::string type, std::vector<TrackId> ids, double s, double p, double e) {
  KeyMoment m;
  m.type = std::move(type);
  m.athletes = std::move(ids);
  m.start_s = s;
  m.peak_s = p;
  m.end_s = e;
  m.confidence = 1;
  return m;
}

// Advances one body by dt and records the true moments its program makes.
inline void Step(Body& b, double t, double dt, const MomentsOptions& r,
                 std::vector<KeyMoment>& truth) {
  if (b.seg >= b.program.size()) b.program.push_back({Seg::kCruise, 1e9});
  Segment& s = b.program[b.seg];
  const double tau = b.tau;
  double accel = 0, omega = 0.08 * std::cos(2 * kPi * t / 7);  // gentle wandering, ~5 deg/s
  b.limb = -1;
  switch (s.kind) {
    case Seg::kCruise:
      if (b.v < 0.05 || !b.wander) omega = 0;
      break;
    case Seg::kFlip:
      omega = 0;
      if (tau == 0) b.heading += kPi;
      break;
    case Seg::kRamp:
      accel = Bump(tau, s.dur, s.amount);
      omega = 0;
      break;
    case Seg::kTurn: {
      omega = Bump(tau, s.dur, s.amount);
      if (tau == 0) {  // start and end: 10 % and 90 % of the heading change
        double ts = -1, te = -1;
        for (int i = 0; i <= 10000; ++i) {
          const double x = s.dur * i / 10000.0;
          const double prog = BumpIntegral(x, s.dur, 1.0);
          if (ts < 0 && prog >= 0.1) ts = x;
          if (te < 0 && prog >= 0.9) te = x;
        }
        truth.push_back(Truth("change_of_direction", {b.id}, t + ts, t + s.dur / 2, t + te));
        truth.back().values["angle_deg"] = s.amount * 180 / kPi;
      }
      break;
    }
    case Seg::kJump: {
      // Dip 0.3 s, push 0.25 s, flight, landing 0.25 s, recovery 0.4 s.
      const double h = s.amount, v0 = std::sqrt(2 * kG * h), flight = 2 * v0 / kG;
      const double dip = 0.12, top = kComHeight + 0.05;
      if (tau < 0.3) {
        b.hc = kComHeight - dip * std::pow(std::sin(kPi * tau / 0.6), 2);
        b.fz = 0;
      } else if (tau < 0.55) {  // cubic Hermite from (low, 0) to (top, v0)
        const double u = (tau - 0.3) / 0.25, p0 = kComHeight - dip, p1 = top, m1 = v0 * 0.25;
        b.hc = (2 * u * u * u - 3 * u * u + 1) * p0 + (-2 * u * u * u + 3 * u * u) * p1 +
               (u * u * u - u * u) * m1;
        b.fz = 0;
      } else if (tau < 0.55 + flight) {
        const double f = tau - 0.55;
        b.hc = top + v0 * f - 0.5 * kG * f * f;
        b.fz = b.hc - top;
      } else if (tau < 0.8 + flight) {  // landing: (top, -v0) to (low, 0)
        const double u = (tau - 0.55 - flight) / 0.25, p0 = top, p1 = kComHeight - 0.15;
        const double m0 = -v0 * 0.25;
        b.hc = (2 * u * u * u - 3 * u * u + 1) * p0 + (u * u * u - 2 * u * u + u) * m0 +
               (-2 * u * u * u + 3 * u * u) * p1;
        b.fz = 0;
      } else {
        const double u = std::min(1.0, (tau - 0.8 - flight) / 0.4);
        b.hc = kComHeight - 0.15 * (1 - u * u * (3 - 2 * u));
        b.fz = 0;
      }
      if (tau == 0) {
        truth.push_back(Truth("jump", {b.id}, t + 0.55, t + 0.55 + flight / 2, t + 0.55 + flight));
        truth.back().values["height_flight_m"] = h;
        truth.back().values["flight_time_s"] = flight;
      }
      omega = 0;
      break;
    }
    case Seg::kKick:
    case Seg::kThrow: {
      const bool kick = s.kind == Seg::kKick;
      const double wind = kick ? 0.4 : 1.0, swing = kick ? 0.25 : 0.3, back = kick ? 0.8 : 1.0;
      const double p_wind = kick ? -40 * kPi / 180 : kPi, p_end = kick ? 90 * kPi / 180 : kPi / 6;
      const double len = kick ? kLeg : kArm;
      b.limb = (kick ? 2 : 0) + s.limb;
      if (tau < wind) {
        b.psi = BumpIntegral(tau, wind, p_wind);
      } else if (tau < wind + swing) {
        b.psi = p_wind + BumpIntegral(tau - wind, swing, p_end - p_wind);
      } else {
        b.psi = p_end - BumpIntegral(std::min(tau - wind - swing, back), back, p_end);
      }
      if (tau == 0) {  // speed L * omega; half the threshold at the edges, peak mid-swing
        const double thr = kick ? r.strike.min_foot_speed_mps : r.strike.min_hand_speed_mps;
        const double total = std::abs(p_end - p_wind);
        const double q = std::sqrt(0.5 * thr * swing / (2 * total * len));
        const double edge = swing * std::asin(std::min(1.0, q)) / kPi;
        truth.push_back(Truth("strike", {b.id}, t + wind + edge, t + wind + swing / 2,
                              t + wind + swing - edge));
        truth.back().label = (kick ? std::string(s.limb ? "right_foot" : "left_foot")
                                   : std::string(s.limb ? "right_hand" : "left_hand"));
        truth.back().values["peak_speed_mps"] = 2 * total / swing * len;
      }
      omega = 0;
      break;
    }
    case Seg::kFall: {
      const double tf = 0.7, down = s.amount, up = 1.2;
      if (tau == 0) b.v_entry = b.v;
      double p;
      if (tau < tf) {
        p = std::pow(std::sin(kPi * tau / (2 * tf)), 2);
        b.v = b.v_entry * (1 - p);
      } else if (tau < tf + down) {
        p = 1;
        b.v = 0;
      } else {
        const double u = std::min(1.0, (tau - tf - down) / up);
        p = 1 - std::pow(std::sin(kPi * u / 2), 2);
      }
      b.tilt = 85 * kPi / 180 * p;
      b.hc = kComHeight - (kComHeight - 0.15) * p;
      omega = 0;
      break;
    }
  }
  // Fall truth: last upright instant, first down instant, first up-again instant.
  {
    const double ratio = b.hc / kStature;
    const bool down = ratio <= r.fall.max_height_ratio && b.tilt * 180 / kPi >= r.fall.min_axis_deg;
    if (ratio >= r.fall.upright_ratio) b.fall_upright_t = t;
    if (down && !b.was_down) b.fall_impact_t = t;
    if (!down && b.was_down) {
      const double end = std::min(t, b.fall_impact_t + 3.0);
      truth.push_back(Truth("fall", {b.id}, b.fall_upright_t, b.fall_impact_t, end));
    }
    b.was_down = down;
  }
  if (s.kind != Seg::kFall) b.v = std::max(0.0, b.v + accel * dt);
  // Sprint and burst truth: threshold runs of the true speed and tangential acceleration.
  const double sig[3] = {b.v, accel, -accel};
  const double thr[3] = {r.sprint.min_speed_mps, r.acceleration.min_accel_mps2,
                         r.deceleration.min_accel_mps2};
  const char* names[3] = {"sprint", "acceleration", "deceleration"};
  for (int k = 0; k < 3; ++k) {
    if (sig[k] >= thr[k] && b.run_start[k] < 0) {
      b.run_start[k] = t;
      b.run_v0[k] = b.v;
    } else if (sig[k] < thr[k] && b.run_start[k] >= 0) {
      const double dur = t - b.run_start[k];
      const double min_dur = k == 0 ? r.sprint.min_duration_s
                                    : (k == 1 ? r.acceleration : r.deceleration).min_duration_s;
      const double min_dv =
          k == 0 ? 0 : (k == 1 ? r.acceleration : r.deceleration).min_speed_change_mps;
      if (dur >= min_dur && std::abs(b.v - b.run_v0[k]) >= min_dv) {
        truth.push_back(Truth(names[k], {b.id}, b.run_start[k], 0.5 * (b.run_start[k] + t), t));
      }
      b.run_start[k] = -1;
    }
  }
  b.heading += omega * dt;
  b.gx += b.v * std::cos(b.heading) * dt;
  b.gy += b.v * std::sin(b.heading) * dt;
  b.stride += 2 * kPi * (1.0 + 0.08 * b.v) * dt * (b.v > 0.3 ? 1 : 0);
  b.tau += dt;
  if (b.tau >= s.dur - 1e-9) {
    b.seg++;
    b.tau = 0;
    b.seg_start = t + dt;
    if (s.kind == Seg::kJump) b.hc = kComHeight;
    if (s.kind == Seg::kFall) {
      b.tilt = 0;
      b.hc = kComHeight;
    }
  }
}

inline std::vector<Segment> SingleProgram(std::mt19937& rng, double duration_s) {
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Segment> p;
  p.push_back({Seg::kCruise, 2 + 2 * u(rng)});
  double total = 0;
  int block = static_cast<int>(u(rng) * 7);
  while (total < duration_s) {
    std::vector<Segment> b;
    switch (block % 7) {
      case 0:  // sprint: 3 -> 8.5 m/s and back
        b = {{Seg::kRamp, 2.4, 5.5},
             {Seg::kCruise, 1.5 + u(rng)},
             {Seg::kRamp, 1.6, -5.5},
             {Seg::kCruise, 3}};
        break;
      case 1: {  // a turn and a turn back
        const double a = (60 + 60 * u(rng)) * kPi / 180 * (u(rng) < 0.5 ? 1 : -1);
        b = {{Seg::kTurn, 0.5, a},
             {Seg::kCruise, 2 + u(rng)},
             {Seg::kTurn, 0.6, -a},
             {Seg::kCruise, 3}};
        break;
      }
      case 2:  // standing jump
        b = {{Seg::kRamp, 3.5, -3}, {Seg::kCruise, 1.5},  {Seg::kJump, 2.0, 0.15 + 0.35 * u(rng)},
             {Seg::kCruise, 1.5},   {Seg::kRamp, 3.5, 3}, {Seg::kCruise, 2}};
        break;
      case 3:  // running jump
        b = {{Seg::kJump, 2.0, 0.15 + 0.25 * u(rng)}, {Seg::kCruise, 3}};
        break;
      case 4:
      case 5: {  // kick or throw from standing
        const bool kick = block % 7 == 4;
        b = {{Seg::kRamp, 3.5, -3},
             {Seg::kCruise, 1},
             {kick ? Seg::kKick : Seg::kThrow, kick ? 1.45 : 2.3, 0, u(rng) < 0.5 ? 0 : 1},
             {Seg::kCruise, 1.5},
             {Seg::kRamp, 3.5, 3},
             {Seg::kCruise, 2}};
        break;
      }
      case 6: {  // fall from a walk
        const double down = 1.5 + u(rng);
        b = {{Seg::kRamp, 3.5, -2}, {Seg::kCruise, 1},    {Seg::kFall, 0.7 + down + 1.2, down},
             {Seg::kCruise, 1.5},   {Seg::kRamp, 3.5, 3}, {Seg::kCruise, 2}};
        break;
      }
    }
    for (const Segment& s : b) total += s.dur;
    p.insert(p.end(), b.begin(), b.end());
    block += 1 + static_cast<int>(u(rng) * 3);
  }
  return p;
}

// Two athletes 12.95 m apart walk towards each other at 1.8 m/s, then either stop 0.35 m apart
// (a contact: both brake in 0.5 s), wait and walk back, or pass each other and walk on; after
// each encounter they are 12.95 m apart again, facing each other.
inline constexpr double kPairStart = 12.95;
inline std::vector<Segment> PairProgram(double duration_s) {
  std::vector<Segment> p;
  double total = 0;
  p.push_back({Seg::kCruise, 1});
  for (int cycle = 0; total < duration_s; ++cycle) {
    std::vector<Segment> b;
    if (cycle % 2 == 0) {  // meet and stop: braking covers 0.9 m, they stop 0.35 m apart
      b = {{Seg::kRamp, 2.5, 1.8},  {Seg::kCruise, (kPairStart - 4.5 - 1.25) / 3.6},
           {Seg::kRamp, 0.5, -1.8}, {Seg::kCruise, 1.5},
           {Seg::kFlip, 0.001},     {Seg::kRamp, 2.5, 1.8},
           {Seg::kCruise, 1},       {Seg::kRamp, 2.5, -1.8},
           {Seg::kCruise, 1.5},     {Seg::kFlip, 0.001}};
    } else {  // pass each other and walk on to the mirror position
      b = {{Seg::kRamp, 2.5, 1.8},
           {Seg::kCruise, (2 * kPairStart - 9) / 3.6},
           {Seg::kRamp, 2.5, -1.8},
           {Seg::kCruise, 1.5},
           {Seg::kFlip, 0.001}};
    }
    for (const Segment& s : b) total += s.dur;
    p.insert(p.end(), b.begin(), b.end());
  }
  return p;
}

inline double Overlap(const BoxPx& a, const BoxPx& b) {
  const double iw = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const double ih = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  if (iw <= 0 || ih <= 0) return 0;
  return iw * ih / std::min(a.area(), b.area());
}

// Coloured (AR(1)) noise.
struct Ar1 {
  double e = 0;
  double Next(std::mt19937& rng, double sigma) {
    constexpr double kRho = 0.6;
    std::normal_distribution<double> n(0, 1);
    e = kRho * e + std::sqrt(1 - kRho * kRho) * sigma * n(rng);
    return e;
  }
};

}  // namespace detail

inline Scenario MakeScenario(const SynthOptions& o) {
  using namespace detail;
  std::mt19937 rng(o.seed);
  std::vector<Body> bodies;
  TrackId next_id = 1;
  for (int i = 0; i < o.singles; ++i) {
    Body b;
    b.id = next_id++;
    b.gx = 5.0 * i;
    b.gy = 10.0 * i;
    b.v = 3;
    b.heading = (i % 2) ? kPi : 0;
    b.program = SingleProgram(rng, o.duration_s);
    bodies.push_back(std::move(b));
  }
  for (int i = 0; i < o.pairs; ++i) {
    Body a, b;
    a.id = next_id++;
    b.id = next_id++;
    a.gy = b.gy = -20.0 - 10.0 * i;
    b.gy += 0.3;  // not quite the same depth
    a.gx = 0;
    b.gx = kPairStart;
    b.heading = kPi;
    a.program = b.program = PairProgram(o.duration_s);
    a.wander = b.wander = false;  // they walk the same line, back and forth
    bodies.push_back(std::move(a));
    bodies.push_back(std::move(b));
  }
  size_t gym = bodies.size();
  if (o.gym) {
    Body g;
    g.id = next_id++;
    g.gy = -100;  // away from every lane
    g.program = {{Seg::kCruise, 1e9}};
    bodies.push_back(std::move(g));
  }
  const size_t nb = bodies.size();
  const int frames = static_cast<int>(o.duration_s * o.fps);
  const double dt = 1.0 / (o.fps * kFine);

  Scenario sc;
  std::vector<std::vector<Pose>> poses(nb, std::vector<Pose>(static_cast<size_t>(frames)));
  // Group truth over every pair of athletes (chance meetings of singles count too).
  struct PairTruth {
    size_t a = 0, b = 0;
    double prev_d = -1, run_start = -1, run_end = -1, min_d = 1e9, min_t = -1;
    double ov_start = -1, ov_end = -1, ov_peak = -1, ov_max = 0, ov_close = 0, v_change = -1;
    std::array<double, 2> v_before{};
    std::vector<double> closing;              // ring buffer over closing_window_s
    std::vector<std::array<double, 2>> vrel;  // ring buffer, one longer
  };
  const size_t keep = static_cast<size_t>(o.rules.contact.closing_window_s / dt);
  std::vector<PairTruth> pair_truth;
  for (size_t i = 0; i < bodies.size(); ++i) {
    for (size_t j = i + 1; j < bodies.size(); ++j) {
      PairTruth pt;
      pt.a = i;
      pt.b = j;
      pt.closing.assign(keep, 0);
      pt.vrel.assign(keep + 1, {0, 0});
      pair_truth.push_back(std::move(pt));
    }
  }
  size_t ring = 0;  // fine steps so far
  std::vector<BoxPx> fine_box(bodies.size());
  for (int f = 0; f < frames; ++f) {
    for (int k = 0; k < kFine; ++k) {
      const double t = f / o.fps + k * dt;
      for (size_t i = 0; i < nb; ++i) {
        if (o.gym && i == gym) {  // curls: wrists up and down, 2.5 s per repetition
          continue;
        }
        Step(bodies[i], t, dt, o.rules, sc.truth);
      }
      if (k == 0) {
        for (size_t i = 0; i < nb; ++i) poses[i][static_cast<size_t>(f)] = PoseOf(bodies[i]);
        if (o.gym) {
          Pose& p = poses[gym][static_cast<size_t>(f)];
          const double ph = std::fmod(f / o.fps, 2.5) / 2.5;
          for (int side = 0; side < 2; ++side) {
            const double ang = 130 * kPi / 180 * std::pow(std::sin(kPi * ph), 2);
            p.p[kLW + side] = {p.p[kLS + side][0] + 0.3 * std::sin(ang),
                               p.p[kLS + side][1] - 0.3 - 0.3 * std::cos(ang)};
          }
        }
      }
      // Group truth on the fine grid, from the true boxes (README: the distance between two
      // athletes is that of their box bottom centres).
      for (size_t i = 0; i < nb; ++i) fine_box[i] = PoseOf(bodies[i]).box;
      for (PairTruth& q : pair_truth) {
        const Body& a = bodies[q.a];
        const Body& b = bodies[q.b];
        const BoxPx& ba = fine_box[q.a];
        const BoxPx& bb = fine_box[q.b];
        const double d = kMPerPx * std::hypot(ba.cx() - bb.cx(), (ba.y + ba.h) - (bb.y + bb.h));
        const double closing = q.prev_d < 0 ? 0 : (q.prev_d - d) / dt;
        q.prev_d = d;
        q.closing[ring % keep] = closing;
        const std::array<double, 2> vrel = {a.v * std::cos(a.heading) - b.v * std::cos(b.heading),
                                            a.v * std::sin(a.heading) - b.v * std::sin(b.heading)};
        q.vrel[ring % (keep + 1)] = vrel;
        const std::vector<TrackId> ids = {std::min(a.id, b.id), std::max(a.id, b.id)};
        // Converging: closing run, then the closest approach (while the distance still falls).
        const ConvergingRule& cr = o.rules.converging;
        if (closing >= cr.min_closing_speed_mps && q.run_start < 0) {
          q.run_start = t;
          q.min_d = 1e9;
        }
        if (q.run_start >= 0) {
          if (d < q.min_d) {
            q.min_d = d;
            q.min_t = t;
          }
          if (closing < cr.min_closing_speed_mps && q.run_end < 0) q.run_end = t;
          if (q.run_end >= 0 && closing <= 0) {
            if (q.run_end - q.run_start >= cr.min_duration_s && q.min_d <= cr.max_end_distance_m) {
              sc.truth.push_back(Truth("converging", ids, q.run_start, q.min_t, q.run_end));
            }
            q.run_start = q.run_end = -1;
          }
        }
        // Contact, from the true boxes (only near: they cannot overlap beyond a few metres).
        double ov = 0;
        if (d < 3) {
          // Same depth, similar size, not one body (README: contact rules).
          const double depth_gap = std::abs((ba.y + ba.h) - (bb.y + bb.h));
          const bool same_depth = depth_gap <= o.rules.contact.max_depth_gap * 0.5 * (ba.h + bb.h);
          ov = same_depth ? Overlap(ba, bb) : 0;
        }
        if (ov >= o.rules.contact.min_overlap && q.ov_start < 0 && q.ov_end < 0) {
          q.ov_start = t;
          q.ov_max = 0;
          q.ov_close = *std::max_element(q.closing.begin(), q.closing.end());
          q.v_before = q.vrel[(ring + 1) % (keep + 1)];  // closing_window_s ago
        }
        if (q.ov_start >= 0) {
          if (ov >= o.rules.contact.min_overlap && q.ov_end < 0 && ov > q.ov_max) {
            q.ov_max = ov;
            q.ov_peak = t;
          }
          if (ov < o.rules.contact.min_overlap && q.ov_end < 0) q.ov_end = t;
          if (t >= q.ov_start + o.rules.contact.closing_window_s && q.v_change < 0) {
            const auto& u = q.v_before;
            q.v_change =
                std::hypot(vrel[0] - u[0], vrel[1] - u[1]) / std::max(std::hypot(u[0], u[1]), 0.1);
          }
          if (q.ov_end >= 0 && q.v_change >= 0) {
            if (q.ov_close >= o.rules.contact.min_closing_speed_mps &&
                q.v_change >= o.rules.contact.min_velocity_change) {
              sc.truth.push_back(Truth("contact", ids, q.ov_start, q.ov_peak, q.ov_end));
            }
            q.ov_start = q.ov_end = q.v_change = -1;
          }
        }
      }
      ++ring;
    }
  }
  // Moments still going on when the series ends end with it.
  const double t_end = (frames - 1) / o.fps;
  for (Body& b : bodies) {
    if (b.was_down) {
      sc.truth.push_back(Truth("fall", {b.id}, b.fall_upright_t, b.fall_impact_t,
                               std::min(t_end, b.fall_impact_t + 3.0)));
    }
    if (b.run_start[0] >= 0 && t_end - b.run_start[0] >= o.rules.sprint.min_duration_s) {
      sc.truth.push_back(Truth("sprint", {b.id}, b.run_start[0], t_end, t_end));
    }
  }
  // Repetitions of the gym athlete (given by kinematics, passed through).
  RepetitionSummary reps;
  if (o.gym) {
    reps.signal = "angle_elbow_left_deg";
    reps.period_s = 2.5;
    reps.periodicity = 0.95;
    for (double t0 = 2.5; t0 + 2.5 <= o.duration_s - 2.5; t0 += 2.5) {
      Repetition rep;
      rep.start_s = t0;
      rep.peak_s = t0 + 1.25;
      rep.end_s = t0 + 2.5;
      rep.range = 130;
      rep.peak_value = 130;
      rep.duration_s = 2.5;
      rep.up_s = rep.down_s = 1.25;
      reps.repetitions.push_back(rep);
      sc.truth.push_back(Truth("repetition", {bodies[gym].id}, rep.start_s, rep.peak_s, rep.end_s));
      sc.truth.back().label = reps.signal;
    }
  }
  // Samples: noise and gaps.
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t i = 0; i < nb; ++i) {
    AthleteSeries s;
    AthleteKinematics k;
    s.id = k.id = bodies[i].id;
    k.sample_rate_hz = o.fps;
    k.scale.source = "height_upright";
    k.scale.m_per_px = kMPerPx;
    k.scale.height_m = kStature;
    k.markers.names = MarkerNames();
    k.markers.units = "m";
    k.markers.source = "image";
    KinematicSignal cx{"com_x_m", "m", {}}, cy{"com_y_m", "m", {}};
    std::vector<std::uint8_t> seen(static_cast<size_t>(frames), 1);
    const double gap_p = o.gaps_per_min / 60.0 / o.fps;
    for (int f = 0; f < frames; ++f) {
      if (gap_p > 0 && u(rng) < gap_p) {
        const int len = static_cast<int>((0.1 + (o.gap_max_s - 0.1) * u(rng)) * o.fps);
        for (int g = f; g < std::min(frames, f + len); ++g) seen[static_cast<size_t>(g)] = 0;
      }
    }
    Ar1 ncx, ncy, nbx, nby;
    std::array<Ar1, kNumM * 2> nm;
    for (int f = 0; f < frames; ++f) {
      const Pose& p = poses[i][static_cast<size_t>(f)];
      const double t = f / o.fps;
      k.frames.push_back(f);
      k.time_s.push_back(t);
      const bool ok = seen[static_cast<size_t>(f)] != 0;
      cx.values.push_back(ok ? p.com_x + ncx.Next(rng, o.noise_com_m) : kNaN);
      cy.values.push_back(ok ? p.com_y + ncy.Next(rng, o.noise_com_m) : kNaN);
      for (int m = 0; m < kNumM; ++m) {
        for (int c = 0; c < 2; ++c) {
          k.markers.xyz.push_back(ok ? p.p[m][c] + nm[m * 2 + c].Next(rng, o.noise_keypoint_m)
                                     : kNaN);
        }
        k.markers.xyz.push_back(ok ? 0.0 : kNaN);
      }
      if (!ok) continue;
      AthleteSample smp;
      smp.frame.index = f;
      smp.frame.pts = Micros(static_cast<std::int64_t>(std::llround(t * 1e6)));
      smp.frame.width_px = 1920;
      smp.frame.height_px = kImageH;
      smp.time_s = t;
      smp.box = p.box;
      const double bx = nbx.Next(rng, o.noise_keypoint_m) / kMPerPx;
      const double by = nby.Next(rng, o.noise_keypoint_m) / kMPerPx;
      smp.box.x += static_cast<float>(bx);
      smp.box.y += static_cast<float>(by);
      smp.score = 0.9f;
      s.samples.push_back(smp);
    }
    k.signals.push_back(std::move(cx));
    k.signals.push_back(std::move(cy));
    if (o.gym && i == gym) k.repetitions = reps;
    sc.series.push_back(std::move(s));
    sc.kinematics.push_back(std::move(k));
  }
  // Events scripted to end after the last sample are not in the series.
  std::erase_if(sc.truth, [t_end](const KeyMoment& m) { return m.end_s > t_end + 1e-9; });
  std::sort(sc.truth.begin(), sc.truth.end(),
            [](const KeyMoment& a, const KeyMoment& b) { return a.start_s < b.start_s; });
  return sc;
}

}  // namespace monokin::moments::synth
