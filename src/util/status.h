// Status: the outcome of an operation that can fail. Errors are values, never
// exceptions across module lines. A Status carries a coarse code (which maps to
// CLI exit codes and HTTP statuses), a specific machine-readable kind (for
// example "crc_mismatch") and a human-readable message.
//
// Thread safety: a Status is a value; const methods may be called from many
// threads at once.
#pragma once

#include <string>
#include <utility>

namespace charchive {

enum class StatusCode {
  kOk = 0,
  kIoError,       // the file system or an OS call failed
  kInvalidInput,  // the input is malformed or breaks a rule or a limit
  kNotFound,
  kConflict,
  kRemoteError,   // a peer failed or could not be reached
  kUnauthenticated,  // the caller could not be verified (a bad or missing signature)
  kForbidden,        // the caller is known but not allowed to do this
  kInternal,
};

class Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status IoError(std::string kind, std::string message) {
    return Status(StatusCode::kIoError, std::move(kind), std::move(message));
  }
  static Status Invalid(std::string kind, std::string message) {
    return Status(StatusCode::kInvalidInput, std::move(kind), std::move(message));
  }
  static Status NotFound(std::string kind, std::string message) {
    return Status(StatusCode::kNotFound, std::move(kind), std::move(message));
  }
  static Status Conflict(std::string kind, std::string message) {
    return Status(StatusCode::kConflict, std::move(kind), std::move(message));
  }
  static Status Remote(std::string kind, std::string message) {
    return Status(StatusCode::kRemoteError, std::move(kind), std::move(message));
  }
  static Status Unauthenticated(std::string kind, std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(kind), std::move(message));
  }
  static Status Forbidden(std::string kind, std::string message) {
    return Status(StatusCode::kForbidden, std::move(kind), std::move(message));
  }
  static Status Internal(std::string kind, std::string message) {
    return Status(StatusCode::kInternal, std::move(kind), std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& kind() const { return kind_; }
  const std::string& message() const { return message_; }

  // "kind: message", or "ok".
  std::string ToString() const { return ok() ? "ok" : kind_ + ": " + message_; }

  // Prefixes the message with context, e.g. the file name; keeps code and kind.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, kind_, context + ": " + message_);
  }

 private:
  Status(StatusCode code, std::string kind, std::string message)
      : code_(code), kind_(std::move(kind)), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string kind_;
  std::string message_;
};

}  // namespace charchive

// Returns from the enclosing function when `expr` yields a failed Status.
#define CHARCHIVE_RETURN_IF_ERROR(expr)          \
  do {                                           \
    ::charchive::Status _st = (expr);            \
    if (!_st.ok()) return _st;                   \
  } while (0)
