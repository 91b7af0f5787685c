#include "federation/event_bus.h"

namespace charchive::federation {

void EventBus::Publish(const Json& event) {
  {
    std::lock_guard lock(mu_);
    for (auto& [id, queue] : queues_) {
      if (queue.size() >= kMaxQueued) queue.pop_front();
      queue.push_back(event);
    }
  }
  cv_.notify_all();
}

int EventBus::Subscribe() {
  std::lock_guard lock(mu_);
  int id = next_id_++;
  queues_[id];
  return id;
}

void EventBus::Unsubscribe(int id) {
  std::lock_guard lock(mu_);
  queues_.erase(id);
}

std::optional<Json> EventBus::Next(int id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto ready = [&] {
    auto it = queues_.find(id);
    return it == queues_.end() || !it->second.empty();
  };
  if (!cv_.wait_for(lock, timeout, ready)) return std::nullopt;
  auto it = queues_.find(id);
  if (it == queues_.end()) return std::nullopt;
  Json event = std::move(it->second.front());
  it->second.pop_front();
  return event;
}

}  // namespace charchive::federation
