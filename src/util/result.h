// Result<T>: either a value of type T or a failed Status. The companion of
// Status for functions that produce something.
//
// Thread safety: a value type; same rules as T.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "util/status.h"

namespace charchive {

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace charchive

#define CHARCHIVE_CONCAT_INNER(a, b) a##b
#define CHARCHIVE_CONCAT(a, b) CHARCHIVE_CONCAT_INNER(a, b)
// Declares `lhs` from a Result expression, or returns its Status on failure.
#define CHARCHIVE_ASSIGN_OR_RETURN(lhs, expr)                                                     \
  auto CHARCHIVE_CONCAT(_res_, __LINE__) = (expr);                                                \
  if (!CHARCHIVE_CONCAT(_res_, __LINE__).ok()) return CHARCHIVE_CONCAT(_res_, __LINE__).status(); \
  lhs = std::move(CHARCHIVE_CONCAT(_res_, __LINE__)).value()
