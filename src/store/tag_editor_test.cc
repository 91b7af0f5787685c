#include "store/tag_editor.h"

#include <gtest/gtest.h>

#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

class TagEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto archive = Archive::Open(dir_.path().string());
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    archive_ = std::move(archive).value();
  }

  CardId Import(const std::string& name, const std::vector<std::string>& tags) {
    Json card = MakeV2Card(name);
    card["data"]["tags"] = tags;
    ImportResult r = archive_->ImportBytes(MakeCardPng(card), name + ".png");
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return r.id.value_or(0);
  }

  std::vector<std::string> TagsOf(CardId id) {
    auto record = archive_->Get(id);
    EXPECT_TRUE(record.ok());
    return record.ok() ? record->tags : std::vector<std::string>();
  }

  int64_t Count(const std::string& tag) {
    auto tags = archive_->Tags();  // kept: a range over *Tags() would outlive the Result
    EXPECT_TRUE(tags.ok());
    if (!tags.ok()) return 0;
    for (const TagCount& t : *tags) {
      if (t.tag == tag) return t.count;
    }
    return 0;
  }

  size_t Versions(CardId id) { return archive_->Versions(id)->size(); }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(TagEditorTest, RenameKeepsTheOtherTagsAndMakesAVersion) {
  CardId a = Import("Alice", {"fantasy", "Elf", "quest"});
  CardId b = Import("Bob", {"scifi"});
  TagEditor editor(*archive_);
  auto changed = editor.Replace({"elf"}, "elves");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"fantasy", "elves", "quest"}));
  EXPECT_EQ(Versions(a), 2u);
  EXPECT_EQ(Versions(b), 1u);  // untouched
  EXPECT_EQ(Count("elves"), 1);
  EXPECT_EQ(Count("Elf"), 0);
  auto record = archive_->Get(a);
  EXPECT_NE(record->raw_json.find("\"elves\""), std::string::npos);  // in the card itself, not only the index
}

TEST_F(TagEditorTest, MergeLeavesOneTagPerCard) {
  CardId a = Import("Alice", {"sci-fi", "space", "scifi"});
  CardId b = Import("Bob", {"SciFi"});
  CardId c = Import("Carol", {"space"});
  auto changed = TagEditor(*archive_).Replace({"sci-fi", "scifi"}, "science fiction");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 2);
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"science fiction", "space"}));
  EXPECT_EQ(TagsOf(b), (std::vector<std::string>{"science fiction"}));
  EXPECT_EQ(TagsOf(c), (std::vector<std::string>{"space"}));
  EXPECT_EQ(Count("science fiction"), 2);
  // Merging into a tag already in use: once per card.
  ASSERT_TRUE(TagEditor(*archive_).Replace({"space"}, "science fiction").ok());
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"science fiction"}));
  EXPECT_EQ(TagsOf(c), (std::vector<std::string>{"science fiction"}));
}

TEST_F(TagEditorTest, DeleteTakesTheTagOffEveryCard) {
  CardId a = Import("Alice", {"nsfw", "fantasy"});
  CardId b = Import("Bob", {"NSFW"});
  auto changed = TagEditor(*archive_).Remove("nsfw");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 2);
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"fantasy"}));
  EXPECT_TRUE(TagsOf(b).empty());
  EXPECT_EQ(Count("nsfw") + Count("NSFW"), 0);
}

TEST_F(TagEditorTest, BadAndUnknownTagsChangeNothing) {
  CardId a = Import("Alice", {"fantasy"});
  TagEditor editor(*archive_);
  EXPECT_EQ(editor.Replace({"fantasy"}, "  ").status().kind(), "bad_tag");
  EXPECT_EQ(editor.Replace({}, "x").status().kind(), "bad_tag");
  EXPECT_EQ(editor.Replace({"nothing"}, "x").status().kind(), "unknown_tag");
  EXPECT_EQ(editor.Remove("nothing").status().kind(), "unknown_tag");
  EXPECT_EQ(editor.Edit({a}, {""}, {}).status().kind(), "bad_tag");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"fantasy"}));
  EXPECT_EQ(Versions(a), 1u);
}

TEST_F(TagEditorTest, BulkEditAddsAndRemovesOnTheChosenCardsOnly) {
  CardId a = Import("Alice", {"fantasy", "draft"});
  CardId b = Import("Bob", {"scifi"});
  CardId c = Import("Carol", {"draft"});
  auto changed = TagEditor(*archive_).Edit({a, b}, {"favorite-cast", "Fantasy"}, {"draft"});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 2);
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"fantasy", "favorite-cast"}));
  EXPECT_EQ(TagsOf(b), (std::vector<std::string>{"scifi", "favorite-cast", "Fantasy"}));
  EXPECT_EQ(TagsOf(c), (std::vector<std::string>{"draft"}));
  // Nothing to change: no new version.
  EXPECT_EQ(*TagEditor(*archive_).Edit({c}, {"draft"}, {}), 0);
  EXPECT_EQ(Versions(c), 1u);
}

TEST_F(TagEditorTest, BulkEditOfAMissingCardChangesNone) {
  CardId a = Import("Alice", {"fantasy"});
  EXPECT_EQ(TagEditor(*archive_).Edit({a, 9999}, {"new"}, {}).status().kind(), "not_found");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"fantasy"}));
}

}  // namespace
}  // namespace charchive
