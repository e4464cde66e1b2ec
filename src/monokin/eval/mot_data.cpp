// SPDX-License-Identifier: Apache-2.0
#include "monokin/eval/mot_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string_view>
#include <unordered_set>

namespace monokin::eval {
namespace {

// Frame numbers and ids above this are rejected: they cannot be real and would overflow
// the dense tables built from them.
constexpr double kMaxFrame = 10'000'000;
constexpr double kMaxId = 9.0e15;  // exactly representable integers in a double

Status RowError(const std::string& path, int line, const std::string& why) {
  return DataLoss(fmt::format("{}:{}: {}", path, line, why));
}

// Splits on commas, spaces and tabs; consecutive separators (", ") count once, but an
// empty field between two commas is kept so that "1,,2" is reported rather than skipped.
void SplitFields(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= n) break;
    size_t j = i;
    while (j < n && line[j] != ',' && line[j] != ' ' && line[j] != '\t') ++j;
    out.push_back(line.substr(i, j - i));
    while (j < n && (line[j] == ' ' || line[j] == '\t')) ++j;
    if (j < n && line[j] == ',') {
      ++j;
      // A trailing comma ends the row (TrackEval drops a last empty field).
      size_t k = j;
      while (k < n && (line[k] == ' ' || line[k] == '\t')) ++k;
      if (k >= n) break;
      if (line[k] == ',') out.push_back(std::string_view());
    }
    i = j;
  }
}

bool ParseDouble(std::string_view s, double& v) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::size_t MotSequence::num_rows() const {
  std::size_t n = 0;
  for (const auto& f : frames) n += f.size();
  return n;
}

Result<MotSequence> ParseMotText(const std::string& text, const std::string& path, MotFileKind kind,
                                 int num_frames) {
  MotSequence seq;
  seq.path = path;
  {
    std::string stem = path;
    const size_t slash = stem.find_last_of('/');
    if (slash != std::string::npos) stem = stem.substr(slash + 1);
    const size_t dot = stem.find_last_of('.');
    if (dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
    seq.name = stem;
  }
  if (num_frames > 0) seq.frames.resize(num_frames);
  const size_t min_columns = kind == MotFileKind::kTracker ? 6 : 7;
  std::vector<std::string_view> fields;
  std::vector<std::unordered_set<std::int64_t>> ids_in_frame;
  int line_no = 0;
  size_t pos = 0;
  int fewest_columns = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    SplitFields(line, fields);
    if (fields.empty()) continue;
    if (fields.size() < min_columns) {
      return RowError(path, line_no,
                      fmt::format("{} columns, need at least {} (frame,id,x,y,w,h{})",
                                  fields.size(), min_columns, min_columns > 6 ? ",conf" : ""));
    }
    double v[9] = {0, 0, 0, 0, 0, 0, 1, -1, -1};
    const size_t used = std::min<size_t>(fields.size(), 9);
    for (size_t c = 0; c < used; ++c) {
      if (!ParseDouble(fields[c], v[c])) {
        return RowError(path, line_no,
                        fmt::format("column {} is not a number: '{}'", c + 1, fields[c]));
      }
      if (!std::isfinite(v[c])) {
        return RowError(path, line_no,
                        fmt::format("column {} is not finite: '{}'", c + 1, fields[c]));
      }
    }
    if (v[0] != std::floor(v[0]) || v[0] < 1 || v[0] > kMaxFrame) {
      return RowError(path, line_no,
                      fmt::format("frame must be an integer >= 1, got {}", fields[0]));
    }
    const int frame = static_cast<int>(v[0]);
    if (num_frames > 0 && frame > num_frames) {
      return RowError(path, line_no,
                      fmt::format("frame {} is past the sequence length {}", frame, num_frames));
    }
    if (v[4] < 0 || v[5] < 0) {
      return RowError(path, line_no, fmt::format("negative box size {} x {}", v[4], v[5]));
    }
    MotBox box;
    if (kind != MotFileKind::kDetections) {
      if (v[1] != std::floor(v[1]) || v[1] < 0 || v[1] > kMaxId) {
        return RowError(path, line_no,
                        fmt::format("id must be a non-negative integer, got {}", fields[1]));
      }
      box.id = static_cast<std::int64_t>(v[1]);
    } else {
      box.id = static_cast<std::int64_t>(std::clamp(v[1], -1.0, kMaxId));
    }
    box.x = v[2];
    box.y = v[3];
    box.w = v[4];
    box.h = v[5];
    box.conf = v[6];
    if (fields.size() >= 8) {
      // Truncated like TrackEval's astype(int): in MOT15 files columns 8-10 are world
      // coordinates, not classes, and only the MOT17 rules look at the class.
      if (std::abs(v[7]) > 1e6) {
        return RowError(path, line_no, fmt::format("class out of range: {}", fields[7]));
      }
      box.class_id = static_cast<int>(v[7]);
    }
    if (fields.size() >= 9) box.visibility = v[8];
    box.line = line_no;
    if (static_cast<size_t>(frame) > seq.frames.size()) seq.frames.resize(frame);
    if (kind != MotFileKind::kDetections) {
      if (ids_in_frame.size() < seq.frames.size()) ids_in_frame.resize(seq.frames.size());
      if (!ids_in_frame[frame - 1].insert(box.id).second) {
        return RowError(path, line_no,
                        fmt::format("id {} appears twice in frame {}", box.id, frame));
      }
    }
    seq.frames[frame - 1].push_back(box);
    const int ncol = static_cast<int>(fields.size());
    fewest_columns = fewest_columns == 0 ? ncol : std::min(fewest_columns, ncol);
  }
  seq.num_columns = fewest_columns;
  return seq;
}

Result<MotSequence> LoadMotFile(const std::string& path, MotFileKind kind, int num_frames) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(fmt::format("cannot open MOT file '{}'", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return DataLoss(fmt::format("{}: read error", path));
  return ParseMotText(ss.str(), path, kind, num_frames);
}

Result<SeqInfo> LoadSeqInfo(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("cannot open seqinfo '{}'", path));
  SeqInfo info;
  std::string line;
  int line_no = 0;
  bool has_length = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      const size_t b = s.find_first_not_of(" \t");
      const size_t e = s.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    double number = 0;
    const bool numeric = ParseDouble(value, number) && std::isfinite(number);
    auto need_int = [&](int& out) -> Status {
      if (!numeric || number != std::floor(number) || number < 0 || number > kMaxFrame) {
        return RowError(path, line_no, fmt::format("{} must be a non-negative integer", key));
      }
      out = static_cast<int>(number);
      return OkStatus();
    };
    if (key == "name") {
      info.name = value;
    } else if (key == "seqLength") {
      MK_RETURN_IF_ERROR(need_int(info.length));
      has_length = true;
    } else if (key == "imWidth") {
      MK_RETURN_IF_ERROR(need_int(info.width_px));
    } else if (key == "imHeight") {
      MK_RETURN_IF_ERROR(need_int(info.height_px));
    } else if (key == "frameRate") {
      if (!numeric || number <= 0) return RowError(path, line_no, "frameRate must be positive");
      info.frame_rate = number;
    }
  }
  if (!has_length) return DataLoss(fmt::format("{}: no seqLength", path));
  return info;
}

}  // namespace monokin::eval
