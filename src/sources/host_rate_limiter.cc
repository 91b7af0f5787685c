#include "sources/host_rate_limiter.h"

#include <algorithm>
#include <thread>

#include "sources/errors.h"

namespace charchive::sources {

bool SleepUnlessCancelled(std::chrono::milliseconds duration, const std::function<bool()>& cancelled) {
  auto until = HostRateLimiter::Clock::now() + duration;
  while (true) {
    if (cancelled && cancelled()) return false;
    auto now = HostRateLimiter::Clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<HostRateLimiter::Clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
}

Status HostRateLimiter::Acquire(const std::string& host, std::chrono::milliseconds interval,
                                const std::function<bool()>& cancelled) {
  Clock::time_point slot;
  {
    std::lock_guard lock(mu_);
    auto now = Clock::now();
    auto& next = next_[host];
    slot = std::max(now, next);
    next = slot + interval;  // booked: the next caller waits one interval more
  }
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(slot - Clock::now());
  if (wait.count() > 0 && !SleepUnlessCancelled(wait, cancelled)) {
    return Status::Conflict(source_error::kCancelled, "cancelled while waiting for " + host);
  }
  if (cancelled && cancelled()) return Status::Conflict(source_error::kCancelled, "cancelled");
  return Status::Ok();
}

void HostRateLimiter::DeferUntil(const std::string& host, Clock::time_point until) {
  std::lock_guard lock(mu_);
  auto& next = next_[host];
  next = std::max(next, until);
}

}  // namespace charchive::sources
