// PeriodicWorker: one background thread that runs a tick at Start, then every
// `period` of a Clock (counted from each tick's start: a tick that took a
// period or more is followed at once), or at once when woken, until Stop. A
// tick that fails (a non-ok Status, or an exception that escapes it) is logged as
// `worker_tick_failed` with the worker's name, and the loop goes on: nothing
// thrown on the worker's thread reaches std::terminate.
//
// Thread safety: every method may be called from any thread, except that
// Start and Stop must not be called from the tick itself.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "util/clock.h"
#include "util/status.h"

namespace charchive {

class PeriodicWorker {
 public:
  using Tick = std::function<Status()>;

  PeriodicWorker(std::string name, Clock& clock, Clock::Duration period, Tick tick);
  ~PeriodicWorker();  // Stop()
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  // Starts the thread (nothing when it runs); the first tick runs at once.
  void Start();
  // Asks the tick in progress to stop (stopping() turns true, waits in
  // WaitUnlessStopped end), lets it return and joins the thread.
  void Stop();
  // The next tick runs as soon as the one in progress (if any) ends.
  void Wake();

  // True from Stop until the next Start: long ticks check it between steps.
  bool stopping() const { return stopping_; }
  // For a tick's own waits (a retry's back-off), on any thread: waits
  // `duration` on the clock; false when Stop came first, or `ended` (if
  // given) turned true. Whoever changes what `ended` reads calls Wake().
  bool WaitUnlessStopped(Clock::Duration duration, const std::function<bool()>& ended = nullptr);

 private:
  void Loop();
  void RunTick();

  const std::string name_;
  Clock& clock_;
  const Clock::Duration period_;
  const Tick tick_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};  // written under mu_
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace charchive
