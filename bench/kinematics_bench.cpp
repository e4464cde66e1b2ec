// SPDX-License-Identifier: Apache-2.0
// One athlete's full kinematics (swap repair, cleaning, 2D+3D angles and derivatives, speeds,
// centre of mass, scale, repetitions, gait) for 10 minutes of 30 fps video: 18000 samples of a
// synthetic runner with keypoint noise and world landmarks. Target: <= 50 ms offline.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <random>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/resource.h>

#include "monokin/kinematics/kinematics.h"
#include "monokin/kinematics/synthetic.h"

namespace {

using namespace monokin;
using namespace monokin::kinematics;

// Minor page faults of this process so far (memory touched for the first time).
double MinorFaults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_minflt);
}

AthleteSeries MakeRunner(int n) {
  std::mt19937 rng(1);
  std::normal_distribution<double> noise(0, 2.0);
  std::vector<FrameResult> frames;
  frames.reserve(n);
  for (int t = 0; t < n; ++t) {
    const double time = t / 30.0;
    const Skeleton w =
        synth::MakeSagittalWorld(synth::RunningPose(2 * std::numbers::pi * 1.4 * time), 1.75);
    Skeleton img = synth::ProjectToImage(w, 300, {640 + 100 * std::sin(time / 5), 500, 0});
    for (Vec3& v : img) {
      v.x += noise(rng);
      v.y += noise(rng);
    }
    FrameResult f;
    f.frame.index = t;
    f.frame.pts = Micros(static_cast<std::int64_t>(std::llround(time * 1e6)));
    f.frame.width_px = 1280;
    f.frame.height_px = 720;
    Athlete a;
    a.id = 1;
    a.pose = synth::ToPersonPose(img, &w, 1);
    f.athletes.push_back(std::move(a));
    frames.push_back(std::move(f));
  }
  return BuildAthleteSeries(frames).at(0);
}

void BM_AthleteKinematics(benchmark::State& state) {
  static const AthleteSeries series = MakeRunner(static_cast<int>(state.range(0)));
  KinematicsOptions o;
  o.causal = state.range(1) != 0;
  const double faults0 = MinorFaults();
  for (auto _ : state) {
    Result<AthleteKinematics> k = ComputeKinematics(series, o);
    benchmark::DoNotOptimize(k);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["faults"] =
      benchmark::Counter(MinorFaults() - faults0, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_AthleteKinematics)
    ->ArgNames({"samples", "causal"})
    ->Args({18000, 0})
    ->Args({18000, 1})
    ->Unit(benchmark::kMillisecond);

// The same with the freed heap returned to the system before every call (untimed), so that each
// call touches fresh memory for its ~45 MB of outputs, as a single call in a new process does.
// Whether glibc does that by itself between the calls above depends on the heap layout, which
// makes their figure jump by the cost of those page faults (~12k per call).
void BM_AthleteKinematicsFreshMemory(benchmark::State& state) {
  static const AthleteSeries series = MakeRunner(static_cast<int>(state.range(0)));
  KinematicsOptions o;
  o.causal = state.range(1) != 0;
  const double faults0 = MinorFaults();
  for (auto _ : state) {
#if defined(__GLIBC__)
    state.PauseTiming();
    malloc_trim(0);
    state.ResumeTiming();
#endif
    Result<AthleteKinematics> k = ComputeKinematics(series, o);
    benchmark::DoNotOptimize(k);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["faults"] =
      benchmark::Counter(MinorFaults() - faults0, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_AthleteKinematicsFreshMemory)
    ->ArgNames({"samples", "causal"})
    ->Args({18000, 0})
    ->Args({18000, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace

// One heap policy for every benchmark here: glibc's default moves its thresholds with the sizes
// freed so far and trims the heap whenever the top free block grows past one, so whether memory
// freed by one call is returned to the system before the next (and page-faulted again) depended
// on the heap layout: 8k faults per call or 0.3k from an unrelated 16 KB allocation. Kept: the
// heap is reused between calls (BM_AthleteKinematics, a long-running process), or explicitly
// returned before each (BM_AthleteKinematicsFreshMemory, a first call). Counter "faults": page
// faults per call.
int main(int argc, char** argv) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
