// SPDX-License-Identifier: Apache-2.0
// Keeps OpenCV and FFmpeg from printing to stderr while we call them: a failed open or a
// damaged frame becomes our one-line Status, not a page of backend noise.
#pragma once

namespace monokin::video::detail {

// While at least one QuietOpenCv lives, OpenCV's log level is SILENT; the level in force
// before the first one is restored when the last one ends. The first construction in the
// process also sets OPENCV_FFMPEG_LOGLEVEL=-8 (FFmpeg's AV_LOG_QUIET), which OpenCV reads when
// it first initialises FFmpeg, unless the user already set that variable (to debug, set it to
// 32, AV_LOG_INFO). It has no effect if FFmpeg was initialised before the first source opened.
class QuietOpenCv {
 public:
  QuietOpenCv();
  ~QuietOpenCv();
  QuietOpenCv(const QuietOpenCv&) = delete;
  QuietOpenCv& operator=(const QuietOpenCv&) = delete;
};

}  // namespace monokin::video::detail
