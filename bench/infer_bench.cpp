// SPDX-License-Identifier: Apache-2.0
// Inference speed of the BlazePose models on monokin's own TFLite executor.
//   build-x/bench/infer_bench --benchmark_filter=BM_Landmark
// Reports ms per Run() (wall time; threads:2 uses the model's own 2-thread pool) and, as
// counters: GMAC (multiply-adds of one run, counted from the graph), GFLOPs (2 x GMAC per wall
// second), cpu_ms (process CPU time per run, all threads: what to compare on a loaded machine),
// rss_MB (resident memory with this model loaded) and peak_rss_MB (the process's peak so far).
// BM_AllFourModels loads the four models together and reports the memory they take.
// Skips a model whose file is missing (run scripts/setup).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "monokin/infer/model.h"

namespace {

const std::string kDir = std::string(MONOKIN_SOURCE_DIR) + "/models/node_modules/@mediapipe/pose/";

double RssMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * 4096.0 / (1 << 20);
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

void RunModel(benchmark::State& state, const std::string& file) {
  const std::string path = kDir + file;
  if (!std::filesystem::exists(path)) {
    state.SkipWithError((path + " missing; run scripts/setup").c_str());
    return;
  }
  auto model = monokin::infer::LoadTfliteModel(path, {.threads = static_cast<int>(state.range(0))});
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  const auto& spec = (*model)->inputs()[0];
  std::size_t n = 1;
  for (int d : spec.shape) n *= d;
  monokin::infer::Tensor in{spec.name, spec.shape, std::vector<float>(n)};
  for (std::size_t i = 0; i < n; ++i) in.data[i] = static_cast<float>(i % 255) / 255.0f;
  const double rss = RssMb();
  const double cpu0 = ProcessCpuSeconds();
  for (auto _ : state) {
    auto out = (*model)->Run({&in, 1});
    benchmark::DoNotOptimize(out);
  }
  const double cpu = ProcessCpuSeconds() - cpu0;
  const double macs = static_cast<double>((*model)->multiply_adds());
  state.counters["GMAC"] = macs / 1e9;
  state.counters["GFLOPs"] =
      benchmark::Counter(2 * macs / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["cpu_ms"] =
      1e3 * cpu / static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
  state.counters["rss_MB"] = rss;
  state.counters["peak_rss_MB"] = PeakRssMb();
}

// All four models loaded at once (what an analysis with detector and one landmark model per
// size would hold), each run once so the activations are touched too.
void BM_AllFourModels(benchmark::State& state) {
  for (auto _ : state) {
    const double before = RssMb();
    std::vector<std::unique_ptr<monokin::infer::Model>> models;
    for (const char* file : {"pose_landmark_heavy.tflite", "pose_landmark_full.tflite",
                             "pose_landmark_lite.tflite", "pose_solution_packed_assets.data"}) {
      if (!std::filesystem::exists(kDir + file)) {
        state.SkipWithError((kDir + file + " missing; run scripts/setup").c_str());
        return;
      }
      auto model = monokin::infer::LoadTfliteModel(kDir + file, {.threads = 1});
      if (!model.ok()) {
        state.SkipWithError(model.status().ToString().c_str());
        return;
      }
      models.push_back(std::move(*model));
    }
    for (auto& m : models) {
      const auto& spec = m->inputs()[0];
      std::size_t n = 1;
      for (int d : spec.shape) n *= d;
      monokin::infer::Tensor in{spec.name, spec.shape, std::vector<float>(n, 0.5f)};
      auto out = m->Run({&in, 1});
      benchmark::DoNotOptimize(out);
    }
    state.counters["rss_MB"] = RssMb();
    state.counters["rss_added_MB"] = RssMb() - before;
    state.counters["peak_rss_MB"] = PeakRssMb();
  }
}

void BM_Landmark_lite(benchmark::State& s) { RunModel(s, "pose_landmark_lite.tflite"); }
void BM_Landmark_full(benchmark::State& s) { RunModel(s, "pose_landmark_full.tflite"); }
void BM_Landmark_heavy(benchmark::State& s) { RunModel(s, "pose_landmark_heavy.tflite"); }
void BM_Detector(benchmark::State& s) { RunModel(s, "pose_solution_packed_assets.data"); }

// First, so that its peak is not the other benchmarks' leftovers.
BENCHMARK(BM_AllFourModels)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Landmark_lite)
    ->Name("BM_Landmark/lite")
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Landmark_full)
    ->Name("BM_Landmark/full")
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Landmark_heavy)
    ->Name("BM_Landmark/heavy")
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Detector)
    ->Name("BM_Detector")
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
