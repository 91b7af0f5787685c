#include "api/login_limiter.h"

#include <gtest/gtest.h>

namespace charchive::api {
namespace {

using std::chrono::seconds;

struct FakeClock {
  LoginLimiter::Clock::time_point t{};
  std::function<LoginLimiter::Clock::time_point()> fn() {
    return [this] { return t; };
  }
};

TEST(LoginLimiterTest, FifthFailureLocksTheClientForTheRestOfTheWindow) {
  FakeClock clock;
  LoginLimiter limiter({5, seconds(60), 100}, clock.fn());
  for (int i = 0; i < 4; ++i) {
    limiter.RecordFailure("10.0.0.1");
    clock.t += seconds(1);
    EXPECT_EQ(limiter.RetryAfter("10.0.0.1"), 0) << "after " << i + 1 << " failures";
  }
  limiter.RecordFailure("10.0.0.1");  // at t=4s; the first failure was at t=0
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1"), 56);
  clock.t += seconds(55);
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1"), 1);
  clock.t += seconds(1);  // t=60s: the first failure leaves the window
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1"), 0);
}

TEST(LoginLimiterTest, ClientsAreCountedApart) {
  FakeClock clock;
  LoginLimiter limiter({2, seconds(60), 100}, clock.fn());
  limiter.RecordFailure("a");
  limiter.RecordFailure("a");
  limiter.RecordFailure("b");
  EXPECT_GT(limiter.RetryAfter("a"), 0);
  EXPECT_EQ(limiter.RetryAfter("b"), 0);
  EXPECT_EQ(limiter.RetryAfter("c"), 0);
}

TEST(LoginLimiterTest, FailuresSpreadOverMoreThanTheWindowNeverLock) {
  FakeClock clock;
  LoginLimiter limiter({3, seconds(60), 100}, clock.fn());
  for (int i = 0; i < 20; ++i) {
    limiter.RecordFailure("slow");
    EXPECT_EQ(limiter.RetryAfter("slow"), 0) << i;
    clock.t += seconds(31);
  }
}

TEST(LoginLimiterTest, ALockedClientThatKeepsTryingStaysLocked) {
  FakeClock clock;
  LoginLimiter limiter({2, seconds(10), 100}, clock.fn());
  limiter.RecordFailure("x");
  limiter.RecordFailure("x");
  for (int i = 0; i < 5; ++i) {
    clock.t += seconds(5);
    limiter.RecordFailure("x");
    EXPECT_EQ(limiter.RetryAfter("x"), 5) << i;
  }
}

TEST(LoginLimiterTest, TracksAtMostMaxClientsAddresses) {
  FakeClock clock;
  LoginLimiter limiter({1, seconds(60), 3}, clock.fn());
  for (const char* c : {"a", "b", "c"}) {
    limiter.RecordFailure(c);
    clock.t += seconds(1);
  }
  limiter.RecordFailure("d");  // "a" has the oldest failure and is forgotten
  EXPECT_EQ(limiter.RetryAfter("a"), 0);
  EXPECT_GT(limiter.RetryAfter("b"), 0);
  EXPECT_GT(limiter.RetryAfter("d"), 0);
}

}  // namespace
}  // namespace charchive::api
