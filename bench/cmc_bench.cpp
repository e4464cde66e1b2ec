// SPDX-License-Identifier: Apache-2.0
// Camera-motion compensation cost per 1080p frame, on real frames (OpenCV's vtest.avi, scaled
// up to 1920x1080).
//   build-x/bench/cmc_bench
// BM_CmcPan/max_width:W: mode "on", a synthetic pan of 6 px a frame (back and forth) through
// real consecutive frames, 5 person boxes masked, frames downscaled to W px wide.
// BM_CmcStatic/mode:M: the same frames without the pan (a static camera) in mode "on" (0) and
// "auto" (1, measured after static_after_s of warm-up: one re-check a second at 30 fps).
//
//   build-x/bench/cmc_bench --track VIDEO [max_width] [--mask-moving]
// prints the estimated per-frame motion of a real clip as CSV, next to an independent
// whole-frame translation from phase correlation, to judge whether it is plausible. No person
// boxes are masked, or with --mask-moving the boxes around what changed since the previous
// frame (a stand-in for person detections that is only right for a static camera).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "monokin/track/camera_motion.h"

namespace monokin::track {
namespace {

constexpr const char* kVtestPath = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
constexpr int kFrames = 16;        // played forth and back, so the motion stays continuous
constexpr int kPanPxPerFrame = 6;  // a brisk pan at 30 fps: 180 px/s on a 1920 px frame
constexpr double kFps = 30;
const cv::Size kFullHd(1920, 1080);

// Real consecutive frames scaled up to 2112 px wide; empty when the clip is missing.
const std::vector<cv::Mat>& Scaled() {
  static const std::vector<cv::Mat> frames = [] {
    std::vector<cv::Mat> out;
    cv::VideoCapture video(kVtestPath);
    cv::Mat f;
    while (static_cast<int>(out.size()) < kFrames && video.read(f)) {
      cv::Mat big;
      cv::resize(f, big, cv::Size(2112, 1584), 0, 0, cv::INTER_LINEAR);
      out.push_back(big);
    }
    if (static_cast<int>(out.size()) < kFrames) out.clear();
    return out;
  }();
  return frames;
}

// The k-th frame of an endless forth-and-back play, as a 1080p view (a copy, like a decoder's
// fresh buffer) that pans when `pan` is set.
cv::Mat View(int64_t k, bool pan) {
  const int period = 2 * (kFrames - 1);
  const int phase = static_cast<int>(k % period);
  const int i = phase < kFrames ? phase : period - phase;
  const int x = pan ? 40 + kPanPxPerFrame * i : 100;
  return Scaled()[i](cv::Rect(cv::Point(x, 250), kFullHd)).clone();
}

FrameInfo Info(int64_t k) {
  FrameInfo f;
  f.index = k;
  f.pts = Micros(std::llround(k * 1e6 / kFps));
  f.width_px = kFullHd.width;
  f.height_px = kFullHd.height;
  return f;
}

const std::vector<BoxPx> kPeople{{200, 300, 120, 320},
                                 {700, 500, 100, 260},
                                 {1100, 250, 150, 400},
                                 {1500, 600, 90, 240},
                                 {900, 100, 60, 160}};

void Run(benchmark::State& state, CameraMotionOptions options, bool pan, int64_t warmup) {
  if (Scaled().empty()) {
    state.SkipWithError("needs /usr/share/doc/opencv-doc/examples/data/vtest.avi");
    return;
  }
  // Prebuilt views, so that only the estimator is timed.
  std::vector<cv::Mat> views;
  for (int k = 0; k < 2 * (kFrames - 1); ++k) views.push_back(View(k, pan));
  CameraMotionEstimator cmc(options);
  int64_t k = 0;
  for (; k < warmup; ++k) cmc.Estimate(views[k % views.size()], Info(k), kPeople);
  int64_t estimated = 0, frames = 0;
  double inliers = 0;
  for (auto _ : state) {
    const CameraMotion m = cmc.Estimate(views[k % views.size()], Info(k), kPeople);
    ++k;
    ++frames;
    estimated += m.estimated;
    inliers += m.inliers;
  }
  state.counters["estimated"] = static_cast<double>(estimated) / static_cast<double>(frames);
  state.counters["inliers"] = estimated > 0 ? inliers / static_cast<double>(estimated) : 0;
}

void BM_CmcPan(benchmark::State& state) {
  CameraMotionOptions o;
  o.mode = "on";
  o.max_width_px = static_cast<double>(state.range(0));
  Run(state, o, /*pan=*/true, /*warmup=*/1);
}
BENCHMARK(BM_CmcPan)
    ->ArgName("max_width")
    ->Arg(320)
    ->Arg(640)
    ->Arg(960)
    ->Unit(benchmark::kMillisecond);

void BM_CmcStatic(benchmark::State& state) {
  CameraMotionOptions o;
  o.mode = state.range(0) == 0 ? "on" : "auto";
  // Warm-up past static_after_s, so that "auto" is measured in its static regime.
  const auto warmup = static_cast<int64_t>(std::ceil((o.static_after_s + 0.5) * kFps));
  Run(state, o, /*pan=*/false, warmup);
}
BENCHMARK(BM_CmcStatic)->ArgName("mode")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// --track VIDEO [max_width]: per-frame motion of a real clip, CSV on stdout.
// Boxes around the blobs that changed between two gray frames (full resolution).
std::vector<BoxPx> ChangedRegions(const cv::Mat& previous, const cv::Mat& gray) {
  std::vector<BoxPx> boxes;
  if (previous.empty()) return boxes;
  cv::Mat diff, labels, stats, centroids;
  cv::absdiff(previous, gray, diff);
  diff.convertTo(diff, CV_8U);
  cv::threshold(diff, diff, 25, 255, cv::THRESH_BINARY);
  cv::dilate(diff, diff, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(31, 31)));
  const int n = cv::connectedComponentsWithStats(diff, labels, stats, centroids);
  for (int i = 1; i < n; ++i) {
    boxes.push_back({static_cast<float>(stats.at<int>(i, cv::CC_STAT_LEFT)),
                     static_cast<float>(stats.at<int>(i, cv::CC_STAT_TOP)),
                     static_cast<float>(stats.at<int>(i, cv::CC_STAT_WIDTH)),
                     static_cast<float>(stats.at<int>(i, cv::CC_STAT_HEIGHT))});
  }
  return boxes;
}

int TrackVideo(const std::string& path, double max_width, bool mask_moving) {
  cv::VideoCapture video(path);
  if (!video.isOpened()) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    return 3;
  }
  const double fps = video.get(cv::CAP_PROP_FPS) > 0 ? video.get(cv::CAP_PROP_FPS) : kFps;
  CameraMotionOptions o;
  o.mode = "on";
  o.max_width_px = max_width;
  CameraMotionEstimator cmc(o);
  std::printf("frame,t_s,estimated,inliers,tx_px,ty_px,zoom,rot_deg,phase_dx_px,phase_dy_px\n");
  cv::Mat frame, gray, previous, window;
  double sum_abs_tx = 0, sum_abs_diff = 0;
  int n = 0, both = 0, moved = 0;
  for (int64_t k = 0; video.read(frame); ++k) {
    FrameInfo info;
    info.index = k;
    info.pts = Micros(std::llround(k * 1e6 / fps));
    info.width_px = frame.cols;
    info.height_px = frame.rows;
    cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
    gray.convertTo(gray, CV_32F);
    const std::vector<BoxPx> boxes =
        mask_moving ? ChangedRegions(previous, gray) : std::vector<BoxPx>{};
    const CameraMotion m = cmc.Estimate(frame, info, boxes);
    // Phase correlation of the whole frame: a translation-only estimate that shares nothing
    // with the corner tracker.
    if (window.empty()) cv::createHanningWindow(window, gray.size(), CV_32F);
    cv::Point2d phase(NAN, NAN);
    if (!previous.empty()) phase = cv::phaseCorrelate(previous, gray, window);
    previous = gray.clone();
    const cv::Matx23d& a = m.affine;
    const double zoom = std::sqrt(a(0, 0) * a(1, 1) - a(0, 1) * a(1, 0));
    const double deg = std::atan2(a(1, 0), a(0, 0)) * 180 / M_PI;
    std::printf("%lld,%.3f,%d,%d,%.2f,%.2f,%.4f,%.3f,%.2f,%.2f\n", static_cast<long long>(k),
                static_cast<double>(k) / fps, m.estimated ? 1 : 0, m.inliers, a(0, 2), a(1, 2),
                zoom, deg, phase.x, phase.y);
    if (m.estimated) {
      ++n;
      sum_abs_tx += std::abs(a(0, 2));
      moved += std::hypot(a(0, 2), a(1, 2)) > 2;
      if (!std::isnan(phase.x)) {
        ++both;
        sum_abs_diff += std::hypot(a(0, 2) - phase.x, a(1, 2) - phase.y);
      }
    }
  }
  std::fprintf(stderr,
               "%s: %d frames estimated, mean |tx| %.2f px/frame, mean |cmc - phase| %.2f px "
               "over %d frames, %d frames moved > 2 px\n",
               path.c_str(), n, n > 0 ? sum_abs_tx / n : 0.0, both > 0 ? sum_abs_diff / both : 0.0,
               both, moved);
  return 0;
}

}  // namespace
}  // namespace monokin::track

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "--track") {
    double max_width = 640;
    bool mask_moving = false;
    for (int i = 3; i < argc; ++i) {
      if (std::string(argv[i]) == "--mask-moving") {
        mask_moving = true;
      } else {
        max_width = std::stod(argv[i]);
      }
    }
    return monokin::track::TrackVideo(argv[2], max_width, mask_moving);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
