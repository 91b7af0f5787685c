#include "sources/host_rate_limiter.h"

#include <algorithm>

#include "sources/errors.h"

namespace charchive::sources {

bool HostRateLimiter::WaitUnlessCancelled(Clock::TimePoint until, const std::function<bool()>& cancelled) {
  constexpr auto kPoll = std::chrono::milliseconds(50);
  std::unique_lock lock(wait_mu_);
  while (true) {
    if (cancelled && cancelled()) return false;
    Clock::TimePoint now = clock_.Now();
    if (now >= until) return true;
    clock_.WaitUntil(lock, wait_cv_, std::min<Clock::TimePoint>(until, now + kPoll), [] { return false; });
  }
}

Status HostRateLimiter::Acquire(const std::string& host, std::chrono::milliseconds interval,
                                const std::function<bool()>& cancelled) {
  Clock::TimePoint slot;
  {
    std::lock_guard lock(mu_);
    Clock::TimePoint now = clock_.Now();
    auto& next = next_[host];
    slot = std::max(now, next);
    next = slot + interval;  // booked: the next caller waits one interval more
  }
  if (!WaitUnlessCancelled(slot, cancelled))
    return Status::Conflict(source_error::kCancelled, "cancelled while waiting for " + host);
  return Status::Ok();
}

void HostRateLimiter::DeferUntil(const std::string& host, Clock::TimePoint until) {
  std::lock_guard lock(mu_);
  auto& next = next_[host];
  next = std::max(next, until);
}

}  // namespace charchive::sources
