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
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  (void)sync_.RecoverInterruptedRuns();
  thread_ = std::thread([this] { Loop(); });
}

void SourceScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SourceScheduler::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

void SourceScheduler::Loop() {
  while (true) {
    RunDue();
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, tick_, [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

void SourceScheduler::RunDue() {
  RunOptions options;
  options.trigger = "schedule";
  options.cancelled = [this] {
    std::lock_guard lock(mu_);
    return stopping_;
  };
  auto last_event = std::chrono::steady_clock::time_point();
  options.progress = [this, &last_event](const SourceRun& run, const std::string&) {
    if (!events_) return;
    auto now = std::chrono::steady_clock::now();
    bool finished = run.status != "running" && run.status != "queued";
    if (!finished && now - last_event < std::chrono::milliseconds(250)) return;
    last_event = now;
    events_->Publish(Json{{"type", "source_run"}, {"run", RunJson(run)}});
  };
  // Queued runs first.
  while (!options.cancelled()) {
    auto sources = sync_.Sources();
    if (!sources.ok()) return;
    bool ran = false;
    for (const SourceRecord& source : *sources) {
      auto runs = sync_.Runs(source.source, 1);
      if (!runs.ok() || runs->empty() || runs->front().status != "queued") continue;
      (void)sync_.RunQueued(runs->front().id, options);
      ran = true;
    }
    if (!ran) break;
  }
  auto sources = sync_.Sources();
  if (!sources.ok()) return;
  for (const SourceRecord& source : *sources) {
    if (options.cancelled()) return;
    if (!source.enabled || source.interval_minutes <= 0) continue;
    auto runs = sync_.Runs(source.source, 1);
    if (!runs.ok()) continue;
    std::optional<std::string> last;
    if (!runs->empty()) last = runs->front().created_at;
    auto threshold = std::chrono::system_clock::now() - std::chrono::minutes(source.interval_minutes);
    if (!RunIsDue(source, last, FormatUtc(threshold, "%Y-%m-%dT%H:%M:%S.999Z"))) continue;
    options.full = false;
    (void)sync_.RunNow(source.source, options);
  }
}

}  // namespace charchive::sources
