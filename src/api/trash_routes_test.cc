#include "api/trash_routes.h"

#include <gtest/gtest.h>

#include "testing/api_test_server.h"
#include "testing/test_cards.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;

constexpr char kToken[] = "trash-routes-token";

class TrashRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken);
    client_ = server_->Client();
  }

  CardId Import(const std::string& name, const std::string& creator = "tester", const std::string& draft = "") {
    Json card = MakeV2Card(name, name + " has a description of its own." + draft);
    card["data"]["creator"] = creator;
    ImportResult r = server_->archive().ImportBytes(MakeCardPng(card), name + ".png");
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return r.id.value_or(0);
  }

  static std::pair<int, Json> Answer(const httplib::Result& r) {
    EXPECT_TRUE(r);
    if (!r) return {0, nullptr};
    return {r->status, Json::parse(r->body, nullptr, false)};
  }
  std::pair<int, Json> Get(const std::string& path) { return Answer(client_->Get(path)); }
  std::pair<int, Json> Post(const std::string& path, const Json& body = Json::object()) {
    return Answer(client_->Post(path, body.dump(), "application/json"));
  }
  std::pair<int, Json> Delete(const std::string& path) { return Answer(client_->Delete(path)); }
  int64_t Listed(const std::string& query = "") { return Get("/api/cards?" + query).second["total"].get<int64_t>(); }

  std::string Card(CardId id) { return "/api/cards/" + std::to_string(id); }

  std::unique_ptr<ApiTestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(TrashRoutesTest, DeleteMovesToTheTrashAndRestoreBringsBack) {
  CardId doomed = Import("Doomed");
  Import("Doomed", "someone");  // the same name, another creator: no duplicate group
  CardId twin = Import("Doomed", "tester", " Second draft.");
  ASSERT_EQ(Get("/api/duplicates").second["groups"].size(), 1u);

  auto [status, body] = Delete(Card(doomed));
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["trashed"], true);
  EXPECT_EQ(Listed(), 2);
  EXPECT_EQ(Listed("q=Doomed"), 2);
  EXPECT_EQ(Get("/api/stats").second["cards"], 2);
  EXPECT_TRUE(Get("/api/duplicates").second["groups"].empty());
  EXPECT_TRUE(Get(Card(twin) + "/related").second["related"].empty());
  auto card = Get(Card(doomed));
  ASSERT_EQ(card.first, 200);
  EXPECT_FALSE(card.second["trashed_at"].is_null());
  EXPECT_EQ(Get(Card(doomed) + "/thumbnail").first, 200);  // the Trash view shows it

  auto trash = Get("/api/trash");
  ASSERT_EQ(trash.first, 200);
  EXPECT_EQ(trash.second["total"], 1);
  ASSERT_EQ(trash.second["items"].size(), 1u);
  EXPECT_EQ(trash.second["items"][0]["id"], doomed);
  EXPECT_EQ(trash.second["items"][0]["name"], "Doomed");

  // A trashed card is not edited, and not trashed twice.
  auto edit = Answer(client_->Patch(Card(doomed), R"({"data":{"description":"x"}})", "application/json"));
  EXPECT_EQ(edit.first, 409);
  EXPECT_EQ(edit.second["kind"], "trashed");
  EXPECT_EQ(Delete(Card(doomed)).second["kind"], "trashed");

  auto restored = Post(Card(doomed) + "/restore");
  ASSERT_EQ(restored.first, 200) << restored.second.dump();
  EXPECT_TRUE(restored.second["trashed_at"].is_null());
  EXPECT_EQ(Listed(), 3);
  EXPECT_EQ(Listed("q=Doomed"), 3);
  EXPECT_EQ(Get("/api/duplicates").second["groups"].size(), 1u);
  EXPECT_EQ(Get("/api/trash").second["total"], 0);
  auto again = Post(Card(doomed) + "/restore");
  EXPECT_EQ(again.first, 409);
  EXPECT_EQ(again.second["kind"], "not_trashed");
  EXPECT_EQ(Post("/api/cards/999/restore").first, 404);
}

TEST_F(TrashRoutesTest, BulkTrashAndRestoreCheckEveryCardFirst) {
  CardId a = Import("Alpha"), b = Import("Beta"), c = Import("Gamma");
  auto missing = Post("/api/cards/bulk/trash", Json{{"cardIds", {a, 999}}});
  EXPECT_EQ(missing.first, 404);
  EXPECT_EQ(Listed(), 3);  // nothing changed
  EXPECT_EQ(Post("/api/cards/bulk/trash", Json{{"cardIds", "all"}}).first, 400);

  auto trashed = Post("/api/cards/bulk/trash", Json{{"cardIds", {a, b}}});
  ASSERT_EQ(trashed.first, 200) << trashed.second.dump();
  EXPECT_EQ(trashed.second["trashed"], 2);
  EXPECT_EQ(Listed(), 1);
  auto twice = Post("/api/cards/bulk/trash", Json{{"cardIds", {c, a}}});
  EXPECT_EQ(twice.first, 409);
  EXPECT_EQ(Listed(), 1);  // c stays

  auto not_there = Post("/api/trash/restore", Json{{"cardIds", {a, c}}});
  EXPECT_EQ(not_there.first, 409);
  EXPECT_EQ(not_there.second["kind"], "not_trashed");
  EXPECT_EQ(Get("/api/trash").second["total"], 2);
  auto undone = Post("/api/trash/restore", Json{{"cardIds", {a, b}}});
  ASSERT_EQ(undone.first, 200) << undone.second.dump();
  EXPECT_EQ(undone.second["restored"], 2);
  EXPECT_EQ(Listed(), 3);
}

TEST_F(TrashRoutesTest, EmptyTrashDeletesForGood) {
  CardId gone = Import("Gone");
  CardId stays = Import("Stays");
  ASSERT_EQ(Delete(Card(gone)).first, 200);
  auto emptied = Delete("/api/trash");
  ASSERT_EQ(emptied.first, 200);
  EXPECT_EQ(emptied.second["deleted"], 1);
  EXPECT_EQ(Get(Card(gone)).first, 404);
  EXPECT_EQ(Get(Card(stays)).first, 200);
  EXPECT_EQ(Listed(), 1);
  EXPECT_EQ(Get("/api/trash").second["total"], 0);
  EXPECT_EQ(Get("/api/trash?limit=0").first, 400);
}

}  // namespace
}  // namespace charchive::api
