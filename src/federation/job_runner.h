// JobRunner: runs background federation jobs (bulk push, pull, sync) and
// auto-sync, on a thread of its own while `charchive serve` runs.
// - Jobs are durable (store/job_repository): one runs at a time, its cards
//   `concurrency` at once through one adapter; each card's outcome is
//   committed as it finishes, so a job interrupted by a restart resumes with
//   the cards left. Cards that were in flight are first matched against the
//   peer's cards (FederationService::AdoptRemoteCopy), so none is pushed twice.
// - Requests to the peer are retried by the service (FederationService) under
//   the job's RetryPolicy (`retry`: exponential backoff with jitter, a peer's
//   Retry-After up to 5 minutes), whose waits end as soon as the runner
//   stops or the job is cancelled.
// - Auto-sync, per platform options: `auto_push` queues a sync of linked cards
//   edited in the archive; `poll_minutes` syncs every linked card that often.
// - Progress and sync states are published on the EventBus.
// - Time (auto-sync's tick and polls, retries' back-off) is read from and
//   waited on the injected Clock; the loop is a PeriodicWorker.
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <map>

#include "federation/event_bus.h"
#include "federation/federation_service.h"
#include "store/job_records.h"
#include "util/clock.h"
#include "util/periodic_worker.h"
#include "util/retry_policy.h"

namespace charchive::federation {

struct JobRunnerOptions {
  int concurrency = 4;
  RetryOptions retry{.max_attempts = 4, .max_retry_after = std::chrono::minutes(5)};
  std::chrono::milliseconds tick{1000};  // how often auto-sync looks for work
};

struct JobRequest {
  JobKind kind = JobKind::kPush;
  std::string platform;
  std::vector<CardId> card_ids;  // empty with all: every linked card (pull, sync) or every card (push)
  bool all = false;
  bool overwrite = false;
  std::string trigger = "api";
};

// A job as the API and the event stream show it.
Json JobJson(const JobRecord& job);

class JobRunner {
 public:
  JobRunner(Archive& archive, FederationService& federation, EventBus& events, JobRunnerOptions options = {},
            Clock& clock = Clock::Real());
  ~JobRunner();

  void Start();
  // Stops after the cards in flight; an unfinished job resumes at the next Start.
  void Stop();

  // Validates (platform usable, cards named) and queues; returns the job.
  Result<JobRecord> Submit(const JobRequest& request);
  Result<JobRecord> Get(int64_t id);
  Result<std::vector<JobRecord>> List(int64_t limit);
  Result<std::vector<JobItem>> Failures(int64_t id, int64_t limit);
  // Cards not yet started are skipped; those in flight finish.
  Result<JobRecord> Cancel(int64_t id);

 private:
  // The worker's tick: every runnable job in turn, then auto-sync.
  Status Tick();
  void RunJob(const JobRecord& job);
  // One card of a job, with retries; the item's final state and message.
  std::pair<std::string, std::string> RunItem(const JobRecord& job, PlatformAdapter& adapter, CardId card_id,
                                              const RetryPolicy& retry);
  // The job's retries: they wait on the clock and end when the runner stops or the job is cancelled.
  RetryPolicy RetryFor(int64_t job_id);
  void AutoSync();
  void PublishJob(int64_t id);

  Archive& archive_;
  FederationService& federation_;
  EventBus& events_;
  JobRunnerOptions options_;
  Clock& clock_;
  std::atomic<int64_t> cancelled_{0};                  // the running job, when its cancel was asked
  std::map<std::string, Clock::TimePoint> last_poll_;  // the worker's thread only
  PeriodicWorker worker_;                              // last: stopped before the rest goes
};

}  // namespace charchive::federation
