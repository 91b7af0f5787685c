#include "store/source_repository.h"

#include "store/errors.h"

namespace charchive::source_repository {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
constexpr char kSourceColumns[] =
    "source, display_name, base_url, image_base_url, api_key_sealed, filters_json, interval_minutes, "
    "request_interval_ms, enabled, cursor_json, last_run_at, updated_at";
constexpr char kStateColumns[] =
    "source, source_id, card_id, remote_updated_at, token_count, content_hash, local_hash, base_version_id, status, "
    "pending_json, message, synced_at";
constexpr char kRunColumns[] =
    "id, source, status, full, trigger, pages, seen, new_cards, updated, unchanged, conflicts, blocked, failed, "
    "requests, message, created_at, updated_at, finished_at";

SourceRecord ReadSource(const Statement& s) {
  return SourceRecord{.source = s.Text(0),
                      .display_name = s.Text(1),
                      .base_url = s.Text(2),
                      .image_base_url = s.Text(3),
                      .api_key_sealed = s.OptionalText(4),
                      .filters_json = s.Text(5),
                      .interval_minutes = s.Int(6),
                      .request_interval_ms = s.Int(7),
                      .enabled = s.Int(8) != 0,
                      .cursor_json = s.Text(9),
                      .last_run_at = s.OptionalText(10),
                      .updated_at = s.Text(11)};
}

SourceCardState ReadState(const Statement& s) {
  SourceCardState st{.source = s.Text(0),
                     .source_id = s.Text(1),
                     .card_id = s.Int(2),
                     .remote_updated_at = s.Text(3),
                     .token_count = s.Int(4),
                     .content_hash = s.Text(5),
                     .local_hash = s.Text(6),
                     .status = s.Text(8),
                     .pending_json = s.OptionalText(9),
                     .message = s.Text(10),
                     .synced_at = s.Text(11)};
  if (!s.IsNull(7)) st.base_version_id = s.Int(7);
  return st;
}

SourceRun ReadRun(const Statement& s) {
  return SourceRun{.id = s.Int(0),
                   .source = s.Text(1),
                   .status = s.Text(2),
                   .full = s.Int(3) != 0,
                   .trigger = s.Text(4),
                   .pages = s.Int(5),
                   .seen = s.Int(6),
                   .new_cards = s.Int(7),
                   .updated = s.Int(8),
                   .unchanged = s.Int(9),
                   .conflicts = s.Int(10),
                   .blocked = s.Int(11),
                   .failed = s.Int(12),
                   .requests = s.Int(13),
                   .message = s.Text(14),
                   .created_at = s.Text(15),
                   .updated_at = s.Text(16),
                   .finished_at = s.OptionalText(17)};
}

Result<std::optional<SourceCardState>> OneState(Statement& q) {
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<SourceCardState>();
  return std::optional<SourceCardState>(ReadState(q));
}

Result<std::optional<SourceRun>> OneRun(Statement& q) {
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<SourceRun>();
  return std::optional<SourceRun>(ReadRun(q));
}

}  // namespace

Result<std::vector<SourceRecord>> ListSources(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("SELECT ") + kSourceColumns + " FROM source_settings ORDER BY source"));
  std::vector<SourceRecord> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadSource(q));
  }
  return out;
}

Result<SourceRecord> GetSource(Database& db, const std::string& source) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("SELECT ") + kSourceColumns + " FROM source_settings WHERE source = ?"));
  q.Bind(1, source);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound(store_error::kUnknownSource, "unknown source '" + source + "' (known: chub, ct)");
  return ReadSource(q);
}

Status UpdateSource(Database& db, const std::string& source, const SourceUpdate& u) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  CHARCHIVE_RETURN_IF_ERROR(GetSource(db, source).status());
  auto set_text = [&](const char* column, const std::optional<std::string>& value) -> Status {
    CHARCHIVE_ASSIGN_OR_RETURN(
        Statement q, db.Prepare(std::string("UPDATE source_settings SET ") + column + " = ? WHERE source = ?"));
    return q.BindOptional(1, value).Bind(2, source).Run();
  };
  auto set_int = [&](const char* column, int64_t value) -> Status {
    CHARCHIVE_ASSIGN_OR_RETURN(
        Statement q, db.Prepare(std::string("UPDATE source_settings SET ") + column + " = ? WHERE source = ?"));
    return q.Bind(1, value).Bind(2, source).Run();
  };
  if (u.base_url) CHARCHIVE_RETURN_IF_ERROR(set_text("base_url", u.base_url));
  if (u.image_base_url) CHARCHIVE_RETURN_IF_ERROR(set_text("image_base_url", u.image_base_url));
  if (u.api_key_sealed) CHARCHIVE_RETURN_IF_ERROR(set_text("api_key_sealed", *u.api_key_sealed));
  if (u.filters_json) {
    CHARCHIVE_RETURN_IF_ERROR(set_text("filters_json", u.filters_json));
    // Other filters list other cards: the next run walks the listing again.
    CHARCHIVE_RETURN_IF_ERROR(set_text("cursor_json", std::string("{}")));
  }
  if (u.interval_minutes) CHARCHIVE_RETURN_IF_ERROR(set_int("interval_minutes", *u.interval_minutes));
  if (u.request_interval_ms) CHARCHIVE_RETURN_IF_ERROR(set_int("request_interval_ms", *u.request_interval_ms));
  if (u.enabled) CHARCHIVE_RETURN_IF_ERROR(set_int("enabled", *u.enabled ? 1 : 0));
  CHARCHIVE_ASSIGN_OR_RETURN(Statement touch, db.Prepare(std::string("UPDATE source_settings SET updated_at = ") +
                                                         kNow + " WHERE source = ?"));
  CHARCHIVE_RETURN_IF_ERROR(touch.Bind(1, source).Run());
  return tx->Commit();
}

Status SetCursor(Database& db, const std::string& source, const std::string& cursor_json) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("UPDATE source_settings SET cursor_json = ?, last_run_at = ") + kNow +
                              " WHERE source = ?"));
  return q.Bind(1, cursor_json).Bind(2, source).Run();
}

Result<std::optional<SourceCardState>> GetCardState(Database& db, const std::string& source,
                                                    const std::string& source_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kStateColumns +
                                                     " FROM source_cards WHERE source = ? AND source_id = ?"));
  q.Bind(1, source).Bind(2, source_id);
  return OneState(q);
}

Result<std::optional<SourceCardState>> CardStateFor(Database& db, CardId card_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("SELECT ") + kStateColumns + " FROM source_cards WHERE card_id = ? LIMIT 1"));
  q.Bind(1, card_id);
  return OneState(q);
}

Status PutCardState(Database& db, const SourceCardState& st) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare(std::string("INSERT OR REPLACE INTO source_cards(") + kStateColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + kNow + ")"));
  q.Bind(1, st.source).Bind(2, st.source_id).Bind(3, st.card_id).Bind(4, st.remote_updated_at);
  q.Bind(5, st.token_count).Bind(6, st.content_hash).Bind(7, st.local_hash);
  if (st.base_version_id) {
    q.Bind(8, *st.base_version_id);
  } else {
    q.Bind(8, std::nullopt);
  }
  return q.Bind(9, st.status).BindOptional(10, st.pending_json).Bind(11, st.message).Run();
}

Result<int64_t> CountCards(Database& db, const std::string& source, const std::string& status) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT count(*) FROM source_cards WHERE source = ? AND "
                                                     "(? = '' OR status = ?)"));
  q.Bind(1, source).Bind(2, status).Bind(3, status);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : 0;
}

Result<bool> IsBlocked(Database& db, const std::string& source, const std::string& source_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT 1 FROM source_blocks WHERE source = ? AND source_id = ?"));
  q.Bind(1, source).Bind(2, source_id);
  return q.Step();
}

Result<std::vector<SourceBlock>> ListBlocks(Database& db, const std::string& source) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT source, source_id, card_name, blocked_at FROM "
                                                     "source_blocks WHERE ? = '' OR source = ? "
                                                     "ORDER BY blocked_at, source, source_id"));
  q.Bind(1, source).Bind(2, source);
  std::vector<SourceBlock> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(SourceBlock{q.Text(0), q.Text(1), q.Text(2), q.Text(3)});
  }
  return out;
}

Status Unblock(Database& db, const std::string& source, const std::string& source_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("DELETE FROM source_blocks WHERE source = ? AND source_id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, source).Bind(2, source_id).Run());
  if (db.Changes() == 0) {
    return Status::NotFound(store_error::kNotBlocked, source + " card '" + source_id + "' is not on the block list");
  }
  return Status::Ok();
}

Result<int64_t> CreateRun(Database& db, const std::string& source, bool full, const std::string& trigger,
                          const std::string& status) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("INSERT INTO source_runs(source, status, full, trigger, created_at, "
                                          "updated_at) VALUES (?, ?, ?, ?, ") +
                              kNow + ", " + kNow + ")"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, source).Bind(2, status).Bind(3, int64_t{full}).Bind(4, trigger).Run());
  return db.LastInsertId();
}

Result<SourceRun> GetRun(Database& db, int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare(std::string("SELECT ") + kRunColumns + " FROM source_runs WHERE id = ?"));
  q.Bind(1, id);
  CHARCHIVE_ASSIGN_OR_RETURN(auto run, OneRun(q));
  if (!run) return Status::NotFound(store_error::kRunNotFound, "no source run " + std::to_string(id));
  return *run;
}

Result<std::vector<SourceRun>> ListRuns(Database& db, const std::string& source, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kRunColumns +
                                                     " FROM source_runs WHERE source = ? ORDER BY id DESC LIMIT ?"));
  q.Bind(1, source).Bind(2, limit);
  std::vector<SourceRun> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadRun(q));
  }
  return out;
}

Status SaveRun(Database& db, const SourceRun& r) {
  bool finished = r.status == "done" || r.status == "failed" || r.status == "cancelled";
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(std::string("UPDATE source_runs SET status = ?, pages = ?, seen = ?, new_cards = ?, updated = ?, "
                             "unchanged = ?, conflicts = ?, blocked = ?, failed = ?, requests = ?, message = ?, "
                             "updated_at = ") +
                 kNow + ", finished_at = CASE WHEN ? THEN " + kNow + " ELSE NULL END WHERE id = ?"));
  q.Bind(1, r.status).Bind(2, r.pages).Bind(3, r.seen).Bind(4, r.new_cards).Bind(5, r.updated);
  q.Bind(6, r.unchanged).Bind(7, r.conflicts).Bind(8, r.blocked).Bind(9, r.failed).Bind(10, r.requests);
  q.Bind(11, r.message).Bind(12, int64_t{finished}).Bind(13, r.id);
  return q.Run();
}

Result<bool> ClaimQueuedRun(Database& db, int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare(std::string("UPDATE source_runs SET status = 'running', updated_at = ") + kNow +
                                        " WHERE id = ? AND status = 'queued'"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, id).Run());
  return db.Changes() == 1;
}

Result<std::optional<SourceRun>> NextQueuedRun(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kRunColumns +
                                                     " FROM source_runs WHERE status = 'queued' ORDER BY id LIMIT 1"));
  return OneRun(q);
}

Result<std::optional<SourceRun>> ActiveRun(Database& db, const std::string& source, int64_t stale_seconds) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("SELECT ") + kRunColumns +
                              " FROM source_runs WHERE source = ? AND (status = 'queued' OR (status = 'running' AND "
                              "julianday('now') - julianday(updated_at) < ? / 86400.0)) ORDER BY id LIMIT 1"));
  q.Bind(1, source).Bind(2, stale_seconds);
  return OneRun(q);
}

Status FailStaleRuns(Database& db, int64_t stale_seconds) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(std::string("UPDATE source_runs SET status = 'failed', message = 'interrupted (the process "
                             "running it stopped)', finished_at = ") +
                 kNow + " WHERE status = 'running' AND julianday('now') - julianday(updated_at) >= ? / 86400.0"));
  return q.Bind(1, stale_seconds).Run();
}

}  // namespace charchive::source_repository
