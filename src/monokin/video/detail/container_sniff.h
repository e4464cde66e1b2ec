// SPDX-License-Identifier: Apache-2.0
// A quick look at a file's first and last bytes, used only to explain why OpenCV could not open
// it (text file? known container with an unknown codec? no frames?) and whether the container
// stores an exact frame count. Never used to decide what to decode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace monokin::video::detail {

struct ContainerGuess {
  std::string format;              // "avi", "mp4", "matroska", "mpegts", ...; empty when unknown
  bool looks_like_text = false;    // the first bytes are printable text
  bool exact_frame_count = false;  // the container indexes every frame (AVI, MP4/MOV)
  std::string codec;               // video codec tag from the header (FourCC or Matroska id)
  std::optional<std::int64_t> header_frames;  // frame count stored in the header, if read
};

// Looks at `head` (the first bytes of a file) and `tail` (its last bytes; may overlap head).
ContainerGuess SniffBytes(std::string_view head, std::string_view tail);

// Reads up to 256 KiB from each end of `path`; an unreadable file gives an empty guess.
ContainerGuess SniffFile(const std::string& path);

}  // namespace monokin::video::detail
