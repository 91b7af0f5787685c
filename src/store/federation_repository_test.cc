#include "store/federation_repository.h"

#include <gtest/gtest.h>

#include "store/archive.h"
#include "store/migrations.h"
#include "testing/test_cards.h"

namespace charchive::federation_repository {
namespace {

using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

class FederationRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    card_ = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Ada")), "a.png").id;
  }
  std::optional<std::string> Base() {
    auto db = std::move(archive_->pool().Acquire()).value();
    auto base = RemoteBase(*db, card_, "sillytavern");
    EXPECT_TRUE(base.ok()) << base.status().ToString();
    return base.ok() ? *base : std::nullopt;
  }
  void Record(const SyncSuccess& success) {
    auto db = std::move(archive_->pool().Acquire()).value();
    ASSERT_TRUE(RecordSuccess(*db, card_, "sillytavern", success).ok());
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  CardId card_ = 0;
};

TEST_F(FederationRepositoryTest, RemoteBaseIsThePeerCopyOfTheLastSuccess) {
  EXPECT_EQ(Base(), std::nullopt);  // never synced
  Record({.platform_id = "Ada", .local_hash = "l1", .remote_hash = "r1", .remote_base_json = R"({"name":"Ada"})"});
  EXPECT_EQ(Base(), R"({"name":"Ada"})");
  {  // a failure keeps the base of the last success
    auto db = std::move(archive_->pool().Acquire()).value();
    ASSERT_TRUE(RecordFailure(*db, card_, "sillytavern", SyncState::kConflict, "both changed").ok());
  }
  EXPECT_EQ(Base(), R"({"name":"Ada"})");
  // An exchange that did not read the peer's copy back clears it.
  Record({.platform_id = "Ada", .local_hash = "l2", .status = SyncState::kError, .error_message = "read-back failed"});
  EXPECT_EQ(Base(), std::nullopt);
}

TEST(FederationRepositoryMigration, Migration8KeepsLinksWithoutARemoteBase) {
  TempDir dir;
  auto db = Database::Open((dir.path() / "cards.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrationsUpTo(**db, 6).ok());
  ASSERT_TRUE((*db)
                  ->Exec("INSERT INTO cards(id, name, spec, format, content_hash, file_name, file_size, created_at, "
                         "updated_at) VALUES (3, 'Old', 'v2', 'json', 'h', 'f.json', 1, 'now', 'now');"
                         "INSERT INTO federation_sync(card_id, platform, platform_id, local_hash, remote_hash, "
                         "status, created_at, updated_at) VALUES (3, 'architect', 'u-1', 'h', 'h', 'synced', "
                         "'now', 'now')")
                  .ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  auto state = GetSync(**db, 3, "architect");
  ASSERT_TRUE(state.ok() && *state);
  EXPECT_EQ((*state)->remote_hash, "h");
  auto base = RemoteBase(**db, 3, "architect");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(*base, std::nullopt);
}

}  // namespace
}  // namespace charchive::federation_repository
