// SPDX-License-Identifier: Apache-2.0
// RunOutputs: composes the per-file writers of one analysis folder.
#include "monokin/output/run_outputs.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include "monokin/output/annotated_video_writer.h"
#include "monokin/output/athlete_csv_writer.h"
#include "monokin/output/frames_jsonl_writer.h"
#include "monokin/output/mot_writer.h"

namespace monokin::output {
namespace {

constexpr const char* kFramesFile = "frames.jsonl";
constexpr const char* kTracksFile = "tracks.txt";
constexpr const char* kAthletesDir = "athletes";

Status Unwritable(const std::string& dir, const std::string& reason) {
  return FailedPrecondition(
      fmt::format("cannot write to output folder '{}': {}; choose another with -o", dir, reason));
}

// Creates `dir` with its parents, then creates and removes a probe file in it: permissions,
// read-only mounts and full disks all show here, before any frame is decoded.
Status EnsureWritableFolder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Unwritable(dir, ec.message());
  if (!std::filesystem::is_directory(dir, ec)) return Unwritable(dir, "not a folder");
  const std::string probe = fmt::format("{}/.monokin-write-probe-{}", dir, ::getpid());
  std::FILE* f = std::fopen(probe.c_str(), "w");
  if (f == nullptr) return Unwritable(dir, std::strerror(errno));
  const bool ok = std::fputc('\n', f) != EOF;
  const bool closed = std::fclose(f) == 0;
  std::remove(probe.c_str());
  if (!ok || !closed) return Unwritable(dir, std::strerror(errno));
  return OkStatus();
}

class RunOutputsImpl final : public RunOutputs {
 public:
  RunOutputsImpl(std::string dir, OutputOptions options, double fps)
      : dir_(std::move(dir)), options_(std::move(options)), fps_(fps) {}
  ~RunOutputsImpl() override { (void)Close(); }

  Status Open() {
    if (options_.frames_jsonl) {
      jsonl_.emplace();
      MK_RETURN_IF_ERROR(jsonl_->Open(Path(kFramesFile)));
      fixed_files_.push_back(kFramesFile);
    }
    if (options_.mot) {
      mot_.emplace();
      MK_RETURN_IF_ERROR(mot_->Open(Path(kTracksFile)));
      fixed_files_.push_back(kTracksFile);
    }
    if (options_.athletes_csv) {
      csv_.emplace();
      MK_RETURN_IF_ERROR(csv_->Open(Path(kAthletesDir)));
    }
    if (options_.annotated_video) {
      video_.emplace(Path(AnnotatedVideoFileName(options_.video_codec)), options_.video_codec,
                     options_.trail_frames, fps_);
    }
    return OkStatus();
  }

  Status Write(const FrameResult& result, const cv::Mat& bgr) override {
    if (closed_) return FailedPrecondition(fmt::format("outputs in '{}' are closed", dir_));
    if (jsonl_) MK_RETURN_IF_ERROR(jsonl_->Write(result));
    if (mot_) MK_RETURN_IF_ERROR(mot_->Write(result));
    if (csv_) MK_RETURN_IF_ERROR(csv_->Write(result));
    if (video_) MK_RETURN_IF_ERROR(video_->Write(result, bgr));
    return OkStatus();
  }

  Status Close() override {
    if (closed_) return OkStatus();
    closed_ = true;
    // Close everything even when one fails; report the first failure.
    Status first;
    auto keep = [&first](Status s) {
      if (first.ok() && !s.ok()) first = std::move(s);
    };
    if (jsonl_) keep(jsonl_->Close());
    if (mot_) keep(mot_->Close());
    if (csv_) keep(csv_->Close());
    if (video_) keep(video_->Close());
    return first;
  }

  std::vector<std::string> files() const override {
    std::vector<std::string> out = fixed_files_;
    if (csv_) {
      for (const std::string& name : csv_->created()) {
        out.push_back(std::string(kAthletesDir) + "/" + name);
      }
    }
    if (video_ && video_->frames_written() > 0) {
      out.push_back(AnnotatedVideoFileName(options_.video_codec));
    }
    return out;
  }

  std::string video_codec_used() const override {
    return video_ ? video_->codec_used() : std::string();
  }

 private:
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
  OutputOptions options_;
  double fps_;
  bool closed_ = false;
  std::vector<std::string> fixed_files_;
  std::optional<FramesJsonlWriter> jsonl_;
  std::optional<MotWriter> mot_;
  std::optional<AthleteCsvWriter> csv_;
  std::optional<AnnotatedVideoWriter> video_;
};

}  // namespace

Result<std::unique_ptr<RunOutputs>> RunOutputs::Create(const std::string& dir,
                                                       const OutputOptions& options, double fps) {
  MK_RETURN_IF_ERROR(options.Validate());
  if (dir.empty()) return InvalidArgument("the output folder name is empty; choose one with -o");
  MK_RETURN_IF_ERROR(EnsureWritableFolder(dir));
  auto outputs = std::make_unique<RunOutputsImpl>(dir, options, fps);
  Status s = outputs->Open();
  if (!s.ok()) return s.WithContext(fmt::format("opening outputs in '{}'", dir));
  return std::unique_ptr<RunOutputs>(std::move(outputs));
}

}  // namespace monokin::output
