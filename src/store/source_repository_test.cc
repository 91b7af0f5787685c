#include "store/source_repository.h"

#include <gtest/gtest.h>

#include "store/archive.h"
#include "testing/test_cards.h"

namespace charchive::source_repository {
namespace {

using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

class SourceRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    lease_.emplace(std::move(archive_->pool().Acquire()).value());
  }
  CardId Import(const std::string& name) {
    return *archive_->ImportBytes(MakeCardPng(MakeV2Card(name)), name + ".png").id;
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::optional<ConnectionPool::Lease> lease_;
  Database& db() { return **lease_; }
};

TEST_F(SourceRepositoryTest, MigrationSeedsBothSourcesWithPoliteDefaults) {
  auto sources = ListSources(db());
  ASSERT_TRUE(sources.ok());
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_EQ((*sources)[0].source, "chub");
  EXPECT_EQ((*sources)[0].base_url, "https://gateway.chub.ai");
  EXPECT_EQ((*sources)[0].request_interval_ms, 1000);
  EXPECT_FALSE((*sources)[0].enabled);
  EXPECT_EQ((*sources)[1].source, "ct");
  EXPECT_EQ(GetSource(db(), "risu").status().kind(), "unknown_source");
}

TEST_F(SourceRepositoryTest, DeletingACardMovesItsSourceStateToTheBlockList) {
  CardId kept = Import("Kept");
  CardId gone = Import("Gone");
  ASSERT_TRUE(
      PutCardState(db(),
                   {.source = "chub", .source_id = "a/kept", .card_id = kept, .content_hash = "r", .local_hash = "l"})
          .ok());
  ASSERT_TRUE(
      PutCardState(db(),
                   {.source = "chub", .source_id = "a/gone", .card_id = gone, .content_hash = "r", .local_hash = "l"})
          .ok());
  ASSERT_TRUE(archive_->Delete(gone).ok());
  EXPECT_FALSE(GetCardState(db(), "chub", "a/gone")->has_value());
  EXPECT_TRUE(GetCardState(db(), "chub", "a/kept")->has_value());
  EXPECT_TRUE(*IsBlocked(db(), "chub", "a/gone"));
  EXPECT_FALSE(*IsBlocked(db(), "chub", "a/kept"));
  EXPECT_FALSE(*IsBlocked(db(), "ct", "a/gone"));
  auto blocks = ListBlocks(db(), "");
  ASSERT_EQ(blocks->size(), 1u);
  EXPECT_EQ(blocks->front().card_name, "Gone");
  EXPECT_TRUE(Unblock(db(), "chub", "a/gone").ok());
  EXPECT_EQ(Unblock(db(), "chub", "a/gone").kind(), "not_blocked");
  // A card that came from no source leaves nothing behind.
  ASSERT_TRUE(archive_->Delete(Import("Local")).ok());
  EXPECT_TRUE(ListBlocks(db(), "")->empty());
}

TEST_F(SourceRepositoryTest, NewFiltersResetTheCursors) {
  ASSERT_TRUE(SetCursor(db(), "chub", R"({"all":"2026-01-01T00:00:00.000Z"})").ok());
  ASSERT_TRUE(UpdateSource(db(), "chub", {.interval_minutes = 30}).ok());
  EXPECT_NE(GetSource(db(), "chub")->cursor_json, "{}");
  EXPECT_TRUE(GetSource(db(), "chub")->last_run_at.has_value());
  ASSERT_TRUE(UpdateSource(db(), "chub", {.filters_json = R"({"tags":["x"]})"}).ok());
  EXPECT_EQ(GetSource(db(), "chub")->cursor_json, "{}");
  EXPECT_EQ(GetSource(db(), "chub")->interval_minutes, 30);
}

TEST_F(SourceRepositoryTest, OneActiveRunPerSourceAndStaleRunsFail) {
  auto queued = CreateRun(db(), "chub", false, "api", "queued");
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ((*ActiveRun(db(), "chub", 600))->id, *queued);
  EXPECT_FALSE(ActiveRun(db(), "ct", 600)->has_value());
  EXPECT_EQ((*NextQueuedRun(db()))->id, *queued);

  SourceRun run = *GetRun(db(), *queued);
  run.status = "running";
  run.new_cards = 3;
  ASSERT_TRUE(SaveRun(db(), run).ok());
  EXPECT_EQ(GetRun(db(), *queued)->new_cards, 3);
  EXPECT_FALSE(GetRun(db(), *queued)->finished_at.has_value());
  EXPECT_TRUE(ActiveRun(db(), "chub", 600)->has_value());
  EXPECT_FALSE(ActiveRun(db(), "chub", 0)->has_value());  // a running run not touched for 0 s is stale
  ASSERT_TRUE(FailStaleRuns(db(), 0).ok());
  EXPECT_EQ(GetRun(db(), *queued)->status, "failed");
  EXPECT_TRUE(GetRun(db(), *queued)->finished_at.has_value());
  EXPECT_EQ(GetRun(db(), 999).status().kind(), "run_not_found");
}

}  // namespace
}  // namespace charchive::source_repository
