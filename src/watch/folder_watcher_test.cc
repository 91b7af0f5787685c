#include "watch/folder_watcher.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>

#include "store/watch_repository.h"
#include "testing/manual_clock.h"
#include "testing/test_cards.h"
#include "watch/errors.h"

namespace charchive::watch {
namespace {

namespace fs = std::filesystem;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;
using charchive::testing::ManualClock;
using charchive::testing::TempDir;
using std::chrono::milliseconds;

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// What the watcher reported, with waits on its arrival (no sleeping).
class EventLog {
 public:
  void Add(const Json& event) {
    std::lock_guard lock(mu_);
    events_.push_back(event);
    cv_.notify_all();
  }
  // The next event, or null after 20 s without one.
  Json Next() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(20), [&] { return !events_.empty(); })) return nullptr;
    Json e = events_.front();
    events_.pop_front();
    return e;
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return events_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Json> events_;
};

class FolderWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.File("cards");
    fs::create_directories(folder_);
    archive_ = std::move(Archive::Open(dir_.File("data"))).value();
  }
  void TearDown() override {
    if (watcher_) watcher_->Stop();
  }

  void StartWatcher(size_t max_files_per_pass = 2000) {
    WatchOptions options{.command_line_folders = {folder_},
                         .settle = milliseconds(200),
                         .quiet = std::chrono::seconds(10),
                         .period = milliseconds(50),
                         .max_files_per_pass = max_files_per_pass,
                         .on_event = [this](const Json& e) { events_.Add(e); }};
    watcher_ = std::make_unique<FolderWatcher>(*archive_, clock_, options);
    ASSERT_TRUE(watcher_->Start().ok());
  }

  // Waits (polling a condition, bounded) until exactly `count` files are
  // complete and settling and none is being written.
  void AwaitSettling(size_t count) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto reached = [&] {
      auto p = watcher_->pending();
      return p.settling == count && p.writing == 0;
    };
    while (!reached() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    ASSERT_TRUE(reached()) << "settling " << watcher_->pending().settling << ", writing " << watcher_->pending().writing
                           << ", wanted " << count;
  }
  // Once `count` files settle, moves the clock past their settling time.
  void SettleAfter(size_t count) {
    AwaitSettling(count);
    clock_.Advance(milliseconds(250));
  }

  // Writes a card file (once nothing else is pending) and returns the watcher's report of it.
  Json Arrive(const std::string& name, const std::string& bytes) {
    AwaitSettling(0);
    Write(folder_ + "/" + name, bytes);
    SettleAfter(1);
    return events_.Next();
  }

  int64_t CardCount() { return static_cast<int64_t>((*archive_->CardIds()).size()); }

  TempDir dir_;
  std::string folder_;
  std::unique_ptr<Archive> archive_;
  ManualClock clock_;
  EventLog events_;
  std::unique_ptr<FolderWatcher> watcher_;
};

TEST_F(FolderWatcherTest, ACardWrittenIsImportedOnlyAfterItSettles) {
  StartWatcher();
  Write(folder_ + "/alice.png", MakeCardPng(MakeV2Card("Alice")));
  AwaitSettling(1);
  // The worker has looked and found nothing settled yet.
  uint64_t waits = clock_.WaitsBegun();
  clock_.Advance(milliseconds(100));
  ASSERT_TRUE(clock_.AwaitWaitsBegun(waits + 1));
  EXPECT_EQ(CardCount(), 0);
  EXPECT_EQ(events_.size(), 0u);
  clock_.Advance(milliseconds(150));
  Json e = events_.Next();
  ASSERT_FALSE(e.is_null());
  EXPECT_EQ(e["type"], "watch");
  EXPECT_EQ(e["action"], "imported");
  EXPECT_EQ(e["path"], folder_ + "/alice.png");
  auto card = archive_->Get(e["cardId"].get<int64_t>());
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->name, "Alice");
  EXPECT_EQ((*archive_->Versions(card->id)).size(), 1u);
}

TEST_F(FolderWatcherTest, AChangedFileIsANewVersionOfItsCard) {
  StartWatcher();
  Json first = Arrive("bob.json", MakeV2Card("Bob", "first").dump());
  ASSERT_EQ(first["action"], "imported");
  Json second = Arrive("bob.json", MakeV2Card("Bob", "second").dump());
  ASSERT_EQ(second["action"], "updated");
  EXPECT_EQ(second["cardId"], first["cardId"]);
  EXPECT_EQ(CardCount(), 1);
  CardId id = first["cardId"].get<int64_t>();
  EXPECT_EQ((*archive_->Versions(id)).size(), 2u);
  EXPECT_NE(archive_->Get(id)->raw_json.find("second"), std::string::npos);
}

TEST_F(FolderWatcherTest, ADeletedFileDeletesNothing) {
  StartWatcher();
  Json e = Arrive("carol.png", MakeCardPng(MakeV2Card("Carol")));
  ASSERT_EQ(e["action"], "imported");
  fs::remove(folder_ + "/carol.png");
  // A later arrival shows the deletion has been read past.
  ASSERT_EQ(Arrive("dave.png", MakeCardPng(MakeV2Card("Dave")))["action"], "imported");
  EXPECT_EQ(CardCount(), 2);
  EXPECT_TRUE(archive_->Get(e["cardId"].get<int64_t>()).ok());
}

TEST_F(FolderWatcherTest, AFileThatIsNotACardIsReportedOnceEvenAcrossARestart) {
  StartWatcher();
  Json refused = Arrive("notes.png", "these are not a card");
  EXPECT_EQ(refused["action"], "refused");
  EXPECT_TRUE(refused["cardId"].is_null());
  EXPECT_FALSE(refused["kind"].get<std::string>().empty());
  ASSERT_EQ(Arrive("erin.png", MakeCardPng(MakeV2Card("Erin")))["action"], "imported");
  watcher_->Stop();
  StartWatcher();
  // The start scan noted both files; neither changed, so neither is read.
  SettleAfter(2);
  ASSERT_EQ(Arrive("frank.png", MakeCardPng(MakeV2Card("Frank")))["action"], "imported");
  EXPECT_EQ(events_.size(), 0u);
  auto recent = watcher_->Recent(10);
  ASSERT_TRUE(recent.ok());
  auto notes = std::find_if(recent->begin(), recent->end(),
                            [&](const WatchedFile& f) { return f.path == folder_ + "/notes.png"; });
  ASSERT_NE(notes, recent->end());
  EXPECT_EQ(notes->status, WatchFileStatus::kRefused);
}

TEST_F(FolderWatcherTest, FilesAddedOrChangedWhileStoppedAreImportedAtStart) {
  StartWatcher();
  Json kept = Arrive("gina.json", MakeV2Card("Gina", "before").dump());
  watcher_->Stop();
  Write(folder_ + "/gina.json", MakeV2Card("Gina", "changed while down, longer").dump());
  fs::create_directories(folder_ + "/later");
  Write(folder_ + "/later/hank.png", MakeCardPng(MakeV2Card("Hank")));
  StartWatcher();
  SettleAfter(2);
  std::map<std::string, Json> by_path;
  for (int i = 0; i < 2; ++i) {
    Json e = events_.Next();
    ASSERT_FALSE(e.is_null());
    by_path[e["path"]] = e;
  }
  EXPECT_EQ(by_path[folder_ + "/gina.json"]["action"], "updated");
  EXPECT_EQ(by_path[folder_ + "/gina.json"]["cardId"], kept["cardId"]);
  EXPECT_EQ(by_path[folder_ + "/later/hank.png"]["action"], "imported");
}

TEST_F(FolderWatcherTest, AFileMovedInIsImportedAndACopyOfACardIsMatchedToIt) {
  StartWatcher();
  Json first = Arrive("ivy.png", MakeCardPng(MakeV2Card("Ivy")));
  ASSERT_EQ(first["action"], "imported");
  Write(dir_.File("ivy-copy.png"), MakeCardPng(MakeV2Card("Ivy")));
  fs::create_directories(folder_ + "/sub");
  fs::rename(dir_.File("ivy-copy.png"), folder_ + "/sub/ivy-copy.png");
  SettleAfter(1);
  Json moved = events_.Next();
  EXPECT_EQ(moved["action"], "matched");
  EXPECT_EQ(moved["cardId"], first["cardId"]);
  EXPECT_EQ(CardCount(), 1);
  // A change to the copy is a version of the card it was matched to.
  Json changed = Arrive("sub/ivy-copy.png", MakeCardPng(MakeV2Card("Ivy", "edited in the folder")));
  EXPECT_EQ(changed["action"], "updated");
  EXPECT_EQ(changed["cardId"], first["cardId"]);
}

TEST_F(FolderWatcherTest, AFileWhoseCardWasDeletedComesBackOnlyWhenItChanges) {
  StartWatcher();
  Json first = Arrive("jo.json", MakeV2Card("Jo", "one").dump());
  ASSERT_TRUE(archive_->Delete(first["cardId"].get<int64_t>()).ok());
  watcher_->Stop();
  StartWatcher();
  SettleAfter(1);
  ASSERT_EQ(Arrive("kim.json", MakeV2Card("Kim").dump())["action"], "imported");
  EXPECT_EQ(CardCount(), 1);  // Jo's unchanged file did not bring it back
  Json again = Arrive("jo.json", MakeV2Card("Jo", "two, rewritten").dump());
  EXPECT_EQ(again["action"], "imported");
  EXPECT_NE(again["cardId"], first["cardId"]);
}

TEST_F(FolderWatcherTest, OtherAndHiddenFilesAreIgnored) {
  StartWatcher();
  Write(folder_ + "/readme.txt", "hello");
  Write(folder_ + "/.partial.png", MakeCardPng(MakeV2Card("Hidden")));
  ASSERT_EQ(Arrive("lee.png", MakeCardPng(MakeV2Card("Lee")))["action"], "imported");
  EXPECT_EQ(CardCount(), 1);
  EXPECT_EQ(events_.size(), 0u);
}

TEST_F(FolderWatcherTest, CheckFolderRefusesWhatCannotBeWatched) {
  const std::string data = dir_.File("data");
  EXPECT_EQ(FolderWatcher::CheckFolder("relative/dir", data).status().kind(), watch_error::kFolderNotAbsolute);
  EXPECT_EQ(FolderWatcher::CheckFolder(dir_.File("missing"), data).status().kind(), watch_error::kFolderMissing);
  Write(dir_.File("plain"), "x");
  EXPECT_EQ(FolderWatcher::CheckFolder(dir_.File("plain"), data).status().kind(), watch_error::kFolderNotDirectory);
  EXPECT_EQ(FolderWatcher::CheckFolder(data + "/files", data).status().kind(), watch_error::kFolderInData);
  EXPECT_EQ(FolderWatcher::CheckFolder(dir_.path().string(), data).status().kind(), watch_error::kFolderInData);
  EXPECT_EQ(*FolderWatcher::CheckFolder(folder_ + "/", data), folder_);
}

TEST_F(FolderWatcherTest, ABadCommandLineFolderStopsTheStart) {
  WatchOptions options{.command_line_folders = {dir_.File("missing")}};
  FolderWatcher watcher(*archive_, clock_, options);
  EXPECT_EQ(watcher.Start().kind(), watch_error::kFolderMissing);
}

TEST_F(FolderWatcherTest, KeptFoldersAreWatchedAndSurviveARestart) {
  const std::string other = dir_.File("other");
  fs::create_directories(other);
  Write(other + "/mo.png", MakeCardPng(MakeV2Card("Mo")));
  StartWatcher();
  auto bad = watcher_->SetFolders({other, dir_.File("missing")});
  EXPECT_EQ(bad.status().kind(), watch_error::kFolderMissing);
  EXPECT_EQ(watcher_->Folders().size(), 1u);  // nothing changed
  auto set = watcher_->SetFolders({other});
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->size(), 2u);
  EXPECT_EQ((*set)[1].path, other);
  EXPECT_EQ((*set)[1].origin, FolderOrigin::kSetting);
  EXPECT_TRUE((*set)[1].watching.ok());
  SettleAfter(1);  // the new folder was scanned
  EXPECT_EQ(events_.Next()["path"], other + "/mo.png");
  watcher_->Stop();
  StartWatcher();
  auto folders = watcher_->Folders();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_EQ(folders[1].path, other);
  SettleAfter(1);  // mo.png, found by the start scan, unchanged: read past in silence
  AwaitSettling(0);
  Write(other + "/ned.png", MakeCardPng(MakeV2Card("Ned")));
  SettleAfter(1);
  EXPECT_EQ(events_.Next()["path"], other + "/ned.png");
  ASSERT_TRUE(watcher_->SetFolders({}).ok());
  EXPECT_EQ(watcher_->Folders().size(), 1u);
}

TEST_F(FolderWatcherTest, ManyFilesAtOnceAreAllImportedInPasses) {
  StartWatcher(/*max_files_per_pass=*/64);
  constexpr int kFiles = 300;
  fs::create_directories(dir_.File("staging"));
  for (int i = 0; i < kFiles; ++i) {
    Write(dir_.File("staging/c" + std::to_string(i) + ".json"), MakeV2Card("Card " + std::to_string(i)).dump());
  }
  fs::rename(dir_.File("staging"), folder_ + "/bulk");
  SettleAfter(kFiles);
  for (int i = 0; i < kFiles; ++i) {
    Json e = events_.Next();
    ASSERT_FALSE(e.is_null()) << "after " << i;
    ASSERT_EQ(e["action"], "imported");
  }
  EXPECT_EQ(CardCount(), kFiles);
}

}  // namespace
}  // namespace charchive::watch
