#include "sources/source_scheduler.h"

#include "store/source_repository.h"
#include "util/time_format.h"

namespace charchive::sources {

bool RunIsDue(const SourceRecord& source, const std::optional<std::string>& last_run_created_at,
              const std::string& now_iso_minus_interval) {
  if (!source.enabled || source.interval_minutes <= 0) return false;
  return !last_run_created_at || *last_run_created_at <= now_iso_minus_interval;
}

void SourceScheduler::Start() {
  (void)sync_.RecoverInterruptedRuns();
  worker_.Start();
}

void SourceScheduler::Stop() { worker_.Stop(); }

void SourceScheduler::Wake() { worker_.Wake(); }

Status SourceScheduler::RunDue() {
  RunOptions options;
  options.trigger = "schedule";
  options.cancelled = [this] { return worker_.stopping(); };
  Clock::TimePoint last_event;
  options.progress = [this, &last_event](const SourceRun& run, const std::string&) {
    if (!events_) return;
    Clock::TimePoint now = clock_.Now();
    bool finished = run.status != "running" && run.status != "queued";
    if (!finished && now - last_event < std::chrono::milliseconds(250)) return;
    last_event = now;
    events_->Publish(Json{{"type", "source_run"}, {"run", RunJson(run)}});
  };
  // Queued runs first.
  while (!options.cancelled()) {
    CHARCHIVE_ASSIGN_OR_RETURN(auto sources, sync_.Sources());
    bool ran = false;
    for (const SourceRecord& source : sources) {
      auto runs = sync_.Runs(source.source, 1);
      if (!runs.ok() || runs->empty() || runs->front().status != "queued") continue;
      (void)sync_.RunQueued(runs->front().id, options);
      ran = true;
    }
    if (!ran) break;
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto sources, sync_.Sources());
  for (const SourceRecord& source : sources) {
    if (options.cancelled()) break;
    if (!source.enabled || source.interval_minutes <= 0) continue;
    auto runs = sync_.Runs(source.source, 1);
    if (!runs.ok()) continue;
    std::optional<std::string> last;
    if (!runs->empty()) last = runs->front().created_at;
    auto threshold = clock_.SystemNow() - std::chrono::minutes(source.interval_minutes);
    if (!RunIsDue(source, last, FormatUtc(threshold, "%Y-%m-%dT%H:%M:%S.999Z"))) continue;
    options.full = false;
    (void)sync_.RunNow(source.source, options);
  }
  return Status::Ok();
}

}  // namespace charchive::sources
