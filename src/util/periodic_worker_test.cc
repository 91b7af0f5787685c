#include "util/periodic_worker.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "testing/manual_clock.h"

namespace charchive {
namespace {

using std::chrono::seconds;
using testing::ManualClock;

// Counts ticks; a test waits on a condition for the count it expects.
class TickCounter {
 public:
  Status Tick() {
    std::lock_guard lock(mu_);
    ++ticks_;
    cv_.notify_all();
    return Status::Ok();
  }
  bool AwaitTicks(int count) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, seconds(30), [&] { return ticks_ >= count; });
  }
  int ticks() {
    std::lock_guard lock(mu_);
    return ticks_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int ticks_ = 0;
};

TEST(PeriodicWorkerTest, TicksAtStartThenEveryPeriodOfItsClock) {
  ManualClock clock;
  TickCounter counter;
  PeriodicWorker worker("test", clock, seconds(10), [&] { return counter.Tick(); });
  Clock::TimePoint start = clock.Now();
  worker.Start();
  ASSERT_TRUE(counter.AwaitTicks(1));
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_EQ(clock.EarliestDeadline(), start + seconds(10));
  clock.Advance(seconds(9));
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_EQ(clock.EarliestDeadline(), start + seconds(10));  // still the first period's wait
  EXPECT_EQ(counter.ticks(), 1);
  clock.Advance(seconds(1));
  ASSERT_TRUE(counter.AwaitTicks(2));
  worker.Stop();
  EXPECT_EQ(counter.ticks(), 2);
}

TEST(PeriodicWorkerTest, AWakeRunsTheNextTickWithoutWaitingForThePeriod) {
  ManualClock clock;
  TickCounter counter;
  PeriodicWorker worker("test", clock, seconds(3600), [&] { return counter.Tick(); });
  worker.Start();
  ASSERT_TRUE(counter.AwaitTicks(1));
  worker.Wake();
  ASSERT_TRUE(counter.AwaitTicks(2));
  worker.Wake();
  ASSERT_TRUE(counter.AwaitTicks(3));
}

TEST(PeriodicWorkerTest, AFailedOrThrowingTickIsLoggedAndTheLoopGoesOn) {
  ManualClock clock;
  TickCounter counter;
  int calls = 0;
  PeriodicWorker worker("flaky", clock, seconds(1), [&]() -> Status {
    ++calls;
    if (calls == 1) return Status::IoError("disk", "the disk is gone");
    if (calls == 2) throw std::runtime_error("boom");
    return counter.Tick();
  });
  ::testing::internal::CaptureStderr();
  worker.Start();
  ASSERT_TRUE(clock.AwaitWaitsBegun(1));  // the first tick failed; the worker waits for the next
  clock.Advance(seconds(1));
  ASSERT_TRUE(clock.AwaitWaitsBegun(2));  // the second threw; still waiting for the next
  clock.Advance(seconds(1));
  ASSERT_TRUE(counter.AwaitTicks(1));
  worker.Stop();
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("worker_tick_failed worker=flaky error=\"disk: the disk is gone\""), std::string::npos) << log;
  EXPECT_NE(log.find("worker_tick_failed worker=flaky exception=boom"), std::string::npos) << log;
}

TEST(PeriodicWorkerTest, StopEndsTheTicksOwnWaitsAndARestartTicksAgain) {
  ManualClock clock;
  std::mutex mu;
  std::condition_variable cv;
  std::optional<bool> waited;
  PeriodicWorker* self = nullptr;
  PeriodicWorker worker("test", clock, seconds(1), [&] {
    bool full = self->WaitUnlessStopped(seconds(60));  // a back-off in the middle of a tick
    std::lock_guard lock(mu);
    if (!waited) waited = full;
    cv.notify_all();
    return Status::Ok();
  });
  self = &worker;
  worker.Start();
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_FALSE(worker.stopping());
  worker.Stop();
  EXPECT_TRUE(worker.stopping());
  {
    std::lock_guard lock(mu);
    ASSERT_TRUE(waited.has_value());
    EXPECT_FALSE(*waited);
    waited.reset();
  }
  worker.Start();
  ASSERT_TRUE(clock.AwaitWaiters(1));
  clock.Advance(seconds(60));
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, seconds(30), [&] { return waited.has_value(); }));
  EXPECT_TRUE(*waited);
}

}  // namespace
}  // namespace charchive
