#include "store/job_repository.h"

#include "store/errors.h"

namespace charchive::job_repository {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
constexpr char kColumns[] =
    "id, kind, platform, overwrite, status, total, done, failed, trigger, message, created_at, updated_at, finished_at";

JobRecord Read(const Statement& s) {
  JobRecord j;
  j.id = s.Int(0);
  j.kind = ParseJobKind(s.Text(1)).value_or(JobKind::kSync);  // the schema's CHECK allows no other name
  j.platform = s.Text(2);
  j.overwrite = s.Int(3) != 0;
  j.status = s.Text(4);
  j.total = s.Int(5);
  j.done = s.Int(6);
  j.failed = s.Int(7);
  j.trigger = s.Text(8);
  j.message = s.Text(9);
  j.created_at = s.Text(10);
  j.updated_at = s.Text(11);
  j.finished_at = s.OptionalText(12);
  return j;
}

Result<std::vector<JobItem>> Items(Database& db, int64_t job_id, const char* where, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(std::string("SELECT seq, card_id, state, attempts, message FROM job_items WHERE job_id = ? AND ") +
                 where + " ORDER BY seq LIMIT ?"));
  q.Bind(1, job_id).Bind(2, limit);
  std::vector<JobItem> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(JobItem{q.Int(0), q.Int(1), q.Text(2), q.Int(3), q.Text(4)});
  }
  return out;
}

}  // namespace

Result<int64_t> Create(Database& db, const JobRecord& job, const std::vector<CardId>& card_ids) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement insert,
      db.Prepare(
          std::string("INSERT INTO jobs(kind, platform, overwrite, status, total, trigger, created_at, updated_at) "
                      "VALUES (?, ?, ?, 'queued', ?, ?, ") +
          kNow + ", " + kNow + ")"));
  insert.Bind(1, JobKindName(job.kind)).Bind(2, job.platform).Bind(3, static_cast<int64_t>(job.overwrite));
  insert.Bind(4, static_cast<int64_t>(card_ids.size())).Bind(5, job.trigger);
  CHARCHIVE_RETURN_IF_ERROR(insert.Run());
  int64_t id = db.LastInsertId();
  CHARCHIVE_ASSIGN_OR_RETURN(Statement item,
                             db.Prepare("INSERT INTO job_items(job_id, seq, card_id) VALUES (?, ?, ?)"));
  for (size_t i = 0; i < card_ids.size(); ++i) {
    CHARCHIVE_RETURN_IF_ERROR(item.Bind(1, id).Bind(2, static_cast<int64_t>(i)).Bind(3, card_ids[i]).Run());
    item.Reset();
  }
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return id;
}

Result<JobRecord> Get(Database& db, int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Bind(1, id).Step());
  if (!row) return Status::NotFound(store_error::kJobNotFound, "no job " + std::to_string(id));
  return Read(q);
}

Result<std::vector<JobRecord>> List(Database& db, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare(std::string("SELECT ") + kColumns + " FROM jobs ORDER BY id DESC LIMIT ?"));
  q.Bind(1, limit);
  std::vector<JobRecord> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(Read(q));
  }
  return out;
}

Result<std::optional<JobRecord>> NextRunnable(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare(std::string("SELECT ") + kColumns +
                                        " FROM jobs WHERE status IN ('queued','running') ORDER BY id LIMIT 1"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<JobRecord>();
  return std::optional<JobRecord>(Read(q));
}

Status SetStatus(Database& db, int64_t id, const std::string& status, const std::string& message) {
  bool finished = status == "done" || status == "failed" || status == "cancelled";
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("UPDATE jobs SET status = ?, message = ?, updated_at = ") + kNow +
                              (finished ? std::string(", finished_at = ") + kNow : std::string()) + " WHERE id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, status).Bind(2, message).Bind(3, id).Run());
  if (db.Changes() == 0) return Status::NotFound(store_error::kJobNotFound, "no job " + std::to_string(id));
  return Status::Ok();
}

Result<std::vector<JobItem>> OpenItems(Database& db, int64_t job_id) {
  return Items(db, job_id, "state IN ('pending','running')", INT64_MAX);
}

Result<std::vector<JobItem>> FailedItems(Database& db, int64_t job_id, int64_t limit) {
  return Items(db, job_id, "state = 'failed'", limit);
}

Status MarkItem(Database& db, int64_t job_id, int64_t seq, const std::string& state, const std::string& message) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement item, db.Prepare("UPDATE job_items SET state = ?, message = ?, attempts = attempts + (? = 'running') "
                                 "WHERE job_id = ? AND seq = ?"));
  CHARCHIVE_RETURN_IF_ERROR(item.Bind(1, state).Bind(2, message).Bind(3, state).Bind(4, job_id).Bind(5, seq).Run());
  if (state == "done" || state == "failed") {
    CHARCHIVE_ASSIGN_OR_RETURN(
        Statement count, db.Prepare(std::string("UPDATE jobs SET done = done + 1, failed = failed + ?, updated_at = ") +
                                    kNow + " WHERE id = ?"));
    CHARCHIVE_RETURN_IF_ERROR(count.Bind(1, static_cast<int64_t>(state == "failed")).Bind(2, job_id).Run());
  }
  return tx->Commit();
}

Result<bool> HasOpenJobFor(Database& db, JobKind kind, const std::string& platform, CardId card_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(
          "SELECT 1 FROM jobs j JOIN job_items i ON i.job_id = j.id WHERE j.kind = ? AND j.platform = ? "
          "AND j.status IN ('queued','running') AND i.card_id = ? AND i.state IN ('pending','running') LIMIT 1"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Bind(1, JobKindName(kind)).Bind(2, platform).Bind(3, card_id).Step());
  return row;
}

}  // namespace charchive::job_repository
