// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/status.h"

namespace monokin {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "kOk";
    case StatusCode::kInvalidArgument: return "kInvalidArgument";
    case StatusCode::kNotFound: return "kNotFound";
    case StatusCode::kUnsupported: return "kUnsupported";
    case StatusCode::kDataLoss: return "kDataLoss";
    case StatusCode::kFailedPrecondition: return "kFailedPrecondition";
    case StatusCode::kCancelled: return "kCancelled";
    case StatusCode::kUnavailable: return "kUnavailable";
    case StatusCode::kInternal: return "kInternal";
  }
  return "kUnknown";
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_);
}

std::string Status::ToString() const {
  return ok() ? "ok" : std::string(StatusCodeName(code_)) + ": " + message_;
}

int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidArgument: return 2;
    case StatusCode::kNotFound:
    case StatusCode::kUnsupported:
    case StatusCode::kUnavailable: return 3;
    case StatusCode::kDataLoss:
    case StatusCode::kFailedPrecondition: return 4;
    case StatusCode::kCancelled: return 130;
    case StatusCode::kInternal: return 70;
  }
  return 70;
}

}  // namespace monokin
