// Clock: the time that background loops read and wait on, injected so that a
// test can drive it (src/testing/manual_clock.h) instead of sleeping. Now() is
// monotonic, for periods, back-offs and deadlines; SystemNow() is calendar
// time, for timestamps that are stored or compared with another machine's.
// Clock::Real() is the process's real clock.
//
// Thread safety: every method may be called from any thread at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace charchive {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;

  virtual TimePoint Now() const = 0;
  virtual std::chrono::system_clock::time_point SystemNow() const = 0;

  // Called with `lock` held, returns with it held: waits until `ready()` is
  // true or Now() reaches `deadline`, and returns ready(). Whoever changes
  // what ready() reads does it under the lock's mutex and notifies `cv`.
  virtual bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, TimePoint deadline,
                         const std::function<bool()>& ready) = 0;

  bool WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Duration duration,
               const std::function<bool()>& ready) {
    return WaitUntil(lock, cv, Now() + duration, ready);
  }

  // std::chrono's steady and system clocks; lives as long as the process.
  static Clock& Real();
};

}  // namespace charchive
