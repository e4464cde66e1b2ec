// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/detail/quiet_opencv.h"

#include <cstdlib>
#include <mutex>
#include <opencv2/core/utils/logger.hpp>

namespace monokin::video::detail {
namespace {

std::mutex g_mutex;
int g_depth = 0;
cv::utils::logging::LogLevel g_previous = cv::utils::logging::LOG_LEVEL_WARNING;

}  // namespace

QuietOpenCv::QuietOpenCv() {
  static std::once_flag ffmpeg_once;
  std::call_once(ffmpeg_once, [] { ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", /*overwrite=*/0); });
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_depth++ == 0) {
    g_previous = cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  }
}

QuietOpenCv::~QuietOpenCv() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (--g_depth == 0) cv::utils::logging::setLogLevel(g_previous);
}

}  // namespace monokin::video::detail
