#include "util/retry_policy.h"

#include <gtest/gtest.h>

#include <vector>

namespace charchive {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

// A sleep that only records what it was asked to wait.
struct RecordedSleep {
  std::vector<milliseconds> waits;
  bool keep_going = true;
  RetrySleep Sleep() {
    return [this](milliseconds d) {
      waits.push_back(d);
      return keep_going;
    };
  }
};

Status Busy(std::optional<milliseconds> retry_after = std::nullopt) {
  return Status::Remote("peer_refused", "HTTP 429").WithTransient(Transient::kRateLimited, retry_after);
}

TEST(StatusTest, RetryInformationIsTypedAndSurvivesContext) {
  Status s = Status::Remote("peer_timeout", "slow").WithTransient(Transient::kTimeout, 3s);
  EXPECT_EQ(s.transient(), Transient::kTimeout);
  EXPECT_EQ(s.retry_after(), milliseconds(3000));
  Status wrapped = s.WithContext("pushing card 7");
  EXPECT_EQ(wrapped.message(), "pushing card 7: slow");
  EXPECT_EQ(wrapped.transient(), Transient::kTimeout);
  EXPECT_EQ(wrapped.retry_after(), milliseconds(3000));
  EXPECT_EQ(Status::Remote("peer_refused", "no").transient(), Transient::kNone);
  EXPECT_EQ(s.WithTransient(Transient::kNone).retry_after(), std::nullopt);
  EXPECT_EQ(Status::Ok().WithTransient(Transient::kTimeout).transient(), Transient::kNone);
  EXPECT_STREQ(TransientName(Transient::kRateLimited), "rate_limited");
}

TEST(RetryPolicyTest, BacksOffExponentiallyUpToTheCapThenGivesUp) {
  RecordedSleep sleep;
  RetryPolicy policy({.max_attempts = 5, .first_backoff = 100ms, .max_backoff = 300ms, .jitter = 0}, sleep.Sleep());
  int calls = 0;
  Status out = policy.Run([&](int attempt) {
    EXPECT_EQ(attempt, ++calls);
    return Status::Remote("peer_error", "HTTP 502").WithTransient(Transient::kServerError);
  });
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(out.message(), "HTTP 502");
  EXPECT_EQ(sleep.waits, (std::vector<milliseconds>{100ms, 200ms, 300ms, 300ms}));
}

TEST(RetryPolicyTest, JitterOnlyAddsUpToItsFraction) {
  RetryPolicy policy({.first_backoff = 1000ms, .jitter = 0.5});
  Status failure = Status::Remote("peer_timeout", "t").WithTransient(Transient::kTimeout);
  for (int i = 0; i < 50; ++i) {
    auto delay = policy.DelayAfter(1, failure);
    ASSERT_TRUE(delay);
    EXPECT_GE(*delay, 1000ms);
    EXPECT_LE(*delay, 1500ms);
  }
}

TEST(RetryPolicyTest, APeersRetryAfterIsWaitedAndOneTooLongFailsAtOnce) {
  RecordedSleep sleep;
  RetryPolicy policy({.first_backoff = 10ms, .max_retry_after = 60s, .jitter = 0}, sleep.Sleep());
  int calls = 0;
  Result<int> out = policy.Run([&](int attempt) -> Result<int> {
    ++calls;
    if (attempt < 3) return Busy(7s);
    return 42;
  });
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, 42);
  EXPECT_EQ(sleep.waits, (std::vector<milliseconds>{7s, 7s}));

  sleep.waits.clear();
  calls = 0;
  Status refused = policy.Run([&](int) {
    ++calls;
    return Busy(std::chrono::hours(1));
  });
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(sleep.waits.empty());
  EXPECT_EQ(refused.retry_after(), std::chrono::hours(1));
}

TEST(RetryPolicyTest, APeerPacingItsClientsUsesNoAttemptUpToItsOwnBudget) {
  RecordedSleep sleep;
  RetryPolicy policy({.max_attempts = 2, .max_paced_waits = 3, .jitter = 0}, sleep.Sleep());
  int calls = 0;
  Status out = policy.Run([&](int attempt) {
    EXPECT_EQ(attempt, ++calls);
    return attempt <= 3 ? Busy(1s) : Status::Ok();
  });
  EXPECT_TRUE(out.ok());
  EXPECT_EQ(sleep.waits, (std::vector<milliseconds>{1s, 1s, 1s}));

  sleep.waits.clear();
  calls = 0;
  Status paced_out = policy.Run([&](int) {
    ++calls;
    return Busy(1s);
  });
  EXPECT_EQ(calls, 5);  // 3 paced waits, then the 2 attempts of max_attempts
  EXPECT_EQ(sleep.waits.size(), 4u);
  EXPECT_EQ(paced_out.transient(), Transient::kRateLimited);
}

TEST(RetryPolicyTest, FailuresThatWouldRepeatAreNotRetried) {
  RecordedSleep sleep;
  RetryPolicy policy({}, sleep.Sleep());
  int calls = 0;
  Status out = policy.Run([&](int) {
    ++calls;
    return Status::Remote("peer_refused", "HTTP 403");
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(out.kind(), "peer_refused");
  EXPECT_TRUE(sleep.waits.empty());

  RetryPolicy no_unreachable({.retry_unreachable = false}, sleep.Sleep());
  EXPECT_FALSE(no_unreachable.DelayAfter(
      1, Status::Remote("peer_unreachable", "refused").WithTransient(Transient::kUnreachable)));
  EXPECT_TRUE(
      policy.DelayAfter(1, Status::Remote("peer_unreachable", "refused").WithTransient(Transient::kUnreachable)));
}

TEST(RetryPolicyTest, ASleepThatIsStoppedEndsTheCallWithItsLastFailure) {
  RecordedSleep sleep;
  sleep.keep_going = false;
  RetryPolicy policy({.jitter = 0}, sleep.Sleep());
  int calls = 0;
  Status out = policy.Run([&](int) {
    ++calls;
    return Busy(1s);
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(sleep.waits, std::vector<milliseconds>{1s});
  EXPECT_EQ(out.transient(), Transient::kRateLimited);
}

}  // namespace
}  // namespace charchive
