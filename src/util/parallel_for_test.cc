#include "util/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace charchive {
namespace {

TEST(ParallelForTest, RunsEveryIndexOnceOnAtMostTheWorkersAsked) {
  constexpr size_t kCount = 200;
  std::vector<std::atomic<int>> runs(kCount);
  std::atomic<int> running{0}, most{0};
  ParallelFor(kCount, 3, [&](size_t i) {
    int now = ++running;
    for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
    }
    ++runs[i];
    --running;
  });
  for (size_t i = 0; i < kCount; ++i) EXPECT_EQ(runs[i], 1) << i;
  EXPECT_GE(most, 1);
  EXPECT_LE(most, 3);
}

TEST(ParallelForTest, NothingToDoAndZeroWorkersStillRunOnTheCallersThread) {
  int calls = 0;
  ParallelFor(0, 4, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  std::thread::id caller = std::this_thread::get_id();
  bool same_thread = true;
  ParallelFor(5, 0, [&](size_t) {
    ++calls;
    same_thread &= std::this_thread::get_id() == caller;
  });
  EXPECT_EQ(calls, 5);
  EXPECT_TRUE(same_thread);
}

TEST(ParallelForTest, AnExceptionOnAHelperThreadReachesTheCaller) {
  std::atomic<int> calls{0};
  std::thread::id caller = std::this_thread::get_id();
  std::string caught;
  try {
    ParallelFor(1000, 4, [&](size_t) {
      ++calls;
      if (std::this_thread::get_id() != caller) throw std::runtime_error("helper failed");
      // The caller's own calls wait for a helper to have run (and thrown).
      while (calls < 2) std::this_thread::yield();
    });
  } catch (const std::runtime_error& e) {
    caught = e.what();
  }
  EXPECT_EQ(caught, "helper failed");
}

}  // namespace
}  // namespace charchive
