// SPDX-License-Identifier: Apache-2.0
#include "monokin/video/detail/pts_sequencer.h"

#include <cmath>
#include <utility>

#include "monokin/core/log.h"

namespace monokin::video::detail {
namespace {

// Rate limit: warn on the 1st, 10th, 100th, ... occurrence, each line carrying the count.
bool IsPowerOfTen(std::int64_t n) {
  while (n >= 10 && n % 10 == 0) n /= 10;
  return n == 1;
}

}  // namespace

PtsSequencer::PtsSequencer(double nominal_fps, std::string what)
    : nominal_fps_(nominal_fps), what_(std::move(what)) {}

void PtsSequencer::Warn(const char* problem, const char* remedy, std::int64_t count,
                        FrameIndex first, FrameIndex index) {
  if (!IsPowerOfTen(count)) return;
  MK_LOG(kWarning, "{}: {} pts for {} frame(s) (first at frame {}, latest {}); {}", what_, problem,
         count, first, index, remedy);
}

Micros PtsSequencer::Next(std::int64_t raw_us, FrameIndex index) {
  if (!started_) {
    started_ = true;
    last_us_ = raw_us;
    last_raw_us_ = raw_us;
    return Micros(last_us_);
  }
  if (raw_us == 0) {
    std::int64_t step = interval_us_;
    if (step <= 0 && nominal_fps_ > 0) step = std::llround(1e6 / nominal_fps_);
    if (step <= 0) step = 1;
    last_us_ += step;
    if (missing_++ == 0) first_missing_ = index;
    last_raw_us_ = -1;  // the next real pts does not start a measurable interval
    Warn("missing", "extrapolated from the last frame interval", missing_, first_missing_, index);
    return Micros(last_us_);
  }
  if (last_raw_us_ >= 0 && raw_us > last_raw_us_) {
    interval_us_ = raw_us - last_raw_us_;
  }
  last_raw_us_ = raw_us;
  if (raw_us <= last_us_) {
    last_us_ += 1;
    if (repeated_++ == 0) first_repeated_ = index;
    Warn("repeated or backwards", "nudged by 1 us to keep time increasing", repeated_,
         first_repeated_, index);
    return Micros(last_us_);
  }
  last_us_ = raw_us;
  return Micros(last_us_);
}

}  // namespace monokin::video::detail
