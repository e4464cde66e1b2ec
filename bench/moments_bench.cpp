// SPDX-License-Identifier: Apache-2.0
// All key-moment detectors on 10 minutes of 30 fps series for 22 athletes (18 with the single
// program, 2 pairs; synthetic, with noise and gaps). Target: <= 200 ms offline.
// Also one live update (MomentStream over the last live_window_s seconds of the same data).
#include <benchmark/benchmark.h>

#include "monokin/moments/moments.h"
#include "monokin/moments/synthetic.h"

namespace {

using namespace monokin;
using namespace monokin::moments;

const synth::Scenario& Scenario() {
  static const synth::Scenario sc = [] {
    synth::SynthOptions so;
    so.duration_s = 600;
    so.singles = 18;
    so.pairs = 2;
    so.gym = false;
    so.noise_com_m = 0.02;
    so.noise_keypoint_m = 0.03;
    so.gaps_per_min = 2;
    return synth::MakeScenario(so);
  }();
  return sc;
}

void BM_DetectMoments(benchmark::State& state) {
  const synth::Scenario& sc = Scenario();
  const MomentsOptions o;
  size_t found = 0;
  for (auto _ : state) {
    Result<std::vector<KeyMoment>> m = DetectMoments(sc.series, sc.kinematics, o);
    found = m.ok() ? m->size() : 0;
    benchmark::DoNotOptimize(m);
  }
  state.counters["athletes"] = static_cast<double>(sc.series.size());
  state.counters["moments"] = static_cast<double>(found);
  state.counters["truth"] = static_cast<double>(sc.truth.size());
}
BENCHMARK(BM_DetectMoments)->Unit(benchmark::kMillisecond);

void BM_LiveUpdate(benchmark::State& state) {
  const synth::Scenario& sc = Scenario();
  Result<MomentStream> stream = MomentStream::Create(MomentsOptions{});
  double now = 300;
  for (auto _ : state) {
    std::vector<KeyMoment> m = stream->Update(sc.series, sc.kinematics, now);
    benchmark::DoNotOptimize(m);
    now += 1.0 / 30;
  }
}
BENCHMARK(BM_LiveUpdate)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
