// SPDX-License-Identifier: Apache-2.0
// Video sources: a file (anything FFmpeg decodes), a folder of images, a camera index, or a
// network URL (rtsp://, http(s)://). Frames come out upright (rotation metadata honoured), BGR,
// with container timestamps, so variable-frame-rate input keeps its real timing.
//
//   MK_ASSIGN_OR_RETURN(auto source, video::OpenSource({.uri = "clip.mp4"}));
//   while (true) {
//     MK_ASSIGN_OR_RETURN(std::optional<Frame> frame, source->Next());
//     if (!frame) break;  // clean end of input
//   }
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "monokin/core/status.h"
#include "monokin/core/types.h"

namespace monokin::video {

enum class SourceKind { kFile, kImageFolder, kCamera, kUrl };

const char* SourceKindName(SourceKind kind);

// What a URI names: an all-digit string is a camera index, "scheme://" a URL, an existing
// directory an image folder, anything else a file.
SourceKind GuessKind(const std::string& uri);

struct SourceOptions {
  std::string uri;              // file path, image folder, camera index ("0") or URL
  double folder_fps = 30.0;     // frame rate given to image folders (they have no timing)
  int open_timeout_ms = 10000;  // URLs and cameras: give up opening after this long
  int read_timeout_ms = 10000;  // URLs and cameras: give up waiting for a frame after this long
  Status Validate() const;      // says which field is wrong, and why
};
void to_json(nlohmann::json& j, const SourceOptions& o);    // uri is not part of the config
void from_json(const nlohmann::json& j, SourceOptions& o);  // keeps uri

struct SourceInfo {
  std::string uri;
  SourceKind kind = SourceKind::kFile;
  bool live = false;                // cameras and URLs: frames arrive in real time
  int width_px = 0, height_px = 0;  // after rotation
  double fps = 0;                   // nominal rate from the container; 0 when unknown
  std::int64_t frame_count = -1;    // from the container; -1 when unknown (live, some formats)
  std::string codec;                // FourCC or codec name when known
  int rotation_deg = 0;             // clockwise turn applied to make frames upright: 0/90/180/270
};

// Produces frames in order. One thread at a time.
class Source {
 public:
  virtual ~Source() = default;
  virtual const SourceInfo& info() const = 0;
  // The next frame; std::nullopt at the clean end of the input. kDataLoss when the input is
  // damaged partway (frames already returned stay valid), kUnavailable when a live source
  // stops answering within read_timeout_ms.
  virtual Result<std::optional<Frame>> Next() = 0;
};

// Opens the source. kNotFound (missing file or folder), kUnsupported (not a video, no decoder
// for the codec, folder without images), kDataLoss (a video with zero decodable frames),
// kUnavailable (camera or URL cannot be reached within open_timeout_ms).
Result<std::unique_ptr<Source>> OpenSource(const SourceOptions& options);

// Opens `options` and decodes up to `max_frames` frames (all when <= 0) as fast as possible;
// returns frames per second, opening included. For the bench app and quick checks.
Result<double> MeasureDecodeFps(const SourceOptions& options, int max_frames);

}  // namespace monokin::video
