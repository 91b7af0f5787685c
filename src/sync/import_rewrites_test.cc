#include "sync/import_rewrites.h"

#include <gtest/gtest.h>

#include "testing/sync_test_cards.h"

namespace charchive::sync {
namespace {

using testing::CardOf;
using testing::EntryWithId;
using testing::MakeData;

std::vector<std::string> Sentences(const Json& sent, const Json& stored, std::string_view peer) {
  std::vector<std::string> out;
  for (const Rewrite& r : ImportRewrites(CardOf(sent), CardOf(stored))) out.push_back(DescribeRewrite(r, peer));
  return out;
}

TEST(ImportRewritesTest, ACopyAsSentHasNone) {
  EXPECT_TRUE(ImportRewrites(CardOf(MakeData()), CardOf(MakeData())).empty());
}

TEST(ImportRewritesTest, NoiseTheHashIgnoresIsNotARewrite) {
  Json stored = MakeData();
  stored["extensions"]["talkativeness"] = "0.5";
  stored["extensions"]["world"] = "";
  stored["extensions"]["depth_prompt"]["role"] = "system";
  stored["extensions"]["fav"] = false;
  stored["creation_date"] = 1700000000;
  EXPECT_TRUE(ImportRewrites(CardOf(MakeData()), CardOf(stored)).empty());
}

TEST(ImportRewritesTest, SillyTavernsSanitizedName) {
  Json stored = MakeData();
  stored["name"] = "Who Test";
  auto rewrites = ImportRewrites(CardOf(MakeData()), CardOf(stored));
  ASSERT_EQ(rewrites.size(), 1u);
  EXPECT_EQ(rewrites[0].path, ItemPath::Field("name"));
  EXPECT_EQ(rewrites[0].sent, Json("Who? Test"));
  EXPECT_EQ(rewrites[0].stored, Json("Who Test"));
  EXPECT_EQ(DescribeRewrite(rewrites[0], "SillyTavern"), "SillyTavern stored the name as 'Who Test'");
}

TEST(ImportRewritesTest, ArchitectsLorebookRewrite) {
  Json stored = MakeData();
  for (int id : {1, 2}) {
    Json& entry = EntryWithId(stored, id);
    entry.erase("probability");
    entry.erase("selectiveLogic");
    entry.erase("use_regex");
    entry["extensions"]["use_regex"] = false;
    entry["position"] = "after_char";
  }
  auto sentences = Sentences(MakeData(), stored, "Character Architect");
  std::vector<std::string> expected;
  for (const char* id : {"1", "2"}) {
    const std::string entry = std::string("lorebook entry ") + id;
    expected.push_back("Character Architect stored position of " + entry + " as 'after_char'");
    expected.push_back("Character Architect dropped probability from " + entry);
    expected.push_back("Character Architect dropped selectiveLogic from " + entry);
    expected.push_back("Character Architect dropped use_regex from " + entry);
    expected.push_back("Character Architect stored extensions of " + entry + " as {\"use_regex\":false}");
  }
  std::sort(expected.begin(), expected.end());
  std::sort(sentences.begin(), sentences.end());
  EXPECT_EQ(sentences, expected);
}

TEST(ImportRewritesTest, AddedAndDroppedItems) {
  Json sent = MakeData();
  Json stored = MakeData();
  stored["alternate_greetings"].erase(stored["alternate_greetings"].begin() + 2);
  stored["extensions"]["peer/x"] = 1;
  stored["character_book"]["entries"].push_back({{"id", 3}, {"keys", {"door"}}, {"content", "A door."}});
  EXPECT_EQ(Sentences(sent, stored, "Peer"),
            (std::vector<std::string>{"Peer added extensions.peer/x 1", "Peer added lorebook entry 3",
                                      "Peer dropped alternate_greetings 3"}));
}

TEST(ImportRewritesTest, EntriesWithoutIdAreNamedByNameOrKeys) {
  Json sent = MakeData();
  for (Json& entry : sent["character_book"]["entries"]) entry.erase("id");
  sent["character_book"]["entries"][0]["name"] = "Library";
  Json stored = sent;
  stored["character_book"]["entries"][0]["content"] = "Closed.";
  stored["character_book"]["entries"][1]["content"] = "Blue.";
  EXPECT_EQ(Sentences(sent, stored, "P"),
            (std::vector<std::string>{"P stored content of lorebook entry 'Library' as 'Closed.'",
                                      "P stored content of lorebook entry 'lamp' as 'Blue.'"}));
}

TEST(ImportRewritesTest, LongValuesAreCut) {
  Json stored = MakeData();
  stored["description"] = std::string(200, 'x');
  auto sentences = Sentences(MakeData(), stored, "P");
  ASSERT_EQ(sentences.size(), 1u);
  EXPECT_EQ(sentences[0], "P stored the description as '" + std::string(80, 'x') + "…'");
}

}  // namespace
}  // namespace charchive::sync
