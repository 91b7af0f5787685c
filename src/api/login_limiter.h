// LoginLimiter: counts failed logins (a wrong API token, as a Bearer header or
// to POST /api/session) per client address over a sliding window. A client
// with `max_failures` failures in the window is refused, even with the right
// token, until the oldest of them leaves the window; RetryAfter says how long.
// Kept in memory only: a restart forgets it. At most `max_clients` addresses
// are tracked; past that the ones with the oldest failure are forgotten first.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace charchive::api {

struct LoginLimits {
  int max_failures = 5;
  std::chrono::seconds window{60};
  size_t max_clients = 10000;
};

class LoginLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginLimiter(LoginLimits limits = {}, std::function<Clock::time_point()> now = Clock::now);

  // Whole seconds until `client` may try again (at least 1); 0: it may try now.
  int RetryAfter(const std::string& client);
  void RecordFailure(const std::string& client);

 private:
  void ForgetExpired(std::deque<Clock::time_point>& failures, Clock::time_point now) const;

  LoginLimits options_;
  std::function<Clock::time_point()> now_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace charchive::api
