#include "util/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace charchive {
namespace {

TEST(BoundedQueueTest, TakesUpToTheAskedCountOldestFirst) {
  BoundedQueue<int> queue(10);
  for (int i = 0; i < 5; ++i) queue.Push(i);
  EXPECT_EQ(queue.PopUpTo(3), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(queue.PopUpTo(3), (std::vector<int>{3, 4}));
}

TEST(BoundedQueueTest, AClosedQueueIsDrainedThenAnswersEmpty) {
  BoundedQueue<int> queue(4);
  queue.Push(7);
  queue.Close();
  EXPECT_EQ(queue.PopUpTo(8), std::vector<int>{7});
  EXPECT_TRUE(queue.PopUpTo(8).empty());
}

TEST(BoundedQueueTest, AProducerWaitsWhileTheQueueIsFull) {
  BoundedQueue<int> queue(2);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < 3; ++i) {
      queue.Push(i);
      ++pushed;
    }
    queue.Close();
  });
  // The third push cannot finish before something is taken: the first pop
  // (blocking until an item is there) may see one or two items, never three.
  std::vector<int> first = queue.PopUpTo(3);
  EXPECT_LE(first.size(), 2u);
  std::vector<int> all = first;
  for (auto more = queue.PopUpTo(3); !more.empty(); more = queue.PopUpTo(3))
    all.insert(all.end(), more.begin(), more.end());
  producer.join();
  EXPECT_EQ(all, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(pushed, 3);
}

TEST(BoundedQueueTest, AConsumerWaitingOnAnEmptyQueueWakesAtTheClose) {
  BoundedQueue<int> queue(1);
  std::thread closer([&] { queue.Close(); });
  EXPECT_TRUE(queue.PopUpTo(1).empty());
  closer.join();
}

}  // namespace
}  // namespace charchive
