// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace monokin {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mutex;

LogSink& Sink() {
  static LogSink sink = [](LogLevel level, std::string_view message) {
    std::fprintf(stderr, "[%s] %.*s\n", LogLevelName(level), static_cast<int>(message.size()),
                 message.data());
  };
  return sink;
}

}  // namespace

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
    case LogLevel::kOff: return "off";
  }
  return "?";
}

void SetLogSink(LogSink sink) {
  std::lock_guard lock(g_mutex);
  Sink() = std::move(sink);
}

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

void LogMessage(LogLevel level, std::string_view message) {
  std::lock_guard lock(g_mutex);
  if (Sink()) Sink()(level, message);
}

}  // namespace monokin
