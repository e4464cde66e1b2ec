// SPDX-License-Identifier: Apache-2.0
// MK_CHECK(cond) << "context": aborts with file, line and message when only our own bug could
// make `cond` false. Never for user input (that is a Status).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace monokin::detail {
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* cond) {
    stream_ << file << ":" << line << ": check failed: " << cond << " ";
  }
  [[noreturn]] ~CheckFailure() {
    std::fprintf(stderr, "%s\n", stream_.str().c_str());
    std::abort();
  }
  template <typename T>
  CheckFailure& operator<<(const T& v) {
    stream_ << v;
    return *this;
  }

 private:
  std::ostringstream stream_;
};
}  // namespace monokin::detail

#define MK_CHECK(cond) \
  if (cond) {          \
  } else               \
    ::monokin::detail::CheckFailure(__FILE__, __LINE__, #cond)
