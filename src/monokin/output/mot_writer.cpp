// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/mot_writer.h"

#include <fmt/format.h>

#include "monokin/output/number_format.h"

namespace monokin::output {

std::string MotLine(FrameIndex index, const Athlete& a) {
  using detail::FormatFixed;
  // The last three fields are the 3D position, unused in 2D tracking: -1 by the format.
  return fmt::format("{},{},{},{},{},{},{},-1,-1,-1", index + 1, a.id, FormatFixed(a.box.x, 2),
                     FormatFixed(a.box.y, 2), FormatFixed(a.box.w, 2), FormatFixed(a.box.h, 2),
                     FormatFixed(a.score, 2));
}

Status MotWriter::Open(const std::string& path) { return file_.Open(path, false); }

Status MotWriter::Write(const FrameResult& result) {
  // One flush per frame rather than per athlete: the whole frame's lines land together.
  std::string lines;
  for (const Athlete& a : result.athletes) {
    if (a.id < 0) continue;
    if (!lines.empty()) lines += '\n';
    lines += MotLine(result.frame.index, a);
  }
  if (lines.empty()) return OkStatus();
  return file_.WriteLine(lines);
}

}  // namespace monokin::output
