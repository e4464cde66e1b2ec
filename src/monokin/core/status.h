// SPDX-License-Identifier: Apache-2.0
// Status and Result<T>: how expected failures travel (missing file, bad option, corrupt
// input). Our code throws nothing; only apps/cli turns a Status into stderr text and an exit
// code (ExitCodeFor).
//
//   Result<Video> v = Open(path);
//   if (!v.ok()) return v.status().WithContext("loading input");
//   MK_ASSIGN_OR_RETURN(auto frames, ReadAll(*v));
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace monokin {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // an option, flag or config value is wrong by itself
  kNotFound,            // an input file or model path does not exist
  kUnsupported,         // it exists but cannot be read (codec, model format)
  kDataLoss,            // input is truncated or corrupt partway through
  kFailedPrecondition,  // legal call, but not now
  kCancelled,           // the user stopped it
  kUnavailable,         // a device or network resource cannot be reached
  kInternal,            // we broke an assumption
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message".
  Status WithContext(const std::string& context) const;
  // "kNotFound: message" for logs; the CLI prints message() alone.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return {}; }
inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Process exit code for a status, as documented in the README (0 for ok).
int ExitCodeFor(StatusCode code);

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    if (std::get<Status>(data_).ok()) {
      data_ = Status(StatusCode::kInternal, "Result built from an ok Status without a value");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

  T& value() & { return checked(); }
  const T& value() const& { return const_cast<Result*>(this)->checked(); }
  T&& value() && { return std::move(checked()); }
  T& operator*() & { return checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked(); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked(); }

 private:
  T& checked() {
    if (!ok()) std::abort();  // using a failed Result is our own bug
    return std::get<T>(data_);
  }
  std::variant<T, Status> data_;
};

}  // namespace monokin

#define MK_STATUS_CONCAT_INNER(a, b) a##b
#define MK_STATUS_CONCAT(a, b) MK_STATUS_CONCAT_INNER(a, b)

// Returns from the current function when `expr` (a Status) is not ok.
#define MK_RETURN_IF_ERROR(expr)                    \
  do {                                              \
    ::monokin::Status mk_status_ = (expr);          \
    if (!mk_status_.ok()) return mk_status_;        \
  } while (0)

// `lhs` = value of `rexpr` (a Result), or returns its Status.
#define MK_ASSIGN_OR_RETURN(lhs, rexpr) \
  MK_ASSIGN_OR_RETURN_IMPL(MK_STATUS_CONCAT(mk_result_, __LINE__), lhs, rexpr)
#define MK_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                             \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
