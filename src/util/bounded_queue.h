// A bounded first-in first-out queue between threads: producers block while
// it is full, consumers while it is empty. Close() says no more items come;
// consumers then drain what is left and get an empty answer.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace charchive {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  void Push(T item) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }

  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

  // Waits for at least one item (or the close), then takes up to `max`, oldest
  // first. Empty only when the queue is closed and drained.
  std::vector<T> PopUpTo(size_t max) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    std::vector<T> taken;
    while (!items_.empty() && taken.size() < max) {
      taken.push_back(std::move(items_.front()));
      items_.pop_front();
    }
    not_full_.notify_all();
    return taken;
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace charchive
