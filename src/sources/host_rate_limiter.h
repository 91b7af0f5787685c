// HostRateLimiter: spaces requests to each host (host:port) at least
// `interval` apart, across every thread and run that shares the limiter, and
// lets a host push its next slot back (Retry-After). Waiting can be cancelled.
//
// Thread safety: all methods may be called from any thread.
#pragma once

#include <functional>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "util/status.h"

namespace charchive::sources {

class HostRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Blocks until `host` may be sent a request (and books that slot); fails
  // with kConflict "cancelled" as soon as cancelled() is true.
  Status Acquire(const std::string& host, std::chrono::milliseconds interval, const std::function<bool()>& cancelled);
  // No request to `host` before `until` (a 429's Retry-After).
  void DeferUntil(const std::string& host, Clock::time_point until);

 private:
  std::mutex mu_;
  std::map<std::string, Clock::time_point> next_;  // the earliest time of the next request
};

// Sleeps `duration` in short steps; false when cancelled meanwhile.
bool SleepUnlessCancelled(std::chrono::milliseconds duration, const std::function<bool()>& cancelled);

}  // namespace charchive::sources
