// SPDX-License-Identifier: Apache-2.0
// Progress display: a redrawn bar with fps and ETA on a terminal, plain periodic lines otherwise.
#pragma once

#include <chrono>

#include "monokin/pipeline/engine.h"

namespace monokin::cli {

class ProgressPrinter {
 public:
  ProgressPrinter(bool terminal, bool silent) : terminal_(terminal), silent_(silent) {}
  void Update(const pipeline::Progress& p);
  void Finish();

 private:
  bool terminal_, silent_;
  bool drew_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace monokin::cli
