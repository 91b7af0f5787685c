#include "store/migrations.h"

#include <iterator>

#include "store/content_rehash.h"
#include "store/errors.h"
#include "store/text_fingerprints.h"

namespace charchive {
namespace {

// Migration 10: the ActivityPub node, which was the platform `hub`, becomes
// the platform `archive` with its settings, links, jobs, history and imported
// cards' source; `hub` is CardsHub again (docs/federation.md "CardsHub"),
// unconfigured, with the new auth kind `login`. The auth_kind CHECK gains
// 'login' by an edit of the table's schema text: a looser CHECK changes
// nothing stored, the case SQLite's ALTER TABLE documentation allows, while
// rebuilding the table inside a transaction would break the foreign keys of
// federation_sync and jobs.
Status MoveArchiveNodeToItsOwnPlatform(Database& db) {
  int64_t schema_version = 0;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(Statement version, db.Prepare("PRAGMA schema_version"));
    CHARCHIVE_ASSIGN_OR_RETURN(bool has_row, version.Step());
    if (has_row) schema_version = version.Int(0);
  }
  CHARCHIVE_RETURN_IF_ERROR(db.Exec(R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''sillytavern-csrf'')', '''sillytavern-csrf'',''login'')')
 WHERE type = 'table' AND name = 'federation_platforms';
)sql"));
  // A new schema version makes every connection read the changed text.
  CHARCHIVE_RETURN_IF_ERROR(
      db.Exec("PRAGMA schema_version = " + std::to_string(schema_version + 1) + "; PRAGMA writable_schema = OFF;"));
  return db.Exec(R"sql(
INSERT INTO federation_platforms(platform, display_name, base_url, api_key_sealed, auth_kind, username,
                                 options_json, enabled, last_connected_at, created_at, updated_at)
  SELECT 'archive',
         CASE display_name WHEN 'CardsHub' THEN 'Character Archive (ActivityPub)' ELSE display_name END,
         base_url, api_key_sealed, auth_kind, username, options_json, enabled, last_connected_at, created_at,
         strftime('%Y-%m-%dT%H:%M:%fZ','now')
    FROM federation_platforms WHERE platform = 'hub';
UPDATE federation_sync SET platform = 'archive' WHERE platform = 'hub';
UPDATE jobs SET platform = 'archive' WHERE platform = 'hub';
UPDATE federation_events SET platform = 'archive' WHERE platform = 'hub';
UPDATE cards SET source = 'archive' WHERE source = 'hub';
UPDATE federation_platforms
   SET display_name = 'CardsHub', base_url = '', api_key_sealed = NULL, auth_kind = 'login', username = '',
       options_json = '{}', enabled = 0, last_connected_at = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
 WHERE platform = 'hub';
)sql");
}

// A migration is SQL, or a C++ step for what SQL cannot do (hashing card
// JSON); exactly one of the two is set.
struct Migration {
  int version;
  const char* sql;
  Status (*step)(Database& db);
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE cards (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  creator          TEXT NOT NULL DEFAULT '',
  spec             TEXT NOT NULL,
  format           TEXT NOT NULL,
  source           TEXT NOT NULL DEFAULT 'import',
  source_id        TEXT,
  content_hash     TEXT NOT NULL,
  image_hash       TEXT,
  file_name        TEXT NOT NULL,
  file_size        INTEGER NOT NULL,
  original_name    TEXT NOT NULL DEFAULT '',
  tags_json        TEXT NOT NULL DEFAULT '[]',
  favorite         INTEGER NOT NULL DEFAULT 0,
  token_estimate   INTEGER NOT NULL DEFAULT 0,
  has_lorebook     INTEGER NOT NULL DEFAULT 0,
  lorebook_entries INTEGER NOT NULL DEFAULT 0,
  greetings_count  INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
-- The card JSON lives apart: it is large (kilobytes, overflow pages), and
-- keeping it out of `cards` keeps that table small enough to scan and sort in
-- memory at 100,000 cards.
CREATE TABLE card_json (
  card_id  INTEGER PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
  raw_json TEXT NOT NULL
);
CREATE INDEX cards_by_hash ON cards(content_hash, image_hash);
CREATE INDEX cards_by_updated ON cards(updated_at, id);
CREATE INDEX cards_by_created ON cards(created_at, id);
CREATE INDEX cards_by_name ON cards(name COLLATE NOCASE, id);
CREATE INDEX cards_by_tokens ON cards(token_estimate, id);
CREATE INDEX cards_by_creator ON cards(creator COLLATE NOCASE);
CREATE INDEX cards_by_file ON cards(file_name);

CREATE TABLE card_tags (
  card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  tag     TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (card_id, tag)
) WITHOUT ROWID;
CREATE INDEX card_tags_by_tag ON card_tags(tag, card_id);

-- Every content a card has had. The newest version's JSON is the card's
-- current JSON, kept once in card_json (raw_json NULL here); it is copied into
-- its version row when a newer version replaces it.
CREATE TABLE card_versions (
  id           INTEGER PRIMARY KEY,
  card_id      INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  raw_json     TEXT,
  content_hash TEXT NOT NULL,
  reason       TEXT NOT NULL CHECK (reason IN ('import','edit','pull','merge','restore')),
  created_at   TEXT NOT NULL
);
CREATE INDEX card_versions_by_card ON card_versions(card_id, id);

CREATE VIRTUAL TABLE cards_fts USING fts5(
  name, creator, description, tags, creator_notes, personality, scenario, first_mes,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4 5 6'
);
)sql",
     nullptr},
    {2, R"sql(
-- Federation (docs/storage.md "Schema"): the peers, the sync state of each card on each
-- peer, and the history of every sync.
CREATE TABLE federation_platforms (
  id                INTEGER PRIMARY KEY,
  platform          TEXT NOT NULL UNIQUE,
  display_name      TEXT NOT NULL,
  base_url          TEXT NOT NULL DEFAULT '',
  api_key_sealed    TEXT,
  auth_kind         TEXT NOT NULL DEFAULT 'none'
                    CHECK (auth_kind IN ('none','bearer','basic','sillytavern-csrf')),
  username          TEXT NOT NULL DEFAULT '',
  options_json      TEXT NOT NULL DEFAULT '{}',
  enabled           INTEGER NOT NULL DEFAULT 0,
  last_connected_at TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
INSERT INTO federation_platforms(platform, display_name, auth_kind, created_at, updated_at) VALUES
  ('architect', 'Character Architect', 'none', strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  ('sillytavern', 'SillyTavern', 'sillytavern-csrf', strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  ('hub', 'CardsHub', 'none', strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'));

CREATE TABLE federation_sync (
  id                INTEGER PRIMARY KEY,
  card_id           INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  platform          TEXT NOT NULL REFERENCES federation_platforms(platform),
  platform_id       TEXT,
  last_sync_at      TEXT,
  local_hash        TEXT,
  remote_hash       TEXT,
  remote_updated_at TEXT,
  base_version_id   INTEGER,
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending','synced','conflict','error')),
  error_message     TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (card_id, platform)
);
CREATE INDEX federation_sync_by_platform ON federation_sync(platform, status, card_id);
CREATE INDEX federation_sync_by_platform_id ON federation_sync(platform, platform_id);

-- History outlives the card: no foreign key on card_id.
CREATE TABLE federation_events (
  id           INTEGER PRIMARY KEY,
  card_id      INTEGER,
  platform     TEXT NOT NULL,
  action       TEXT NOT NULL,
  status       TEXT NOT NULL,
  platform_id  TEXT,
  local_hash   TEXT,
  remote_hash  TEXT,
  trigger      TEXT NOT NULL DEFAULT 'api',
  message      TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL
);
CREATE INDEX federation_events_by_card ON federation_events(card_id, id);
CREATE INDEX federation_events_by_platform ON federation_events(platform, id);
)sql",
     nullptr},
    {3, R"sql(
-- Background federation jobs (bulk push, pull, sync), durable across restarts:
-- one row per job and one per card it covers, so a resumed job does only
-- what is left.
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('push','pull','sync')),
  platform    TEXT NOT NULL REFERENCES federation_platforms(platform),
  overwrite   INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL DEFAULT 'queued'
              CHECK (status IN ('queued','running','done','failed','cancelled')),
  total       INTEGER NOT NULL DEFAULT 0,
  done        INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  trigger     TEXT NOT NULL DEFAULT 'api',
  message     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX jobs_by_status ON jobs(status, id);
CREATE TABLE job_items (
  job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  card_id  INTEGER NOT NULL,
  state    TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','running','done','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  message  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
)sql",
     nullptr},
    {4, R"sql(
-- Hub federation (docs/federation.md "Hub federation"): this archive as an
-- ActivityPub node. Sync states gain `remote_deleted` (the hub deleted its
-- copy; the archive keeps its card), which needs the table rebuilt.
CREATE TABLE federation_sync_v4 (
  id                INTEGER PRIMARY KEY,
  card_id           INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  platform          TEXT NOT NULL REFERENCES federation_platforms(platform),
  platform_id       TEXT,
  last_sync_at      TEXT,
  local_hash        TEXT,
  remote_hash       TEXT,
  remote_updated_at TEXT,
  base_version_id   INTEGER,
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending','synced','conflict','error','remote_deleted')),
  error_message     TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (card_id, platform)
);
INSERT INTO federation_sync_v4 SELECT * FROM federation_sync;
DROP TABLE federation_sync;
ALTER TABLE federation_sync_v4 RENAME TO federation_sync;
CREATE INDEX federation_sync_by_platform ON federation_sync(platform, status, card_id);
CREATE INDEX federation_sync_by_platform_id ON federation_sync(platform, platform_id);

-- The node's settings (enabled, public_url, publish_all, auto_accept).
CREATE TABLE hub_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- One row per card ever shared: its latest activity (Create, Update or Delete)
-- is what the outbox lists. No foreign key: a deleted card leaves a Delete.
CREATE TABLE hub_publications (
  card_id      INTEGER PRIMARY KEY,
  published    INTEGER NOT NULL DEFAULT 0,  -- chosen one by one (publish_all shares the rest)
  activity     TEXT NOT NULL CHECK (activity IN ('Create','Update','Delete')),
  seq          INTEGER NOT NULL DEFAULT 1,
  content_hash TEXT NOT NULL DEFAULT '',
  first_published_at TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  forks        INTEGER NOT NULL DEFAULT 0,
  installs     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX hub_publications_by_time ON hub_publications(updated_at, card_id);

-- Actors following this node, and actors this node follows.
CREATE TABLE hub_followers (
  actor_id   TEXT PRIMARY KEY,
  inbox      TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('pending','accepted')),
  follow_id  TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE hub_following (
  actor_id   TEXT PRIMARY KEY,
  inbox      TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('pending','accepted','rejected')),
  follow_id  TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Remote actors' keys, cached after a verified fetch.
CREATE TABLE hub_actors (
  key_id         TEXT PRIMARY KEY,
  actor_id       TEXT NOT NULL,
  inbox          TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  fetched_at     TEXT NOT NULL
) WITHOUT ROWID;

-- Signatures accepted recently: the same signed request twice is a replay.
CREATE TABLE hub_seen_signatures (digest TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;

-- Signed deliveries to remote inboxes, retried with backoff until delivered.
CREATE TABLE hub_deliveries (
  id            INTEGER PRIMARY KEY,
  inbox         TEXT NOT NULL,
  activity_json TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','delivered','failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL
);
CREATE INDEX hub_deliveries_due ON hub_deliveries(state, next_attempt_at);
)sql",
     nullptr},
    {5, R"sql(
-- Card sources (docs/sources.md): public hubs the archive pulls from (Chub,
-- Character Tavern). One settings row per source; filters are JSON.
CREATE TABLE source_settings (
  source              TEXT PRIMARY KEY,
  display_name        TEXT NOT NULL,
  base_url            TEXT NOT NULL,
  image_base_url      TEXT NOT NULL,
  api_key_sealed      TEXT,
  filters_json        TEXT NOT NULL DEFAULT '{}',
  interval_minutes    INTEGER NOT NULL DEFAULT 0,
  request_interval_ms INTEGER NOT NULL DEFAULT 1000,
  enabled             INTEGER NOT NULL DEFAULT 0,
  cursor_json         TEXT NOT NULL DEFAULT '{}',
  last_run_at         TEXT,
  updated_at          TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO source_settings(source, display_name, base_url, image_base_url, updated_at) VALUES
  ('chub', 'Chub', 'https://gateway.chub.ai', 'https://avatars.charhub.io', strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  ('ct', 'Character Tavern', 'https://character-tavern.com', 'https://ct-cards.storage.character-tavern.com',
   strftime('%Y-%m-%dT%H:%M:%fZ','now'));

-- Each card taken from a source: the source's change clock and token count
-- (unchanged cards are not downloaded again) and both content hashes at the
-- last sync (three-way detection, as federation_sync). On a conflict the
-- source's content waits in pending_json until the user resolves it.
-- No foreign key to cards: the delete trigger below moves the row to the
-- block list instead.
CREATE TABLE source_cards (
  source            TEXT NOT NULL,
  source_id         TEXT NOT NULL,
  card_id           INTEGER NOT NULL,
  remote_updated_at TEXT NOT NULL DEFAULT '',
  token_count       INTEGER NOT NULL DEFAULT 0,
  content_hash      TEXT NOT NULL,
  local_hash        TEXT NOT NULL,
  base_version_id   INTEGER,
  status            TEXT NOT NULL DEFAULT 'synced' CHECK (status IN ('synced','conflict')),
  pending_json      TEXT,
  message           TEXT NOT NULL DEFAULT '',
  synced_at         TEXT NOT NULL,
  PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE INDEX source_cards_by_card ON source_cards(card_id);

-- Cards the user deleted: later runs do not import them again.
CREATE TABLE source_blocks (
  source     TEXT NOT NULL,
  source_id  TEXT NOT NULL,
  card_name  TEXT NOT NULL DEFAULT '',
  blocked_at TEXT NOT NULL,
  PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE TRIGGER source_cards_block_on_delete AFTER DELETE ON cards BEGIN
  INSERT OR IGNORE INTO source_blocks(source, source_id, card_name, blocked_at)
    SELECT source, source_id, OLD.name, strftime('%Y-%m-%dT%H:%M:%fZ','now') FROM source_cards WHERE card_id = OLD.id;
  DELETE FROM source_cards WHERE card_id = OLD.id;
END;

-- Every sync run of a source, with its progress and report.
CREATE TABLE source_runs (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL REFERENCES source_settings(source),
  status      TEXT NOT NULL DEFAULT 'queued'
              CHECK (status IN ('queued','running','done','failed','cancelled')),
  full        INTEGER NOT NULL DEFAULT 0,
  trigger     TEXT NOT NULL DEFAULT 'api',
  pages       INTEGER NOT NULL DEFAULT 0,
  seen        INTEGER NOT NULL DEFAULT 0,
  new_cards   INTEGER NOT NULL DEFAULT 0,
  updated     INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  conflicts   INTEGER NOT NULL DEFAULT 0,
  blocked     INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  requests    INTEGER NOT NULL DEFAULT 0,
  message     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX source_runs_by_source ON source_runs(source, id);
)sql",
     nullptr},
    // The content projection learnt default-equivalent values (docs/content-hash.md):
    // every stored hash is computed again, links' hashes with them.
    {6, nullptr, &RehashContent},
    {7, R"sql(
-- Hub trust (docs/federation.md "Who may write"). A peer's Update of a card
-- this archive owns is never applied: it waits here for the owner, one per
-- card and actor, and goes with the card.
CREATE TABLE hub_suggestions (
  id           INTEGER PRIMARY KEY,
  card_id      INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  actor_id     TEXT NOT NULL,
  activity_id  TEXT NOT NULL DEFAULT '',
  content_json TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  UNIQUE (card_id, actor_id)
);
CREATE INDEX hub_suggestions_by_time ON hub_suggestions(received_at);

-- Followers now wait for the owner's approval unless auto-accept is on. Every
-- settings save wrote auto_accept = 1 (the old default) whether the owner chose
-- it or not, so it is reset: an owner who wants it turns it on again.
UPDATE hub_settings SET value = '0' WHERE key = 'auto_accept';
)sql",
     nullptr},
    // Each link keeps the peer's copy as read back at its last successful sync
    // (the remote base of a three-way sync, docs/sync-core.md); NULL for links
    // made before, which fall back to the single base until their next sync.
    {8, R"sql(
ALTER TABLE federation_sync ADD COLUMN remote_base_json TEXT;
)sql",
     nullptr},
    {9, R"sql(
-- Watched folders (docs/watch.md): the folders set through the API (those given
-- to `serve --watch` are not kept), and every file seen in one, by its path:
-- the size and mtime it had when it was last read (a start scan reads only
-- files whose size or mtime moved), the card it made (a changed file becomes a
-- new version of that card; NULL once the card is deleted), and whether it was
-- refused (reported once, read again only when it changes).
CREATE TABLE watch_folders (
  path     TEXT PRIMARY KEY,
  added_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE watch_files (
  path         TEXT PRIMARY KEY,
  card_id      INTEGER REFERENCES cards(id) ON DELETE SET NULL,
  size         INTEGER NOT NULL,
  mtime_ns     INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('card','refused')),
  message      TEXT NOT NULL DEFAULT '',
  seen_at      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX watch_files_by_card ON watch_files(card_id);
CREATE INDEX watch_files_by_seen ON watch_files(seen_at);
)sql",
     nullptr},
    {10, nullptr, &MoveArchiveNodeToItsOwnPlatform},
    {11, R"sql(
-- The duplicates view (store/duplicate_finder.h): cards with the same name and
-- creator, ignoring ASCII case, found through an index, not a scan per card.
CREATE INDEX cards_by_name_creator ON cards(name COLLATE NOCASE, creator COLLATE NOCASE);
)sql",
     nullptr},
    // 12: the number of cards, kept by triggers, so that an unfiltered list's
    // total costs one row instead of a scan of an index of every card.
    {12, R"sql(
CREATE TABLE card_count (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cards INTEGER NOT NULL
);
INSERT INTO card_count(id, cards) SELECT 1, count(*) FROM cards;
CREATE TRIGGER card_count_on_insert AFTER INSERT ON cards BEGIN
  UPDATE card_count SET cards = cards + 1 WHERE id = 1;
END;
CREATE TRIGGER card_count_on_delete AFTER DELETE ON cards BEGIN
  UPDATE card_count SET cards = cards - 1 WHERE id = 1;
END;
)sql",
     nullptr},
    // 13: the trash (docs/storage.md "Trash"). A trashed card keeps its row,
    // files and versions but leaves every list: its tag and full-text rows go
    // (the store writes them again on restore) and card_count counts only the
    // cards outside the trash.
    {13, R"sql(
ALTER TABLE cards ADD COLUMN trashed_at TEXT;
CREATE INDEX cards_in_trash ON cards(trashed_at, id) WHERE trashed_at IS NOT NULL;
DROP TRIGGER card_count_on_delete;
CREATE TRIGGER card_count_on_delete AFTER DELETE ON cards WHEN OLD.trashed_at IS NULL BEGIN
  UPDATE card_count SET cards = cards - 1 WHERE id = 1;
END;
CREATE TRIGGER card_count_on_trash AFTER UPDATE OF trashed_at ON cards
  WHEN OLD.trashed_at IS NULL AND NEW.trashed_at IS NOT NULL BEGIN
  UPDATE card_count SET cards = cards - 1 WHERE id = 1;
END;
CREATE TRIGGER card_count_on_restore AFTER UPDATE OF trashed_at ON cards
  WHEN OLD.trashed_at IS NOT NULL AND NEW.trashed_at IS NULL BEGIN
  UPDATE card_count SET cards = cards + 1 WHERE id = 1;
END;
)sql",
     nullptr},
    // 14: near-identical text (store/text_fingerprints.h): every card's MinHash
    // signature and band keys, from its current JSON.
    {14, nullptr, &text_fingerprints::CreateAndFill},
    // 15: a count of every change to the cards (hub_repository::ChangeMark):
    // an insert, a content change, a trash, a restore or a delete. The number
    // of cards and the newest updated_at missed a delete from the trash (the
    // card had already left the count) and two edits in one millisecond.
    {15, R"sql(
ALTER TABLE card_count ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER card_count_on_insert;
CREATE TRIGGER card_count_on_insert AFTER INSERT ON cards BEGIN
  UPDATE card_count SET cards = cards + 1, changes = changes + 1 WHERE id = 1;
END;
DROP TRIGGER card_count_on_delete;
CREATE TRIGGER card_count_on_delete AFTER DELETE ON cards BEGIN
  UPDATE card_count SET cards = cards - (OLD.trashed_at IS NULL), changes = changes + 1 WHERE id = 1;
END;
DROP TRIGGER card_count_on_trash;
CREATE TRIGGER card_count_on_trash AFTER UPDATE OF trashed_at ON cards
  WHEN OLD.trashed_at IS NULL AND NEW.trashed_at IS NOT NULL BEGIN
  UPDATE card_count SET cards = cards - 1, changes = changes + 1 WHERE id = 1;
END;
DROP TRIGGER card_count_on_restore;
CREATE TRIGGER card_count_on_restore AFTER UPDATE OF trashed_at ON cards
  WHEN OLD.trashed_at IS NOT NULL AND NEW.trashed_at IS NULL BEGIN
  UPDATE card_count SET cards = cards + 1, changes = changes + 1 WHERE id = 1;
END;
CREATE TRIGGER card_count_on_content AFTER UPDATE OF content_hash ON cards
  WHEN OLD.content_hash IS NOT NEW.content_hash BEGIN
  UPDATE card_count SET changes = changes + 1 WHERE id = 1;
END;
)sql",
     nullptr},
    // 16: the full-text index's long terms (store/fts_long_terms.h), read out
    // of the index once; the store adds new ones as it indexes cards.
    {16, R"sql(
CREATE TABLE fts_long_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE temp.cards_fts_vocabulary USING fts5vocab(main, cards_fts, row);
INSERT INTO fts_long_terms(term) SELECT term FROM temp.cards_fts_vocabulary WHERE length(term) > 6;
DROP TABLE temp.cards_fts_vocabulary;
)sql",
     nullptr},
};

Result<int> CurrentVersion(Database& db) {
  CHARCHIVE_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? static_cast<int>(q.Int(0)) : 0;
}

}  // namespace

int LatestSchemaVersion() { return std::prev(std::end(kMigrations))->version; }

Status ApplyMigrations(Database& db) { return ApplyMigrationsUpTo(db, LatestSchemaVersion()); }

Status ApplyMigrationsUpTo(Database& db, int version) {
  CHARCHIVE_ASSIGN_OR_RETURN(int current, CurrentVersion(db));
  if (current > LatestSchemaVersion()) {
    return Status::IoError(store_error::kSchemaTooNew, "the database has schema version " + std::to_string(current) +
                                                           "; this charchive knows up to " +
                                                           std::to_string(LatestSchemaVersion()));
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= current || m.version > version) continue;
    CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
    // Another process may have migrated while we waited for the write lock.
    CHARCHIVE_ASSIGN_OR_RETURN(int now, CurrentVersion(db));
    if (m.version <= now) continue;
    CHARCHIVE_RETURN_IF_ERROR(m.sql != nullptr ? db.Exec(m.sql) : m.step(db));
    CHARCHIVE_ASSIGN_OR_RETURN(
        Statement mark,
        db.Prepare(
            "INSERT INTO schema_migrations(version, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))"));
    CHARCHIVE_RETURN_IF_ERROR(mark.Bind(1, static_cast<int64_t>(m.version)).Run());
    CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  }
  return Status::Ok();
}

}  // namespace charchive
