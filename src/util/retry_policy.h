// RetryPolicy: the one rule by which the archive retries a call that failed
// for a reason that may pass (Status::transient(): rate-limited, timeout, a
// server error, unreachable). Failures that would only repeat are returned at
// once. A call is tried `max_attempts` times in all; before each retry the
// policy waits the peer's retry-after when it sent one, else first_backoff,
// doubled after each try up to max_backoff, plus up to `jitter` of it at
// random. A retry-after longer than max_retry_after is not waited: the call
// fails at once, with the peer's answer. A 429 that says when to come back is
// the peer pacing its clients, not failing: waiting it uses no attempt, up to
// max_paced_waits times per call (clients that share a fixed window drift out
// of step, and one of them may be told to wait several windows running).
//
// The waiting is done by a RetrySleep, which callers replace: a job's sleep
// ends early when the job stops or is cancelled, a unit test's records the
// waits and returns at once (no test really sleeps). When a sleep returns
// false the call ends with its last failure.
//
// Thread safety: a RetryPolicy is immutable; Run may be called from many
// threads at once when its sleep may (the default one may).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <type_traits>

#include "util/result.h"

namespace charchive {

struct RetryOptions {
  int max_attempts = 4;  // tries in all, paced waits aside (1 with max_paced_waits 0: never retried)
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(30)};
  std::chrono::milliseconds max_retry_after{std::chrono::minutes(2)};
  int max_paced_waits = 10;  // 429s with a retry-after, waited without using an attempt
  double jitter = 0.5;       // up to this fraction of a backoff is added at random
  // false: a refused connection fails at once (nobody listens; retrying only
  // delays the report).
  bool retry_unreachable = true;
};

// Waits `delay`; false when told to stop meanwhile.
using RetrySleep = std::function<bool(std::chrono::milliseconds delay)>;

// Sleeps the whole delay on the calling thread; always true.
bool SleepFully(std::chrono::milliseconds delay);

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}, RetrySleep sleep = SleepFully)
      : options_(options), sleep_(std::move(sleep)) {}

  // The same rule with another way of waiting.
  RetryPolicy WithSleep(RetrySleep sleep) const { return RetryPolicy(options_, std::move(sleep)); }
  const RetryOptions& options() const { return options_; }

  // How long to wait before another try after try `attempt` (1-based, paced
  // waits not counted) failed with `failure`; nullopt: do not retry.
  std::optional<std::chrono::milliseconds> DelayAfter(int attempt, const Status& failure) const;

  // Calls attempt(n) for n = 1, 2, ... (every call counted) until it
  // succeeds, fails for good, or the policy gives up; returns the last
  // outcome. `attempt` returns a Status or a Result<T>.
  template <typename Attempt>
  auto Run(Attempt&& attempt) const -> std::invoke_result_t<Attempt&, int> {
    Budget budget;
    for (int call = 1;; ++call) {
      auto outcome = attempt(call);
      const Status& failure = StatusOf(outcome);
      if (failure.ok()) return outcome;
      auto delay = Next(budget, failure);
      if (!delay || !Wait(*delay, failure)) return outcome;
    }
  }

 private:
  struct Budget {
    int attempts = 1;  // tries so far that used an attempt
    int paced = 0;     // rate-limit waits so far
  };
  // DelayAfter, with paced waits taken from their own budget.
  std::optional<std::chrono::milliseconds> Next(Budget& budget, const Status& failure) const;
  static const Status& StatusOf(const Status& status) { return status; }
  template <typename T>
  static const Status& StatusOf(const Result<T>& result) {
    return result.status();
  }
  // Logs the retry and sleeps.
  bool Wait(std::chrono::milliseconds delay, const Status& failure) const;

  RetryOptions options_;
  RetrySleep sleep_;
};

}  // namespace charchive
