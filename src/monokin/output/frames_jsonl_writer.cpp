// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/frames_jsonl_writer.h"

#include <fmt/format.h>

#include "monokin/output/frame_json.h"

namespace monokin::output {

Status FramesJsonlWriter::Open(const std::string& path) { return file_.Open(path, false); }

Status FramesJsonlWriter::Write(const FrameResult& result) {
  std::string line;
  try {
    line = FrameResultToJson(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const nlohmann::json::exception& e) {
    return Internal(
        fmt::format("frame {}: cannot serialise to JSON: {}", result.frame.index, e.what()));
  }
  return file_.WriteLine(line);
}

}  // namespace monokin::output
