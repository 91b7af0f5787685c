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
  EXPECT_NE(edit([](Json& d) { d["source"] = {"https://example.org/card"}; }), h);
  EXPECT_NE(edit([](Json& d) { d["creator_notes_multilingual"] = {{"fr", "carte de test"}}; }), h);
  EXPECT_NE(edit([](Json& d) { d["extensions"]["depth_prompt"] = {{"prompt", "Whisper."}}; }), h);
  EXPECT_NE(edit([](Json& d) { d["extensions"]["talkativeness"] = 0.6; }), h);
  EXPECT_NE(edit([](Json& d) { d["extensions"]["world"] = "Lore"; }), h);
  EXPECT_NE(edit([](Json& d) { d["character_book"]["name"] = "Other lore"; }), h);
  EXPECT_NE(edit([](Json& d) { d["character_book"]["entries"][0]["position"] = "after_char"; }), h);
  EXPECT_NE(edit([](Json& d) { d["character_book"]["entries"][0]["extensions"]["x"] = 1; }), h);
  EXPECT_NE(edit([](Json& d) { d["alternate_greetings"].erase(0); }), h);
  EXPECT_NE(edit([](Json& d) { std::swap(d["alternate_greetings"][0], d["alternate_greetings"][1]); }), h);
  EXPECT_NE(edit([](Json& d) {
              d["assets"] = {{{"type", "background"}, {"uri", "ccdefault:"}, {"name", "bg"}, {"ext", "png"}}};
            }),
            h);
}

TEST(ContentHash, DefaultEquivalentValuesHashAlike) {
  Json absent = MakeV2Card("Defaults");
  absent["spec"] = "chara_card_v3";
  absent["spec_version"] = "3.0";
  std::string h = HashOf(absent);
  auto with = [&](auto&& change) {
    Json e = absent;
    change(e["data"]);
    return HashOf(e);
  };
  EXPECT_EQ(with([](Json& d) { d["nickname"] = ""; }), h);
  EXPECT_EQ(with([](Json& d) { d["nickname"] = nullptr; }), h);
  EXPECT_EQ(with([](Json& d) { d["source"] = Json::array(); }), h);
  EXPECT_EQ(with([](Json& d) { d["source"] = nullptr; }), h);
  EXPECT_EQ(with([](Json& d) { d["creator_notes_multilingual"] = Json::object(); }), h);
  EXPECT_EQ(with([](Json& d) { d["creator_notes_multilingual"] = nullptr; }), h);
  EXPECT_EQ(with([](Json& d) { d["assets"] = Json::array(); }), h);
  EXPECT_EQ(with([](Json& d) { d["group_only_greetings"] = nullptr; }), h);

  // A depth_prompt without role is read as role "system".
  auto depth = [&](Json prompt) { return with([&](Json& d) { d["extensions"]["depth_prompt"] = prompt; }); };
  Json roleless = {{"prompt", "Stay in character."}, {"depth", 2}};
  Json system = roleless;
  system["role"] = "system";
  EXPECT_EQ(depth(roleless), depth(system));
  Json user = roleless;
  user["role"] = "user";
  EXPECT_NE(depth(roleless), depth(user));
  EXPECT_EQ(depth({{"prompt", ""}, {"depth", 4}}), h);
  EXPECT_NE(depth({{"prompt", ""}, {"depth", 4}, {"my_key", 1}}), h);

  // A lorebook with nothing in it is no lorebook; missing entries are none.
  Json no_book = absent;
  no_book["data"].erase("character_book");
  std::string nb = HashOf(no_book);
  auto book = [&](Json value) {
    Json e = no_book;
    e["data"]["character_book"] = std::move(value);
    return HashOf(e);
  };
  EXPECT_EQ(book(Json::object()), nb);
  EXPECT_EQ(book({{"entries", Json::array()}}), nb);
  EXPECT_EQ(book({{"name", "Lore"}}), book({{"name", "Lore"}, {"entries", Json::array()}}));
  EXPECT_NE(book({{"name", "Lore"}}), nb);
}

TEST(ContentHash, AV3CardKeepsItsHashThroughV2) {
  Json v3 = MakeV2Card("Round trip");
  v3["spec"] = "chara_card_v3";
  v3["spec_version"] = "3.0";
  for (Json nickname : {Json(""), Json(nullptr), Json("Trip")}) {
    Json doc = v3;
    Json& d = doc["data"];
    d["nickname"] = nickname;
    d["group_only_greetings"] = Json::array();
    d["source"] = Json::array();
    d["assets"] = Json::array();
    d["creator_notes_multilingual"] = nullptr;
    d["creation_date"] = 1764000000;
    d["extensions"]["depth_prompt"] = {{"prompt", "Whisper."}, {"depth", 4}};
    auto card = Card::FromDocument(doc);
    ASSERT_TRUE(card.ok());
    Json v2 = ToV2Document(*card);
    auto back = Card::FromDocument(v2);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(HashOf(v2), HashOf(doc)) << nickname.dump();
    EXPECT_EQ(HashOf(ToV3Document(*back)), HashOf(doc)) << nickname.dump();
  }
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
