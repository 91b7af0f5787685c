// ManualClock: a Clock for tests that moves only when the test says so
// (Advance). Threads waiting on it (Clock::WaitUntil) are woken when it moves
// past their deadline. AwaitWaiters and AwaitWaitsBegun let a test wait, on a
// condition and not by sleeping, until the code under test is parked on the
// clock, or has come back to it after an Advance (a periodic tick ended). It
// starts at the real time of its construction. Header-only, for *_test.cc
// files.
//
// Thread safety: every method may be called from any thread at once.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "util/clock.h"

namespace charchive::testing {

class ManualClock final : public Clock {
 public:
  ManualClock() : start_(std::chrono::steady_clock::now()), system_start_(std::chrono::system_clock::now()) {
    now_ = start_;
  }

  TimePoint Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }

  std::chrono::system_clock::time_point SystemNow() const override {
    std::lock_guard lock(mu_);
    return system_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(now_ - start_);
  }

  bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, TimePoint deadline,
                 const std::function<bool()>& ready) override {
    auto self = std::make_shared<Waiter>(Waiter{lock.mutex(), &cv, deadline});
    {
      std::lock_guard guard(mu_);
      waiters_.push_back(self);
      ++waits_begun_;
    }
    waiters_changed_.notify_all();
    while (!ready() && Now() < deadline) cv.wait(lock);
    {
      std::lock_guard guard(mu_);
      waiters_.erase(std::find(waiters_.begin(), waiters_.end(), self));
    }
    waiters_changed_.notify_all();
    return ready();
  }

  // Moves the time on and wakes every waiter.
  void Advance(Duration duration) {
    {
      std::lock_guard lock(mu_);
      now_ += duration;
    }
    WakeWaiters();
  }

  // How many threads wait on the clock now, and the earliest deadline.
  size_t Waiters() const {
    std::lock_guard lock(mu_);
    return waiters_.size();
  }
  std::optional<TimePoint> EarliestDeadline() const {
    std::lock_guard lock(mu_);
    std::optional<TimePoint> earliest;
    for (const auto& w : waiters_) earliest = earliest ? std::min(*earliest, w->deadline) : w->deadline;
    return earliest;
  }

  // Blocks until at least `count` threads wait on the clock; false when that
  // did not happen within `timeout` of real time (the test then fails).
  bool AwaitWaiters(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return waiters_changed_.wait_for(lock, timeout, [&] { return waiters_.size() >= count; });
  }

  // How many waits have begun since construction; AwaitWaitsBegun(WaitsBegun()
  // + 1) after an Advance returns once some thread has begun a new one.
  uint64_t WaitsBegun() const {
    std::lock_guard lock(mu_);
    return waits_begun_;
  }
  bool AwaitWaitsBegun(uint64_t count, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return waiters_changed_.wait_for(lock, timeout, [&] { return waits_begun_ >= count; });
  }

 private:
  struct Waiter {
    std::mutex* mutex;
    std::condition_variable* cv;
    TimePoint deadline;
  };

  // A waiter is notified while its own mutex is held, so that a notification
  // cannot fall between its look at the time and its wait. Its mutex is taken
  // with try_lock while holding mu_ (waiters take mu_ while holding theirs):
  // when it is busy, everything is let go and tried again.
  void WakeWaiters() {
    while (true) {
      std::unique_lock lock(mu_);
      bool all = true;
      for (const auto& w : waiters_) {
        if (!w->mutex->try_lock()) {
          all = false;
          break;
        }
        w->cv->notify_all();
        w->mutex->unlock();
      }
      if (all) return;
      lock.unlock();
      std::this_thread::yield();
    }
  }

  mutable std::mutex mu_;
  std::condition_variable waiters_changed_;
  const TimePoint start_;
  const std::chrono::system_clock::time_point system_start_;
  TimePoint now_;
  std::vector<std::shared_ptr<Waiter>> waiters_;
  uint64_t waits_begun_ = 0;
};

}  // namespace charchive::testing
