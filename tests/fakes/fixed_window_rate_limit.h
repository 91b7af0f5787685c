// FixedWindowRateLimit: Character Architect's rate limit as the real one
// applies it (docs/federation.md "Retries"): each client (by address) may make
// `limit` requests in a fixed window that starts with its first request; past
// that the answer is 429 with Retry-After (the whole seconds until the window
// ends, at most its length), and every answer, refused or not, carries
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (seconds
// until the window ends). The fake Architect exempts /health, as the real one.
// A test that must meet the limit however slow the machine is asks for
// `Start::kAtFirstRefusal`: the client's `limit` requests pass at any pace, the
// next is refused and opens the window, after which a fresh `limit` passes.
//
// Thread safety: all methods may be called from any thread.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace charchive::testing {

class FixedWindowRateLimit {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Start { kAtFirstRequest, kAtFirstRefusal };

  FixedWindowRateLimit(int limit, std::chrono::milliseconds window) : limit_(limit), window_(window) {}

  // New limits; every client starts a fresh window.
  void Configure(int limit, std::chrono::milliseconds window, Start start = Start::kAtFirstRequest);
  // Counts the request against its client and sets the X-RateLimit headers;
  // true when it is over the limit (`res` is then the 429).
  bool Refuse(const httplib::Request& req, httplib::Response& res);
  // Requests refused so far.
  size_t refused();

 private:
  struct Window {
    Clock::time_point start;
    int used = 0;
    bool open = false;  // the window has started (kAtFirstRefusal: a request was refused)
  };

  std::mutex mu_;
  int limit_;
  std::chrono::milliseconds window_;
  Start start_ = Start::kAtFirstRequest;
  std::map<std::string, Window> clients_;
  size_t refused_ = 0;
};

}  // namespace charchive::testing
