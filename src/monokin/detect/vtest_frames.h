// SPDX-License-Identifier: Apache-2.0
// Test helper: frames of OpenCV's sample video vtest.avi (768x576, 10 fps, people walking in a
// square; Debian package opencv-doc). Empty when the file is not installed.
#pragma once

#include <opencv2/core/mat.hpp>
#include <opencv2/videoio.hpp>
#include <string>

namespace monokin::detect::testing {

inline const char kVtestPath[] = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

// Frame `index` (0-based) of vtest.avi, or an empty Mat when it cannot be read.
inline cv::Mat ReadVtestFrame(int index) {
  cv::VideoCapture cap(kVtestPath);
  if (!cap.isOpened()) return {};
  cv::Mat frame;
  for (int i = 0; i <= index; ++i) {
    if (!cap.read(frame)) return {};
  }
  return frame.clone();
}

}  // namespace monokin::detect::testing
