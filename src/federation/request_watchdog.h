// RequestWatchdog: the one thread that enforces every outbound request's total
// deadline (federation::PeerHttp). A request registers what stops it (its
// client's stop()) and its deadline; the watchdog sleeps until the earliest
// deadline and calls the stop of each request still running past its own.
// One thread for all requests, instead of a thread per request.
//
// Thread safety: every method may be called from any thread. A stop callback
// runs on the watchdog's thread with its lock held, so it never runs after
// its Watch has ended; it must not call back into the watchdog.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace charchive::federation {

class RequestWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  // The process's watchdog (its thread starts with the first Watch).
  static RequestWatchdog& Shared();

  // One watched request: registered on construction, unregistered when it
  // goes out of scope.
  class Watch {
   public:
    Watch(RequestWatchdog& dog, Clock::time_point deadline, std::function<void()> stop);
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    // Whether the deadline passed and the request was stopped.
    bool fired() const;

   private:
    RequestWatchdog& dog_;
    uint64_t id_;
  };

  RequestWatchdog() = default;
  ~RequestWatchdog();

  size_t watched() const;

 private:
  struct Entry {
    Clock::time_point deadline;
    std::function<void()> stop;
    bool fired = false;
  };
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, Entry> entries_;
  std::multimap<Clock::time_point, uint64_t> by_deadline_;
  uint64_t next_id_ = 1;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace charchive::federation
