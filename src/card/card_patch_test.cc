#include "card/card_patch.h"

#include <gtest/gtest.h>

#include "card/content_hash.h"
#include "card/errors.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

TEST(CardPatch, ReplacesOnlyGivenFieldsAndKeepsUnknownKeys) {
  Json doc = testing::MakeV2Card("Patchy");
  doc["data"]["x_unknown"] = 1;
  auto card = Card::FromDocument(doc);
  ASSERT_TRUE(card.ok());
  auto patched = ApplyDataPatch(*card, Json{{"description", "New words."}, {"tags", {"x"}}});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  Json data = patched->V3Data();
  EXPECT_EQ(data["description"], "New words.");
  EXPECT_EQ(data["personality"], "curious");
  EXPECT_EQ(data["x_unknown"], 1);
  EXPECT_EQ(patched->tags(), std::vector<std::string>{"x"});
  EXPECT_NE(ContentHash(*patched), ContentHash(*card));
  EXPECT_EQ(patched->spec(), CardSpec::kV2);
}

TEST(CardPatch, RejectsWrongTypes) {
  auto card = Card::FromDocument(testing::MakeV2Card("Typed"));
  ASSERT_TRUE(card.ok());
  auto bad = ApplyDataPatch(*card, Json{{"tags", "not-an-array"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), card_error::kBadField);
  EXPECT_NE(bad.status().message().find("data.tags"), std::string::npos);
  EXPECT_EQ(ApplyDataPatch(*card, Json{{"name", 3}}).status().kind(), card_error::kBadField);
  EXPECT_EQ(ApplyDataPatch(*card, Json::array()).status().kind(), card_error::kBadField);
  EXPECT_EQ(ApplyDataPatch(*card, Json{{"first_mes", {{"a", 1}}}}).status().kind(), card_error::kBadField);
}

TEST(CardPatch, RefusesToLeaveTheCardWithoutAName) {
  auto card = Card::FromDocument(testing::MakeV2Card("Named"));
  ASSERT_TRUE(card.ok());
  for (const Json& name : {Json(""), Json("  \t\n"), Json(nullptr)}) {
    auto bad = ApplyDataPatch(*card, Json{{"name", name}});
    ASSERT_FALSE(bad.ok()) << name.dump();
    EXPECT_EQ(bad.status().kind(), card_error::kBadField);
    EXPECT_NE(bad.status().message().find("data.name"), std::string::npos);
  }
  auto renamed = ApplyDataPatch(*card, Json{{"name", " Renamed "}});
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->name(), " Renamed ");
}

TEST(CardPatch, V1BecomesV2) {
  auto card = Card::FromJson(R"({"name":"Old","description":"d","first_mes":"hi"})");
  ASSERT_TRUE(card.ok());
  auto patched = ApplyDataPatch(*card, Json{{"scenario", "somewhere"}});
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(patched->spec(), CardSpec::kV2);
  EXPECT_EQ(patched->V3Data()["scenario"], "somewhere");
  EXPECT_EQ(patched->V3Data()["description"], "d");
}

}  // namespace
}  // namespace charchive
