#include "api/login_limiter.h"

#include <algorithm>

namespace charchive::api {

LoginLimiter::LoginLimiter(LoginLimits options, std::function<Clock::time_point()> now)
    : options_(options), now_(std::move(now)) {}

void LoginLimiter::ForgetExpired(std::deque<Clock::time_point>& failures, Clock::time_point now) const {
  while (!failures.empty() && now - failures.front() >= options_.window) failures.pop_front();
}

int LoginLimiter::RetryAfter(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(client);
  if (it == failures_.end()) return 0;
  Clock::time_point now = now_();
  ForgetExpired(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return 0;
  }
  if (it->second.size() < static_cast<size_t>(options_.max_failures)) return 0;
  // Free again when enough failures have left the window.
  Clock::time_point free_at = it->second[it->second.size() - options_.max_failures] + options_.window;
  auto wait = std::chrono::ceil<std::chrono::seconds>(free_at - now).count();
  return static_cast<int>(std::max<int64_t>(wait, 1));
}

void LoginLimiter::RecordFailure(const std::string& client) {
  std::lock_guard lock(mu_);
  Clock::time_point now = now_();
  if (failures_.size() >= options_.max_clients && !failures_.count(client)) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      ForgetExpired(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    while (failures_.size() >= options_.max_clients) {
      auto oldest = std::min_element(failures_.begin(), failures_.end(),
                                     [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
      failures_.erase(oldest);
    }
  }
  auto& failures = failures_[client];
  ForgetExpired(failures, now);
  failures.push_back(now);
  // Only the newest max_failures matter for RetryAfter.
  while (failures.size() > static_cast<size_t>(options_.max_failures)) failures.pop_front();
}

}  // namespace charchive::api
