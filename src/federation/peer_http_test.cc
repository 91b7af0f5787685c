#include "federation/peer_http.h"

#include <gtest/gtest.h>

namespace charchive::federation {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::from_time_t(1767225600);  // 2026-01-01T00:00:00Z

PeerResponse Answer(int status, std::multimap<std::string, std::string> headers = {}) {
  PeerResponse res;
  res.status = status;
  res.body = "{\"error\":\"busy\"}";
  res.headers = std::move(headers);
  return res;
}

TEST(PeerHttpTest, RetryAfterIsSecondsOrAnHttpDate) {
  EXPECT_EQ(ParseRetryAfter("3", kNow), milliseconds(3000));
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", kNow), milliseconds(10000));
  EXPECT_EQ(ParseRetryAfter("Wed, 31 Dec 2025 00:00:10 GMT", kNow), milliseconds(0));
  EXPECT_FALSE(ParseRetryAfter("soon", kNow).has_value());
  EXPECT_FALSE(ParseRetryAfter("", kNow).has_value());
  EXPECT_FALSE(ParseRetryAfter("-5", kNow).has_value());
}

TEST(PeerHttpTest, ARefusalsWaitComesFromRetryAfterElseFromASpentRateLimitWindow) {
  EXPECT_EQ(RetryAfter(Answer(429, {{"retry-after", "7"}}), kNow), milliseconds(7000));
  EXPECT_EQ(RetryAfter(Answer(503, {{"retry-after", "Thu, 01 Jan 2026 00:01:00 GMT"}}), kNow), 60s);
  // X-RateLimit-Reset as seconds left, or as the Unix time the window ends.
  EXPECT_EQ(RetryAfter(Answer(429, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "12"}}), kNow), 12s);
  EXPECT_EQ(RetryAfter(Answer(429, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1767225630"}}), kNow), 30s);
  EXPECT_FALSE(RetryAfter(Answer(429, {{"x-ratelimit-remaining", "3"}, {"x-ratelimit-reset", "12"}}), kNow));
  EXPECT_FALSE(RetryAfter(Answer(429), kNow));
  EXPECT_FALSE(RetryAfter(Answer(500, {{"retry-after", "7"}}), kNow));  // only refusals ask for a wait
}

TEST(PeerHttpTest, HttpErrorsAreTypedByWhyTheyMayPass) {
  EXPECT_EQ(TransientOf(429), Transient::kRateLimited);
  EXPECT_EQ(TransientOf(408), Transient::kTimeout);
  EXPECT_EQ(TransientOf(425), Transient::kServerError);
  EXPECT_EQ(TransientOf(502), Transient::kServerError);
  EXPECT_EQ(TransientOf(501), Transient::kNone);
  EXPECT_EQ(TransientOf(403), Transient::kNone);
  EXPECT_EQ(TransientOf(404), Transient::kNone);

  Status limited = HttpError(Answer(429, {{"retry-after", "2"}}), "peer_refused", "Character Architect's import");
  EXPECT_EQ(limited.code(), StatusCode::kRemoteError);
  EXPECT_EQ(limited.kind(), "peer_refused");
  EXPECT_EQ(limited.transient(), Transient::kRateLimited);
  EXPECT_EQ(limited.retry_after(), milliseconds(2000));
  EXPECT_EQ(limited.message(),
            "HTTP 429 from Character Architect's import (rate limited) (retry after 2 s): {\"error\":\"busy\"}");
  Status forbidden = HttpError(Answer(403), "peer_refused", "x", "Forbidden");
  EXPECT_EQ(forbidden.transient(), Transient::kNone);
  EXPECT_FALSE(forbidden.retry_after());
  EXPECT_NE(forbidden.message().find(": Forbidden"), std::string::npos);
}

TEST(PeerHttpTest, ARefusedConnectionIsUnreachable) {
  auto http = PeerHttp::ForBaseUrl("http://127.0.0.1:1");
  ASSERT_TRUE(http.ok());
  auto res = http->Send(PeerRequest{.path = "/health"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().kind(), "peer_unreachable");
  EXPECT_EQ(res.status().transient(), Transient::kUnreachable);
}

}  // namespace
}  // namespace charchive::federation
