// SPDX-License-Identifier: Apache-2.0
// WriteJsonFileAtomic: write beside the target, then rename. rename() within one folder is
// atomic on POSIX, so a reader sees either the old file or the whole new one.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "monokin/output/run_outputs.h"

namespace monokin::output {

Status WriteJsonFileAtomic(const std::string& path, const nlohmann::json& j) {
  std::string text;
  try {
    // Replace invalid UTF-8 rather than throw: a file name from the user can hold anything.
    text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } catch (const nlohmann::json::exception& e) {
    return Internal(fmt::format("cannot serialise JSON for '{}': {}", path, e.what()));
  }
  return WriteTextFileAtomic(path, text);
}

Status WriteTextFileAtomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) {
    return FailedPrecondition(fmt::format("cannot write '{}': {}", tmp, std::strerror(errno)));
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    std::remove(tmp.c_str());
    return DataLoss(
        fmt::format("cannot write '{}': {}", tmp, std::strerror(written ? errno : write_errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    std::remove(tmp.c_str());
    return FailedPrecondition(
        fmt::format("cannot rename '{}' to '{}': {}", tmp, path, std::strerror(rename_errno)));
  }
  return OkStatus();
}

}  // namespace monokin::output
