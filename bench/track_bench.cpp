// SPDX-License-Identifier: Apache-2.0
// Tracker and assignment solver speed on generated inputs.
//   build-x/bench/track_bench --benchmark_filter=Sort
// BM_SortUpdate/people:N: one SORT update per frame of N walkers (30 fps, 2 px jitter, 2
// clutter boxes a frame); the time shown is per frame. BM_Assignment/n: n x n uniform costs,
// gate 0.7.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "monokin/core/assignment.h"
#include "monokin/track/sort_tracker.h"
#include "monokin/track/synthetic_scene.h"

namespace monokin::track {
namespace {

void BM_SortUpdate(benchmark::State& state) {
  const int people = static_cast<int>(state.range(0));
  testing::SceneOptions scene;
  scene.duration_s = 10;
  scene.jitter_px = 2;
  scene.clutter = 2;
  const std::vector<testing::SceneFrame> frames =
      MakeScene(testing::GridWalkers(people, scene.width_px, 7), scene);
  auto tracker = std::make_unique<SortTracker>(TrackerOptions{});
  size_t next = 0, reported = 0;
  for (auto _ : state) {
    if (next == frames.size()) {  // start the clip again with a fresh tracker
      state.PauseTiming();
      tracker = std::make_unique<SortTracker>(TrackerOptions{});
      next = 0;
      state.ResumeTiming();
    }
    const testing::SceneFrame& f = frames[next++];
    reported = tracker->Update(f.info, f.detections).size();
    benchmark::DoNotOptimize(reported);
  }
  state.counters["tracks"] = static_cast<double>(reported);
}
BENCHMARK(BM_SortUpdate)
    ->ArgName("people")
    ->Arg(10)
    ->Arg(30)
    ->Arg(100)
    ->Unit(benchmark::kMicrosecond);

void BM_Assignment(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<double> cost(static_cast<size_t>(n) * n);
  for (double& x : cost) x = unit(rng);
  for (auto _ : state) {
    AssignmentResult r = SolveAssignment(cost, n, n, 0.7);
    benchmark::DoNotOptimize(r.matches.data());
  }
}
BENCHMARK(BM_Assignment)->Arg(10)->Arg(30)->Arg(100)->Arg(300)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace monokin::track

BENCHMARK_MAIN();
