#include "api/duplicate_routes.h"

#include <gtest/gtest.h>

#include "testing/api_test_server.h"
#include "testing/test_cards.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;

constexpr char kToken[] = "duplicate-routes-token";

class DuplicateRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken);
    client_ = server_->Client();
  }

  // As a PNG, or as a JSON card: the same content without the image is
  // another card to the importer (its duplicate check is content and image).
  CardId Import(const std::string& name, const std::string& creator, const std::string& description,
                bool as_json = false) {
    Json card = MakeV2Card(name, description);
    card["data"]["creator"] = creator;
    ImportResult r = as_json ? server_->archive().ImportBytes(card.dump(), name + ".json")
                             : server_->archive().ImportBytes(MakeCardPng(card), name + ".png");
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_FALSE(r.duplicate_of);
    return r.id.value_or(0);
  }

  std::pair<int, Json> Get(const std::string& path) {
    auto r = client_->Get(path.c_str());
    EXPECT_TRUE(r) << path;
    if (!r) return {0, nullptr};
    return {r->status, Json::parse(r->body, nullptr, false)};
  }

  static std::vector<CardId> Ids(const Json& cards) {
    std::vector<CardId> ids;
    for (const Json& c : cards) ids.push_back(c["id"].get<CardId>());
    return ids;
  }

  std::unique_ptr<ApiTestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DuplicateRoutesTest, GroupsBySameNameAndCreatorAndBySameContent) {
  CardId a1 = Import("Alice", "ann", "First draft.");
  CardId a2 = Import("alice", "Ann", "Second draft.");
  CardId a3 = Import("ALICE", "ann", "Third draft.");
  CardId other = Import("Alice", "someone else", "Not the same character.");
  CardId b1 = Import("Bob", "bea", "The same card twice.");
  CardId b2 = Import("Bob", "bea", "The same card twice.", true);
  Import("Carol", "cid", "Alone.");

  auto [status, body] = Get("/api/duplicates");
  ASSERT_EQ(status, 200) << body.dump();
  const Json& groups = body["groups"];
  // Alice ×3 (name and creator); Bob ×2 twice: by content, and by name and creator.
  ASSERT_EQ(groups.size(), 3u) << groups.dump();
  EXPECT_EQ(groups[0]["reason"], "name_creator");
  EXPECT_EQ(Ids(groups[0]["cards"]), (std::vector<CardId>{a1, a2, a3}));
  bool content = false, named = false;
  for (size_t i = 1; i < groups.size(); ++i) {
    EXPECT_EQ(Ids(groups[i]["cards"]), (std::vector<CardId>{b1, b2}));
    content |= groups[i]["reason"] == "content";
    named |= groups[i]["reason"] == "name_creator";
  }
  EXPECT_TRUE(content && named);
  EXPECT_EQ(groups[0]["cards"][0]["name"], "Alice");
  for (const Json& g : groups) {
    for (const Json& c : g["cards"]) EXPECT_NE(c["id"], other);
  }
  EXPECT_EQ(Get("/api/duplicates?limit=1").second["groups"].size(), 2u);  // one of each reason
  EXPECT_EQ(Get("/api/duplicates?limit=0").first, 400);
}

TEST_F(DuplicateRoutesTest, RelatedCardsOfOneCard) {
  CardId a1 = Import("Alice", "ann", "First draft.");
  CardId a2 = Import("alice", "ann", "Second draft.");
  Import("Alicia", "someone", "First draft.", true);  // another name: other content
  Import("Carol", "cid", "Alone.");
  CardId b1 = Import("Bob", "bea", "The same card twice.");
  CardId b2 = Import("Bob", "bea", "The same card twice.", true);

  auto [s1, related] = Get("/api/cards/" + std::to_string(a1) + "/related");
  ASSERT_EQ(s1, 200) << related.dump();
  EXPECT_EQ(related["cardId"], a1);
  EXPECT_EQ(Ids(related["related"]), (std::vector<CardId>{a2}));
  EXPECT_EQ(related["related"][0]["reason"], "name_creator");

  auto [s2, twins] = Get("/api/cards/" + std::to_string(b1) + "/related");
  ASSERT_EQ(s2, 200);
  ASSERT_EQ(Ids(twins["related"]), (std::vector<CardId>{b2}));
  EXPECT_EQ(twins["related"][0]["reason"], "content");  // listed once, as the same content

  EXPECT_EQ(Get("/api/cards/99999/related").first, 404);
}

// The same card re-uploaded with one word changed (another name and creator,
// so only the text can tell): found by its text, an unrelated card is not.
TEST_F(DuplicateRoutesTest, NearIdenticalTextIsFoundByItsFingerprint) {
  const std::string text =
      "Mira is the night librarian of the Drowned Archive, a library half sunk in a mountain lake. She knows every "
      "shelf by the sound its books make when the water rises, and speaks softly.";
  std::string edited = text;
  edited.replace(edited.find("softly"), 6, "gently");
  CardId original = Import("Mira", "ann", text);
  CardId reupload = Import("Mira (fixed)", "uploader", edited);
  CardId unrelated = Import("Oro", "bea",
                            "Captain Oro runs a cargo airship between floating islands, trades in rumours as much as "
                            "spices, and owes money to three different sky-pirate guilds.");

  auto [status, body] = Get("/api/duplicates");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["groups"].size(), 1u) << body.dump();
  EXPECT_EQ(body["groups"][0]["reason"], "near_text");
  EXPECT_EQ(Ids(body["groups"][0]["cards"]), (std::vector<CardId>{original, reupload}));

  auto [s1, related] = Get("/api/cards/" + std::to_string(reupload) + "/related");
  ASSERT_EQ(s1, 200);
  ASSERT_EQ(related["related"].size(), 1u) << related.dump();
  EXPECT_EQ(related["related"][0]["id"], original);
  EXPECT_EQ(related["related"][0]["reason"], "near_text");
  EXPECT_TRUE(Get("/api/cards/" + std::to_string(unrelated) + "/related").second["related"].empty());

  // An edit that makes it another text takes it out of the group; a trashed card leaves it too.
  ASSERT_TRUE(server_->archive().UpdateData(reupload, Json{{"description", "Something else entirely, now."}}).ok());
  EXPECT_TRUE(Get("/api/duplicates").second["groups"].empty());
  ASSERT_TRUE(server_->archive().UpdateData(reupload, Json{{"description", edited}}).ok());
  EXPECT_EQ(Get("/api/duplicates").second["groups"].size(), 1u);
  ASSERT_TRUE(server_->archive().Trash(original).ok());
  EXPECT_TRUE(Get("/api/duplicates").second["groups"].empty());
}

}  // namespace
}  // namespace charchive::api
