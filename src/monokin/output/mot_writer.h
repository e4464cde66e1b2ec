// SPDX-License-Identifier: Apache-2.0
// tracks.txt in the MOTChallenge results format: one line per athlete per frame,
//   frame,id,x,y,w,h,conf,-1,-1,-1
// with 1-based frame numbers (FrameInfo::index + 1) and 2-decimal floats. Athletes without a
// track id (id < 0) are skipped: MOTChallenge needs one.
#pragma once

#include <string>

#include "monokin/core/status.h"
#include "monokin/core/types.h"
#include "monokin/output/line_file.h"

namespace monokin::output {

// The MOTChallenge line of `athlete` in frame `index` (0-based), without the newline.
std::string MotLine(FrameIndex index, const Athlete& athlete);

class MotWriter {
 public:
  // Creates (truncates) `path`. kFailedPrecondition when it cannot be opened.
  Status Open(const std::string& path);
  // Appends one line per athlete of `result`, flushed; kDataLoss when a write fails.
  Status Write(const FrameResult& result);
  Status Close() { return file_.Close(); }

 private:
  detail::LineFile file_;
};

}  // namespace monokin::output
