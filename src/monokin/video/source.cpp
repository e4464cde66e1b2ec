// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/source.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <vector>

#include "monokin/video/detail/sources.h"

namespace monokin::video {
namespace {

namespace fs = std::filesystem;

// Bounds for the options; outside them a value is almost surely a unit mistake.
constexpr double kMaxFolderFps = 10000;   // high-speed cameras reach a few thousand fps
constexpr int kMinTimeoutMs = 10;         // below this no network round trip fits
constexpr int kMaxTimeoutMs = 3'600'000;  // an hour

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// "scheme://..." with an RFC 3986 scheme (letter, then letters, digits, '+', '-', '.').
std::string UrlScheme(const std::string& uri) {
  const std::size_t colon = uri.find("://");
  if (colon == std::string::npos || colon == 0) return {};
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return {};
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = uri[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  }
  std::string scheme = uri.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return scheme;
}

// Network protocols FFmpeg reads that make sense as a live video source.
constexpr const char* kUrlSchemes[] = {"rtsp",  "rtsps", "rtmp", "rtmps", "http",
                                       "https", "udp",   "tcp",  "srt",   "rtp"};

}  // namespace

const char* SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFile:
      return "file";
    case SourceKind::kImageFolder:
      return "image folder";
    case SourceKind::kCamera:
      return "camera";
    case SourceKind::kUrl:
      return "url";
  }
  return "unknown";
}

SourceKind GuessKind(const std::string& uri) {
  if (AllDigits(uri)) return SourceKind::kCamera;
  if (!UrlScheme(uri).empty()) return SourceKind::kUrl;
  std::error_code ec;
  if (fs::is_directory(uri, ec)) return SourceKind::kImageFolder;
  return SourceKind::kFile;
}

Status SourceOptions::Validate() const {
  std::vector<std::string> problems;
  if (!(folder_fps > 0 && folder_fps <= kMaxFolderFps)) {
    problems.push_back(
        fmt::format("video.folder_fps must be in (0, {}]; got {}", kMaxFolderFps, folder_fps));
  }
  if (open_timeout_ms < kMinTimeoutMs || open_timeout_ms > kMaxTimeoutMs) {
    problems.push_back(fmt::format("video.open_timeout_ms must be in [{}, {}] ms; got {}",
                                   kMinTimeoutMs, kMaxTimeoutMs, open_timeout_ms));
  }
  if (read_timeout_ms < kMinTimeoutMs || read_timeout_ms > kMaxTimeoutMs) {
    problems.push_back(fmt::format("video.read_timeout_ms must be in [{}, {}] ms; got {}",
                                   kMinTimeoutMs, kMaxTimeoutMs, read_timeout_ms));
  }
  if (problems.empty()) return OkStatus();
  return InvalidArgument(fmt::format("{}", fmt::join(problems, "; ")));
}

void to_json(nlohmann::json& j, const SourceOptions& o) {
  j = nlohmann::json{{"folder_fps", o.folder_fps},
                     {"open_timeout_ms", o.open_timeout_ms},
                     {"read_timeout_ms", o.read_timeout_ms}};
}

void from_json(const nlohmann::json& j, SourceOptions& o) {
  if (j.contains("folder_fps")) j.at("folder_fps").get_to(o.folder_fps);
  if (j.contains("open_timeout_ms")) j.at("open_timeout_ms").get_to(o.open_timeout_ms);
  if (j.contains("read_timeout_ms")) j.at("read_timeout_ms").get_to(o.read_timeout_ms);
}

Result<std::unique_ptr<Source>> OpenSource(const SourceOptions& options) {
  MK_RETURN_IF_ERROR(options.Validate());
  if (options.uri.empty()) {
    return InvalidArgument(
        "no video input given; pass a file, an image folder, a camera index or a URL");
  }
  const SourceKind kind = GuessKind(options.uri);
  switch (kind) {
    case SourceKind::kCamera:
      return detail::OpenCapture(options, kind);
    case SourceKind::kUrl: {
      const std::string scheme = UrlScheme(options.uri);
      if (std::find(std::begin(kUrlSchemes), std::end(kUrlSchemes), scheme) ==
          std::end(kUrlSchemes)) {
        return Unsupported(
            fmt::format("cannot open '{}': URL scheme '{}' is not supported; use one of {}",
                        options.uri, scheme, fmt::join(kUrlSchemes, ", ")));
      }
      return detail::OpenCapture(options, kind);
    }
    case SourceKind::kImageFolder:
      return detail::OpenImageFolder(options);
    case SourceKind::kFile:
      break;
  }
  std::error_code ec;
  const fs::file_status st = fs::status(options.uri, ec);
  if (!fs::exists(st)) {
    return NotFound(
        fmt::format("cannot open video '{}': no such file or folder; check the path", options.uri));
  }
  if (!fs::is_regular_file(st)) {
    return Unsupported(fmt::format(
        "cannot open video '{}': not a regular file or folder; pass a video file, an image "
        "folder, a camera index or a URL",
        options.uri));
  }
  if (fs::file_size(options.uri, ec) == 0 && !ec) {
    return Unsupported(
        fmt::format("cannot open video '{}': the file is empty (0 bytes)", options.uri));
  }
  return detail::OpenCapture(options, kind);
}

Result<double> MeasureDecodeFps(const SourceOptions& options, int max_frames) {
  const auto start = std::chrono::steady_clock::now();
  MK_ASSIGN_OR_RETURN(std::unique_ptr<Source> source, OpenSource(options));
  std::int64_t frames = 0;
  while (max_frames <= 0 || frames < max_frames) {
    MK_ASSIGN_OR_RETURN(std::optional<Frame> frame, source->Next());
    if (!frame) break;
    ++frames;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (frames == 0 || seconds <= 0) {
    return DataLoss(fmt::format("'{}' gave no frames to time", options.uri));
  }
  return static_cast<double>(frames) / seconds;
}

}  // namespace monokin::video
