#include "sources/source_http.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "sources/timestamps.h"
#include "testing/manual_clock.h"
#include "tests/fakes/fake_chub.h"

namespace charchive::sources {
namespace {

using namespace std::chrono_literals;
using charchive::testing::FakeChub;
using charchive::testing::ManualClock;

TEST(HostRateLimiterTest, SpacesRequestsToOneHostButNotAcrossHosts) {
  ManualClock clock;
  HostRateLimiter limiter(clock);
  const Clock::TimePoint start = clock.Now();
  ASSERT_TRUE(limiter.Acquire("http://a", 100ms, {}).ok());  // the first: at once
  EXPECT_EQ(clock.WaitsBegun(), 0u);
  // Acquire on a thread of its own; the time it was let through.
  auto acquire = [&](std::atomic<bool>& through, Clock::TimePoint& when) {
    return std::thread([&limiter, &clock, through = &through, when = &when] {
      EXPECT_TRUE(limiter.Acquire("http://a", 100ms, {}).ok());
      *when = clock.Now();
      *through = true;
    });
  };
  std::atomic<bool> second_through{false}, third_through{false};
  Clock::TimePoint second, third;
  std::thread second_client = acquire(second_through, second);
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_FALSE(second_through);
  clock.Advance(100ms);
  second_client.join();
  EXPECT_EQ(second, start + 100ms);
  std::thread third_client = acquire(third_through, third);  // booked one interval after the second
  ASSERT_TRUE(clock.AwaitWaiters(1));
  clock.Advance(99ms);
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_FALSE(third_through);
  clock.Advance(1ms);
  third_client.join();
  EXPECT_EQ(third, start + 200ms);
  uint64_t waits = clock.WaitsBegun();
  ASSERT_TRUE(limiter.Acquire("http://b", 100ms, {}).ok());  // another host: at once
  EXPECT_EQ(clock.WaitsBegun(), waits);
}

TEST(HostRateLimiterTest, DeferAndCancel) {
  ManualClock clock;
  HostRateLimiter limiter(clock);
  limiter.DeferUntil("h", clock.Now() + 10s);
  std::atomic<bool> cancel{false};
  Status status;
  std::thread client([&] { status = limiter.Acquire("h", 0ms, [&] { return cancel.load(); }); });
  ASSERT_TRUE(clock.AwaitWaiters(1));
  cancel = true;
  clock.Advance(50ms);  // the limiter looks at cancellation every 50 ms of its clock
  client.join();
  EXPECT_EQ(status.kind(), "cancelled");  // long before the 10 s
}

TEST(TimestampsTest, NormalizesEveryShapeTheHubsSend) {
  EXPECT_EQ(NormalizeTimestamp(Json("2026-01-02T03:04:05Z")), "2026-01-02T03:04:05.000Z");
  EXPECT_EQ(NormalizeTimestamp(Json("2026-01-02T03:04:05.5+01:00")), "2026-01-02T02:04:05.500Z");
  EXPECT_EQ(NormalizeTimestamp(Json(1767225600)), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(NormalizeTimestamp(Json(1767225600123)), "2026-01-01T00:00:00.123Z");
  EXPECT_EQ(NormalizeTimestamp(Json("1767225600")), "2026-01-01T00:00:00.000Z");
  EXPECT_FALSE(NormalizeTimestamp(Json(0)).has_value());
  EXPECT_FALSE(NormalizeTimestamp(Json(nullptr)).has_value());
  EXPECT_FALSE(NormalizeTimestamp(Json("yesterday")).has_value());
}

TEST(SourceHttpTest, RetriesServerErrorsWithBackoffThenGivesUp) {
  FakeChub chub;
  HostRateLimiter limiter;
  Politeness p;
  p.min_interval = 0ms;
  p.retry.max_attempts = 3;
  p.retry.first_backoff = 50ms;
  SourceHttp http(limiter, p, {}, {});
  chub.FailNext(503, "", 2);
  auto ok = http.Get(chub.base_url(), "/search?page=1", "search");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->status, 200);
  auto log = chub.Requests();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_GE(log[1].t_ms - log[0].t_ms, 45);
  EXPECT_GE(log[2].t_ms - log[1].t_ms, 95);

  chub.FailNext(500, "", 3);
  auto failed = http.Get(chub.base_url(), "/search?page=1", "search");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kRemoteError);
  EXPECT_NE(failed.status().message().find("HTTP 500"), std::string::npos);

  // A 404 is an answer, not a failure to retry.
  chub.ClearRequests();
  auto missing = http.Get(chub.base_url(), "/api/characters/no/body?full=true", "card");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(chub.Requests().size(), 1u);
}

TEST(SourceHttpTest, ARetryAfterLongerThanTheRunWaitsFailsAtOnce) {
  FakeChub chub;
  HostRateLimiter limiter;
  Politeness p;
  p.min_interval = 0ms;
  p.retry.max_retry_after = 2s;
  SourceHttp http(limiter, p, {}, {});
  chub.FailNext(429, "3600");
  auto res = http.Get(chub.base_url(), "/search", "search");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().kind(), "source_rate_limited");
  EXPECT_EQ(chub.Requests().size(), 1u);
}

TEST(SourceHttpTest, RefusedConnectionFailsWithoutRetrying) {
  HostRateLimiter limiter;
  SourceHttp http(limiter, Politeness{}, {}, {});
  auto start = std::chrono::steady_clock::now();
  auto res = http.Get("http://127.0.0.1:1", "/search", "Chub search");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kRemoteError);
  EXPECT_EQ(http.requests(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

}  // namespace
}  // namespace charchive::sources
