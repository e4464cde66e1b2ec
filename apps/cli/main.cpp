// SPDX-License-Identifier: Apache-2.0
// The monokin command. Turns arguments into EngineOptions, runs the Engine, shows progress and
// turns a Status into one line on stderr and an exit code (the only place that does).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "monokin/core/config.h"
#include "monokin/core/log.h"
#include "monokin/core/version.h"
#include "monokin/eval/mot_eval.h"
#include "monokin/infer/run_files.h"
#include "monokin/pipeline/detection_tracking.h"
#include "monokin/pipeline/engine.h"
#include "monokin/pipeline/model_cards.h"
#include "progress.h"

namespace monokin::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnSignal(int) {
  if (g_stop.exchange(true)) std::_Exit(130);  // a second Ctrl-C stops at once
}

// One line: multi-line messages (several bad options) are joined with "; ".
int Fail(const Status& status) {
  std::string msg = status.message();
  for (std::size_t pos; (pos = msg.find('\n')) != std::string::npos;) msg.replace(pos, 1, "; ");
  std::fprintf(stderr, "monokin: error: %s\n", msg.c_str());
  return ExitCodeFor(status.code());
}

struct AnalyzeArgs {
  std::string input;
  std::string out_dir = "out/run";
  std::string detector;
  std::string detector_model;
  std::string pose;
  std::string config_file;
  std::vector<std::string> settings;
  bool realtime = false;
  bool quiet = false;
  bool no_progress = false;
};

// defaults <- config file <- --set <- dedicated flags; then into EngineOptions.
Result<pipeline::EngineOptions> BuildOptions(const AnalyzeArgs& args, nlohmann::json& config) {
  pipeline::EngineOptions options;
  config = pipeline::ConfigToJson(options);
  if (!args.config_file.empty()) {
    MK_ASSIGN_OR_RETURN(nlohmann::json file, LoadJsonFile(args.config_file));
    MK_RETURN_IF_ERROR(MergeConfig(config, file, "config file '" + args.config_file + "'"));
  }
  for (const std::string& s : args.settings) MK_RETURN_IF_ERROR(ApplySetting(config, s));
  if (!args.detector.empty()) config["detect"]["backend"] = args.detector;
  if (!args.detector_model.empty()) config["detect"]["model_path"] = args.detector_model;
  if (!args.pose.empty()) config["pose"]["model"] = args.pose;
  if (args.realtime) config["engine"]["realtime"] = true;
  MK_RETURN_IF_ERROR(pipeline::ConfigFromJson(config, options));
  options.source.uri = args.input;
  options.out_dir = args.out_dir;
  MK_RETURN_IF_ERROR(options.Validate());
  return options;
}

int RunAnalyze(const AnalyzeArgs& args) {
  nlohmann::json config;
  Result<pipeline::EngineOptions> options = BuildOptions(args, config);
  if (!options.ok()) return Fail(options.status());

  Result<std::unique_ptr<pipeline::Engine>> engine = pipeline::Engine::Create(*options, config);
  if (!engine.ok()) return Fail(engine.status());

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  ProgressPrinter printer(isatty(STDERR_FILENO) == 1, args.quiet || args.no_progress);
  pipeline::RunReport report =
      (*engine)->Run([&](const pipeline::Progress& p) { printer.Update(p); }, &g_stop);
  printer.Finish();

  std::string stages;
  for (const auto& s : report.stages) stages += fmt::format(" {}={:.1f}ms", s.name, s.mean_ms);
  if (!args.quiet) {
    std::printf("%s: %lld frames at %.1f fps, %.1f s in all; mean ms per call:%s; outputs in %s\n",
                report.state.c_str(), report.frames_written, report.fps, report.wall_s,
                stages.c_str(), report.out_dir.c_str());
  }
  if (!report.status.ok()) {
    Status s = report.status;
    if (report.state == "failed") {
      s = s.WithContext(fmt::format("{} stage failed after {} frames written (kept in {})",
                                    report.failed_stage, report.frames_written, report.out_dir));
    }
    return Fail(s);
  }
  return 0;
}

struct EvalMotArgs {
  std::string gt, pred, seqmap, out, benchmark = "MOT17";
};

int RunEvalMot(const EvalMotArgs& a) {
  eval::MotEvalOptions options;
  options.seqmap_path = a.seqmap;
  if (a.benchmark == "MOT15") options.preprocess.benchmark = eval::MotBenchmark::kMot15;
  if (a.benchmark == "MOT20") options.preprocess.benchmark = eval::MotBenchmark::kMot20;
  Result<eval::MotEvalReport> report = eval::RunMotEval(a.gt, a.pred, options);
  if (!report.ok()) return Fail(report.status());
  std::fputs(report->table.c_str(), stdout);
  if (!a.out.empty()) {
    Status s = eval::WriteMotEvalOutputs(*report, a.out);
    if (!s.ok()) return Fail(s);
  }
  return 0;
}

struct TrackArgs {
  std::string det, seqinfo, out, config_file;
  std::vector<std::string> settings;
  bool offline = false;
};

// Tracking from a detection file: the track block of the config (defaults <- --config <- --set).
int RunTrack(const TrackArgs& a) {
  pipeline::EngineOptions defaults;
  nlohmann::json config = pipeline::ConfigToJson(defaults);
  if (!a.config_file.empty()) {
    Result<nlohmann::json> file = LoadJsonFile(a.config_file);
    if (!file.ok()) return Fail(file.status());
    if (Status s = MergeConfig(config, *file, "config file '" + a.config_file + "'"); !s.ok()) {
      return Fail(s);
    }
  }
  for (const std::string& s : a.settings) {
    if (Status st = ApplySetting(config, s); !st.ok()) return Fail(st);
  }
  pipeline::EngineOptions options;
  if (Status s = pipeline::ConfigFromJson(config, options); !s.ok()) return Fail(s);
  if (Status s = options.track.Validate(); !s.ok()) return Fail(s);
  Status s = pipeline::TrackDetectionFile(a.det, a.seqinfo, options.track, a.offline, a.out);
  return s.ok() ? 0 : Fail(s);
}

int RunModels(const std::string& models_dir, const std::string& detector_model) {
  int found = 0;
  for (const pipeline::ModelCard& c : pipeline::ListModelCards(models_dir, detector_model)) {
    std::printf("%s (%s)\n  input:   %s\n  output:  %s\n  licence: %s\n  source:  %s\n",
                c.name.c_str(), c.role.c_str(), c.input.c_str(), c.output.c_str(),
                c.licence.c_str(), c.source.c_str());
    if (!c.path.empty()) {
      ++found;
      std::printf("  found:   %s\n", c.path.c_str());
      if (!c.sha256.empty()) std::printf("  sha256:  %s\n", c.sha256.c_str());
    } else {
      std::printf("  found:   no%s%s\n", c.note.empty() ? "" : " - ", c.note.c_str());
    }
    std::printf("\n");
  }
  return found > 0 ? 0 : 3;
}

}  // namespace
}  // namespace monokin::cli

int main(int argc, char** argv) {
  using namespace monokin;
  using namespace monokin::cli;
  CLI::App app{"monokin: single-camera, markerless sports analysis", "monokin"};
  app.set_version_flag("--version", std::string("monokin ") + kVersion);
  app.require_subcommand(1);
  std::string log_level = "warning";
  app.add_option("--log-level", log_level, "debug|info|warning|error|off")
      ->check(CLI::IsMember({"debug", "info", "warning", "error", "off"}));

  AnalyzeArgs a;
  CLI::App* analyze =
      app.add_subcommand("analyze", "analyse a video file, image folder, camera or URL");
  analyze
      ->add_option("input", a.input, "video file, image folder, camera index (0) or rtsp/http URL")
      ->required();
  analyze->add_option("-o,--out", a.out_dir, "output folder (created)")->capture_default_str();
  analyze->add_option("--detector", a.detector, "person detector: hog | yolox");
  analyze->add_option("--detector-model", a.detector_model,
                      "model file for the detector (.onnx for yolox)");
  analyze->add_option("--pose", a.pose, "pose model: lite | full | heavy | none");
  analyze->add_flag("--realtime", a.realtime,
                    "pace a file at its frame rate and drop frames when behind");
  analyze->add_option("--config", a.config_file, "JSON config file (keys as in run.json's config)");
  analyze
      ->add_option("--set", a.settings, "override one config key, e.g. --set track.match_iou=0.25")
      ->allow_extra_args(false);
  analyze->add_flag("-q,--quiet", a.quiet, "no progress and no summary line");
  analyze->add_flag("--no-progress", a.no_progress, "no progress display");

  std::string infer_model, infer_out;
  std::vector<std::string> infer_inputs;
  int infer_threads = 1;
  CLI::App* infer = app.add_subcommand(
      "infer",
      "run a .tflite model on raw float32 NHWC input files; writes <output>.bin + outputs.json");
  infer->add_option("model", infer_model, "model file (.tflite)")->required();
  infer
      ->add_option("--input", infer_inputs, "raw float32 input file, one per model input, in order")
      ->required();
  infer->add_option("--out", infer_out, "output folder")->required();
  infer->add_option("--threads", infer_threads, "inference threads")->capture_default_str();

  std::string models_dir, models_detector;
  CLI::App* models =
      app.add_subcommand("models", "list the models monokin knows and where they are");
  models->add_option("--models-dir", models_dir,
                     "folder with the BlazePose files (default: search)");
  models->add_option("--detector-model", models_detector, "a YOLOX .onnx file to check");

  TrackArgs tr;
  CLI::App* track_cmd = app.add_subcommand(
      "track", "run the tracker on a MOTChallenge detection file (no images); writes MOT results");
  track_cmd->add_option("--det", tr.det, "detections: frame,id,x,y,w,h,score,...")->required();
  track_cmd->add_option("--seqinfo", tr.seqinfo, "seqinfo.ini (frame rate, length, size)");
  track_cmd->add_option("-o,--out", tr.out, "result file (MOTChallenge)")->required();
  track_cmd->add_flag(
      "--offline", tr.offline,
      "offline post-processing (track.offline.*): interpolate gaps, re-link broken tracks");
  track_cmd->add_option("--config", tr.config_file, "JSON config file (its track block is used)");
  track_cmd->add_option("--set", tr.settings,
                        "override a config key, e.g. track.byte.keep_lost_s=3");

  EvalMotArgs ev;
  CLI::App* eval_cmd = app.add_subcommand("eval", "score results against ground truth");
  eval_cmd->require_subcommand(1);
  CLI::App* eval_mot = eval_cmd->add_subcommand(
      "mot", "MOTChallenge tracking metrics (HOTA, CLEAR, Identity), computed as TrackEval does");
  eval_mot->add_option("--gt", ev.gt, "folder of sequences, each with gt/gt.txt (and seqinfo.ini)")
      ->required();
  eval_mot->add_option("--pred", ev.pred, "folder with one <sequence>.txt per sequence")
      ->required();
  eval_mot->add_option("--seqmap", ev.seqmap, "seqmap file naming the sequences to score");
  eval_mot->add_option("--out", ev.out, "write detailed.csv and summary.json here");
  eval_mot->add_option("--benchmark", ev.benchmark, "class rules: MOT17 (also MOT16), MOT20, MOT15")
      ->check(CLI::IsMember({"MOT15", "MOT16", "MOT17", "MOT20"}))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "monokin: error: %s; see monokin --help\n", e.what());
    return 2;
  }
  const LogLevel levels[] = {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning,
                             LogLevel::kError, LogLevel::kOff};
  const char* names[] = {"debug", "info", "warning", "error", "off"};
  for (int i = 0; i < 5; ++i) {
    if (log_level == names[i]) SetLogLevel(levels[i]);
  }
  if (analyze->parsed()) return RunAnalyze(a);
  if (infer->parsed()) {
    Status s = infer::RunModelOnFiles(infer_model, infer_inputs, infer_out, infer_threads);
    return s.ok() ? 0 : Fail(s);
  }
  if (models->parsed()) return RunModels(models_dir, models_detector);
  if (eval_mot->parsed()) return RunEvalMot(ev);
  if (track_cmd->parsed()) return RunTrack(tr);
  return 0;
}
