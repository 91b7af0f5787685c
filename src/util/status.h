// Status: the outcome of an operation that can fail. Errors are values, never
// exceptions across module lines. A Status carries a coarse code (which maps to
// CLI exit codes and HTTP statuses), a specific machine-readable kind (for
// example "crc_mismatch") and a human-readable message.
//
// Thread safety: a Status is a value; const methods may be called from many
// threads at once.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace charchive {

enum class StatusCode {
  kOk = 0,
  kIoError,       // the file system or an OS call failed
  kInvalidInput,  // the input is malformed or breaks a rule or a limit
  kNotFound,
  kConflict,
  kRemoteError,      // a peer failed or could not be reached
  kUnauthenticated,  // the caller could not be verified (a bad or missing signature)
  kForbidden,        // the caller is known but not allowed to do this
  kInternal,
};

// Why a failure is worth retrying; kNone for one that would only repeat.
enum class Transient {
  kNone,
  kRateLimited,  // the peer refused for now (HTTP 429)
  kTimeout,      // no complete answer in time (or HTTP 408)
  kServerError,  // the peer failed (HTTP 5xx) or asked to try later (425)
  kUnreachable,  // nobody answered: connection refused, or broken while sending
};

// "rate_limited", "timeout", "server_error", "unreachable" or "none".
constexpr const char* TransientName(Transient transient) {
  switch (transient) {
    case Transient::kNone:
      return "none";
    case Transient::kRateLimited:
      return "rate_limited";
    case Transient::kTimeout:
      return "timeout";
    case Transient::kServerError:
      return "server_error";
    case Transient::kUnreachable:
      return "unreachable";
  }
  return "none";
}

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

  Transient transient() const { return transient_; }
  // The wait the other side asked for (Retry-After), when it said.
  const std::optional<std::chrono::milliseconds>& retry_after() const { return retry_after_; }

  // The same failure, marked as worth retrying (or not, with kNone).
  Status WithTransient(Transient transient, std::optional<std::chrono::milliseconds> retry_after = std::nullopt) const {
    Status out = *this;
    if (ok()) return out;
    out.transient_ = transient;
    out.retry_after_ = transient == Transient::kNone ? std::nullopt : retry_after;
    return out;
  }

  // "kind: message", or "ok".
  std::string ToString() const { return ok() ? "ok" : kind_ + ": " + message_; }

  // Prefixes the message with context, e.g. the file name; keeps code, kind
  // and the retry information.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status out = *this;
    out.message_ = context + ": " + message_;
    return out;
  }

 private:
  Status(StatusCode code, std::string kind, std::string message)
      : code_(code), kind_(std::move(kind)), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string kind_;
  std::string message_;
  Transient transient_ = Transient::kNone;
  std::optional<std::chrono::milliseconds> retry_after_;
};

}  // namespace charchive

// Returns from the enclosing function when `expr` yields a failed Status.
#define CHARCHIVE_RETURN_IF_ERROR(expr) \
  do {                                  \
    ::charchive::Status _st = (expr);   \
    if (!_st.ok()) return _st;          \
  } while (0)
