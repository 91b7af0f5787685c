// SQL for background jobs (`jobs`, `job_items`; docs/storage.md). A job's
// items move pending -> running -> done | failed, each step committed, so a
// job interrupted by a crash resumes with what is left; items found `running`
// at resume were in flight and are checked before they are redone.
//
// Thread safety: stateless; the Database's rules apply.
#pragma once

#include <vector>

#include "store/job_records.h"
#include "store/sqlite.h"

namespace charchive::job_repository {

// Inserts a queued job with its items, in one transaction.
Result<int64_t> Create(Database& db, const JobRecord& job, const std::vector<CardId>& card_ids);
Result<JobRecord> Get(Database& db, int64_t id);
Result<std::vector<JobRecord>> List(Database& db, int64_t limit);
// The oldest queued or running job, if any.
Result<std::optional<JobRecord>> NextRunnable(Database& db);
Status SetStatus(Database& db, int64_t id, const std::string& status, const std::string& message);
// Items not yet finished, in order.
Result<std::vector<JobItem>> OpenItems(Database& db, int64_t job_id);
Result<std::vector<JobItem>> FailedItems(Database& db, int64_t job_id, int64_t limit);
Status MarkItem(Database& db, int64_t job_id, int64_t seq, const std::string& state, const std::string& message);
// Whether a job of this kind for this card and platform is queued or running.
Result<bool> HasOpenJobFor(Database& db, JobKind kind, const std::string& platform, CardId card_id);

}  // namespace charchive::job_repository
