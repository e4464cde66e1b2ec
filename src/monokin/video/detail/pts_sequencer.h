// SPDX-License-Identifier: Apache-2.0
// Turns the timestamps a container reports into a strictly increasing sequence. Containers and
// OpenCV's FFmpeg backend are not perfect: OpenCV reports 0 for the frames it drains from the
// decoder at the end of a stream (B-frame delay), and some files repeat a pts.
#pragma once

#include <cstdint>
#include <string>

#include "monokin/core/types.h"

namespace monokin::video::detail {

class PtsSequencer {
 public:
  // `nominal_fps` (0 when unknown) sets the step used when no interval was observed yet.
  // `what` names the input in warnings.
  PtsSequencer(double nominal_fps, std::string what);

  // The pts to publish for the frame `index` whose container pts is `raw_us` (0 = missing for
  // any frame but the first). Rules, in order:
  //  - first frame: raw_us as is (the container's start, usually 0);
  //  - raw_us == 0 after the first frame: missing; previous pts + last observed interval
  //    (or 1/nominal_fps, or 1 us when neither is known);
  //  - raw_us <= previous pts: repeated or backwards; previous pts + 1 us;
  //  - otherwise raw_us.
  // Missing and repeated pts are logged as warnings, rate-limited with a count.
  Micros Next(std::int64_t raw_us, FrameIndex index);

  std::int64_t missing_count() const { return missing_; }
  std::int64_t repeated_count() const { return repeated_; }

 private:
  void Warn(const char* problem, const char* remedy, std::int64_t count, FrameIndex first,
            FrameIndex index);

  double nominal_fps_;
  std::string what_;
  bool started_ = false;
  std::int64_t last_us_ = 0;
  std::int64_t last_raw_us_ = -1;  // last pts the container gave (not extrapolated)
  std::int64_t interval_us_ = 0;   // last interval between two real container pts
  std::int64_t missing_ = 0, repeated_ = 0;
  FrameIndex first_missing_ = -1, first_repeated_ = -1;
};

}  // namespace monokin::video::detail
