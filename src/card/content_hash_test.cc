#include "card/content_hash.h"

#include <gtest/gtest.h>

#include "card/card_convert.h"
#include "card/png_card.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeV2Card;

std::string HashOf(const Json& doc) {
  auto card = Card::FromDocument(doc);
  EXPECT_TRUE(card.ok()) << card.status().ToString();
  return card.ok() ? ContentHash(*card) : std::string();
}

std::string HashOfText(const std::string& text) {
  auto card = Card::FromJson(text);
  EXPECT_TRUE(card.ok()) << card.status().ToString();
  return card.ok() ? ContentHash(*card) : std::string();
}

// The plan's hash gave every V2 card the same value; ours must not.
TEST(ContentHash, DifferentNamesHashDifferently) {
  EXPECT_NE(HashOf(MakeV2Card("Alice")), HashOf(MakeV2Card("Bob")));
  EXPECT_EQ(HashOf(MakeV2Card("Alice")).size(), 64u);
}

TEST(ContentHash, KeyOrderDoesNotMatter) {
  Json doc = MakeV2Card("Order");
  // Rebuild every object with its keys reversed.
  std::function<Json(const Json&)> reversed = [&](const Json& v) -> Json {
    if (v.is_object()) {
      Json out = Json::object();
      std::vector<std::string> keys;
      for (auto& [k, _] : v.items()) keys.push_back(k);
      for (auto it = keys.rbegin(); it != keys.rend(); ++it) out[*it] = reversed(v[*it]);
      return out;
    }
    if (v.is_array()) {
      Json out = Json::array();
      for (auto& item : v) out.push_back(reversed(item));
      return out;
    }
    return v;
  };
  Json flipped = reversed(doc);
  ASSERT_NE(doc.dump(), flipped.dump());
  EXPECT_EQ(HashOf(doc), HashOf(flipped));
}

TEST(ContentHash, SpecLabelAndV1MirrorsDoNotMatter) {
  Json v2 = MakeV2Card("Label");
  Json v3 = v2;
  v3["spec"] = "chara_card_v3";
  v3["spec_version"] = "3.0";
  v3["data"]["group_only_greetings"] = Json::array();
  Json hybrid = v2;
  for (const char* f : {"name", "description", "personality", "scenario", "first_mes", "mes_example"}) {
    hybrid[f] = v2["data"][f];
  }
  hybrid["creatorcomment"] = "whatever";
  hybrid["talkativeness"] = "0.5";
  EXPECT_EQ(HashOf(v2), HashOf(v3));
  EXPECT_EQ(HashOf(v2), HashOf(hybrid));
  auto card = Card::FromDocument(v2);
  EXPECT_EQ(HashOf(v2), HashOf(ToV3Document(*card)));
  EXPECT_EQ(HashOf(v2), HashOf(ToV2Document(*card)));
}

TEST(ContentHash, SillyTavernNoiseDoesNotMatter) {
  Json clean = MakeV2Card("Noise");
  Json noisy = clean;
  noisy["fav"] = false;
  noisy["chat"] = "Noise - 2026-11-24@12h00m00s";
  noisy["create_date"] = "2026-11-24T12:00:00.000Z";
  noisy["avatar"] = "none";
  noisy["data"]["extensions"]["fav"] = true;
  noisy["data"]["extensions"]["talkativeness"] = "0.5";
  noisy["data"]["extensions"]["world"] = "";
  noisy["data"]["extensions"]["depth_prompt"] = {{"prompt", ""}, {"depth", 4}, {"role", "system"}};
  noisy["data"]["modification_date"] = 1764000000;
  EXPECT_EQ(HashOf(clean), HashOf(noisy));

  // A number a peer stores as a string is the same number.
  Json as_string = clean;
  as_string["data"]["extensions"]["talkativeness"] = "0.7";
  Json as_number = clean;
  as_number["data"]["extensions"]["talkativeness"] = 0.7;
  EXPECT_EQ(HashOf(as_string), HashOf(as_number));
  EXPECT_NE(HashOf(as_number), HashOf(clean));
}

TEST(ContentHash, EveryContentEditChangesTheHash) {
  Json base = MakeV2Card("Edit");
  std::string h = HashOf(base);
  for (const char* f : {"name", "description", "personality", "scenario", "first_mes", "mes_example", "creator_notes",
                        "system_prompt", "post_history_instructions", "creator", "character_version"}) {
    Json edited = base;
    edited["data"][f] = edited["data"][f].get<std::string>() + " changed";
    EXPECT_NE(HashOf(edited), h) << f;
  }
  auto edit = [&](auto&& change) {
    Json e = base;
    change(e["data"]);
    return HashOf(e);
  };
  EXPECT_NE(edit([](Json& d) { d["alternate_greetings"].push_back("third"); }), h);
  EXPECT_NE(edit([](Json& d) { d["alternate_greetings"][0] = "changed"; }), h);
  EXPECT_NE(edit([](Json& d) { d["tags"].push_back("new"); }), h);
  EXPECT_NE(edit([](Json& d) { d["group_only_greetings"] = {"group hi"}; }), h);
  EXPECT_NE(edit([](Json& d) { d["extensions"]["my_app/x"]["keep"] = false; }), h);
  EXPECT_NE(edit([](Json& d) { d["character_book"]["entries"][0]["content"] = "It closes at nine."; }), h);
  EXPECT_NE(edit([](Json& d) { d["character_book"]["entries"][0]["keys"].push_back("books"); }), h);
  EXPECT_NE(edit([](Json& d) { d["character_book"]["entries"][0]["enabled"] = false; }), h);
  EXPECT_NE(edit([](Json& d) { d["character_book"].erase("entries"); }), h);
  EXPECT_NE(edit([](Json& d) { d["nickname"] = "Libby"; }), h);
  EXPECT_NE(edit([](Json& d) { d["assets"] = {{{"type", "background"}, {"uri", "ccdefault:"}, {"name", "bg"}, {"ext", "png"}}}; }), h);
}

TEST(ContentHash, SeraphinaBothChunksAgree) {
  std::string png = testing::ReadFixture("default_Seraphina.png");
  std::string chara_json, ccv3_json;
  WalkPngChunks(png, CrcCheck::kTextChunks, [&](const PngChunk& c) {
    if (c.type != "tEXt") return true;
    std::string_view d = c.data;
    std::string key(d.substr(0, d.find('\0')));
    auto json = Base64Decode(d.substr(d.find('\0') + 1));
    (key == "chara" ? chara_json : ccv3_json) = *json;
    return true;
  });
  ASSERT_FALSE(chara_json.empty());
  ASSERT_FALSE(ccv3_json.empty());
  EXPECT_EQ(HashOfText(chara_json), HashOfText(ccv3_json));
}

}  // namespace
}  // namespace charchive
