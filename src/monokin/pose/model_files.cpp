// SPDX-License-Identifier: Apache-2.0
#include "monokin/pose/model_files.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "monokin/core/version.h"

namespace monokin::pose {
namespace fs = std::filesystem;
namespace {

constexpr const char* kPackageDir = "node_modules/@mediapipe/pose";

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

std::string LandmarkModelFile(std::string_view variant) {
  return fmt::format("pose_landmark_{}.tflite", variant);
}

std::vector<std::string> DefaultModelDirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("MONOKIN_MODELS"); env != nullptr && *env != '\0') {
    dirs.push_back(env);
    dirs.push_back((fs::path(env) / kPackageDir).string());
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path up = exe.parent_path();
    for (int i = 0; i < 3; ++i) {
      up = up.parent_path();
      dirs.push_back((up / "models" / kPackageDir).lexically_normal().string());
    }
  }
  dirs.push_back((fs::path(kSourceDir) / "models" / kPackageDir).string());
  return dirs;
}

Result<std::string> FindModelFile(const std::string& models_dir,
                                  const std::vector<std::string>& file_names) {
  const std::vector<std::string> dirs =
      models_dir.empty() ? DefaultModelDirs() : std::vector<std::string>{models_dir};
  for (const std::string& dir : dirs) {
    for (const std::string& name : file_names) {
      std::error_code ec;
      const fs::path p = fs::path(dir) / name;
      if (fs::is_regular_file(p, ec)) return p.string();
    }
  }
  return NotFound(fmt::format(
      "model file {} not found in {}; run scripts/setup to install the @mediapipe/pose model "
      "package, or set pose.models_dir (or MONOKIN_MODELS) to the folder holding it",
      Join(file_names, " or "), Join(dirs, ", ")));
}

}  // namespace monokin::pose
