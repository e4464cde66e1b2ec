// SPDX-License-Identifier: Apache-2.0
// Logging facade. Library code never writes to stdout/stderr itself; it calls MK_LOG and the
// application decides where lines go (terminal, file, live view) and from which level.
//   MK_LOG(kInfo, "opened {} ({}x{}, {:.2f} fps)", path, w, h, fps);
#pragma once

#include <functional>
#include <string_view>

#include <fmt/format.h>

namespace monokin {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kOff = 4 };

using LogSink = std::function<void(LogLevel, std::string_view)>;

// Replaces the sink (default: "[level] message" lines on stderr). Thread-safe.
void SetLogSink(LogSink sink);
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void LogMessage(LogLevel level, std::string_view message);
const char* LogLevelName(LogLevel level);

}  // namespace monokin

#define MK_LOG(level, ...)                                                               \
  do {                                                                                   \
    if (::monokin::LogEnabled(::monokin::LogLevel::level))                               \
      ::monokin::LogMessage(::monokin::LogLevel::level, ::fmt::format(__VA_ARGS__));     \
  } while (0)
