#include "util/fifo_gate.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

namespace charchive {
namespace {

using std::chrono::milliseconds;

TEST(FifoGateTest, LetsSlotsThroughAtOnceAndNoMore) {
  FifoGate gate(2);
  auto first = gate.Enter(milliseconds(0));
  auto second = gate.Enter(milliseconds(0));
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(gate.Enter(milliseconds(0)));
  first.reset();
  EXPECT_TRUE(gate.Enter(milliseconds(0)));
}

TEST(FifoGateTest, AdmitsWaitersInTheOrderTheyCame) {
  FifoGate gate(1);
  auto held = gate.Enter(milliseconds(0));
  ASSERT_TRUE(held);
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      auto pass = gate.Enter(std::chrono::minutes(1));
      ASSERT_TRUE(pass);
      std::lock_guard lock(mu);
      order.push_back(i);
    });
    while (gate.Waiting() < i + 1) std::this_thread::yield();  // its ticket is taken
  }
  held.reset();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST(FifoGateTest, AWaiterThatGivesUpDoesNotBlockThoseBehindIt) {
  FifoGate gate(1);
  auto held = gate.Enter(milliseconds(0));
  ASSERT_TRUE(held);
  std::optional<FifoGate::Pass> behind;
  std::thread later([&] { behind = gate.Enter(std::chrono::minutes(1)); });
  while (gate.Waiting() < 1) std::this_thread::yield();
  EXPECT_FALSE(gate.Enter(milliseconds(0)));  // after `later`, and gives up
  held.reset();
  later.join();
  EXPECT_TRUE(behind);
  behind.reset();
  EXPECT_TRUE(gate.Enter(milliseconds(0)));  // the abandoned ticket was skipped
}

}  // namespace
}  // namespace charchive
