#include "util/retry_policy.h"

#include <algorithm>
#include <random>
#include <thread>

#include "util/log.h"

namespace charchive {

bool SleepFully(std::chrono::milliseconds delay) {
  std::this_thread::sleep_for(delay);
  return true;
}

std::optional<std::chrono::milliseconds> RetryPolicy::DelayAfter(int attempt, const Status& failure) const {
  if (failure.ok() || failure.transient() == Transient::kNone) return std::nullopt;
  if (failure.transient() == Transient::kUnreachable && !options_.retry_unreachable) return std::nullopt;
  if (attempt >= options_.max_attempts) return std::nullopt;
  if (const auto& asked = failure.retry_after()) {
    if (*asked > options_.max_retry_after) return std::nullopt;
    return std::max(*asked, std::chrono::milliseconds(0));
  }
  auto backoff = options_.first_backoff;
  for (int i = 1; i < attempt && backoff < options_.max_backoff; ++i) backoff *= 2;
  backoff = std::min(backoff, options_.max_backoff);
  if (options_.jitter > 0 && backoff.count() > 0) {
    static thread_local std::mt19937_64 rng(std::random_device{}());
    auto spread = static_cast<int64_t>(static_cast<double>(backoff.count()) * options_.jitter);
    backoff += std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, spread)(rng));
  }
  return backoff;
}

std::optional<std::chrono::milliseconds> RetryPolicy::Next(Budget& budget, const Status& failure) const {
  bool paced = failure.transient() == Transient::kRateLimited && failure.retry_after() &&
               *failure.retry_after() <= options_.max_retry_after;
  if (paced && budget.paced < options_.max_paced_waits) {
    ++budget.paced;
    return *failure.retry_after();
  }
  auto delay = DelayAfter(budget.attempts, failure);
  if (delay) ++budget.attempts;
  return delay;
}

bool RetryPolicy::Wait(std::chrono::milliseconds delay, const Status& failure) const {
  log::Debug("retry", {{"kind", failure.kind()},
                       {"transient", TransientName(failure.transient())},
                       {"wait_ms", static_cast<long long>(delay.count())}});
  return sleep_(delay);
}

}  // namespace charchive
