#include "store/federation_repository.h"

#include "store/card_repository.h"
#include "store/errors.h"

namespace charchive::federation_repository {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

constexpr char kPlatformColumns[] =
    "id, platform, display_name, base_url, api_key_sealed, auth_kind, username, options_json, enabled, "
    "last_connected_at, created_at, updated_at";

constexpr char kSyncColumns[] =
    "s.id, s.card_id, s.platform, s.platform_id, s.last_sync_at, s.local_hash, s.remote_hash, s.remote_updated_at, "
    "s.base_version_id, s.status, s.error_message, s.created_at, s.updated_at, p.display_name, p.base_url, p.enabled";
constexpr int kSyncColumnCount = 16;

PlatformRecord ReadPlatform(const Statement& s) {
  PlatformRecord p;
  p.id = s.Int(0);
  p.platform = s.Text(1);
  p.display_name = s.Text(2);
  p.base_url = s.Text(3);
  p.api_key_sealed = s.OptionalText(4);
  p.auth_kind = ParseAuthKind(s.Text(5)).value_or(AuthKind::kNone);  // the schema's CHECK allows no other name
  p.username = s.Text(6);
  p.options_json = s.Text(7);
  p.enabled = s.Int(8) != 0;
  p.last_connected_at = s.OptionalText(9);
  p.created_at = s.Text(10);
  p.updated_at = s.Text(11);
  return p;
}

SyncRecord ReadSync(const Statement& s) {
  SyncRecord r;
  r.id = s.Int(0);
  r.card_id = s.Int(1);
  r.platform = s.Text(2);
  r.platform_id = s.OptionalText(3);
  r.last_sync_at = s.OptionalText(4);
  r.local_hash = s.OptionalText(5);
  r.remote_hash = s.OptionalText(6);
  r.remote_updated_at = s.OptionalText(7);
  if (!s.IsNull(8)) r.base_version_id = s.Int(8);
  r.status = ParseSyncState(s.Text(9)).value_or(SyncState::kError);
  r.error_message = s.OptionalText(10);
  r.created_at = s.Text(11);
  r.updated_at = s.Text(12);
  r.display_name = s.Text(13);
  r.base_url = s.Text(14);
  r.enabled = s.Int(15) != 0;
  return r;
}

Result<std::vector<SyncRecord>> QuerySyncs(Database& db, const std::string& where, CardId card_id,
                                           const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kSyncColumns +
                                                     " FROM federation_sync s JOIN federation_platforms p "
                                                     "ON p.platform = s.platform WHERE " +
                                                     where + " ORDER BY p.id"));
  q.Bind(1, card_id);
  if (!platform.empty()) q.Bind(2, platform);
  std::vector<SyncRecord> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadSync(q));
  }
  return out;
}

}  // namespace

Result<std::vector<PlatformRecord>> ListPlatforms(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("SELECT ") + kPlatformColumns + " FROM federation_platforms ORDER BY id"));
  std::vector<PlatformRecord> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadPlatform(q));
  }
  return out;
}

Result<PlatformRecord> GetPlatform(Database& db, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kPlatformColumns +
                                                     " FROM federation_platforms WHERE platform = ?"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Bind(1, platform).Step());
  if (!row) return Status::NotFound(store_error::kUnknownPlatform, "no platform named '" + platform + "'");
  return ReadPlatform(q);
}

Status UpdatePlatform(Database& db, const std::string& platform, const PlatformUpdate& u) {
  // One statement; a NULL parameter means "keep the column".
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(
          std::string(
              "UPDATE federation_platforms SET display_name = coalesce(?1, display_name), base_url = coalesce(?2, "
              "base_url), "
              "api_key_sealed = CASE WHEN ?3 THEN ?4 ELSE api_key_sealed END, auth_kind = coalesce(?5, auth_kind), "
              "username = coalesce(?6, username), options_json = coalesce(?7, options_json), "
              "enabled = coalesce(?8, enabled), updated_at = ") +
          kNow + " WHERE platform = ?9"));
  q.BindOptional(1, u.display_name).BindOptional(2, u.base_url);
  q.Bind(3, static_cast<int64_t>(u.api_key_sealed.has_value()));
  q.BindOptional(4, u.api_key_sealed.value_or(std::nullopt));
  q.BindOptional(5, u.auth_kind ? std::optional<std::string>(AuthKindName(*u.auth_kind)) : std::nullopt);
  q.BindOptional(6, u.username).BindOptional(7, u.options_json);
  if (u.enabled) {
    q.Bind(8, static_cast<int64_t>(*u.enabled));
  } else {
    q.Bind(8, std::nullopt);
  }
  q.Bind(9, platform);
  CHARCHIVE_RETURN_IF_ERROR(q.Run());
  if (db.Changes() == 0) return Status::NotFound(store_error::kUnknownPlatform, "no platform named '" + platform + "'");
  return Status::Ok();
}

Status MarkConnected(Database& db, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(std::string("UPDATE federation_platforms SET last_connected_at = ") + kNow + " WHERE platform = ?"));
  return q.Bind(1, platform).Run();
}

Result<std::optional<SyncRecord>> GetSync(Database& db, CardId card_id, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto rows, QuerySyncs(db, "s.card_id = ?1 AND s.platform = ?2", card_id, platform));
  if (rows.empty()) return std::optional<SyncRecord>();
  return std::optional<SyncRecord>(std::move(rows.front()));
}

Result<std::vector<SyncRecord>> CardSyncs(Database& db, CardId card_id) {
  return QuerySyncs(db, "s.card_id = ?1", card_id, "");
}

Status RecordSuccess(Database& db, CardId card_id, const std::string& platform, const SyncSuccess& s) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(
          std::string(
              "INSERT INTO federation_sync(card_id, platform, platform_id, last_sync_at, local_hash, remote_hash, "
              "remote_updated_at, base_version_id, remote_base_json, status, error_message, created_at, updated_at) "
              "VALUES (?1, ?2, ?3, ") +
          kNow + ", ?4, ?5, ?6, ?7, ?10, ?8, ?9, " + kNow + ", " + kNow +
          ") "
          "ON CONFLICT(card_id, platform) DO UPDATE SET platform_id = excluded.platform_id, "
          "last_sync_at = excluded.last_sync_at, local_hash = excluded.local_hash, remote_hash = excluded.remote_hash, "
          "remote_updated_at = excluded.remote_updated_at, base_version_id = excluded.base_version_id, "
          "remote_base_json = excluded.remote_base_json, "
          "status = excluded.status, error_message = excluded.error_message, updated_at = excluded.updated_at"));
  q.Bind(1, card_id).Bind(2, platform).Bind(3, s.platform_id).Bind(4, s.local_hash).BindOptional(5, s.remote_hash);
  q.BindOptional(6, s.remote_updated_at);
  if (s.base_version_id) {
    q.Bind(7, *s.base_version_id);
  } else {
    q.Bind(7, std::nullopt);
  }
  q.Bind(8, SyncStateName(s.status)).BindOptional(9, s.error_message).BindOptional(10, s.remote_base_json);
  return q.Run();
}

Result<std::optional<std::string>> RemoteBase(Database& db, CardId card_id, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT remote_base_json FROM federation_sync "
                                                     "WHERE card_id = ? AND platform = ?"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Bind(1, card_id).Bind(2, platform).Step());
  if (!row) return std::optional<std::string>();
  return q.OptionalText(0);
}

Status RecordFailure(Database& db, CardId card_id, const std::string& platform, SyncState status,
                     const std::string& message) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(
          std::string("INSERT INTO federation_sync(card_id, platform, status, error_message, created_at, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4, ") +
          kNow + ", " + kNow +
          ") "
          "ON CONFLICT(card_id, platform) DO UPDATE SET status = excluded.status, "
          "error_message = excluded.error_message, updated_at = excluded.updated_at"));
  return q.Bind(1, card_id).Bind(2, platform).Bind(3, SyncStateName(status)).Bind(4, message).Run();
}

Status RecordIntent(Database& db, CardId card_id, const std::string& platform, const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(std::string("INSERT INTO federation_sync(card_id, platform, platform_id, status, error_message, "
                             "created_at, updated_at) "
                             "VALUES (?1, ?2, ?3, 'pending', 'push in progress', ") +
                 kNow + ", " + kNow +
                 ") "
                 "ON CONFLICT(card_id, platform) DO UPDATE SET platform_id = excluded.platform_id, status = 'pending', "
                 "error_message = excluded.error_message, updated_at = excluded.updated_at"));
  return q.Bind(1, card_id).Bind(2, platform).Bind(3, platform_id).Run();
}

Status RecordMove(Database& db, CardId card_id, const std::string& platform, const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("UPDATE federation_sync SET platform_id = ?1, updated_at = ") + kNow +
                              " WHERE card_id = ?2 AND platform = ?3"));
  return q.Bind(1, platform_id).Bind(2, card_id).Bind(3, platform).Run();
}

Result<std::optional<std::string>> NewestRemoteUpdate(Database& db, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT max(remote_updated_at) FROM federation_sync "
                                                     "WHERE platform = ?"));
  q.Bind(1, platform);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<std::string>();
  return q.OptionalText(0);
}

Result<std::set<std::string>> PushedPlatformIds(Database& db, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT DISTINCT platform_id FROM federation_events WHERE "
                                                     "platform = ? AND action = 'push' AND status = 'ok' AND "
                                                     "platform_id IS NOT NULL"));
  q.Bind(1, platform);
  std::set<std::string> ids;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ids.insert(q.Text(0));
  }
  return ids;
}

Result<std::optional<CardId>> CardWithPlatformId(Database& db, const std::string& platform,
                                                 const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT card_id FROM federation_sync WHERE platform = ? AND "
                                                     "platform_id = ? ORDER BY id LIMIT 1"));
  q.Bind(1, platform).Bind(2, platform_id);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<CardId>();
  return std::optional<CardId>(q.Int(0));
}

Result<bool> PlatformIdTaken(Database& db, const std::string& platform, const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare("SELECT 1 FROM federation_sync WHERE platform = ? AND platform_id = ? LIMIT 1"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Bind(1, platform).Bind(2, platform_id).Step());
  return row;
}

Result<int> DeleteSync(Database& db, CardId card_id, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare("DELETE FROM federation_sync WHERE card_id = ?1 AND (?2 = '' OR platform = ?2)"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, card_id).Bind(2, platform).Run());
  return db.Changes();
}

Result<std::vector<PlatformCard>> PlatformCards(Database& db, const std::string& platform,
                                                const std::optional<SyncState>& status) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(std::string("SELECT ") + kSyncColumns +
                 ", c.name, c.creator, c.spec, c.tags_json, c.content_hash, c.updated_at "
                 "FROM federation_sync s JOIN federation_platforms p ON p.platform = s.platform "
                 "JOIN cards c ON c.id = s.card_id WHERE s.platform = ?1 AND (?2 IS NULL OR s.status = ?2) "
                 "AND c.trashed_at IS NULL "
                 "ORDER BY s.updated_at DESC, s.id DESC"));
  q.Bind(1, platform);
  if (status) {
    q.Bind(2, SyncStateName(*status));
  } else {
    q.Bind(2, std::nullopt);
  }
  std::vector<PlatformCard> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    PlatformCard c;
    c.sync = ReadSync(q);
    int i = kSyncColumnCount;
    c.name = q.Text(i);
    c.creator = q.Text(i + 1);
    c.spec = q.Text(i + 2);
    c.tags = card_repository::ParseTagsJson(q.Text(i + 3));
    c.content_hash = q.Text(i + 4);
    c.updated_at = q.Text(i + 5);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<CardId>> LocallyChanged(Database& db, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare("SELECT s.card_id FROM federation_sync s JOIN cards c ON c.id = s.card_id WHERE s.platform = ? "
                 "AND s.status IN ('synced','pending') AND s.local_hash IS NOT NULL AND c.content_hash != s.local_hash "
                 "AND c.trashed_at IS NULL "
                 "ORDER BY s.card_id"));
  q.Bind(1, platform);
  std::vector<CardId> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(q.Int(0));
  }
  return out;
}

Result<std::vector<BulkSyncStatus>> BulkStatus(Database& db, const std::vector<CardId>& card_ids) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(
          "SELECT c.id, c.name, s.platform, s.status FROM cards c LEFT JOIN federation_sync s ON s.card_id = c.id "
          "WHERE c.id = ? ORDER BY s.platform"));
  std::vector<BulkSyncStatus> out;
  for (CardId id : card_ids) {
    q.Reset();
    q.Bind(1, id);
    BulkSyncStatus status;
    while (true) {
      CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      status.card_id = q.Int(0);
      status.name = q.Text(1);
      if (q.IsNull(2)) continue;
      ++status.active_syncs;
      auto state = ParseSyncState(q.Text(3));
      if (state == SyncState::kSynced) status.synced_platforms.push_back(q.Text(2));
      if (state == SyncState::kError) ++status.error_syncs;
      if (state == SyncState::kRemoteDeleted) status.remote_deleted_platforms.push_back(q.Text(2));
    }
    if (status.card_id != 0) out.push_back(std::move(status));
  }
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> StatusCounts(Database& db, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT status, count(*) FROM federation_sync WHERE ?1 = '' OR "
                                                     "platform = ?1 GROUP BY status ORDER BY status"));
  q.Bind(1, platform);
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.emplace_back(q.Text(0), q.Int(1));
  }
  return out;
}

Result<int64_t> InsertEvent(Database& db, const EventRecord& e) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(
          std::string(
              "INSERT INTO federation_events(card_id, platform, action, status, platform_id, local_hash, remote_hash, "
              "trigger, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ") +
          kNow + ")"));
  if (e.card_id) {
    q.Bind(1, *e.card_id);
  } else {
    q.Bind(1, std::nullopt);
  }
  q.Bind(2, e.platform).Bind(3, e.action).Bind(4, e.status).BindOptional(5, e.platform_id);
  q.BindOptional(6, e.local_hash).BindOptional(7, e.remote_hash).Bind(8, e.trigger).Bind(9, e.message);
  CHARCHIVE_RETURN_IF_ERROR(q.Run());
  return db.LastInsertId();
}

Result<std::vector<EventRecord>> ListEvents(Database& db, const EventFilter& f) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(
          "SELECT id, card_id, platform, action, status, platform_id, local_hash, remote_hash, trigger, message, "
          "created_at FROM federation_events WHERE (?1 IS NULL OR card_id = ?1) AND (?2 IS NULL OR platform = ?2) "
          "AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR id < ?4) ORDER BY id DESC LIMIT ?5"));
  if (f.card_id) {
    q.Bind(1, *f.card_id);
  } else {
    q.Bind(1, std::nullopt);
  }
  q.BindOptional(2, f.platform).BindOptional(3, f.status);
  if (f.before_id) {
    q.Bind(4, *f.before_id);
  } else {
    q.Bind(4, std::nullopt);
  }
  q.Bind(5, f.limit);
  std::vector<EventRecord> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    EventRecord e;
    e.id = q.Int(0);
    if (!q.IsNull(1)) e.card_id = q.Int(1);
    e.platform = q.Text(2);
    e.action = q.Text(3);
    e.status = q.Text(4);
    e.platform_id = q.OptionalText(5);
    e.local_hash = q.OptionalText(6);
    e.remote_hash = q.OptionalText(7);
    e.trigger = q.Text(8);
    e.message = q.Text(9);
    e.created_at = q.Text(10);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace charchive::federation_repository
