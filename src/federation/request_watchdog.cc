#include "federation/request_watchdog.h"

namespace charchive::federation {

RequestWatchdog& RequestWatchdog::Shared() {
  static RequestWatchdog dog;
  return dog;
}

RequestWatchdog::~RequestWatchdog() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

RequestWatchdog::Watch::Watch(RequestWatchdog& dog, Clock::time_point deadline, std::function<void()> stop)
    : dog_(dog) {
  std::lock_guard lock(dog_.mu_);
  id_ = dog_.next_id_++;
  dog_.entries_.emplace(id_, Entry{deadline, std::move(stop)});
  bool earliest = dog_.by_deadline_.empty() || deadline < dog_.by_deadline_.begin()->first;
  dog_.by_deadline_.emplace(deadline, id_);
  if (!dog_.thread_.joinable()) dog_.thread_ = std::thread([&dog = dog_] { dog.Run(); });
  if (earliest) dog_.cv_.notify_all();
}

RequestWatchdog::Watch::~Watch() {
  std::lock_guard lock(dog_.mu_);
  auto it = dog_.entries_.find(id_);
  if (it == dog_.entries_.end()) return;
  if (!it->second.fired) {
    auto [first, last] = dog_.by_deadline_.equal_range(it->second.deadline);
    for (auto d = first; d != last; ++d) {
      if (d->second == id_) {
        dog_.by_deadline_.erase(d);
        break;
      }
    }
  }
  dog_.entries_.erase(it);
}

bool RequestWatchdog::Watch::fired() const {
  std::lock_guard lock(dog_.mu_);
  auto it = dog_.entries_.find(id_);
  return it != dog_.entries_.end() && it->second.fired;
}

size_t RequestWatchdog::watched() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void RequestWatchdog::Run() {
  std::unique_lock lock(mu_);
  while (!quit_) {
    if (by_deadline_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto [deadline, id] = *by_deadline_.begin();
    if (Clock::now() < deadline) {
      cv_.wait_until(lock, deadline);
      continue;
    }
    by_deadline_.erase(by_deadline_.begin());
    Entry& entry = entries_.at(id);
    entry.fired = true;
    entry.stop();
  }
}

}  // namespace charchive::federation
