#include "store/connection_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "testing/test_cards.h"

namespace charchive {
namespace {

TEST(ConnectionPoolTest, AcquireGivesUpWithAClearErrorWhenEveryConnectionIsHeld) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 2, std::chrono::milliseconds(50));
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool.Acquire();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().kind(), "db_pool_exhausted");
  EXPECT_NE(c.status().message().find("all 2 in use"), std::string::npos);
}

TEST(ConnectionPoolTest, AReleasedConnectionWakesAWaiter) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 1, std::chrono::minutes(5));
  auto held = std::make_optional(pool.Acquire());
  ASSERT_TRUE(held->ok());
  std::thread waiter([&] {
    auto next = pool.Acquire();
    EXPECT_TRUE(next.ok()) << next.status().ToString();
  });
  held.reset();  // the waiter takes it; without the wake-up it would wait five minutes
  waiter.join();
}

}  // namespace
}  // namespace charchive
