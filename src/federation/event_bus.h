// EventBus: fans federation events (job progress, sync state changes) out to
// subscribers such as the API's Server-Sent Events stream. Each subscriber
// has its own bounded queue; a slow one loses its oldest events rather than
// slowing the publisher.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

#include "card/card.h"

namespace charchive::federation {

class EventBus {
 public:
  void Publish(const Json& event);
  int Subscribe();
  void Unsubscribe(int id);
  // The subscriber's next event, waiting at most `timeout`; nullopt on timeout.
  std::optional<Json> Next(int id, std::chrono::milliseconds timeout);

 private:
  static constexpr size_t kMaxQueued = 1000;
  std::mutex mu_;
  std::condition_variable cv_;
  int next_id_ = 1;
  std::map<int, std::deque<Json>> queues_;
};

}  // namespace charchive::federation
