#include "store/hub_repository.h"

namespace charchive::hub_repository {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
constexpr char kPublicationColumns[] =
    "card_id, published, activity, seq, content_hash, first_published_at, updated_at, forks, installs";

Publication ReadPublication(const Statement& s) {
  return Publication{.card_id = s.Int(0),
                     .published = s.Int(1) != 0,
                     .activity = s.Text(2),
                     .seq = s.Int(3),
                     .content_hash = s.Text(4),
                     .first_published_at = s.Text(5),
                     .updated_at = s.Text(6),
                     .forks = s.Int(7),
                     .installs = s.Int(8)};
}

Result<std::vector<Relation>> QueryRelations(Database& db, const std::string& table, const std::string& actor_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare("SELECT actor_id, inbox, state, follow_id, created_at FROM " + table +
                              (actor_id.empty() ? std::string(" ORDER BY created_at") : " WHERE actor_id = ?")));
  if (!actor_id.empty()) q.Bind(1, actor_id);
  std::vector<Relation> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(Relation{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)});
  }
  return out;
}

Status PutRelation(Database& db, const std::string& table, const Relation& r) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare("INSERT INTO " + table +
                              "(actor_id, inbox, state, follow_id, created_at) "
                              "VALUES (?, ?, ?, ?, " +
                              kNow +
                              ") ON CONFLICT(actor_id) DO UPDATE SET "
                              "inbox = excluded.inbox, state = excluded.state, follow_id = excluded.follow_id"));
  return q.Bind(1, r.actor_id).Bind(2, r.inbox).Bind(3, r.state).Bind(4, r.follow_id).Run();
}

Result<bool> RemoveRelation(Database& db, const std::string& table, const std::string& actor_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("DELETE FROM " + table + " WHERE actor_id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, actor_id).Run());
  return db.Changes() > 0;
}

Result<std::optional<Relation>> OneRelation(Database& db, const std::string& table, const std::string& actor_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto rows, QueryRelations(db, table, actor_id));
  if (rows.empty()) return std::optional<Relation>();
  return std::optional<Relation>(rows.front());
}

}  // namespace

Result<std::optional<std::string>> GetSetting(Database& db, const std::string& key) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT value FROM hub_settings WHERE key = ?"));
  q.Bind(1, key);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

Status SetSetting(Database& db, const std::string& key, const std::string& value) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("INSERT INTO hub_settings(key, value) VALUES (?, ?) "
                                                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return q.Bind(1, key).Bind(2, value).Run();
}

Status SetPublished(Database& db, CardId card_id, bool published) {
  // A new row starts as a Delete of nothing at seq 0, so the refresh turns it
  // into the card's Create (seq 1); an existing row keeps its history.
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare(std::string("INSERT INTO hub_publications(card_id, published, activity, seq, "
                             "first_published_at, updated_at) VALUES (?, ?, 'Delete', 0, ") +
                 kNow + ", " + kNow + ") ON CONFLICT(card_id) DO UPDATE SET published = excluded.published"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, card_id).Bind(2, static_cast<int64_t>(published ? 1 : 0)).Run());
  return db.Exec(
      "INSERT INTO hub_settings(key, value) VALUES ('publish_epoch', '1') "
      "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

Result<std::string> ChangeMark(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare("SELECT (SELECT changes FROM card_count) || '|' || "
                                        "coalesce((SELECT value FROM hub_settings WHERE key = 'publish_epoch'), '0')"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Text(0) : std::string();
}

Result<std::vector<Publication>> RefreshPublications(Database& db, bool publish_all) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  // Shared cards without a live publication, or whose content moved on.
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement changed,
      db.Prepare(
          "SELECT c.id, c.content_hash, p.activity FROM cards c LEFT JOIN hub_publications p ON p.card_id = c.id "
          "WHERE c.trashed_at IS NULL AND (? = 1 OR p.published = 1) AND "
          "(p.card_id IS NULL OR p.activity = 'Delete' OR p.content_hash != c.content_hash)"));
  changed.Bind(1, static_cast<int64_t>(publish_all ? 1 : 0));
  struct Change {
    CardId id;
    std::string hash;
    std::string activity;
  };
  std::vector<Change> changes;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, changed.Step());
    if (!row) break;
    bool live = !changed.IsNull(2) && changed.Text(2) != "Delete";
    changes.push_back({changed.Int(0), changed.Text(1), live ? "Update" : "Create"});
  }
  // Live publications whose card is gone or no longer shared.
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement gone, db.Prepare("SELECT p.card_id FROM hub_publications p LEFT JOIN cards c ON c.id = p.card_id "
                                 "WHERE p.activity != 'Delete' AND (c.id IS NULL OR (? = 0 AND p.published = 0))"));
  gone.Bind(1, static_cast<int64_t>(publish_all ? 1 : 0));
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, gone.Step());
    if (!row) break;
    changes.push_back({gone.Int(0), "", "Delete"});
  }
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement upsert,
      db.Prepare(std::string("INSERT INTO hub_publications(card_id, activity, seq, content_hash, first_published_at, "
                             "updated_at) VALUES (?1, ?2, 1, ?3, ") +
                 kNow + ", " + kNow +
                 ") ON CONFLICT(card_id) DO UPDATE SET activity = ?2, seq = seq + 1, "
                 "content_hash = CASE WHEN ?2 = 'Delete' THEN content_hash ELSE ?3 END, updated_at = " +
                 kNow));
  CHARCHIVE_ASSIGN_OR_RETURN(Statement read, db.Prepare(std::string("SELECT ") + kPublicationColumns +
                                                        " FROM hub_publications WHERE card_id = ?"));
  std::vector<Publication> out;
  for (const Change& c : changes) {
    upsert.Reset();
    CHARCHIVE_RETURN_IF_ERROR(upsert.Bind(1, c.id).Bind(2, c.activity).Bind(3, c.hash).Run());
    read.Reset();
    read.Bind(1, c.id);
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, read.Step());
    if (row) out.push_back(ReadPublication(read));
  }
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return out;
}

Result<std::optional<Publication>> GetPublication(Database& db, CardId card_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kPublicationColumns +
                                                     " FROM hub_publications WHERE card_id = ?"));
  q.Bind(1, card_id);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<Publication>();
  return std::optional<Publication>(ReadPublication(q));
}

Result<std::vector<Publication>> ListPublications(Database& db, const std::optional<std::string>& since, int64_t limit,
                                                  int64_t offset) {
  // Without `since` a reader wants what is shared now; with it, what changed
  // (Deletes included).
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kPublicationColumns +
                                                     " FROM hub_publications WHERE seq > 0 AND " +
                                                     (since ? "updated_at > ?3" : "activity != 'Delete'") +
                                                     " ORDER BY updated_at DESC, card_id DESC LIMIT ?1 OFFSET ?2"));
  q.Bind(1, limit).Bind(2, offset);
  if (since) q.Bind(3, *since);
  std::vector<Publication> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadPublication(q));
  }
  return out;
}

Result<int64_t> CountPublications(Database& db, const std::optional<std::string>& since) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare(std::string("SELECT count(*) FROM hub_publications WHERE seq > 0 AND ") +
                                        (since ? "updated_at > ?" : "activity != 'Delete'")));
  if (since) q.Bind(1, *since);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : 0;
}

Result<bool> CountNotification(Database& db, CardId card_id, const std::string& kind) {
  std::string column = kind == "Fork" ? "forks" : "installs";
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("UPDATE hub_publications SET " + column + " = " + column +
                                                     " + 1 WHERE card_id = ? AND activity != 'Delete'"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, card_id).Run());
  return db.Changes() > 0;
}

Status PutFollower(Database& db, const Relation& follower) { return PutRelation(db, "hub_followers", follower); }
Status PutFollowing(Database& db, const Relation& following) { return PutRelation(db, "hub_following", following); }
Result<bool> RemoveFollower(Database& db, const std::string& actor_id) {
  return RemoveRelation(db, "hub_followers", actor_id);
}
Result<bool> RemoveFollowing(Database& db, const std::string& actor_id) {
  return RemoveRelation(db, "hub_following", actor_id);
}
Result<std::vector<Relation>> Followers(Database& db) { return QueryRelations(db, "hub_followers", ""); }
Result<std::vector<Relation>> Followings(Database& db) { return QueryRelations(db, "hub_following", ""); }
Result<std::optional<Relation>> Follower(Database& db, const std::string& actor_id) {
  return OneRelation(db, "hub_followers", actor_id);
}
Result<std::optional<Relation>> Following(Database& db, const std::string& actor_id) {
  return OneRelation(db, "hub_following", actor_id);
}

Result<std::optional<RemoteActor>> GetActorKey(Database& db, const std::string& key_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare("SELECT key_id, actor_id, inbox, public_key_pem FROM hub_actors WHERE key_id = ?"));
  q.Bind(1, key_id);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<RemoteActor>();
  return std::optional<RemoteActor>(RemoteActor{q.Text(0), q.Text(1), q.Text(2), q.Text(3)});
}

Status PutActorKey(Database& db, const RemoteActor& actor) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("INSERT INTO hub_actors(key_id, actor_id, inbox, public_key_pem, fetched_at) "
                                          "VALUES (?, ?, ?, ?, ") +
                              kNow +
                              ") ON CONFLICT(key_id) DO UPDATE SET "
                              "actor_id = excluded.actor_id, inbox = excluded.inbox, "
                              "public_key_pem = excluded.public_key_pem, fetched_at = excluded.fetched_at"));
  return q.Bind(1, actor.key_id).Bind(2, actor.actor_id).Bind(3, actor.inbox).Bind(4, actor.public_key_pem).Run();
}

Status PutSuggestion(Database& db, const Suggestion& suggestion) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare("INSERT INTO hub_suggestions(card_id, actor_id, activity_id, content_json, received_at) "
                              "VALUES (?, ?, ?, ?, ?) ON CONFLICT(card_id, actor_id) DO UPDATE SET "
                              "activity_id = excluded.activity_id, content_json = excluded.content_json, "
                              "received_at = excluded.received_at"));
  return q.Bind(1, suggestion.card_id)
      .Bind(2, suggestion.actor_id)
      .Bind(3, suggestion.activity_id)
      .Bind(4, suggestion.content_json)
      .Bind(5, suggestion.received_at)
      .Run();
}

Result<std::vector<Suggestion>> ListSuggestions(Database& db, std::optional<CardId> card_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q, db.Prepare(std::string("SELECT id, card_id, actor_id, activity_id, content_json, received_at "
                                          "FROM hub_suggestions") +
                              (card_id ? " WHERE card_id = ?" : "") + " ORDER BY received_at DESC, id DESC"));
  if (card_id) q.Bind(1, *card_id);
  std::vector<Suggestion> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(Suggestion{q.Int(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5)});
  }
  return out;
}

Result<bool> RemoveSuggestion(Database& db, int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("DELETE FROM hub_suggestions WHERE id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, id).Run());
  return db.Changes() > 0;
}

Result<bool> RememberSignature(Database& db, const std::string& digest, int64_t now, int64_t keep_seconds) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement prune, db.Prepare("DELETE FROM hub_seen_signatures WHERE seen_at < ?"));
  CHARCHIVE_RETURN_IF_ERROR(prune.Bind(1, now - keep_seconds).Run());
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("INSERT OR IGNORE INTO hub_seen_signatures(digest, seen_at) "
                                                     "VALUES (?, ?)"));
  CHARCHIVE_RETURN_IF_ERROR(q.Bind(1, digest).Bind(2, now).Run());
  return db.Changes() > 0;
}

Status EnqueueDelivery(Database& db, const std::string& inbox, const std::string& activity_json) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("INSERT INTO hub_deliveries(inbox, activity_json, "
                                                                 "created_at) VALUES (?, ?, ") +
                                                     kNow + ")"));
  return q.Bind(1, inbox).Bind(2, activity_json).Run();
}

Result<std::vector<Delivery>> DueDeliveries(Database& db, int64_t now, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement q,
      db.Prepare("SELECT id, inbox, activity_json, state, attempts, next_attempt_at, last_error "
                 "FROM hub_deliveries WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?"));
  q.Bind(1, now).Bind(2, limit);
  std::vector<Delivery> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(Delivery{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5), q.Text(6)});
  }
  return out;
}

Status MarkDelivered(Database& db, int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("UPDATE hub_deliveries SET state = 'delivered', "
                                                     "attempts = attempts + 1, last_error = '' WHERE id = ?"));
  return q.Bind(1, id).Run();
}

Status MarkAttemptFailed(Database& db, int64_t id, const std::string& error, std::optional<int64_t> next_attempt_at) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare("UPDATE hub_deliveries SET attempts = attempts + 1, last_error = ?, "
                                        "state = CASE WHEN ? IS NULL THEN 'failed' ELSE 'queued' END, "
                                        "next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?"));
  q.Bind(1, error);
  if (next_attempt_at) {
    q.Bind(2, *next_attempt_at).Bind(3, *next_attempt_at);
  } else {
    q.Bind(2, std::nullopt).Bind(3, std::nullopt);
  }
  return q.Bind(4, id).Run();
}

Result<std::vector<std::pair<std::string, int64_t>>> DeliveryCounts(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT state, count(*) FROM hub_deliveries GROUP BY state"));
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.emplace_back(q.Text(0), q.Int(1));
  }
  return out;
}

}  // namespace charchive::hub_repository
