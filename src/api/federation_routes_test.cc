#include "api/federation_routes.h"

#include <gtest/gtest.h>

#include <thread>

#include "api/server.h"
#include "testing/api_test_server.h"
#include "testing/test_cards.h"
#include "tests/fakes/fake_architect.h"
#include "tests/fakes/fake_cardshub.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::FakeArchitect;
using charchive::testing::FakeCardsHub;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;
using charchive::testing::TempDir;

constexpr char kToken[] = "federation-token";

class FederationRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken, /*start_jobs=*/true);
    port_ = server_->port();
    archive_ = &server_->archive();
    client_ = server_->Client();
  }

  // Status and parsed body of a JSON request.
  std::pair<int, Json> Call(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Result r = method == "GET"      ? client_->Get(path.c_str())
                        : method == "DELETE" ? client_->Delete(path.c_str())
                        : method == "PUT"    ? client_->Put(path.c_str(), body, "application/json")
                                             : client_->Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return {0, nullptr};
    return {r->status, Json::parse(r->body, nullptr, false)};
  }

  CardId Import(const std::string& name) {
    return *archive_->ImportBytes(MakeCardPng(MakeV2Card(name)), name + ".png").id;
  }

  std::unique_ptr<ApiTestServer> server_;
  Archive* archive_ = nullptr;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(FederationRoutesTest, PlatformsListAndUpdateNeverShowTheKey) {
  auto [status, body] = Call("GET", "/api/federation/platforms");
  ASSERT_EQ(status, 200);
  ASSERT_EQ(body["platforms"].size(), 4u);  // architect, sillytavern, hub (CardsHub), archive
  const Json& first = body["platforms"][0];
  for (const char* key : {"id", "platform", "display_name", "base_url", "api_key", "enabled", "last_connected_at",
                          "created_at", "updated_at"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
  EXPECT_EQ(first["enabled"], 0);
  EXPECT_TRUE(first["api_key"].is_null());

  auto [s2, updated] = Call("POST", "/api/federation/platforms/sillytavern",
                            R"({"base_url": "http://127.0.0.1:8000", "api_key": "pa55word", "enabled": true})");
  ASSERT_EQ(s2, 200) << updated.dump();
  EXPECT_EQ(updated["success"], true);
  EXPECT_EQ(updated["platform"]["api_key"], "***configured***");
  EXPECT_EQ(updated["platform"]["enabled"], 1);
  auto [s3, listed] = Call("GET", "/api/federation/platforms");
  EXPECT_EQ(listed.dump().find("pa55word"), std::string::npos);
  EXPECT_EQ(listed["platforms"][1]["api_key"], "***configured***");

  EXPECT_EQ(Call("POST", "/api/federation/platforms/nope", "{}").first, 404);
  auto [s4, bad] = Call("POST", "/api/federation/platforms/architect", R"({"base_url": "not a url"})");
  EXPECT_EQ(s4, 400);
  EXPECT_NE(bad["error"].get<std::string>().find("base_url"), std::string::npos);
  EXPECT_EQ(Call("POST", "/api/federation/platforms/architect", R"({"enabled": "yes"})").first, 400);
  EXPECT_EQ(Call("POST", "/api/federation/platforms/architect", R"({"colour": 1})").first, 400);
  EXPECT_EQ(Call("POST", "/api/federation/platforms/architect", "[1,").first, 400);
}

TEST_F(FederationRoutesTest, PushBulkPushStatusAndUnlinkFollowThePlan) {
  FakeArchitect architect;
  CardId a = Import("Alice");
  CardId b = Import("Bob");
  auto [s0, disabled] = Call("POST", "/api/federation/cards/" + std::to_string(a) + "/push/architect", "{}");
  EXPECT_EQ(s0, 409);
  EXPECT_NE(disabled["error"].get<std::string>().find("enable"), std::string::npos);
  Call("POST", "/api/federation/platforms/architect", Json{{"base_url", architect.base_url()}, {"enabled", 1}}.dump());

  auto [s1, test] = Call("POST", "/api/federation/platforms/architect/test");
  EXPECT_EQ(s1, 200);
  EXPECT_EQ(test["connected"], true);

  auto [s2, pushed] =
      Call("POST", "/api/federation/cards/" + std::to_string(a) + "/push/architect", R"({"overwrite": false})");
  ASSERT_EQ(s2, 200) << pushed.dump();
  EXPECT_EQ(pushed["success"], true);
  EXPECT_EQ(pushed["remoteId"].get<std::string>().size(), 36u);
  EXPECT_EQ(Call("POST", "/api/federation/cards/999/push/architect").first, 404);
  EXPECT_EQ(Call("POST", "/api/federation/cards/" + std::to_string(a) + "/push/nowhere").first, 404);

  auto [s3, empty] = Call("POST", "/api/federation/bulk-push/architect", R"({"cardIds": []})");
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(empty["error"], "cardIds array required");
  auto [s4, bulk] = Call("POST", "/api/federation/bulk-push/architect", Json{{"cardIds", {a, b, 777}}}.dump());
  ASSERT_EQ(s4, 200);
  EXPECT_EQ(bulk["total"], 3);
  EXPECT_EQ(bulk["succeeded"], 2);
  EXPECT_EQ(bulk["failed"], 1);
  EXPECT_EQ(bulk["results"][2]["cardId"], 777);
  EXPECT_EQ(bulk["results"][2]["error"], "Card not found");
  EXPECT_EQ(bulk["results"][0]["remoteId"], pushed["remoteId"]);  // overwritten in place

  auto [s5, sync] = Call("GET", "/api/federation/cards/" + std::to_string(a) + "/sync");
  ASSERT_EQ(s5, 200);
  EXPECT_EQ(sync["cardId"], a);
  ASSERT_EQ(sync["syncStates"].size(), 1u);
  EXPECT_EQ(sync["syncStates"][0]["status"], "synced");
  EXPECT_EQ(sync["syncStates"][0]["display_name"], "Character Architect");
  // A card without a lorebook: Architect stores it as sent, nothing to report.
  EXPECT_EQ(sync["syncStates"][0]["import_rewrites"], Json::array());

  auto [s6, cards] = Call("GET", "/api/federation/platforms/architect/cards?status=synced");
  ASSERT_EQ(s6, 200);
  EXPECT_EQ(cards["count"], 2);
  EXPECT_EQ(cards["cards"][0]["status"], "synced");
  EXPECT_EQ(Call("GET", "/api/federation/platforms/architect/cards?status=bogus").first, 400);

  auto [s7, status] = Call("POST", "/api/federation/sync-status", Json{{"cardIds", {a, b}}}.dump());
  ASSERT_EQ(s7, 200);
  EXPECT_EQ(status["cards"][0]["synced_platforms"], Json::array({"architect"}));

  auto [s8, unlinked] = Call("DELETE", "/api/federation/cards/" + std::to_string(a) + "/sync/architect");
  EXPECT_EQ(s8, 200);
  EXPECT_EQ(unlinked["success"], true);
  auto [s9, all] = Call("DELETE", "/api/federation/cards/" + std::to_string(b) + "/sync");
  EXPECT_EQ(all["removed"], 1);

  auto [s10, events] = Call("GET", "/api/federation/events?platform=architect&limit=2");
  ASSERT_EQ(s10, 200);
  EXPECT_EQ(events["events"].size(), 2u);
  EXPECT_EQ(Call("GET", "/api/federation/events?limit=0").first, 400);
}

// The Sync tab's CardsHub actions: the copy's counts (read from the hub's card
// detail, no download), its visibility, and unpublish with its confirmation.
TEST_F(FederationRoutesTest, CardsHubCopyStatsVisibilityAndUnpublish) {
  FakeCardsHub hub;
  hub.AddUser("archivist", "pw-archivist");
  Call("POST", "/api/federation/platforms/hub",
       Json{{"base_url", hub.base_url()}, {"enabled", true}, {"username", "archivist"}, {"api_key", "pw-archivist"}}
           .dump());
  CardId a = Import("Alice");
  const std::string card = "/api/federation/cards/" + std::to_string(a);
  auto [s0, unlinked] = Call("GET", card + "/remote/hub");
  EXPECT_EQ(s0, 409);
  EXPECT_EQ(unlinked["kind"], "not_linked");
  auto [s1, pushed] = Call("POST", card + "/push/hub");
  ASSERT_EQ(s1, 200) << pushed.dump();
  const std::string slug = pushed["slug"];
  hub.Favorite(slug);
  const int64_t downloads = hub.Downloads(slug);

  auto [s2, stats] = Call("GET", card + "/remote/hub");
  ASSERT_EQ(s2, 200) << stats.dump();
  EXPECT_EQ(stats, (Json{{"cardId", a},
                         {"platform", "hub"},
                         {"slug", slug},
                         {"visibility", "private"},
                         {"downloads", downloads},
                         {"favorites", 1}}));
  EXPECT_EQ(hub.Downloads(slug), downloads);
  EXPECT_EQ(Call("GET", "/api/federation/cards/999/remote/hub").first, 404);
  EXPECT_EQ(Call("GET", card + "/remote/nowhere").first, 404);

  auto [s3, bad] = Call("PUT", card + "/visibility/hub", R"({"visibility": "everyone"})");
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(bad["kind"], "bad_field");
  auto [s4, set] = Call("PUT", card + "/visibility/hub", R"({"visibility": "public"})");
  ASSERT_EQ(s4, 200) << set.dump();
  EXPECT_EQ(hub.Card(slug)["visibility"], "public");
  EXPECT_EQ(Call("GET", card + "/remote/hub").second["visibility"], "public");

  auto [s5, unconfirmed] = Call("POST", card + "/unpublish/hub", "{}");
  EXPECT_EQ(s5, 400);
  EXPECT_EQ(hub.CardCount(), 1u);
  auto [s6, removed] = Call("POST", card + "/unpublish/hub", R"({"confirm": true})");
  ASSERT_EQ(s6, 200) << removed.dump();
  EXPECT_EQ(hub.CardCount(), 0u);
  EXPECT_EQ(Call("GET", card + "/remote/hub").second["kind"], "not_linked");
}

TEST_F(FederationRoutesTest, TestConnectionTestsTypedSettingsAndSavesNothing) {
  FakeCardsHub hub;
  hub.AddUser("archivist", "pw-archivist");
  const std::string saved_url = "http://127.0.0.1:9";  // nothing listens there
  Call("POST", "/api/federation/platforms/hub",
       Json{{"base_url", saved_url}, {"username", "archivist"}, {"api_key", "pw-archivist"}}.dump());
  auto platform = [&] { return Call("GET", "/api/federation/platforms").second["platforms"][2]; };
  ASSERT_EQ(platform()["platform"], "hub");
  auto [s0, saved_test] = Call("POST", "/api/federation/platforms/hub/test", "");
  ASSERT_EQ(s0, 200);
  EXPECT_EQ(saved_test["connected"], false);

  // The typed URL, with the key left blank: the saved password is used.
  auto [s1, typed] = Call("POST", "/api/federation/platforms/hub/test",
                          Json{{"base_url", hub.base_url()}, {"username", "archivist"}, {"api_key", ""}}.dump());
  ASSERT_EQ(s1, 200) << typed.dump();
  EXPECT_EQ(typed["connected"], true) << typed.dump();
  EXPECT_EQ(typed.dump().find("pw-archivist"), std::string::npos);
  EXPECT_EQ(platform()["base_url"], saved_url);  // not saved
  EXPECT_TRUE(platform()["last_connected_at"].is_null());

  // A typed wrong password fails; the saved one stays.
  auto [s2, wrong] = Call("POST", "/api/federation/platforms/hub/test",
                          Json{{"base_url", hub.base_url()}, {"api_key", "not-the-password"}}.dump());
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(wrong["connected"], false);
  EXPECT_EQ(wrong.dump().find("not-the-password"), std::string::npos);
  auto [s3, bad] = Call("POST", "/api/federation/platforms/hub/test", R"({"base_url": "not a url"})");
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(Call("POST", "/api/federation/platforms/hub/test", R"({"colour": "red"})").first, 400);
  EXPECT_EQ(platform()["base_url"], saved_url);

  // Saved, the same settings test as the saved ones and mark the platform connected.
  Call("POST", "/api/federation/platforms/hub", Json{{"base_url", hub.base_url()}}.dump());
  auto [s4, after] = Call("POST", "/api/federation/platforms/hub/test", "");
  EXPECT_EQ(after["connected"], true) << after.dump();
  EXPECT_FALSE(platform()["last_connected_at"].is_null());
}

TEST_F(FederationRoutesTest, FederationRoutesNeedTheToken) {
  httplib::Client anonymous("127.0.0.1", port_);
  auto r = anonymous.Get("/api/federation/platforms");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

}  // namespace
}  // namespace charchive::api
