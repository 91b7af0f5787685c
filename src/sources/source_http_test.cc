#include "sources/source_http.h"

#include <gtest/gtest.h>

#include "sources/timestamps.h"
#include "tests/fakes/fake_chub.h"

namespace charchive::sources {
namespace {

using namespace std::chrono_literals;
using charchive::testing::FakeChub;

TEST(HostRateLimiterTest, SpacesRequestsToOneHostButNotAcrossHosts) {
  HostRateLimiter limiter;
  auto start = HostRateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.Acquire("http://a", 100ms, {}).ok());
  auto elapsed = HostRateLimiter::Clock::now() - start;
  EXPECT_GE(elapsed, 200ms);
  auto other = HostRateLimiter::Clock::now();
  ASSERT_TRUE(limiter.Acquire("http://b", 100ms, {}).ok());
  EXPECT_LT(HostRateLimiter::Clock::now() - other, 50ms);
}

TEST(HostRateLimiterTest, DeferAndCancel) {
  HostRateLimiter limiter;
  limiter.DeferUntil("h", HostRateLimiter::Clock::now() + 10s);
  bool cancel = false;
  auto start = HostRateLimiter::Clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    cancel = true;
  });
  Status st = limiter.Acquire("h", 0ms, [&] { return cancel; });
  stopper.join();
  EXPECT_EQ(st.kind(), "cancelled");
  EXPECT_LT(HostRateLimiter::Clock::now() - start, 2s);
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
  auto start = HostRateLimiter::Clock::now();
  auto res = http.Get("http://127.0.0.1:1", "/search", "Chub search");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kRemoteError);
  EXPECT_EQ(http.requests(), 1);
  EXPECT_LT(HostRateLimiter::Clock::now() - start, 2s);
}

}  // namespace
}  // namespace charchive::sources
