// SourceScheduler: runs card-source syncs in the background while
// `charchive serve` runs: runs queued through the API, and a run of every
// enabled source whose interval has passed since its last run. One run at a
// time, on a thread of its own. Runs left `running` by a process that died
// are marked failed at start. Progress goes to the EventBus, when given, as
// {"type": "source_run", "run": {...}} (at most 4 a second, and the end), so
// the API's event stream shows it. The loop is a PeriodicWorker on the
// injected Clock, which also says when a source's interval has passed.
//
// Thread safety: Start/Stop from one thread; Wake from any.
#pragma once

#include <chrono>

#include "federation/event_bus.h"
#include "sources/source_sync.h"
#include "util/clock.h"
#include "util/periodic_worker.h"

namespace charchive::sources {

class SourceScheduler {
 public:
  explicit SourceScheduler(SourceSync& sync, federation::EventBus* events = nullptr,
                           std::chrono::milliseconds tick = std::chrono::seconds(2), Clock& clock = Clock::Real())
      : sync_(sync),
        events_(events),
        clock_(clock),
        worker_("source_scheduler", clock, tick, [this] { return RunDue(); }) {}

  void Start();
  // Cancels the run in flight (it ends `cancelled`) and joins.
  void Stop();
  // Looks for work now instead of at the next tick (a run was queued).
  void Wake();

 private:
  // The worker's tick: queued runs first, then every source that is due.
  Status RunDue();

  SourceSync& sync_;
  federation::EventBus* events_;
  Clock& clock_;
  PeriodicWorker worker_;  // last: stopped before the rest goes
};

// Whether a source with this schedule is due, given its newest run's
// created_at (nullopt: never ran) and the time now as the store writes it.
bool RunIsDue(const SourceRecord& source, const std::optional<std::string>& last_run_created_at,
              const std::string& now_iso_minus_interval);

}  // namespace charchive::sources
