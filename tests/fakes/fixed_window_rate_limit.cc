#include "tests/fakes/fixed_window_rate_limit.h"

#include <algorithm>

namespace charchive::testing {

void FixedWindowRateLimit::Configure(int limit, std::chrono::milliseconds window, Start start) {
  std::lock_guard lock(mu_);
  limit_ = limit;
  window_ = window;
  start_ = start;
  clients_.clear();
}

size_t FixedWindowRateLimit::refused() {
  std::lock_guard lock(mu_);
  return refused_;
}

bool FixedWindowRateLimit::Refuse(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard lock(mu_);
  auto now = Clock::now();
  Window& w = clients_[req.remote_addr];
  if (w.open && now - w.start >= window_) w = Window{};
  ++w.used;
  if (!w.open && (start_ == Start::kAtFirstRequest || w.used > limit_)) {
    w.start = now;
    w.open = true;
  }
  auto left = std::chrono::ceil<std::chrono::seconds>(w.open ? w.start + window_ - now : window_);
  left = std::clamp(left, std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(window_));
  res.set_header("X-RateLimit-Limit", std::to_string(limit_));
  res.set_header("X-RateLimit-Remaining", std::to_string(std::max(0, limit_ - w.used)));
  res.set_header("X-RateLimit-Reset", std::to_string(left.count()));
  if (w.used <= limit_) return false;
  ++refused_;
  res.status = 429;
  res.set_header("Retry-After", std::to_string(left.count()));
  res.set_content("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded, retry in " +
                      std::to_string(left.count()) + " seconds\"}",
                  "application/json; charset=utf-8");
  return true;
}

}  // namespace charchive::testing
