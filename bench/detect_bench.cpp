// SPDX-License-Identifier: Apache-2.0
// Person detector speed on a real frame (vtest.avi frame 100, 768x576, 8 walkers).
//   build-x/bench/detect_bench --benchmark_filter=Hog
// BM_HogDetect/upscale_x10:N runs the HOG backend with hog_upscale = N / 10.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "monokin/detect/detector.h"
#include "monokin/detect/vtest_frames.h"

namespace monokin::detect {
namespace {

constexpr int kThreads = 2;  // the reference machine's core count

const cv::Mat& Frame() {
  static const cv::Mat frame = testing::ReadVtestFrame(100);
  return frame;
}

void RunDetector(benchmark::State& state, const DetectorOptions& options) {
  if (Frame().empty()) {
    state.SkipWithError("vtest.avi not found (install opencv-doc)");
    return;
  }
  auto det = MakeDetector(options);
  if (!det.ok()) {
    state.SkipWithError(det.status().message().c_str());
    return;
  }
  size_t people = 0;
  for (auto _ : state) {
    auto found = (*det)->Detect(Frame());
    if (!found.ok()) {
      state.SkipWithError(found.status().message().c_str());
      return;
    }
    people = found->size();
    benchmark::DoNotOptimize(people);
  }
  state.counters["people"] = static_cast<double>(people);
  state.counters["fps"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_HogDetect(benchmark::State& state) {
  DetectorOptions o;
  o.backend = "hog";
  o.threads = kThreads;
  o.hog_upscale = static_cast<float>(state.range(0)) / 10;
  RunDetector(state, o);
}
BENCHMARK(BM_HogDetect)
    ->ArgName("upscale_x10")
    ->Arg(10)
    ->Arg(15)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_YoloxDetect(benchmark::State& state) {
  DetectorOptions o;
  o.backend = "yolox";
  o.threads = kThreads;
  o.model_path = std::string(MONOKIN_SOURCE_DIR) +
                 "/../shared/data/models/yolox_nano_416/yolox_nano_416x416.onnx";
  if (!std::filesystem::exists(o.model_path)) {
    state.SkipWithError(("no YOLOX model at " + o.model_path).c_str());
    return;
  }
  RunDetector(state, o);
}
BENCHMARK(BM_YoloxDetect)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace monokin::detect

BENCHMARK_MAIN();
