// SourceScheduler: runs card-source syncs in the background while
// `charchive serve` runs: runs queued through the API, and a run of every
// enabled source whose interval has passed since its last run. One run at a
// time, on a thread of its own. Runs left `running` by a process that died
// are marked failed at start. Progress goes to the EventBus, when given, as
// {"type": "source_run", "run": {...}} (at most 4 a second, and the end), so
// the API's event stream shows it.
//
// Thread safety: Start/Stop from one thread; the rest is internal.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "federation/event_bus.h"
#include "sources/source_sync.h"

namespace charchive::sources {

class SourceScheduler {
 public:
  explicit SourceScheduler(SourceSync& sync, federation::EventBus* events = nullptr,
                           std::chrono::milliseconds tick = std::chrono::seconds(2))
      : sync_(sync), events_(events), tick_(tick) {}
  ~SourceScheduler() { Stop(); }

  void Start();
  // Cancels the run in flight (it ends `cancelled`) and joins.
  void Stop();
  // Looks for work now instead of at the next tick (a run was queued).
  void Wake();

 private:
  void Loop();
  void RunDue();

  SourceSync& sync_;
  federation::EventBus* events_;
  std::chrono::milliseconds tick_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
};

// Whether a source with this schedule is due, given its newest run's
// created_at (nullopt: never ran) and the time now as the store writes it.
bool RunIsDue(const SourceRecord& source, const std::optional<std::string>& last_run_created_at,
              const std::string& now_iso_minus_interval);

}  // namespace charchive::sources
