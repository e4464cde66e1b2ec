// SPDX-License-Identifier: Apache-2.0
// A text file written one line at a time, each line flushed to the OS before the call returns,
// so a crash loses at most the line being written. Used by every per-frame text writer.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "monokin/core/status.h"

namespace monokin::output::detail {

class LineFile {
 public:
  LineFile() = default;
  LineFile(const LineFile&) = delete;
  LineFile& operator=(const LineFile&) = delete;
  LineFile(LineFile&& other) noexcept;
  LineFile& operator=(LineFile&& other) noexcept;
  ~LineFile();

  // Opens `path` to write from scratch (truncating) or to append. kFailedPrecondition with the
  // path and the system's reason when it cannot be opened.
  Status Open(const std::string& path, bool append);
  // Writes `line` plus '\n' and flushes. kDataLoss when the write fails (disk full...).
  Status WriteLine(std::string_view line);
  // Closes the file; ok when it was not open. Idempotent.
  Status Close();
  bool is_open() const { return file_ != nullptr; }
  const std::string& path() const { return path_; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
};

}  // namespace monokin::output::detail
