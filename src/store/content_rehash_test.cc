#include "store/content_rehash.h"

#include <gtest/gtest.h>

#include "card/card_convert.h"
#include "card/content_hash.h"
#include "store/migrations.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeV2Card;
using testing::TempDir;

std::string V3Json(const std::string& name, const std::string& description) {
  Json doc = MakeV2Card(name, description);
  doc["spec"] = "chara_card_v3";
  doc["spec_version"] = "3.0";
  // Values the new projection reads as defaults.
  doc["data"]["nickname"] = "";
  doc["data"]["extensions"]["depth_prompt"] = {{"prompt", "Whisper."}, {"depth", 4}};
  return DumpJson(doc);
}

std::string HashOf(const std::string& json) { return ContentHash(*Card::FromJson(json)); }

std::string One(Database& db, const std::string& sql) {
  auto q = db.Prepare(sql);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  auto row = q->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return q->IsNull(0) ? "NULL" : q->Text(0);
}

void Exec(Database& db, const std::string& sql) { ASSERT_TRUE(db.Exec(sql).ok()) << sql; }

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A schema-5 database whose stored hashes came from the previous projection
// (here: stand-in strings), with a card, an older version, and links of every
// kind: one in step with the card, one with the older version, one with a peer
// copy the archive never held.
TEST(ContentRehash, Migration6RehashesCardsVersionsAndLinks) {
  TempDir dir;
  auto db = Database::Open((dir.path() / "cards.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrationsUpTo(**db, 5).ok());
  const std::string now = "'2026-12-01T00:00:00.000Z'";
  std::string current = V3Json("Rehash", "Now."), older = V3Json("Rehash", "Before.");
  Exec(**db,
       "INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, updated_at) "
       "VALUES (7, 'Rehash', 'v3', 'json', 'old-current', 'f.json', 1, " +
           now + ", " + now + ")");
  Exec(**db, "INSERT INTO card_json(card_id, raw_json) VALUES (7, " + Quoted(current) + ")");
  Exec(**db,
       "INSERT INTO card_versions(id, card_id, raw_json, content_hash, reason, created_at) VALUES "
       "(1, 7, " +
           Quoted(older) + ", 'old-older', 'import', " + now +
           "), "
           "(2, 7, NULL, 'old-current', 'pull', " +
           now + ")");
  Exec(**db,
       "INSERT INTO federation_sync(card_id, platform, platform_id, local_hash, remote_hash, base_version_id, "
       "status, created_at, updated_at) VALUES "
       "(7, 'sillytavern', 'a.png', 'old-current', 'old-current', 2, 'synced', " +
           now + ", " + now +
           "), "
           "(7, 'hub', 'h1', 'old-current', 'old-older', 2, 'synced', " +
           now + ", " + now +
           "), "
           "(7, 'architect', 'u-1', 'old-current', 'peer-only', 2, 'synced', " +
           now + ", " + now + ")");
  Exec(**db,
       "INSERT INTO source_cards(source, source_id, card_id, content_hash, local_hash, synced_at) VALUES "
       "('chub', 'x/y', 7, 'old-current', 'old-current', " +
           now + ")");
  Exec(**db,
       "INSERT INTO hub_publications(card_id, activity, content_hash, first_published_at, updated_at) VALUES "
       "(7, 'Create', 'old-current', " +
           now + ", " + now + ")");

  ASSERT_TRUE(ApplyMigrationsUpTo(**db, 6).ok());
  EXPECT_EQ(One(**db, "SELECT max(version) FROM schema_migrations"), "6");
  const std::string h_current = HashOf(current), h_older = HashOf(older);
  ASSERT_NE(h_current, h_older);
  EXPECT_EQ(One(**db, "SELECT content_hash FROM cards WHERE id = 7"), h_current);
  EXPECT_EQ(One(**db, "SELECT content_hash FROM card_versions WHERE id = 1"), h_older);
  EXPECT_EQ(One(**db, "SELECT content_hash FROM card_versions WHERE id = 2"), h_current);
  // In step before, in step after: no false change.
  EXPECT_EQ(One(**db, "SELECT local_hash || ' ' || remote_hash FROM federation_sync WHERE platform = 'sillytavern'"),
            h_current + " " + h_current);
  EXPECT_EQ(One(**db, "SELECT local_hash || ' ' || remote_hash FROM federation_sync WHERE platform = 'hub'"),
            h_current + " " + h_older);
  EXPECT_EQ(One(**db, "SELECT local_hash || ' ' || remote_hash FROM federation_sync WHERE platform = 'architect'"),
            h_current + " peer-only");
  EXPECT_EQ(One(**db, "SELECT content_hash || ' ' || local_hash FROM source_cards"), h_current + " " + h_current);
  EXPECT_EQ(One(**db, "SELECT content_hash FROM hub_publications WHERE card_id = 7"), h_current);
}

TEST(ContentRehash, RunsAgainWithoutChangingAnything) {
  TempDir dir;
  auto db = Database::Open((dir.path() / "cards.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  std::string json = V3Json("Again", "Same.");
  Exec(**db,
       "INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, updated_at) "
       "VALUES (1, 'Again', 'v3', 'json', " +
           Quoted(HashOf(json)) + ", 'f.json', 1, 'now', 'now')");
  Exec(**db, "INSERT INTO card_json(card_id, raw_json) VALUES (1, " + Quoted(json) + ")");
  std::string writes = One(**db, "SELECT total_changes()");
  ASSERT_TRUE(RehashContent(**db).ok());
  EXPECT_EQ(One(**db, "SELECT total_changes()"), writes);
  EXPECT_EQ(One(**db, "SELECT content_hash FROM cards WHERE id = 1"), HashOf(json));
}

}  // namespace
}  // namespace charchive
