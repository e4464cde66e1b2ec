// SPDX-License-Identifier: Apache-2.0
// The bench app: per-stage milliseconds per frame, fps, decode-alone fps, and the speed-up of the
// concurrent Engine over running the same stages one after another, for one video.
//
//   build/bench/monokin_bench VIDEO [--detector hog|yolox] [--detector-model M] [--frames N]
//                             [--pose none|lite|full|heavy] [--json]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "monokin/core/log.h"
#include "monokin/core/version.h"
#include "monokin/pipeline/blazepose_person_detector.h"
#include "monokin/pipeline/engine.h"

namespace monokin {
namespace {

using Clock = std::chrono::steady_clock;

struct Sequential {
  double fps = 0;
  std::vector<pipeline::StageSummary> stages;
};

// The same stages, one after another on one thread, for comparison with the Engine.
Result<Sequential> RunSequential(const pipeline::EngineOptions& o) {
  MK_ASSIGN_OR_RETURN(auto source, video::OpenSource(o.source));
  MK_ASSIGN_OR_RETURN(auto detector, pipeline::MakePersonDetector(o));
  MK_ASSIGN_OR_RETURN(auto tracker, track::MakeTracker(o.track));
  std::unique_ptr<pose::PoseEstimator> pose;
  if (o.pose.model != "none") {
    MK_ASSIGN_OR_RETURN(pose, pose::MakePoseEstimator(o.pose));
  }
  MK_ASSIGN_OR_RETURN(auto outputs, output::RunOutputs::Create(o.out_dir + "-seq", o.output,
                                                               source->info().fps));
  pipeline::StageStats decode("decode"), det("detect"), trk("track"), pos("pose"), wri("write");
  const auto start = Clock::now();
  long long n = 0;
  while (o.run.max_frames == 0 || n < o.run.max_frames) {
    Result<std::optional<Frame>> f = [&] {
      pipeline::ScopedStageTimer t(decode);
      return source->Next();
    }();
    if (!f.ok()) return f.status();
    if (!f->has_value()) break;
    const Frame& frame = **f;
    FrameResult r;
    r.frame = frame.info;
    {
      pipeline::ScopedStageTimer t(det);
      MK_ASSIGN_OR_RETURN(r.detections, detector->Detect(frame.bgr));
    }
    std::vector<Track> tracks;
    {
      pipeline::ScopedStageTimer t(trk);
      tracks = tracker->Update(frame.info, r.detections, &frame.bgr);
    }
    std::vector<std::optional<PersonPose>> poses(tracks.size());
    if (pose && !tracks.empty()) {
      pipeline::ScopedStageTimer t(pos);
      MK_ASSIGN_OR_RETURN(poses, pose->Estimate(frame.bgr, frame.info, tracks));
    }
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      r.athletes.push_back({tracks[i].id, tracks[i].box, tracks[i].score, poses[i]});
    }
    {
      pipeline::ScopedStageTimer t(wri);
      MK_RETURN_IF_ERROR(outputs->Write(r, frame.bgr));
    }
    ++n;
  }
  MK_RETURN_IF_ERROR(outputs->Close());
  Sequential s;
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  s.fps = secs > 0 ? static_cast<double>(n) / secs : 0;
  for (auto* st : {&decode, &det, &trk, &pos, &wri}) {
    auto sum = st->Summarise();
    if (sum.calls > 0) s.stages.push_back(sum);
  }
  return s;
}

int Main(int argc, char** argv) {
  CLI::App app{"monokin_bench: per-stage timing of the pipeline on one video"};
  std::string input, detector = "hog", model, pose = "none";
  long long frames = 200;
  bool json = false;
  app.add_option("video", input, "video file")->required();
  app.add_option("--detector", detector, "hog | yolox");
  app.add_option("--detector-model", model, "model file for yolox");
  app.add_option("--pose", pose, "none | lite | full | heavy");
  app.add_option("--frames", frames, "frames to process (0 = all)")->capture_default_str();
  app.add_flag("--json", json, "print JSON instead of a table");
  CLI11_PARSE(app, argc, argv);
  SetLogLevel(LogLevel::kError);

  pipeline::EngineOptions o;
  o.source.uri = input;
  o.detect.backend = detector;
  o.detect.model_path = model;
  o.pose.model = pose;
  o.run.max_frames = frames;
  o.out_dir = (std::filesystem::temp_directory_path() / "monokin_bench_out").string();

  auto fail = [](const Status& s) {
    std::fprintf(stderr, "monokin_bench: error: %s\n", s.message().c_str());
    return ExitCodeFor(s.code());
  };
  Result<double> decode_fps = video::MeasureDecodeFps(o.source, static_cast<int>(frames));
  if (!decode_fps.ok()) return fail(decode_fps.status());
  Result<Sequential> seq = RunSequential(o);
  if (!seq.ok()) return fail(seq.status());
  auto engine = pipeline::Engine::Create(o, pipeline::ConfigToJson(o));
  if (!engine.ok()) return fail(engine.status());
  pipeline::RunReport rep = (*engine)->Run();
  if (!rep.status.ok()) return fail(rep.status);

  nlohmann::json j = {
      {"version", kVersion},
      {"input", input},
      {"frames", rep.frames_written},
      {"detector", detector},
      {"pose", pose},
      {"hardware_threads", std::thread::hardware_concurrency()},
      {"decode_alone_fps", *decode_fps},
      {"sequential", {{"fps", seq->fps}, {"stages", seq->stages}}},
      {"engine",
       {{"fps", rep.fps},
        {"latency_ms", {{"p50", rep.latency_p50_ms}, {"p95", rep.latency_p95_ms}}},
        {"stages", rep.stages}}},
      {"speedup", seq->fps > 0 ? rep.fps / seq->fps : 0},
  };
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("monokin %s  input=%s  frames=%lld  detector=%s  pose=%s  threads=%u\n", kVersion,
              input.c_str(), rep.frames_written, detector.c_str(), pose.c_str(),
              std::thread::hardware_concurrency());
  std::printf("decode alone: %.1f fps\n\n", *decode_fps);
  std::printf("%-10s %12s %12s %12s   (sequential run, ms per frame)\n", "stage", "mean", "p50",
              "p95");
  for (const auto& s : seq->stages) {
    std::printf("%-10s %12.2f %12.2f %12.2f\n", s.name.c_str(), s.mean_ms, s.p50_ms, s.p95_ms);
  }
  std::printf("\n%-10s %12s %12s %12s   (concurrent Engine, ms per frame)\n", "stage", "mean",
              "p50", "p95");
  for (const auto& s : rep.stages) {
    std::printf("%-10s %12.2f %12.2f %12.2f\n", s.name.c_str(), s.mean_ms, s.p50_ms, s.p95_ms);
  }
  std::printf("\nsequential: %.2f fps   engine: %.2f fps   speed-up: %.2fx   latency p50 %.1f ms "
              "p95 %.1f ms\n",
              seq->fps, rep.fps, j["speedup"].get<double>(), rep.latency_p50_ms,
              rep.latency_p95_ms);
  return 0;
}

}  // namespace
}  // namespace monokin

int main(int argc, char** argv) { return monokin::Main(argc, argv); }
