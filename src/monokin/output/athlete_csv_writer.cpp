// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/athlete_csv_writer.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "monokin/output/number_format.h"

namespace monokin::output {

std::vector<CsvColumn> DefaultAthleteColumns() {
  using detail::FormatFixed;
  return {
      {"frame", [](const FrameInfo& f, const Athlete&) { return std::to_string(f.index); }},
      {"t_s", [](const FrameInfo& f, const Athlete&) { return FormatFixed(ToSeconds(f.pts), 6); }},
      {"x_px", [](const FrameInfo&, const Athlete& a) { return FormatFixed(a.box.x, 2); }},
      {"y_px", [](const FrameInfo&, const Athlete& a) { return FormatFixed(a.box.y, 2); }},
      {"w_px", [](const FrameInfo&, const Athlete& a) { return FormatFixed(a.box.w, 2); }},
      {"h_px", [](const FrameInfo&, const Athlete& a) { return FormatFixed(a.box.h, 2); }},
      {"score", [](const FrameInfo&, const Athlete& a) { return FormatFixed(a.score, 4); }},
      {"cx_px", [](const FrameInfo&, const Athlete& a) { return FormatFixed(a.box.cx(), 2); }},
      {"cy_px", [](const FrameInfo&, const Athlete& a) { return FormatFixed(a.box.cy(), 2); }},
  };
}

AthleteCsvWriter::AthleteCsvWriter(std::vector<CsvColumn> columns, std::size_t max_open)
    : columns_(std::move(columns)), max_open_(max_open == 0 ? 1 : max_open) {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) header_ += ',';
    header_ += columns_[i].name;
  }
}

Status AthleteCsvWriter::Open(const std::string& dir) {
  dir_ = dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return FailedPrecondition(fmt::format("cannot create folder '{}': {}", dir, ec.message()));
  }
  return OkStatus();
}

Result<detail::LineFile*> AthleteCsvWriter::FileFor(TrackId id) {
  if (auto it = open_.find(id); it != open_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lru_pos);
    return &it->second.file;
  }
  if (open_.size() >= max_open_) {
    const TrackId oldest = lru_.back();
    lru_.pop_back();
    auto node = open_.extract(oldest);
    MK_RETURN_IF_ERROR(node.mapped().file.Close());
  }
  const std::string name = fmt::format("{}.csv", id);
  const bool is_new = !seen_.contains(id);
  detail::LineFile file;
  MK_RETURN_IF_ERROR(file.Open(dir_ + "/" + name, /*append=*/!is_new));
  if (is_new) {
    MK_RETURN_IF_ERROR(file.WriteLine(header_));
    seen_.insert(id);
    created_files_.push_back(name);
  }
  lru_.push_front(id);
  auto [it, inserted] = open_.emplace(id, OpenFile{std::move(file), lru_.begin()});
  return &it->second.file;
}

Status AthleteCsvWriter::Write(const FrameResult& result) {
  for (const Athlete& a : result.athletes) {
    if (a.id < 0) continue;
    MK_ASSIGN_OR_RETURN(detail::LineFile * file, FileFor(a.id));
    std::string row;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) row += ',';
      row += columns_[i].value(result.frame, a);
    }
    MK_RETURN_IF_ERROR(file->WriteLine(row));
  }
  return OkStatus();
}

Status AthleteCsvWriter::Close() {
  Status first;
  for (auto& [id, f] : open_) {
    Status s = f.file.Close();
    if (first.ok() && !s.ok()) first = s;
  }
  open_.clear();
  lru_.clear();
  return first;
}

}  // namespace monokin::output
