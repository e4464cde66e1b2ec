// SPDX-License-Identifier: Apache-2.0
// Test fixtures for the video tests: temporary folders, clips written with cv::VideoWriter or
// the ffmpeg command-line tool, and the OpenCV sample clip.
#pragma once

#include <cstdint>
#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <string>

namespace monokin::video::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

// A 160x120 test picture for frame `index`: gray background, a white block in the top-left
// quarter (so rotation shows) and a bar whose x position encodes the index.
cv::Mat TestPicture(int index, int width = 160, int height = 120);

// Writes `frames` test pictures as MJPG in AVI at `fps`; false if the writer fails.
bool WriteMjpgAvi(const std::string& path, int frames, double fps, int width = 160,
                  int height = 120);

// Runs `ffmpeg -hide_banner -loglevel error -y <args>`; true on exit code 0.
bool RunFfmpeg(const std::string& args);

// Copies the first `bytes` bytes of `from` to `to`.
bool CopyPrefix(const std::string& from, const std::string& to, std::uintmax_t bytes);

// /usr/share/doc/opencv-doc/examples/data/vtest.avi (opencv-doc): 795 frames, 768x576, 10 fps.
std::string VtestPath();

}  // namespace monokin::video::testing
