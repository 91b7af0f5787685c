#include "store/hub_repository.h"

#include <gtest/gtest.h>

#include <set>

#include "store/archive.h"
#include "testing/test_cards.h"

namespace charchive::hub_repository {
namespace {

using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

class HubRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    a_ = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Ada")), "a.png").id;
    b_ = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Bo")), "b.png").id;
  }
  // (card, activity, seq) of what a refresh changed.
  std::vector<std::tuple<CardId, std::string, int64_t>> Refresh(bool publish_all) {
    auto db = std::move(archive_->pool().Acquire()).value();
    auto changed = RefreshPublications(*db, publish_all);
    EXPECT_TRUE(changed.ok()) << changed.status().ToString();
    std::vector<std::tuple<CardId, std::string, int64_t>> out;
    for (const auto& p : *changed) out.emplace_back(p.card_id, p.activity, p.seq);
    return out;
  }
  void Publish(CardId id, bool published) {
    auto db = std::move(archive_->pool().Acquire()).value();
    ASSERT_TRUE(SetPublished(*db, id, published).ok());
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  CardId a_ = 0, b_ = 0;
};

using Changes = std::vector<std::tuple<CardId, std::string, int64_t>>;

TEST_F(HubRepositoryTest, CreateUpdateDeleteFollowTheCards) {
  EXPECT_TRUE(Refresh(false).empty());  // nothing published
  Publish(a_, true);
  EXPECT_EQ(Refresh(false), (Changes{{a_, "Create", 1}}));
  EXPECT_TRUE(Refresh(false).empty());  // unchanged: nothing new
  ASSERT_TRUE(archive_->UpdateData(a_, Json{{"description", "changed"}}).ok());
  EXPECT_EQ(Refresh(false), (Changes{{a_, "Update", 2}}));
  Publish(a_, false);
  EXPECT_EQ(Refresh(false), (Changes{{a_, "Delete", 3}}));
  Publish(a_, true);
  EXPECT_EQ(Refresh(false), (Changes{{a_, "Create", 4}}));
  ASSERT_TRUE(archive_->Delete(a_).ok());
  EXPECT_EQ(Refresh(false), (Changes{{a_, "Delete", 5}}));
  EXPECT_TRUE(Refresh(false).empty());
}

// The mark moves with every change a refresh could act on. A card deleted
// from the trash once left the mark as it was: it had already left the count,
// and the newest updated_at was another card's.
TEST_F(HubRepositoryTest, TheChangeMarkMovesWithEveryChangeToTheCards) {
  std::set<std::string> seen;
  auto moved = [&] {
    auto db = std::move(archive_->pool().Acquire()).value();
    auto mark = ChangeMark(*db);
    return mark.ok() && seen.insert(*mark).second;
  };
  EXPECT_TRUE(moved());
  EXPECT_FALSE(moved());  // nothing changed
  ASSERT_TRUE(archive_->UpdateData(b_, Json{{"description", "changed"}}).ok());
  EXPECT_TRUE(moved());
  ASSERT_TRUE(archive_->Trash(b_).ok());
  EXPECT_TRUE(moved());
  ASSERT_TRUE(archive_->RestoreFromTrash(b_).ok());
  EXPECT_TRUE(moved());
  ASSERT_TRUE(archive_->Trash(a_).ok());
  EXPECT_TRUE(moved());
  auto emptied = archive_->EmptyTrash();
  ASSERT_TRUE(emptied.ok() && *emptied == 1);
  EXPECT_TRUE(moved());
  ASSERT_TRUE(archive_->ImportBytes(MakeCardPng(MakeV2Card("Cy")), "c.png").id.has_value());
  EXPECT_TRUE(moved());
  Publish(b_, true);
  EXPECT_TRUE(moved());
  EXPECT_FALSE(moved());
}

TEST_F(HubRepositoryTest, PublishAllSharesEveryCardUntilTurnedOff) {
  auto all = Refresh(true);
  EXPECT_EQ(all.size(), 2u);
  Publish(b_, true);  // chosen explicitly: stays shared without publish_all
  EXPECT_EQ(Refresh(false), (Changes{{a_, "Delete", 2}}));
  auto db = std::move(archive_->pool().Acquire()).value();
  EXPECT_EQ(*CountPublications(*db, std::nullopt), 1);
  auto listed = ListPublications(*db, std::nullopt, 10, 0);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].card_id, b_);
  // With `since`, Deletes are listed too.
  EXPECT_EQ(ListPublications(*db, "2000-01-01T00:00:00Z", 10, 0)->size(), 2u);
  EXPECT_EQ(ListPublications(*db, "2999-01-01T00:00:00Z", 10, 0)->size(), 0u);
}

TEST_F(HubRepositoryTest, NotificationsCountOnlyForSharedCards) {
  Publish(a_, true);
  Refresh(false);
  auto db = std::move(archive_->pool().Acquire()).value();
  EXPECT_TRUE(*CountNotification(*db, a_, "Install"));
  EXPECT_TRUE(*CountNotification(*db, a_, "Fork"));
  EXPECT_FALSE(*CountNotification(*db, b_, "Install"));
  auto row = *GetPublication(*db, a_);
  EXPECT_EQ(row->installs, 1);
  EXPECT_EQ(row->forks, 1);
}

TEST_F(HubRepositoryTest, ASignatureIsAcceptedOnce) {
  auto db = std::move(archive_->pool().Acquire()).value();
  EXPECT_TRUE(*RememberSignature(*db, "sig", 1000, 660));
  EXPECT_FALSE(*RememberSignature(*db, "sig", 1001, 660));
  // Forgotten once older than the window (its Date would be refused anyway).
  EXPECT_TRUE(*RememberSignature(*db, "sig", 2000, 660));
}

TEST_F(HubRepositoryTest, DeliveriesRetryThenFail) {
  auto db = std::move(archive_->pool().Acquire()).value();
  ASSERT_TRUE(EnqueueDelivery(*db, "https://b/inbox", "{}").ok());
  auto due = *DueDeliveries(*db, 0, 10);
  ASSERT_EQ(due.size(), 1u);
  ASSERT_TRUE(MarkAttemptFailed(*db, due[0].id, "HTTP 503", 100).ok());
  EXPECT_TRUE(DueDeliveries(*db, 99, 10)->empty());
  EXPECT_EQ(DueDeliveries(*db, 100, 10)->size(), 1u);
  ASSERT_TRUE(MarkAttemptFailed(*db, due[0].id, "HTTP 400", std::nullopt).ok());
  EXPECT_TRUE(DueDeliveries(*db, 1000, 10)->empty());
  auto counts = *DeliveryCounts(*db);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0], (std::pair<std::string, int64_t>{"failed", 1}));
}

TEST_F(HubRepositoryTest, SuggestionsAreOnePerCardAndActorAndGoWithTheCard) {
  {
    auto db = std::move(archive_->pool().Acquire()).value();
    ASSERT_TRUE(PutSuggestion(*db, {0, a_, "https://x/actor", "x-1", R"({"v":1})", "2026-12-01T00:00:01Z"}).ok());
    ASSERT_TRUE(PutSuggestion(*db, {0, a_, "https://y/actor", "y-1", R"({"v":2})", "2026-12-01T00:00:02Z"}).ok());
    ASSERT_TRUE(PutSuggestion(*db, {0, b_, "https://x/actor", "x-2", R"({"v":3})", "2026-12-01T00:00:03Z"}).ok());
    // x's newer suggestion for a replaces its first.
    ASSERT_TRUE(PutSuggestion(*db, {0, a_, "https://x/actor", "x-3", R"({"v":4})", "2026-12-01T00:00:04Z"}).ok());
    auto all = *ListSuggestions(*db, std::nullopt);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].activity_id, "x-3");  // newest first
    EXPECT_EQ(all[0].content_json, R"({"v":4})");
    auto of_a = *ListSuggestions(*db, a_);
    ASSERT_EQ(of_a.size(), 2u);
    EXPECT_TRUE(*RemoveSuggestion(*db, of_a[1].id));
    EXPECT_FALSE(*RemoveSuggestion(*db, of_a[1].id));
    EXPECT_EQ(ListSuggestions(*db, a_)->size(), 1u);
  }
  ASSERT_TRUE(archive_->Delete(a_).ok());
  auto db = std::move(archive_->pool().Acquire()).value();
  auto left = *ListSuggestions(*db, std::nullopt);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].card_id, b_);
}

}  // namespace
}  // namespace charchive::hub_repository
