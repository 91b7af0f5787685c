#include "card/card.h"

#include <gtest/gtest.h>

#include "card/errors.h"
#include "card/png_card.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeV2Card;

TEST(Card, DetectsSpecs) {
  auto v1 = Card::FromJson(R"({"name":"Old","description":"d","first_mes":"hi"})");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->spec(), CardSpec::kV1);

  auto v2 = Card::FromJson(MakeV2Card("Two").dump());
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->spec(), CardSpec::kV2);
  EXPECT_EQ(v2->name(), "Two");
  EXPECT_EQ(v2->creator(), "tester");
  EXPECT_EQ(v2->alternate_greetings_count(), 2u);
  EXPECT_EQ(v2->lorebook_entry_count(), 1u);

  Json doc = MakeV2Card("Three");
  doc["spec"] = "chara_card_v3";
  doc["spec_version"] = "3.0";
  auto v3 = Card::FromDocument(doc);
  ASSERT_TRUE(v3.ok());
  EXPECT_EQ(v3->spec(), CardSpec::kV3);
}

TEST(Card, RefusesANameWithNul) {
  auto card = Card::FromJson(R"({"spec":"chara_card_v2","spec_version":"2.0","data":{"name":"Evil\u0000.png"}})");
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.status().kind(), card_error::kBadField);
  EXPECT_NE(card.status().message().find("NUL"), std::string::npos) << card.status().message();
  auto v1 = Card::FromJson(R"({"name":"a\u0000b","description":"d"})");
  EXPECT_FALSE(v1.ok());
}

TEST(Card, SillyTavernHybridReadsDataNotMirrors) {
  std::string png = testing::ReadFixture("default_Seraphina.png");
  auto text = ReadPngCardText(png);
  ASSERT_TRUE(text.ok());
  auto card = Card::FromJson(text->json);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  EXPECT_EQ(card->spec(), CardSpec::kV3);
  EXPECT_EQ(card->name(), "Seraphina");
  EXPECT_EQ(card->lorebook_entry_count(), 4u);
  // talkativeness is a string in this real card; it survives as written.
  EXPECT_EQ(card->V3Data()["extensions"]["talkativeness"], "0.5");
  EXPECT_EQ(card->original_json(), text->json);
}

TEST(Card, V1MapsToV3Data) {
  auto card = Card::FromJson(
      R"({"name":"Old","description":"d","personality":"p","scenario":"s","first_mes":"f","mes_example":"m",)"
      R"("creatorcomment":"notes","talkativeness":"0.7","tags":"a, b","extra":1})");
  ASSERT_TRUE(card.ok());
  Json data = card->V3Data();
  EXPECT_EQ(data["creator_notes"], "notes");
  EXPECT_EQ(data["extensions"]["talkativeness"], "0.7");
  EXPECT_EQ(data["tags"], Json::array({"a", "b"}));
  EXPECT_EQ(card->tags(), (std::vector<std::string>{"a", "b"}));
}

TEST(Card, ErrorKinds) {
  EXPECT_EQ(Card::FromJson("{not json").status().kind(), card_error::kBadJson);
  EXPECT_EQ(Card::FromJson("").status().kind(), card_error::kBadJson);
  EXPECT_EQ(Card::FromJson("[1,2]").status().kind(), card_error::kWrongSpec);
  EXPECT_EQ(Card::FromJson(R"({"hello":"world"})").status().kind(), card_error::kWrongSpec);
  EXPECT_EQ(Card::FromJson(R"({"spec":"lorebook_v3","data":{"name":"x"}})").status().kind(), card_error::kWrongSpec);
  EXPECT_EQ(Card::FromJson(R"({"spec":"chara_card_v2","spec_version":"2.0"})").status().kind(), card_error::kWrongSpec);
  EXPECT_EQ(Card::FromJson(R"({"spec":"chara_card_v2","data":{"name":5}})").status().kind(), card_error::kBadField);
  EXPECT_EQ(Card::FromJson(R"({"spec":"chara_card_v2","data":{"name":"x","tags":"a"}})").status().kind(),
            card_error::kBadField);
  EXPECT_EQ(Card::FromJson(R"({"spec":"chara_card_v2","data":{"name":"x","alternate_greetings":[1]}})").status().kind(),
            card_error::kBadField);
  auto msg = Card::FromJson(R"({"spec":"chara_card_v2","data":{"name":"x","description":[]}})");
  EXPECT_NE(msg.status().message().find("data.description"), std::string::npos);
  // Invalid UTF-8 inside a string.
  EXPECT_EQ(Card::FromJson("{\"name\":\"\xff\xfe\",\"description\":\"\"}").status().kind(), card_error::kBadJson);
}

TEST(Card, DeepNestingIsRejectedNotOverflowed) {
  std::string deep = R"({"spec":"chara_card_v2","data":{"name":"x","extensions":{"a":)";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}}}";
  auto card = Card::FromJson(deep);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.status().kind(), card_error::kJsonTooDeep);
}

TEST(Card, UnknownKeysSurvive) {
  Json doc = MakeV2Card("Keep");
  doc["top_level_unknown"] = {{"x", 1}};
  doc["data"]["unknown_in_data"] = "yes";
  auto card = Card::FromDocument(doc);
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->document()["top_level_unknown"]["x"], 1);
  EXPECT_EQ(card->V3Data()["unknown_in_data"], "yes");
  EXPECT_EQ(card->V3Data()["extensions"]["my_app/x"]["keep"], true);
}

}  // namespace
}  // namespace charchive
