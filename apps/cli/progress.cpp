// SPDX-License-Identifier: Apache-2.0
#include "progress.h"

#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace monokin::cli {
namespace {

std::string Clock(double s) {
  if (s < 0) return "--:--";
  const long t = static_cast<long>(s + 0.5);
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
                   : fmt::format("{:02}:{:02}", t / 60, t % 60);
}

}  // namespace

void ProgressPrinter::Update(const pipeline::Progress& p) {
  if (silent_) return;
  const auto now = std::chrono::steady_clock::now();
  // Terminal: redraw up to 10 times a second. Pipe or log file: one line every 5 seconds.
  const auto period = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (drew_ && now - last_ < period) return;
  last_ = now;
  drew_ = true;
  if (terminal_) {
    constexpr int kWidth = 30;
    std::string bar;
    if (p.frames_total > 0) {
      const double f = std::min(1.0, static_cast<double>(p.frames_done) / p.frames_total);
      const int full = static_cast<int>(f * kWidth);
      bar = fmt::format("[{}{}] {:5.1f}% {}/{}", std::string(full, '#'),
                        std::string(kWidth - full, '.'), 100 * f, p.frames_done, p.frames_total);
    } else {
      bar = fmt::format("{} frames", p.frames_done);
    }
    std::fprintf(stderr, "\r%s  %.1f fps  t=%s  ETA %s  ", bar.c_str(), p.fps,
                 Clock(p.media_t_s).c_str(), Clock(p.eta_s).c_str());
  } else {
    std::fprintf(stderr, "progress: %lld/%lld frames, %.1f fps, media %.1f s, eta %s\n",
                 p.frames_done, p.frames_total, p.fps, p.media_t_s, Clock(p.eta_s).c_str());
  }
  std::fflush(stderr);
}

void ProgressPrinter::Finish() {
  if (terminal_ && drew_ && !silent_) std::fprintf(stderr, "\n");
}

}  // namespace monokin::cli
