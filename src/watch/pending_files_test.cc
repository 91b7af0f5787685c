#include "watch/pending_files.h"

#include <gtest/gtest.h>

namespace charchive::watch {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class PendingFilesTest : public ::testing::Test {
 protected:
  PendingFiles pending_{milliseconds(200), seconds(10)};
  const Clock::TimePoint t0_ = Clock::TimePoint() + seconds(1000);
};

TEST_F(PendingFilesTest, ACompleteFileIsReadyOnceItHasSettled) {
  pending_.Note({"/w/a.png", FileSignal::kComplete}, t0_);
  EXPECT_FALSE(pending_.AnyReady(t0_ + milliseconds(199)));
  EXPECT_TRUE(pending_.TakeReady(t0_ + milliseconds(199), 10).empty());
  EXPECT_EQ(pending_.TakeReady(t0_ + milliseconds(200), 10), std::vector<std::string>{"/w/a.png"});
  EXPECT_EQ(pending_.counts().settling + pending_.counts().writing, 0u);
}

TEST_F(PendingFilesTest, EachEventPushesTheFileBack) {
  pending_.Note({"/w/a.png", FileSignal::kComplete}, t0_);
  pending_.Note({"/w/a.png", FileSignal::kComplete}, t0_ + milliseconds(150));
  EXPECT_TRUE(pending_.TakeReady(t0_ + milliseconds(300), 10).empty());
  EXPECT_EQ(pending_.TakeReady(t0_ + milliseconds(350), 10).size(), 1u);
}

TEST_F(PendingFilesTest, AFileBeingWrittenWaitsForItsClose) {
  pending_.Note({"/w/a.png", FileSignal::kWriting}, t0_);
  EXPECT_TRUE(pending_.TakeReady(t0_ + seconds(5), 10).empty());
  pending_.Note({"/w/a.png", FileSignal::kComplete}, t0_ + seconds(5));
  EXPECT_EQ(pending_.TakeReady(t0_ + seconds(5) + milliseconds(200), 10).size(), 1u);
}

TEST_F(PendingFilesTest, AFileReopenedForWritingIsNotReadAtItsFirstClose) {
  pending_.Note({"/w/a.png", FileSignal::kComplete}, t0_);
  EXPECT_EQ(pending_.counts().settling, 1u);
  pending_.Note({"/w/a.png", FileSignal::kWriting}, t0_ + milliseconds(100));
  EXPECT_EQ(pending_.counts().writing, 1u);
  EXPECT_EQ(pending_.counts().settling, 0u);
  EXPECT_TRUE(pending_.TakeReady(t0_ + seconds(2), 10).empty());
}

TEST_F(PendingFilesTest, AFileOnlySeenBeingWrittenIsTakenAfterTheQuietPeriod) {
  pending_.Note({"/w/link.png", FileSignal::kWriting}, t0_);
  EXPECT_TRUE(pending_.TakeReady(t0_ + seconds(10) - milliseconds(1), 10).empty());
  EXPECT_EQ(pending_.TakeReady(t0_ + seconds(10), 10).size(), 1u);
}

TEST_F(PendingFilesTest, AFileGoneIsForgotten) {
  pending_.Note({"/w/a.png", FileSignal::kComplete}, t0_);
  pending_.Note({"/w/a.png", FileSignal::kGone}, t0_ + milliseconds(10));
  EXPECT_EQ(pending_.counts().settling + pending_.counts().writing, 0u);
  EXPECT_TRUE(pending_.TakeReady(t0_ + seconds(60), 10).empty());
}

TEST_F(PendingFilesTest, TakesAtMostMaxInPathOrderAndLeavesTheRest) {
  for (const char* p : {"/w/c.png", "/w/a.png", "/w/b.png"}) pending_.Note({p, FileSignal::kComplete}, t0_);
  EXPECT_EQ(pending_.TakeReady(t0_ + seconds(1), 2), (std::vector<std::string>{"/w/a.png", "/w/b.png"}));
  EXPECT_TRUE(pending_.AnyReady(t0_ + seconds(1)));
  EXPECT_EQ(pending_.TakeReady(t0_ + seconds(1), 2), std::vector<std::string>{"/w/c.png"});
}

TEST_F(PendingFilesTest, ARescanIsNoFile) {
  pending_.Note({"", FileSignal::kRescan}, t0_);
  EXPECT_EQ(pending_.counts().settling + pending_.counts().writing, 0u);
}

}  // namespace
}  // namespace charchive::watch
