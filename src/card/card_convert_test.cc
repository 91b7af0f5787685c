#include "card/card_convert.h"

#include <gtest/gtest.h>

#include "card/content_hash.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeV2Card;

Card Parse(const Json& doc) {
  auto card = Card::FromDocument(doc);
  EXPECT_TRUE(card.ok()) << card.status().ToString();
  return card.ok() ? *card : Card();
}

TEST(CardConvert, V2ToV3KeepsEverythingAndAddsV3Fields) {
  Json doc = MakeV2Card("Up");
  doc["unknown_top"] = 7;
  Json v3 = ToV3Document(Parse(doc));
  EXPECT_EQ(v3["spec"], "chara_card_v3");
  EXPECT_EQ(v3["spec_version"], "3.0");
  EXPECT_EQ(v3["unknown_top"], 7);
  EXPECT_EQ(v3["data"]["group_only_greetings"], Json::array());
  EXPECT_EQ(v3["data"]["extensions"]["my_app/x"]["keep"], true);
  EXPECT_EQ(v3["data"]["character_book"], doc["data"]["character_book"]);
}

TEST(CardConvert, V3ToV2StatesWhatV2CannotHoldAndV3RestoresIt) {
  Json doc = MakeV2Card("Down");
  doc["spec"] = "chara_card_v3";
  doc["spec_version"] = "3.0";
  doc["data"]["group_only_greetings"] = {"Hello, group."};
  doc["data"]["nickname"] = "Downy";
  doc["data"]["source"] = {"https://example.invalid/card"};
  doc["data"]["creation_date"] = 1700000000;
  Card v3 = Parse(doc);
  std::vector<std::string> losses;
  Json v2 = ToV2Document(v3, &losses);
  EXPECT_EQ(v2["spec"], "chara_card_v2");
  EXPECT_FALSE(v2["data"].contains("group_only_greetings"));
  EXPECT_FALSE(v2["data"].contains("nickname"));
  EXPECT_EQ(losses.size(), 4u);
  EXPECT_NE(losses[0].find("group_only_greetings"), std::string::npos);
  EXPECT_EQ(v2["data"]["extensions"]["charchive/v3"]["nickname"], "Downy");

  Card back = Parse(v2);
  Json restored = ToV3Document(back);
  EXPECT_EQ(restored["data"]["group_only_greetings"], doc["data"]["group_only_greetings"]);
  EXPECT_EQ(restored["data"]["nickname"], "Downy");
  EXPECT_FALSE(restored["data"]["extensions"].contains("charchive/v3"));
  EXPECT_EQ(ContentHash(v3), ContentHash(back));
}

TEST(CardConvert, EmptyV3FieldsAreNoLoss) {
  Json doc = MakeV2Card("Plain");
  doc["spec"] = "chara_card_v3";
  doc["data"]["group_only_greetings"] = Json::array();
  std::vector<std::string> losses;
  ToV2Document(Parse(doc), &losses);
  EXPECT_TRUE(losses.empty());
}

TEST(CardConvert, V1BecomesWrappedWithUnknownKeysKept) {
  auto card =
      Card::FromJson(R"({"name":"Old","description":"d","first_mes":"hi","creatorcomment":"c","x_custom":true})");
  ASSERT_TRUE(card.ok());
  Json v2 = ToV2Document(*card);
  EXPECT_EQ(v2["data"]["name"], "Old");
  EXPECT_EQ(v2["data"]["creator_notes"], "c");
  EXPECT_EQ(v2["data"]["personality"], "");
  EXPECT_EQ(v2["x_custom"], true);
  EXPECT_FALSE(v2.contains("name"));
  auto again = Card::FromDocument(v2);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ContentHash(*card), ContentHash(*again));
}

// SillyTavern's hybrids carry V1 mirrors at the top level; an edit changes
// `data` only, so a conversion rebuilds the mirrors from it, never copies
// them stale, and adds none the document did not have.
TEST(CardConvert, V1MirrorsAreRebuiltFromData) {
  Json hybrid = MakeV2Card("Renamed");
  hybrid["data"]["tags"] = Json::array({"new"});
  hybrid["data"]["extensions"]["talkativeness"] = 0.8;
  hybrid["name"] = "Old name";
  hybrid["tags"] = Json::array({"old"});
  hybrid["talkativeness"] = "0.5";
  hybrid["fav"] = true;  // the favourite flag is gone from data.extensions
  hybrid["chat"] = "Old name - 2026-12-01";
  for (const Json& doc : {ToV2Document(Parse(hybrid)), ToV3Document(Parse(hybrid))}) {
    EXPECT_EQ(doc["name"], "Renamed");
    EXPECT_EQ(doc["tags"], Json::array({"new"}));
    EXPECT_EQ(doc["talkativeness"], 0.8);
    EXPECT_FALSE(doc.contains("fav"));
    EXPECT_FALSE(doc.contains("description"));
    EXPECT_EQ(doc["chat"], "Old name - 2026-12-01");  // not a mirror: kept as it is
  }
}

}  // namespace
}  // namespace charchive
