// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/test_clips.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <random>
#include <vector>

namespace monokin::video::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() /
         ("monokin_video_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

cv::Mat TestPicture(int index, int width, int height) {
  cv::Mat m(height, width, CV_8UC3, cv::Scalar(60, 60, 60));
  m(cv::Rect(0, 0, width / 2, height / 2)).setTo(cv::Scalar(255, 255, 255));
  const int x = (index * 7) % (width - 8);
  m(cv::Rect(x, height * 3 / 4, 8, height / 4)).setTo(cv::Scalar(0, 0, 255));
  return m;
}

bool WriteMjpgAvi(const std::string& path, int frames, double fps, int width, int height) {
  cv::VideoWriter writer(path, cv::CAP_OPENCV_MJPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'),
                         fps, cv::Size(width, height));
  if (!writer.isOpened()) return false;
  for (int i = 0; i < frames; ++i) writer.write(TestPicture(i, width, height));
  writer.release();
  return true;
}

bool RunFfmpeg(const std::string& args) {
  const std::string cmd = "ffmpeg -nostdin -hide_banner -loglevel error -y " + args;
  return std::system(cmd.c_str()) == 0;
}

bool CopyPrefix(const std::string& from, const std::string& to, std::uintmax_t bytes) {
  std::ifstream in(from, std::ios::binary);
  if (!in) return false;
  std::vector<char> buf(bytes);
  in.read(buf.data(), static_cast<std::streamsize>(bytes));
  std::ofstream out(to, std::ios::binary);
  out.write(buf.data(), in.gcount());
  return static_cast<bool>(out);
}

std::string VtestPath() { return "/usr/share/doc/opencv-doc/examples/data/vtest.avi"; }

}  // namespace monokin::video::testing
