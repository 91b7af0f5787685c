// SourceSync: the archive's card sources (docs/sources.md): their settings
// (API keys sealed at rest with the data dir's SecretBox, like platform keys),
// sync runs, the block list and conflict resolution. `charchive source` and
// the /api/sources routes call this one service; SourceScheduler runs queued
// and due runs while `charchive serve` runs.
//
// A run walks the source's listings page by page. A card whose change clock
// and token count are those recorded is not downloaded again; a Chub listing
// (sorted by change) stops at the first page older than the previous complete
// run. A downloaded card goes through the same three-way detection as a
// federation pull: new cards are imported; a change made only on the source
// becomes a new version; a local edit stays; edits on both sides become a
// `conflict` that overwrites nothing (the source's content waits until the
// user resolves it). Cards the user deleted are on the block list and are
// skipped. Every run is a `source_runs` row with its progress and report.
//
// Thread safety: all methods may be called from any thread; runs of one
// source are exclusive (across processes, through the runs table).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sources/host_rate_limiter.h"
#include "sources/source_client.h"
#include "sources/source_config.h"
#include "sources/source_http.h"
#include "store/archive.h"
#include "store/source_records.h"
#include "util/clock.h"
#include "util/secret_box.h"

namespace charchive::sources {

struct RunOptions {
  bool full = false;  // walk every page and download every card again
  std::string trigger = "cli";
  std::optional<std::string> base_url;        // this run only; images too unless image_base_url
  std::optional<std::string> image_base_url;  // this run only
  std::optional<Politeness> politeness;       // tests: shorter back-off (min_interval comes from the settings)
  std::function<bool()> cancelled;            // polled while waiting and between cards
  // After each page and card (from the run's thread): the run so far and a line about the last step.
  std::function<void(const SourceRun&, const std::string&)> progress;
};

class SourceSync {
 public:
  // The secret key lives in <data dir>/secret.key, shared with federation.
  // Runs wait for their hosts' slots and back-offs on `clock`.
  static Result<std::unique_ptr<SourceSync>> Open(Archive& archive, Clock& clock = Clock::Real());

  Result<std::vector<SourceRecord>> Sources();
  // kNotFound "unknown_source".
  Result<SourceRecord> Source(const std::string& source);
  Result<SourceRecord> Update(const std::string& source, const SourceChange& change);

  Result<std::vector<SourceBlock>> Blocked(const std::string& source);  // empty: all sources
  Status Unblock(const std::string& source, const std::string& source_id);

  Result<std::vector<SourceRun>> Runs(const std::string& source, int64_t limit);
  Result<SourceRun> Run(int64_t id);
  // Queues a run for SourceScheduler; kConflict "run_in_progress" when one is queued or running.
  Result<SourceRun> Queue(const std::string& source, bool full, const std::string& trigger);
  // Runs now on the calling thread (a run of the source already queued is
  // taken over and run here). The run is recorded whatever happens; the
  // result is the finished run, or why the source could not be synced at all
  // (kRemoteError when it cannot be reached). kConflict "run_in_progress" when
  // one is running.
  Result<SourceRun> RunNow(const std::string& source, const RunOptions& options);
  // Runs a queued run (SourceScheduler); nullopt when another process or
  // thread took it first.
  Result<std::optional<SourceRun>> RunQueued(int64_t run_id, RunOptions options);
  // Queued: cancelled at once; running in this process: stops at the next
  // request or wait; running in another process: kConflict "run_elsewhere".
  Result<SourceRun> Cancel(int64_t run_id);

  // Runs left `running` by a process that stopped long ago are marked failed.
  Status RecoverInterruptedRuns();

  // Settles a card in conflict with its source: keep "local" (the archive's
  // content stays; the source's pending content is acknowledged) or
  // "source" (the source's content becomes a new version).
  Result<SourceCardState> Resolve(CardId card_id, const std::string& keep);
  Result<std::optional<SourceCardState>> CardState(CardId card_id);

 private:
  SourceSync(Archive& archive, SecretBox secrets, Clock& clock)
      : archive_(archive), secrets_(std::move(secrets)), limiter_(clock) {}

  struct Pass;  // one run's working state
  // Runs a run already marked running.
  Result<SourceRun> Execute(SourceRun run, const RunOptions& options);
  Status Walk(Pass& pass);
  // One listed card: skipped, downloaded, and imported / updated / flagged.
  Status ProcessCard(Pass& pass, const ListedCard& listed);
  void RecordEvent(const std::string& source, CardId card_id, const std::string& action, const std::string& status,
                   const std::string& source_id, const std::string& message);

  Archive& archive_;
  SecretBox secrets_;
  HostRateLimiter limiter_;  // shared by this process's runs
  std::mutex cancel_mu_;
  std::map<int64_t, std::shared_ptr<std::atomic<bool>>> cancels_;  // runs in flight here
};

}  // namespace charchive::sources
