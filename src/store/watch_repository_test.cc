#include "store/watch_repository.h"

#include <gtest/gtest.h>

#include "store/archive.h"
#include "testing/test_cards.h"

namespace charchive::watch_repository {
namespace {

using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

class WatchRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    lease_.emplace(std::move(archive_->pool().Acquire()).value());
  }
  Database& db() { return **lease_; }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::optional<ConnectionPool::Lease> lease_;
};

TEST_F(WatchRepositoryTest, FoldersAreReplacedAsAWhole) {
  EXPECT_TRUE(ListFolders(db())->empty());
  ASSERT_TRUE(ReplaceFolders(db(), {"/b", "/a", "/a"}).ok());
  EXPECT_EQ(*ListFolders(db()), (std::vector<std::string>{"/a", "/b"}));
  ASSERT_TRUE(ReplaceFolders(db(), {"/c"}).ok());
  EXPECT_EQ(*ListFolders(db()), std::vector<std::string>{"/c"});
}

TEST_F(WatchRepositoryTest, FilesRoundTripAndAreReplacedByPath) {
  CardId card = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Ann")), "ann.png").id;
  ASSERT_TRUE(PutFiles(db(), {WatchedFile{.path = "/w/ann.png", .card_id = card, .size = 10, .mtime_ns = 20},
                              WatchedFile{.path = "/w/bad.png",
                                          .size = 3,
                                          .mtime_ns = 4,
                                          .status = WatchFileStatus::kRefused,
                                          .message = "no card chunk"}})
                  .ok());
  auto rows = GetFiles(db(), {"/w/ann.png", "/w/bad.png", "/w/none.png"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const WatchedFile& ann = rows->at("/w/ann.png");
  EXPECT_EQ(ann.card_id, card);
  EXPECT_EQ(ann.size, 10);
  EXPECT_EQ(ann.mtime_ns, 20);
  EXPECT_EQ(ann.status, WatchFileStatus::kCard);
  EXPECT_FALSE(ann.seen_at.empty());
  const WatchedFile& bad = rows->at("/w/bad.png");
  EXPECT_FALSE(bad.card_id);
  EXPECT_EQ(bad.status, WatchFileStatus::kRefused);
  EXPECT_EQ(bad.message, "no card chunk");

  ASSERT_TRUE(PutFiles(db(), {WatchedFile{.path = "/w/ann.png", .card_id = card, .size = 11, .mtime_ns = 21}}).ok());
  EXPECT_EQ(GetFiles(db(), {"/w/ann.png"})->at("/w/ann.png").size, 11);
  EXPECT_EQ(RecentFiles(db(), 10)->size(), 2u);
  EXPECT_EQ(RecentFiles(db(), 1)->size(), 1u);
}

TEST_F(WatchRepositoryTest, DeletingTheCardLeavesTheFileWithoutOne) {
  CardId card = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Bea")), "bea.png").id;
  ASSERT_TRUE(PutFiles(db(), {WatchedFile{.path = "/w/bea.png", .card_id = card, .size = 1, .mtime_ns = 2}}).ok());
  ASSERT_TRUE(archive_->Delete(card).ok());
  auto rows = GetFiles(db(), {"/w/bea.png"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_FALSE(rows->at("/w/bea.png").card_id);
  EXPECT_EQ(rows->at("/w/bea.png").size, 1);
}

}  // namespace
}  // namespace charchive::watch_repository
