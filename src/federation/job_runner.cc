#include "federation/job_runner.h"

#include "federation/errors.h"
#include "store/job_repository.h"
#include "util/log.h"
#include "util/parallel_for.h"

namespace charchive::federation {
namespace {

namespace jobs = job_repository;

}  // namespace

Json JobJson(const JobRecord& j) {
  return Json{{"id", j.id},
              {"kind", JobKindName(j.kind)},
              {"platform", j.platform},
              {"status", j.status},
              {"total", j.total},
              {"done", j.done},
              {"failed", j.failed},
              {"trigger", j.trigger},
              {"message", j.message},
              {"overwrite", j.overwrite},
              {"created_at", j.created_at},
              {"updated_at", j.updated_at},
              {"finished_at", j.finished_at ? Json(*j.finished_at) : Json(nullptr)}};
}

JobRunner::JobRunner(Archive& archive, FederationService& federation, EventBus& events, JobRunnerOptions options,
                     Clock& clock)
    : archive_(archive),
      federation_(federation),
      events_(events),
      options_(options),
      clock_(clock),
      worker_("job_runner", clock, options.tick, [this] { return Tick(); }) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Start() { worker_.Start(); }

void JobRunner::Stop() { worker_.Stop(); }

Result<JobRecord> JobRunner::Submit(const JobRequest& r) {
  if (r.card_ids.empty() && !r.all)
    return Status::Invalid(federation_error::kBadField, "cardIds array required (or all: true)");
  CHARCHIVE_RETURN_IF_ERROR(federation_.UsableAdapter(r.platform).status());
  std::vector<CardId> ids = r.card_ids;
  if (r.all) {
    ids.clear();
    if (r.kind == JobKind::kPush) {
      CHARCHIVE_ASSIGN_OR_RETURN(ids, archive_.CardIds());
    } else {
      CHARCHIVE_ASSIGN_OR_RETURN(auto tracked, federation_.PlatformCards(r.platform, std::nullopt));
      for (const auto& t : tracked) ids.push_back(t.sync.card_id);
    }
  }
  JobRecord job;
  job.kind = r.kind;
  job.platform = r.platform;
  job.overwrite = r.overwrite;
  job.trigger = r.trigger;
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(int64_t id, jobs::Create(*db, job, ids));
  CHARCHIVE_ASSIGN_OR_RETURN(JobRecord created, jobs::Get(*db, id));
  worker_.Wake();
  log::Debug("job_queued", {{"job", created.id},
                            {"kind", JobKindName(created.kind)},
                            {"platform", created.platform},
                            {"cards", created.total},
                            {"trigger", created.trigger}});
  events_.Publish(Json{{"type", "job"}, {"job", JobJson(created)}});
  return created;
}

Result<JobRecord> JobRunner::Get(int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return jobs::Get(*db, id);
}

Result<std::vector<JobRecord>> JobRunner::List(int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return jobs::List(*db, limit);
}

Result<std::vector<JobItem>> JobRunner::Failures(int64_t id, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(jobs::Get(*db, id).status());
  return jobs::FailedItems(*db, id, limit);
}

Result<JobRecord> JobRunner::Cancel(int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(JobRecord job, jobs::Get(*db, id));
  if (job.status == "queued" || job.status == "running") {
    cancelled_ = id;
    worker_.Wake();  // ends the job's retry waits
    CHARCHIVE_RETURN_IF_ERROR(jobs::SetStatus(*db, id, "cancelled", "cancelled"));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(job, jobs::Get(*db, id));
  events_.Publish(Json{{"type", "job"}, {"job", JobJson(job)}});
  return job;
}

void JobRunner::PublishJob(int64_t id) {
  auto job = Get(id);
  if (job.ok()) events_.Publish(Json{{"type", "job"}, {"job", JobJson(*job)}});
}

Status JobRunner::Tick() {
  while (!worker_.stopping()) {
    std::optional<JobRecord> next;
    {
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_ASSIGN_OR_RETURN(next, jobs::NextRunnable(*db));
    }
    if (!next) {
      AutoSync();
      break;
    }
    RunJob(*next);
  }
  return Status::Ok();
}

void JobRunner::RunJob(const JobRecord& job) {
  auto set_status = [&](const std::string& status, const std::string& message) {
    auto db = archive_.pool().Acquire();
    if (db.ok()) (void)jobs::SetStatus(**db, job.id, status, message);
    PublishJob(job.id);
  };
  auto fail = [&](const Status& status) {
    log::Warn("job_failed", {{"job", job.id},
                             {"kind", JobKindName(job.kind)},
                             {"platform", job.platform},
                             {"reason", status.kind()},
                             {"message", status.message()}});
    set_status("failed", status.message());
  };
  auto adapter = federation_.UsableAdapter(job.platform);
  if (!adapter.ok()) return fail(adapter.status());
  std::vector<JobItem> items;
  {
    auto db = archive_.pool().Acquire();
    if (!db.ok()) return;
    auto open = jobs::OpenItems(**db, job.id);
    if (!open.ok()) return fail(open.status());
    items = std::move(open).value();
  }
  set_status("running", job.status == "running" ? "resumed after a restart" : "");
  log::Info("job_started", {{"job", job.id},
                            {"kind", JobKindName(job.kind)},
                            {"platform", job.platform},
                            {"trigger", job.trigger},
                            {"cards", items.size()},
                            {"resumed", job.status == "running"}});

  // Pushes that were in flight when the job stopped may have reached the peer.
  bool any_interrupted = false;
  for (const auto& item : items) any_interrupted |= item.state == "running";
  RetryPolicy retry = RetryFor(job.id);
  if (job.kind == JobKind::kPush && any_interrupted) {
    for (const auto& item : items) {
      if (item.state == "running") (void)federation_.AdoptRemoteCopy(**adapter, item.card_id, job.platform, &retry);
    }
  }

  ParallelFor(items.size(), static_cast<size_t>(std::max(1, options_.concurrency)), [&](size_t i) {
    if (worker_.stopping() || cancelled_ == job.id) return;
    {
      auto db = archive_.pool().Acquire();
      if (db.ok()) (void)jobs::MarkItem(**db, job.id, items[i].seq, "running", "");
    }
    auto [state, message] = RunItem(job, **adapter, items[i].card_id, retry);
    {
      auto db = archive_.pool().Acquire();
      if (db.ok()) (void)jobs::MarkItem(**db, job.id, items[i].seq, state, message);
    }
    auto syncs = federation_.CardSyncs(items[i].card_id);
    if (syncs.ok()) {
      for (const auto& s : *syncs) {
        if (s.platform != job.platform) continue;
        events_.Publish(Json{{"type", "sync"},
                             {"cardId", s.card_id},
                             {"platform", s.platform},
                             {"status", SyncStateName(s.status)},
                             {"error", s.error_message ? Json(*s.error_message) : Json(nullptr)}});
      }
    }
    PublishJob(job.id);
  });
  if (worker_.stopping()) {
    log::Info("job_interrupted", {{"job", job.id}, {"kind", JobKindName(job.kind)}, {"platform", job.platform}});
    return;  // resumes at the next start
  }
  if (cancelled_ == job.id) {
    log::Info("job_cancelled", {{"job", job.id}, {"kind", JobKindName(job.kind)}, {"platform", job.platform}});
    return PublishJob(job.id);
  }
  auto final_job = Get(job.id);
  if (!final_job.ok()) return;
  std::string status = final_job->failed > 0 && final_job->failed == final_job->total ? "failed" : "done";
  log::Write(status == "done" ? log::Level::kInfo : log::Level::kWarn, "job_finished",
             {{"job", job.id},
              {"kind", JobKindName(job.kind)},
              {"platform", job.platform},
              {"status", status},
              {"total", final_job->total},
              {"succeeded", final_job->done - final_job->failed},
              {"failed", final_job->failed}});
  set_status(status, std::to_string(final_job->done - final_job->failed) + " of " + std::to_string(final_job->total) +
                         " cards done, " + std::to_string(final_job->failed) + " failed");
}

RetryPolicy JobRunner::RetryFor(int64_t job_id) {
  return RetryPolicy(options_.retry, [this, job_id](std::chrono::milliseconds delay) {
    log::Debug("job_retry_wait", {{"job", job_id}, {"delay_ms", static_cast<long long>(delay.count())}});
    return worker_.WaitUnlessStopped(delay, [this, job_id] { return cancelled_ == job_id; });
  });
}

std::pair<std::string, std::string> JobRunner::RunItem(const JobRecord& job, PlatformAdapter& adapter, CardId card_id,
                                                       const RetryPolicy& retry) {
  if (job.kind == JobKind::kPush) {
    auto r = federation_.PushThrough(adapter, card_id, job.platform,
                                     {.overwrite = job.overwrite, .trigger = "job", .retry = &retry});
    if (r.ok()) return {"done", "pushed as " + r->platform_id};
    return {"failed", r.status().message()};
  }
  auto r =
      federation_.SyncThrough(adapter, card_id, job.platform,
                              {.push_local_changes = job.kind == JobKind::kSync, .trigger = "job", .retry = &retry});
  if (r.ok()) return {"done", SyncActionName(r->action)};
  return {"failed", r.status().message()};
}

void JobRunner::AutoSync() {
  auto platforms = federation_.Platforms();
  if (!platforms.ok()) return;
  Clock::TimePoint now = clock_.Now();
  for (const auto& p : *platforms) {
    if (!p.enabled || p.base_url.empty()) continue;
    Json options = Json::parse(p.options_json, nullptr, false);
    if (!options.is_object()) continue;
    bool auto_push = options.value("auto_push", false);
    int64_t poll_minutes = options.value("poll_minutes", 0);
    if (poll_minutes > 0) {
      auto last = last_poll_.find(p.platform);
      if (last == last_poll_.end()) {
        last_poll_[p.platform] = now;  // the first poll comes one period after start
      } else if (now - last->second >= std::chrono::minutes(poll_minutes)) {
        last->second = now;
        (void)Submit(JobRequest{.kind = auto_push ? JobKind::kSync : JobKind::kPull,
                                .platform = p.platform,
                                .all = true,
                                .trigger = "poll"});
        continue;
      }
    }
    if (!auto_push) continue;
    auto changed = federation_.LocallyChanged(p.platform);
    if (!changed.ok() || changed->empty()) continue;
    std::vector<CardId> fresh;
    auto db = archive_.pool().Acquire();
    if (!db.ok()) return;
    for (CardId id : *changed) {
      auto open = jobs::HasOpenJobFor(**db, JobKind::kSync, p.platform, id);
      if (open.ok() && !*open) fresh.push_back(id);
    }
    if (!fresh.empty()) {
      (void)Submit(JobRequest{.kind = JobKind::kSync, .platform = p.platform, .card_ids = fresh, .trigger = "auto"});
    }
  }
}

}  // namespace charchive::federation
