// HostRateLimiter: spaces requests to each host (host:port) at least
// `interval` apart, across every thread and run that shares the limiter, and
// lets a host push its next slot back (Retry-After). Time is read from and
// waited on the injected Clock; a wait notices cancellation within 50 ms of
// that clock.
//
// Thread safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "util/clock.h"
#include "util/status.h"

namespace charchive::sources {

class HostRateLimiter {
 public:
  explicit HostRateLimiter(Clock& clock = Clock::Real()) : clock_(clock) {}

  // Blocks until `host` may be sent a request (and books that slot); fails
  // with kConflict "cancelled" as soon as cancelled() is true.
  Status Acquire(const std::string& host, std::chrono::milliseconds interval, const std::function<bool()>& cancelled);
  // No request to `host` before `until` (a 429's Retry-After).
  void DeferUntil(const std::string& host, Clock::TimePoint until);

  Clock& clock() const { return clock_; }

 private:
  // Waits until `until`; false when cancelled meanwhile.
  bool WaitUnlessCancelled(Clock::TimePoint until, const std::function<bool()>& cancelled);

  Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Clock::TimePoint> next_;  // the earliest time of the next request
  std::mutex wait_mu_;
  std::condition_variable wait_cv_;  // never notified: cancellation is polled
};

}  // namespace charchive::sources
