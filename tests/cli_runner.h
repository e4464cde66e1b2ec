// SPDX-License-Identifier: Apache-2.0
// Runs the real `monokin` binary as a child process for end-to-end tests, and reads what a
// run wrote. Test-only helpers.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace monokin::testing {

struct CommandResult {
  int exit_code = -1;     // the child's exit status; 128 + signal when killed
  std::string out, err;   // what it printed
  double seconds = 0;     // wall time
};

// Path of the built monokin command.
std::string MonokinPath();
// The OpenCV sample video from Debian's opencv-doc package ("" when not installed).
std::string VtestPath();
// A fresh empty folder under the build tree, named after the running test.
std::string FreshDir(const std::string& name);

// Runs monokin with `args` and waits. When `interrupt_when_file_has_lines` is non-empty, sends
// SIGINT as soon as that file holds at least `lines` lines.
CommandResult RunMonokin(const std::vector<std::string>& args,
                         const std::string& interrupt_when_file_has_lines = "", int lines = 0,
                         double timeout_s = 600);

std::vector<std::string> ReadLines(const std::string& path);
nlohmann::json ReadJson(const std::string& path);
// Number of frames cv::VideoCapture decodes from `path` (reading them all).
int CountDecodedFrames(const std::string& path);
// Number of lines of `err` that are not empty.
int NonEmptyLines(const std::string& text);

}  // namespace monokin::testing
