// SPDX-License-Identifier: Apache-2.0
#include "monokin/pipeline/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "monokin/core/log.h"
#include "monokin/core/sha256.h"
#include "monokin/core/version.h"
#include "monokin/detect/detector.h"
#include "monokin/output/highlights.h"
#include "monokin/output/run_outputs.h"
#include "monokin/pipeline/blazepose_person_detector.h"
#include "monokin/pipeline/bounded_queue.h"
#include "monokin/pipeline/keypoints_outputs.h"
#include "monokin/pipeline/kinematics_outputs.h"
#include "monokin/pipeline/moments_outputs.h"
#include "monokin/pipeline/track_outputs.h"
#include "monokin/pose/pose_estimator.h"
#include "monokin/track/tracker.h"

namespace monokin::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

// One frame on its way through the stages.
struct Item {
  Frame frame;
  FrameResult result;
  Clock::time_point decoded_at;
};

std::string NowIso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json ModelEntry(const std::string& role, const std::string& path) {
  Result<std::string> sha = Sha256File(path);
  return {{"role", role}, {"path", path}, {"sha256", sha.ok() ? *sha : std::string()}};
}

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  nlohmann::json config;
  std::unique_ptr<video::Source> source;
  std::unique_ptr<detect::Detector> detector;
  std::unique_ptr<track::Tracker> tracker;
  std::unique_ptr<pose::PoseEstimator> pose;  // null with pose.model = "none"
  std::unique_ptr<output::RunOutputs> outputs;
  nlohmann::json models = nlohmann::json::array();
  std::string started_at;

  // Failure bookkeeping shared by the stage threads: the first failure wins.
  std::mutex failure_mutex;
  Status failure;
  std::string failed_stage;
  std::atomic<bool> aborting{false};

  explicit Impl(int queue_frames)
      : to_detect(static_cast<std::size_t>(queue_frames)),
        to_track(static_cast<std::size_t>(queue_frames)),
        to_write(static_cast<std::size_t>(queue_frames)) {}

  BoundedQueue<Item> to_detect, to_track, to_write;
  StageStats decode_stats{"decode"}, detect_stats{"detect"}, track_stats{"track"},
      pose_stats{"pose"}, write_stats{"write"};
  std::atomic<long long> frames_dropped{0};
  std::vector<AthleteSeries> series;  // per athlete, for the movement decomposition after the run
  nlohmann::json tracking_summary;    // what the post-run steps did, for run.json
  nlohmann::json kinematics_summary;
  std::set<std::string> removed_files;  // outputs merged away by the tracks' post-processing
  nlohmann::json moments_summary;

  void Fail(const std::string& stage, const Status& status) {
    {
      std::lock_guard lock(failure_mutex);
      if (failure.ok()) {
        failure = status;
        failed_stage = stage;
      }
    }
    aborting = true;
    to_detect.Close();
    to_track.Close();
    to_write.Close();
  }

  void AfterFrames(RunReport& report);
  void ReadLoop(const std::atomic<bool>* stop);
  void DetectLoop();
  void TrackLoop();
  nlohmann::json RunJson(const std::string& state, const RunReport& report) const;
  std::vector<std::string> OutputFiles() const {
    std::vector<std::string> files = outputs ? outputs->files() : std::vector<std::string>{};
    std::erase_if(files, [&](const std::string& f) { return removed_files.count(f) > 0; });
    return files;
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

const video::SourceInfo& Engine::source_info() const { return impl_->source->info(); }

Result<std::unique_ptr<Engine>> Engine::Create(const EngineOptions& options,
                                               nlohmann::json config) {
  MK_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>(options.run.queue_frames);
  impl->options = options;
  impl->config = std::move(config);
  impl->started_at = NowIso8601();

  Result<std::unique_ptr<detect::Detector>> detector = MakePersonDetector(options);
  if (!detector.ok()) return detector.status().WithContext("loading the person detector");
  impl->detector = std::move(*detector);
  for (const std::string& p : impl->detector->model_paths()) {
    impl->models.push_back(ModelEntry("detector", p));
  }

  if (options.pose.model != "none") {
    Result<std::unique_ptr<pose::PoseEstimator>> pose = pose::MakePoseEstimator(options.pose);
    if (!pose.ok()) return pose.status().WithContext("loading the pose model");
    impl->pose = std::move(*pose);
    for (const std::string& p : impl->pose->model_paths()) {
      impl->models.push_back(ModelEntry("pose", p));
    }
  }

  Result<std::unique_ptr<track::Tracker>> tracker = track::MakeTracker(options.track);
  if (!tracker.ok()) return tracker.status().WithContext("creating the tracker");
  impl->tracker = std::move(*tracker);

  Result<std::unique_ptr<video::Source>> source = video::OpenSource(options.source);
  if (!source.ok()) return source.status();
  impl->source = std::move(*source);
  const video::SourceInfo& info = impl->source->info();
  MK_LOG(kInfo, "opened {} ({}x{}, {:.2f} fps, {} frames)", info.uri, info.width_px, info.height_px,
         info.fps, info.frame_count);

  Result<std::unique_ptr<output::RunOutputs>> outputs =
      output::RunOutputs::Create(options.out_dir, options.output, info.fps > 0 ? info.fps : 30.0);
  if (!outputs.ok()) return outputs.status();
  impl->outputs = std::move(*outputs);
  MK_RETURN_IF_ERROR(output::WriteJsonFileAtomic(options.out_dir + "/run.json",
                                                 impl->RunJson("running", RunReport{})));
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

void Engine::Impl::ReadLoop(const std::atomic<bool>* stop) {
  const bool live = source->info().live;
  const bool paced = options.run.realtime && !live;  // live sources pace themselves
  const bool may_drop = options.run.realtime || live;
  bool have_origin = false;
  Clock::time_point wall_origin;
  Micros pts_origin{0};
  long long decoded = 0;
  const long long max_frames = options.run.max_frames;
  while (!aborting && !(stop && stop->load()) && (max_frames == 0 || decoded < max_frames)) {
    Result<std::optional<Frame>> next = [&] {
      ScopedStageTimer t(decode_stats);
      return source->Next();
    }();
    if (!next.ok()) {
      Fail("decode", next.status());
      break;
    }
    if (!next->has_value()) break;
    ++decoded;
    Item item;
    item.frame = std::move(**next);
    if (paced) {
      if (!have_origin) {
        wall_origin = Clock::now();
        pts_origin = item.frame.info.pts;
        have_origin = true;
      }
      std::this_thread::sleep_until(wall_origin + (item.frame.info.pts - pts_origin));
    }
    item.decoded_at = Clock::now();
    if (may_drop) {
      if (!to_detect.TryPush(std::move(item))) ++frames_dropped;
    } else if (!to_detect.Push(std::move(item))) {
      break;
    }
  }
  to_detect.Close();
}

void Engine::Impl::DetectLoop() {
  while (std::optional<Item> item = to_detect.Pop()) {
    Result<std::vector<Detection>> dets = [&] {
      ScopedStageTimer t(detect_stats);
      return detector->Detect(item->frame.bgr);
    }();
    if (!dets.ok()) {
      Fail("detect", dets.status().WithContext(fmt::format("frame {}", item->frame.info.index)));
      break;
    }
    item->result.frame = item->frame.info;
    item->result.detections = std::move(*dets);
    if (!to_track.Push(std::move(*item))) break;
  }
  to_track.Close();
}

void Engine::Impl::TrackLoop() {
  while (std::optional<Item> item = to_track.Pop()) {
    std::vector<Track> tracks;
    {
      ScopedStageTimer t(track_stats);
      tracks = tracker->Update(item->frame.info, item->result.detections, &item->frame.bgr);
    }
    std::vector<std::optional<PersonPose>> poses(tracks.size());
    if (pose && !tracks.empty()) {
      Result<std::vector<std::optional<PersonPose>>> est = [&] {
        ScopedStageTimer t(pose_stats);
        return pose->Estimate(item->frame.bgr, item->frame.info, tracks);
      }();
      if (!est.ok()) {
        Fail("pose", est.status().WithContext(fmt::format("frame {}", item->frame.info.index)));
        break;
      }
      poses = std::move(*est);
    }
    item->result.athletes.reserve(tracks.size());
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      Athlete a{.id = tracks[i].id,
                .box = tracks[i].box,
                .score = tracks[i].score,
                .pose = {},
                .frames_since_seen = tracks[i].frames_since_seen};
      if (i < poses.size() && poses[i]) {
        a.pose = std::move(poses[i]);
        a.pose->track = a.id;
      }
      item->result.athletes.push_back(std::move(a));
    }
    if (!to_write.Push(std::move(*item))) break;
  }
  to_write.Close();
}

nlohmann::json Engine::Impl::RunJson(const std::string& state, const RunReport& report) const {
  const video::SourceInfo* info = source ? &source->info() : nullptr;
  nlohmann::json input = {{"uri", options.source.uri}};
  if (info) {
    input.update({{"kind", video::SourceKindName(info->kind)},
                  {"live", info->live},
                  {"width_px", info->width_px},
                  {"height_px", info->height_px},
                  {"fps", info->fps},
                  {"frame_count", info->frame_count},
                  {"codec", info->codec},
                  {"rotation_deg", info->rotation_deg}});
  }
  nlohmann::json status = {{"state", state},
                           {"frames_written", report.frames_written},
                           {"last_frame", report.last_frame},
                           {"last_t_s", report.last_t_s}};
  if (!report.status.ok()) {
    status["message"] = report.status.message();
    status["code"] = StatusCodeName(report.status.code());
  }
  if (!report.failed_stage.empty()) status["failed_stage"] = report.failed_stage;
  return {
      {"meta",
       {{"tool", "monokin"},
        {"version", kVersion},
        {"started_at", started_at},
        {"updated_at", NowIso8601()}}},
      {"input", input},
      {"models", models},
      {"config", config},
      {"status", status},
      {"timings",
       {{"wall_s", report.wall_s},
        {"fps", report.fps},
        {"frames_dropped", report.frames_dropped},
        {"latency_ms", {{"p50", report.latency_p50_ms}, {"p95", report.latency_p95_ms}}},
        {"stages", report.stages}}},
      {"outputs", OutputFiles()},
      {"video_codec", outputs ? outputs->video_codec_used() : std::string()},
      {"tracking", tracking_summary},
      {"kinematics", kinematics_summary},
      {"moments", moments_summary},
  };
}

// After the frames, over whatever was written (interrupted runs included): the movement
// decomposition (zero-phase filters need whole series), the key moments and their highlights.
// Each step is timed as a stage of its own.
void Engine::Impl::AfterFrames(RunReport& report) {
  // Offline runs of files: re-link broken tracks and fill short gaps before anything else reads
  // the series (live sources and --realtime stay causal).
  const video::SourceInfo& info = source->info();
  if (options.track.offline.enabled && !options.run.realtime && !info.live) {
    StageStats stats("track_offline");
    Result<TrackPostReport> post = [&] {
      ScopedStageTimer t(stats);
      return PostProcessRunTracks(series, options.track.offline, info.fps, options.output,
                                  options.out_dir);
    }();
    report.stages.push_back(stats.Summarise());
    if (!post.ok()) return Fail("track_offline", post.status());
    tracking_summary = post->summary;
    removed_files = post->removed_files;
  } else {
    tracking_summary = {{"offline", false}};
  }
  std::vector<AthleteKinematics> kinematics;
  if (pose) {
    if (Status s = WriteKeypointsJson(series, options.out_dir); !s.ok()) return Fail("write", s);
    StageStats stats("kinematics");
    Result<KinematicsReport> kin = [&] {
      ScopedStageTimer t(stats);
      return WriteKinematicsOutputs(series, options.kinematics, options.out_dir);
    }();
    report.stages.push_back(stats.Summarise());
    if (!kin.ok()) return Fail("kinematics", kin.status());
    kinematics_summary = kin->summary;
    kinematics = std::move(kin->athletes);
  }
  StageStats moment_stats("moments");
  const nlohmann::json meta = {{"tool", "monokin"},
                               {"version", kVersion},
                               {"input", options.source.uri},
                               {"config", config["moments"]}};
  Result<std::vector<KeyMoment>> found = [&] {
    ScopedStageTimer t(moment_stats);
    return WriteMomentsOutputs(series, kinematics, options.moments, meta, options.out_dir);
  }();
  report.stages.push_back(moment_stats.Summarise());
  if (!found.ok()) return Fail("moments", found.status());
  moments_summary = {{"count", found->size()}, {"files", {"moments.json", "moments.xml"}}};
  if (options.output.highlights && source->info().kind == video::SourceKind::kFile &&
      !found->empty()) {
    StageStats highlight_stats("highlights");
    Status cut = [&] {
      ScopedStageTimer t(highlight_stats);
      return output::CutHighlights(options.source.uri, *found, options.output.highlight_pre_roll_s,
                                   options.output.highlight_post_roll_s, options.out_dir);
    }();
    report.stages.push_back(highlight_stats.Summarise());
    if (!cut.ok()) return Fail("highlights", cut);
    moments_summary["highlights"] = {{"clips", found->size()}, {"reel", "highlights.mp4"}};
  }
}

RunReport Engine::Run(const ProgressCallback& on_progress, const std::atomic<bool>* stop) {
  Impl& m = *impl_;
  const auto start = Clock::now();
  const std::string run_json_path = m.options.out_dir + "/run.json";
  long long total = m.source->info().live ? -1 : m.source->info().frame_count;
  if (m.options.run.max_frames > 0) {
    total = total < 0 ? m.options.run.max_frames : std::min(total, m.options.run.max_frames);
  }

  std::thread reader([&] { m.ReadLoop(stop); });
  std::thread detector([&] { m.DetectLoop(); });
  std::thread tracker([&] { m.TrackLoop(); });

  RunReport report;
  report.out_dir = m.options.out_dir;
  StageStats latency("latency");
  auto last_status_write = start;
  auto elapsed_s = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };

  while (std::optional<Item> item = m.to_write.Pop()) {
    Status written;
    {
      ScopedStageTimer t(m.write_stats);
      written = m.outputs->Write(item->result, item->frame.bgr);
    }
    if (!written.ok()) {
      m.Fail("write", written);
      break;
    }
    AppendToSeries(item->result, m.series);
    latency.Add(Clock::now() - item->decoded_at);
    ++report.frames_written;
    report.last_frame = item->frame.info.index;
    report.last_t_s = ToSeconds(item->frame.info.pts);
    const double el = elapsed_s();
    if (on_progress) {
      Progress p;
      p.frames_done = report.frames_written;
      p.frames_total = total;
      p.elapsed_s = el;
      p.fps = el > 0 ? static_cast<double>(report.frames_written) / el : 0;
      if (total > 0 && p.fps > 0) {
        p.eta_s = std::max(0.0, static_cast<double>(total - report.last_frame - 1) / p.fps);
      }
      p.media_t_s = report.last_t_s;
      on_progress(p);
    }
    if (std::chrono::duration<double>(Clock::now() - last_status_write).count() >=
        m.options.run.status_interval_s) {
      last_status_write = Clock::now();
      report.wall_s = el;
      (void)output::WriteJsonFileAtomic(run_json_path, m.RunJson("running", report));
    }
  }
  reader.join();
  detector.join();
  tracker.join();

  Status closed = m.outputs->Close();
  if (!closed.ok()) m.Fail("write", closed);

  // fps counts the frame stages only; the steps after the frames are timed as stages of their own.
  const double frames_s = elapsed_s();
  report.fps = frames_s > 0 ? static_cast<double>(report.frames_written) / frames_s : 0;
  if (closed.ok()) m.AfterFrames(report);
  report.wall_s = elapsed_s();
  report.frames_dropped = m.frames_dropped.load();
  const StageSummary lat = latency.Summarise();
  report.latency_p50_ms = lat.p50_ms;
  report.latency_p95_ms = lat.p95_ms;
  std::vector<StageSummary> stages;
  for (const StageStats* s :
       {&m.decode_stats, &m.detect_stats, &m.track_stats, &m.pose_stats, &m.write_stats}) {
    StageSummary sum = s->Summarise();
    if (sum.calls > 0) stages.push_back(sum);
  }
  report.stages.insert(report.stages.begin(), stages.begin(), stages.end());
  {
    std::lock_guard lock(m.failure_mutex);
    report.status = m.failure;
    report.failed_stage = m.failed_stage;
  }
  if (!report.status.ok()) {
    report.state = "failed";
  } else if (stop && stop->load()) {
    report.state = "interrupted";
    report.status =
        Cancelled(fmt::format("stopped by request after frame {} ({:.2f} s); outputs "
                              "up to there are complete",
                              report.last_frame, report.last_t_s));
  } else {
    report.state = "completed";
  }
  Status saved = output::WriteJsonFileAtomic(run_json_path, m.RunJson(report.state, report));
  if (!saved.ok() && report.status.ok()) report.status = saved;
  return report;
}

}  // namespace monokin::pipeline
