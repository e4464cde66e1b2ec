// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/line_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace monokin::output::detail {

LineFile::LineFile(LineFile&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)), path_(std::move(other.path_)) {}

LineFile& LineFile::operator=(LineFile&& other) noexcept {
  if (this != &other) {
    (void)Close();
    file_ = std::exchange(other.file_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

LineFile::~LineFile() { (void)Close(); }

Status LineFile::Open(const std::string& path, bool append) {
  MK_RETURN_IF_ERROR(Close());
  path_ = path;
  file_ = std::fopen(path.c_str(), append ? "a" : "w");
  if (file_ == nullptr) {
    return FailedPrecondition(
        fmt::format("cannot open '{}' for writing: {}", path, std::strerror(errno)));
  }
  return OkStatus();
}

Status LineFile::WriteLine(std::string_view line) {
  if (file_ == nullptr) return Internal(fmt::format("'{}' is not open", path_));
  const bool ok = std::fwrite(line.data(), 1, line.size(), file_) == line.size() &&
                  std::fputc('\n', file_) != EOF && std::fflush(file_) == 0;
  if (!ok) {
    return DataLoss(fmt::format("cannot write to '{}': {}", path_, std::strerror(errno)));
  }
  return OkStatus();
}

Status LineFile::Close() {
  if (file_ == nullptr) return OkStatus();
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) {
    return DataLoss(fmt::format("cannot close '{}': {}", path_, std::strerror(errno)));
  }
  return OkStatus();
}

}  // namespace monokin::output::detail
