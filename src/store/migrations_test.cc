#include "store/migrations.h"

#include <gtest/gtest.h>

#include "store/federation_repository.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::TempDir;

std::string One(Database& db, const std::string& sql) {
  auto q = db.Prepare(sql);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  auto row = q->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return q->IsNull(0) ? "NULL" : q->Text(0);
}

void Exec(Database& db, const std::string& sql) { ASSERT_TRUE(db.Exec(sql).ok()) << sql; }

// A schema-8 archive whose ActivityPub node was the platform `hub`: its
// settings, three links (synced, conflict, remote_deleted), a job, history
// and a card imported from a peer archive all move to `archive`; `hub` is
// CardsHub, unconfigured, with auth kind `login`.
TEST(Migrations, Migration10MovesEveryHubLinkToTheArchivePlatform) {
  TempDir dir;
  auto db = Database::Open((dir.path() / "cards.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrationsUpTo(**db, 8).ok());
  const std::string now = "'2026-12-01T00:00:00.000Z'";
  Exec(**db,
       "UPDATE federation_platforms SET base_url = 'http://b.example:7102', enabled = 1, "
       "api_key_sealed = 'sealed-text', username = 'archive', options_json = '{\"poll_minutes\":5}', "
       "last_connected_at = " +
           now + " WHERE platform = 'hub'");
  for (int id = 1; id <= 4; ++id) {
    Exec(**db,
         "INSERT INTO cards(id, name, spec, format, source, source_id, content_hash, file_name, file_size, "
         "created_at, updated_at) VALUES (" +
             std::to_string(id) + ", 'C" + std::to_string(id) + "', 'v2', 'png', " +
             (id == 4 ? "'hub', 'http://b.example:7102/ap/cards/9'" : "'import', NULL") + ", 'h" + std::to_string(id) +
             "', 'f" + std::to_string(id) + ".png', 1, " + now + ", " + now + ")");
  }
  Exec(**db,
       "INSERT INTO federation_sync(card_id, platform, platform_id, local_hash, remote_hash, status, "
       "remote_base_json, created_at, updated_at) VALUES "
       "(1, 'hub', 'http://b.example:7102/ap/cards/1', 'h1', 'h1', 'synced', '{}', " +
           now + ", " + now +
           "), "
           "(2, 'hub', 'http://b.example:7102/ap/cards/2', 'h2', 'r2', 'conflict', NULL, " +
           now + ", " + now +
           "), "
           "(3, 'hub', 'http://b.example:7102/ap/cards/3', 'h3', 'h3', 'remote_deleted', NULL, " +
           now + ", " + now +
           "), "
           "(4, 'hub', 'http://b.example:7102/ap/cards/9', 'h4', 'h4', 'synced', NULL, " +
           now + ", " + now +
           "), "
           "(1, 'sillytavern', 'C1', 'h1', 'h1', 'synced', NULL, " +
           now + ", " + now + ")");
  Exec(**db,
       "INSERT INTO jobs(kind, platform, created_at, updated_at) VALUES ('sync', 'hub', " + now + ", " + now + ")");
  Exec(**db,
       "INSERT INTO federation_events(card_id, platform, action, status, created_at) VALUES "
       "(1, 'hub', 'push', 'ok', " +
           now + "), (2, 'hub', 'conflict', 'conflict', " + now + ")");

  ASSERT_TRUE(ApplyMigrations(**db).ok());

  EXPECT_EQ(One(**db, "SELECT count(*) FROM federation_sync WHERE platform = 'archive'"), "4");
  EXPECT_EQ(One(**db, "SELECT count(*) FROM federation_sync WHERE platform = 'hub'"), "0");
  EXPECT_EQ(One(**db,
                "SELECT group_concat(card_id || ':' || status || ':' || platform_id, ' ') FROM "
                "(SELECT * FROM federation_sync WHERE platform = 'archive' ORDER BY card_id)"),
            "1:synced:http://b.example:7102/ap/cards/1 2:conflict:http://b.example:7102/ap/cards/2 "
            "3:remote_deleted:http://b.example:7102/ap/cards/3 4:synced:http://b.example:7102/ap/cards/9");
  EXPECT_EQ(One(**db, "SELECT remote_base_json FROM federation_sync WHERE platform = 'archive' AND card_id = 1"), "{}");
  EXPECT_EQ(One(**db, "SELECT count(*) FROM federation_sync WHERE platform = 'sillytavern'"), "1");
  EXPECT_EQ(One(**db, "SELECT platform FROM jobs"), "archive");
  EXPECT_EQ(One(**db, "SELECT group_concat(platform) FROM federation_events"), "archive,archive");
  EXPECT_EQ(One(**db, "SELECT source FROM cards WHERE id = 4"), "archive");

  auto archive = federation_repository::GetPlatform(**db, "archive");
  ASSERT_TRUE(archive.ok()) << archive.status().ToString();
  EXPECT_EQ(archive->display_name, "Character Archive (ActivityPub)");
  EXPECT_EQ(archive->base_url, "http://b.example:7102");
  EXPECT_TRUE(archive->enabled);
  EXPECT_EQ(archive->api_key_sealed, "sealed-text");
  EXPECT_EQ(archive->username, "archive");
  EXPECT_EQ(archive->options_json, "{\"poll_minutes\":5}");
  EXPECT_TRUE(archive->last_connected_at.has_value());

  auto hub = federation_repository::GetPlatform(**db, "hub");
  ASSERT_TRUE(hub.ok());
  EXPECT_EQ(hub->display_name, "CardsHub");
  EXPECT_EQ(hub->base_url, "");
  EXPECT_FALSE(hub->enabled);
  EXPECT_FALSE(hub->api_key_sealed.has_value());
  EXPECT_EQ(hub->auth_kind, AuthKind::kLogin);
  EXPECT_EQ(One(**db, "SELECT count(*) FROM pragma_foreign_key_check"), "0");
  EXPECT_EQ(One(**db, "PRAGMA integrity_check"), "ok");
}

TEST(Migrations, TheAuthKindCheckTakesLoginAndStillRefusesOtherWords) {
  TempDir dir;
  auto db = Database::Open((dir.path() / "cards.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  // Another connection reads the changed schema too.
  auto other = Database::Open((dir.path() / "cards.db").string());
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE((*other)->Exec("UPDATE federation_platforms SET auth_kind = 'login' WHERE platform = 'architect'").ok());
  EXPECT_FALSE((*other)->Exec("UPDATE federation_platforms SET auth_kind = 'magic' WHERE platform = 'architect'").ok());
  EXPECT_EQ(One(**db, "SELECT group_concat(platform) FROM (SELECT platform FROM federation_platforms ORDER BY id)"),
            "architect,sillytavern,hub,archive");
}

// Migration 12 counts the cards an archive already holds; its triggers keep
// the count through later inserts and deletes.
TEST(Migrations, Migration12CountsExistingCards) {
  TempDir dir;
  auto db = Database::Open((dir.path() / "cards.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrationsUpTo(**db, 10).ok());
  Exec(**db,
       "INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, updated_at) "
       "VALUES (1, 'A', 'v2', 'png', 'h1', 'a.png', 1, 'now', 'now'), (2, 'B', 'v2', 'png', 'h2', 'b.png', 1, "
       "'now', 'now')");
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  EXPECT_EQ(One(**db, "SELECT cards FROM card_count"), "2");
  Exec(**db,
       "INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, updated_at) "
       "VALUES (3, 'C', 'v2', 'png', 'h3', 'c.png', 1, 'now', 'now')");
  Exec(**db, "DELETE FROM cards WHERE id IN (1, 2)");
  EXPECT_EQ(One(**db, "SELECT cards FROM card_count"), "1");
}

}  // namespace
}  // namespace charchive
