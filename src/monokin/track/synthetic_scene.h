// SPDX-License-Identifier: Apache-2.0
// Test and bench helper: detection sequences of people ("walkers") moving in straight lines,
// with hidden intervals (dropouts), pixel jitter and clutter, at a chosen frame rate. Seeded, so
// a failure reproduces.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "monokin/core/types.h"

namespace monokin::track::testing {

struct Walker {
  BoxPx start;  // box at its appear time
  float vx_pxps = 0, vy_pxps = 0;
  double appear_s = 0;
  double leave_s = std::numeric_limits<double>::infinity();
  std::vector<std::pair<double, double>> hidden_s;  // [from, to) intervals without detection

  BoxPx BoxAt(double t_s) const {
    const float dt = static_cast<float>(t_s - appear_s);
    return {start.x + vx_pxps * dt, start.y + vy_pxps * dt, start.w, start.h};
  }
  bool VisibleAt(double t_s) const {
    if (t_s < appear_s || t_s >= leave_s) return false;
    for (const auto& [from, to] : hidden_s) {
      if (t_s >= from && t_s < to) return false;
    }
    return true;
  }
};

struct SceneFrame {
  FrameInfo info;
  std::vector<Detection> detections;  // shuffled
  std::vector<int> walker;            // per detection: index into the walkers, -1 for clutter
};

struct SceneOptions {
  double fps = 30;
  double duration_s = 3;
  float jitter_px = 0;  // uniform noise on each box coordinate, +-jitter_px
  int clutter = 0;      // random one-frame false detections per frame
  float clutter_score = 0.4f;
  int width_px = 1280, height_px = 720;
  std::uint32_t seed = 1;
};

inline std::vector<SceneFrame> MakeScene(const std::vector<Walker>& walkers,
                                         const SceneOptions& o) {
  std::mt19937 rng(o.seed);
  std::uniform_real_distribution<float> jitter(-o.jitter_px, o.jitter_px);
  std::uniform_real_distribution<float> score(0.6f, 0.95f);
  std::uniform_real_distribution<float> ux(0, static_cast<float>(o.width_px - 40));
  std::uniform_real_distribution<float> uy(0, static_cast<float>(o.height_px - 100));
  std::vector<SceneFrame> frames;
  const int n = static_cast<int>(o.duration_s * o.fps + 0.5);
  for (int i = 0; i < n; ++i) {
    SceneFrame f;
    const double t = i / o.fps;
    f.info = {.index = i,
              .pts = Micros(static_cast<std::int64_t>(t * 1e6 + 0.5)),
              .width_px = o.width_px,
              .height_px = o.height_px};
    for (size_t w = 0; w < walkers.size(); ++w) {
      if (!walkers[w].VisibleAt(t)) continue;
      BoxPx b = walkers[w].BoxAt(t);
      if (o.jitter_px > 0) b = {b.x + jitter(rng), b.y + jitter(rng), b.w + jitter(rng), b.h};
      f.detections.push_back({b, score(rng), 0});
      f.walker.push_back(static_cast<int>(w));
    }
    for (int c = 0; c < o.clutter; ++c) {
      f.detections.push_back({{ux(rng), uy(rng), 40, 100}, o.clutter_score, 0});
      f.walker.push_back(-1);
    }
    std::vector<size_t> order(f.detections.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::shuffle(order.begin(), order.end(), rng);
    SceneFrame shuffled{f.info, {}, {}};
    for (size_t k : order) {
      shuffled.detections.push_back(f.detections[k]);
      shuffled.walker.push_back(f.walker[k]);
    }
    frames.push_back(std::move(shuffled));
  }
  return frames;
}

// `n` walkers on a grid, each moving in its own direction at 20-80 px/s, never overlapping
// for the first few seconds (for benchmarks and crowd tests).
inline std::vector<Walker> GridWalkers(int n, int width_px, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> speed(-40, 40);
  std::vector<Walker> out;
  const int per_row = std::max(1, width_px / 120);
  for (int i = 0; i < n; ++i) {
    Walker w;
    w.start = {20.0f + 120.0f * (i % per_row), 20.0f + 220.0f * (i / per_row), 40, 100};
    w.vx_pxps = speed(rng);
    w.vy_pxps = speed(rng);
    out.push_back(w);
  }
  return out;
}

}  // namespace monokin::track::testing
