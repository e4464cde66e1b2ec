// SPDX-License-Identifier: Apache-2.0
// frames.jsonl: one compact JSON object (FrameResultToJson) per line per frame, flushed per line.
#pragma once

#include <string>

#include "monokin/core/status.h"
#include "monokin/core/types.h"
#include "monokin/output/line_file.h"

namespace monokin::output {

class FramesJsonlWriter {
 public:
  // Creates (truncates) `path`. kFailedPrecondition when it cannot be opened.
  Status Open(const std::string& path);
  // Appends one line; kDataLoss when the write fails.
  Status Write(const FrameResult& result);
  Status Close() { return file_.Close(); }

 private:
  detail::LineFile file_;
};

}  // namespace monokin::output
