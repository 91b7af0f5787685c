#include "watch/inotify_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "testing/test_cards.h"
#include "watch/errors.h"

namespace charchive::watch {
namespace {

namespace fs = std::filesystem;
using charchive::testing::TempDir;

void Write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

class InotifyTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.File("watched");
    fs::create_directories(root_ + "/sub");
    Write(root_ + "/before.png", "x");
    Write(root_ + "/sub/deep.json", "{}");
    tree_ = std::move(InotifyTree::Create()).value();
    ASSERT_TRUE(tree_->Add(root_, found_).ok());
  }

  // Reads events (each Read blocks in poll until the kernel has some) until
  // one for `path` with `signal` arrives; false after 10 s without it.
  bool AwaitEvent(const std::string& path, FileSignal signal) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      auto events = tree_->Read(std::chrono::milliseconds(500));
      if (!events.ok()) return false;
      for (const auto& e : *events) {
        seen_.push_back(e);
        if (e.path == path && e.signal == signal) return true;
      }
    }
    return false;
  }
  bool Saw(const std::string& path, FileSignal signal) const {
    return std::any_of(seen_.begin(), seen_.end(),
                       [&](const FileEvent& e) { return e.path == path && e.signal == signal; });
  }

  TempDir dir_;
  std::string root_;
  std::unique_ptr<InotifyTree> tree_;
  std::vector<std::string> found_;
  std::vector<FileEvent> seen_;
};

TEST_F(InotifyTreeTest, AddListsTheFilesOfTheWholeTreeAndWatchesEveryFolder) {
  std::sort(found_.begin(), found_.end());
  EXPECT_EQ(found_, (std::vector<std::string>{root_ + "/before.png", root_ + "/sub/deep.json"}));
  EXPECT_EQ(tree_->watched_folders(), 2u);
}

TEST_F(InotifyTreeTest, AFileWrittenIsWritingThenCompleteAtItsClose) {
  {
    std::ofstream out(root_ + "/sub/new.png", std::ios::binary);
    out << "part one";
    out.flush();
    ASSERT_TRUE(AwaitEvent(root_ + "/sub/new.png", FileSignal::kWriting));
    EXPECT_FALSE(Saw(root_ + "/sub/new.png", FileSignal::kComplete));
    out << "part two";
  }
  EXPECT_TRUE(AwaitEvent(root_ + "/sub/new.png", FileSignal::kComplete));
}

TEST_F(InotifyTreeTest, AFileMovedInIsCompleteAndOneDeletedIsGone) {
  Write(dir_.File("outside.png"), "x");
  fs::rename(dir_.File("outside.png"), root_ + "/moved.png");
  EXPECT_TRUE(AwaitEvent(root_ + "/moved.png", FileSignal::kComplete));
  fs::remove(root_ + "/before.png");
  EXPECT_TRUE(AwaitEvent(root_ + "/before.png", FileSignal::kGone));
}

TEST_F(InotifyTreeTest, AFolderMovedInIsWatchedAndItsFilesAreFound) {
  fs::create_directories(dir_.File("incoming/inner"));
  Write(dir_.File("incoming/inner/a.png"), "x");
  fs::rename(dir_.File("incoming"), root_ + "/incoming");
  ASSERT_TRUE(AwaitEvent(root_ + "/incoming/inner/a.png", FileSignal::kComplete));
  EXPECT_EQ(tree_->watched_folders(), 4u);
  Write(root_ + "/incoming/inner/b.png", "y");  // the new folder's own watch reports this one
  EXPECT_TRUE(AwaitEvent(root_ + "/incoming/inner/b.png", FileSignal::kComplete));
}

TEST_F(InotifyTreeTest, AFolderMadeInsideIsWatched) {
  fs::create_directories(root_ + "/made");
  Write(root_ + "/made/c.json", "{}");
  EXPECT_TRUE(AwaitEvent(root_ + "/made/c.json", FileSignal::kComplete));
}

TEST_F(InotifyTreeTest, AFolderMovedAwayIsNoLongerWatched) {
  fs::rename(root_ + "/sub", dir_.File("away"));
  Write(root_ + "/marker.png", "x");
  ASSERT_TRUE(AwaitEvent(root_ + "/marker.png", FileSignal::kComplete));
  EXPECT_EQ(tree_->watched_folders(), 1u);
}

TEST_F(InotifyTreeTest, RemoveStopsTheTreesEvents) {
  std::vector<std::string> found;
  fs::create_directories(dir_.File("other"));
  ASSERT_TRUE(tree_->Add(dir_.File("other"), found).ok());
  tree_->Remove(root_);
  EXPECT_EQ(tree_->watched_folders(), 1u);
  Write(root_ + "/ignored.png", "x");
  Write(dir_.File("other/seen.png"), "x");
  ASSERT_TRUE(AwaitEvent(dir_.File("other/seen.png"), FileSignal::kComplete));
  EXPECT_FALSE(Saw(root_ + "/ignored.png", FileSignal::kComplete));
}

TEST_F(InotifyTreeTest, AMissingFolderCannotBeAdded) {
  std::vector<std::string> found;
  Status added = tree_->Add(dir_.File("nope"), found);
  EXPECT_EQ(added.kind(), watch_error::kUnreadable);
}

TEST_F(InotifyTreeTest, WakeEndsARead) {
  tree_->Wake();
  auto started = std::chrono::steady_clock::now();
  auto events = tree_->Read(std::chrono::seconds(30));
  ASSERT_TRUE(events.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace charchive::watch
