// SPDX-License-Identifier: Apache-2.0
// Inference speed of the BlazePose models on monokin's own TFLite executor.
//   build-x/bench/infer_bench --benchmark_filter=BM_Landmark
// Reports ms per Run() and, as counters, the multiply-adds (GMAC) and the GFLOP/s reached
// (2 flops per multiply-add). Skips a model whose file is missing (run scripts/setup).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "monokin/infer/model.h"

namespace {

const std::string kDir = std::string(MONOKIN_SOURCE_DIR) + "/models/node_modules/@mediapipe/pose/";

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
  for (auto _ : state) {
    auto out = (*model)->Run({&in, 1});
    benchmark::DoNotOptimize(out);
  }
  const double macs = static_cast<double>((*model)->multiply_adds());
  state.counters["GMAC"] = macs / 1e9;
  state.counters["GFLOPs"] =
      benchmark::Counter(2 * macs / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Landmark_lite(benchmark::State& s) { RunModel(s, "pose_landmark_lite.tflite"); }
void BM_Landmark_full(benchmark::State& s) { RunModel(s, "pose_landmark_full.tflite"); }
void BM_Landmark_heavy(benchmark::State& s) { RunModel(s, "pose_landmark_heavy.tflite"); }
void BM_Detector(benchmark::State& s) { RunModel(s, "pose_solution_packed_assets.data"); }

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
