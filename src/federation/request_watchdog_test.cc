#include "federation/request_watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <vector>

namespace charchive::federation {
namespace {

using Clock = RequestWatchdog::Clock;

TEST(RequestWatchdog, StopsOnlyTheRequestsPastTheirDeadlineOnOneThread) {
  RequestWatchdog dog;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> stopped;
  std::set<std::thread::id> threads;
  auto stop = [&](int which) {
    return [&, which] {
      std::lock_guard lock(mu);
      stopped.push_back(which);
      threads.insert(std::this_thread::get_id());
      cv.notify_all();
    };
  };
  auto now = Clock::now();
  RequestWatchdog::Watch late(dog, now + std::chrono::milliseconds(60), stop(2));
  RequestWatchdog::Watch soon(dog, now + std::chrono::milliseconds(20), stop(1));
  {
    RequestWatchdog::Watch finished(dog, now + std::chrono::milliseconds(10), stop(99));
  }  // ended in time: never stopped
  auto forever = std::make_unique<RequestWatchdog::Watch>(dog, now + std::chrono::hours(1), stop(3));
  EXPECT_EQ(dog.watched(), 3u);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return stopped.size() == 2; }));
  }
  EXPECT_EQ(stopped, (std::vector<int>{1, 2}));
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_NE(*threads.begin(), std::this_thread::get_id());
  EXPECT_TRUE(soon.fired());
  EXPECT_TRUE(late.fired());
  EXPECT_FALSE(forever->fired());
  forever.reset();
  EXPECT_EQ(dog.watched(), 2u);
}

}  // namespace
}  // namespace charchive::federation
