#include "api/server.h"

#include <gtest/gtest.h>

#include <thread>

#include "card/card_file.h"
#include "card/content_hash.h"
#include "testing/api_test_server.h"
#include "testing/test_cards.h"
#include "util/inflate.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;
using charchive::testing::ReadFixture;
using charchive::testing::TempDir;

constexpr char kToken[] = "test-token-123";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken, false, 80u << 20);
    port_ = server_->port();
    archive_ = &server_->archive();
    client_ = server_->Client();
  }

  Json Body(const httplib::Result& r) {
    EXPECT_TRUE(r) << "no response";
    if (!r) return Json();
    Json j = Json::parse(r->body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r->body;
    return j;
  }

  httplib::Result Upload(const std::vector<std::pair<std::string, std::string>>& files) {
    httplib::MultipartFormDataItems items;
    for (const auto& [name, bytes] : files) items.push_back({"file", bytes, name, "application/octet-stream"});
    return client_->Post("/api/cards", items);
  }

  int64_t UploadOne(const std::string& name, const std::string& bytes) {
    auto r = Upload({{name, bytes}});
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r)["results"][0].value("id", int64_t{0});
  }

  int64_t Count(const std::string& query) {
    auto r = client_->Get("/api/cards?" + query);
    EXPECT_EQ(r->status, 200) << r->body;
    return Body(r)["total"].get<int64_t>();
  }

  std::unique_ptr<ApiTestServer> server_;
  Archive* archive_ = nullptr;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

TEST_F(ServerTest, HealthIsOpenEverythingElseNeedsTheToken) {
  httplib::Client anonymous("127.0.0.1", port_);
  EXPECT_EQ(anonymous.Get("/api/health")->status, 200);
  auto r = anonymous.Get("/api/cards");
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(Body(r)["error"].get<std::string>().find("Bearer"), std::string::npos);
  anonymous.set_default_headers({{"Authorization", "Bearer wrong"}});
  EXPECT_EQ(anonymous.Get("/api/cards")->status, 401);
  EXPECT_EQ(anonymous.Get("/api/tags")->status, 401);
  EXPECT_EQ(anonymous.Delete("/api/cards/1")->status, 401);
}

TEST_F(ServerTest, TheCardLifecycle) {
  int64_t id = UploadOne("default_Seraphina.png", ReadFixture("default_Seraphina.png"));
  for (int i = 0; i < 3; ++i) {
    Json doc = MakeV2Card("Gen " + std::to_string(i), "A generated mapmaker number " + std::to_string(i));
    doc["data"]["tags"] = {"generated"};
    doc["data"].erase("character_book");
    UploadOne("gen" + std::to_string(i) + ".png", MakeCardPng(doc));
  }
  EXPECT_EQ(Count(""), 4);
  EXPECT_EQ(Count("q=protective"), 1);  // a word from Seraphina's description
  EXPECT_EQ(Count("q=mapmak"), 3);      // prefix search
  EXPECT_EQ(Count("tags=generated"), 3);
  EXPECT_EQ(Count("exclude_tags=generated"), 1);
  EXPECT_EQ(Count("has_lorebook=true"), 1);

  Json list = Body(client_->Get("/api/cards?sort=name&order=asc&limit=2&page=2"));
  EXPECT_EQ(list["page"], 2);
  EXPECT_EQ(list["limit"], 2);
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["name"], "Gen 2");

  Json card = Body(client_->Get("/api/cards/" + std::to_string(id)));
  EXPECT_EQ(card["name"], "Seraphina");
  EXPECT_EQ(card["data"]["name"], "Seraphina");
  EXPECT_EQ(card["lorebook_entries"], 4);
  std::string old_hash = card["content_hash"];

  auto patched = client_->Patch("/api/cards/" + std::to_string(id),
                                R"({"data":{"description":"A kindly glassblower."}})", "application/json");
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_NE(Body(patched)["content_hash"], old_hash);
  EXPECT_EQ(Count("q=glassblower"), 1);
  EXPECT_EQ(Count("q=protective"), 0);

  Json versions = Body(client_->Get("/api/cards/" + std::to_string(id) + "/versions"));
  ASSERT_EQ(versions["versions"].size(), 2u);
  int64_t first = versions["versions"][1]["id"];
  Json version = Body(client_->Get("/api/cards/" + std::to_string(id) + "/versions/" + std::to_string(first)));
  EXPECT_EQ(version["reason"], "import");
  EXPECT_NE(version["data"]["description"].get<std::string>().find("protective"), std::string::npos);
  auto restored = client_->Post("/api/cards/" + std::to_string(id) + "/versions/" + std::to_string(first) + "/restore");
  ASSERT_EQ(restored->status, 200);
  EXPECT_EQ(Body(restored)["content_hash"], old_hash);
  EXPECT_EQ(Count("q=protective"), 1);

  auto png = client_->Get("/api/cards/" + std::to_string(id) + "/download?format=png");
  ASSERT_EQ(png->status, 200);
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  EXPECT_NE(png->get_header_value("Content-Disposition").find("Seraphina.png"), std::string::npos);
  auto loaded = LoadCardBytes(png->body);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(ContentHash(loaded->card), old_hash);

  auto thumb = client_->Get("/api/cards/" + std::to_string(id) + "/thumbnail");
  ASSERT_EQ(thumb->status, 200);
  EXPECT_EQ(thumb->get_header_value("Content-Type"), "image/jpeg");
  httplib::Headers conditional = {{"If-None-Match", thumb->get_header_value("ETag")}};
  EXPECT_EQ(client_->Get("/api/cards/" + std::to_string(id) + "/thumbnail", conditional)->status, 304);

  auto fav = client_->Post("/api/cards/" + std::to_string(id) + "/favorite");
  EXPECT_EQ(Body(fav)["favorite"], true);
  EXPECT_EQ(Count("favorite=true"), 1);

  Json tags = Body(client_->Get("/api/tags"));
  EXPECT_EQ(tags["tags"][0]["tag"], "generated");
  EXPECT_EQ(tags["tags"][0]["count"], 3);

  ASSERT_EQ(client_->Delete("/api/cards/" + std::to_string(id))->status, 200);
  EXPECT_FALSE(Body(client_->Get("/api/cards/" + std::to_string(id)))["trashed_at"].is_null());
  EXPECT_EQ(Count(""), 3);
  EXPECT_EQ(Body(client_->Delete("/api/trash"))["deleted"], 1);
  EXPECT_EQ(client_->Get("/api/cards/" + std::to_string(id))->status, 404);
}

TEST_F(ServerTest, UploadReportsDuplicatesAndFailuresPerFile) {
  std::string png = ReadFixture("default_Seraphina.png");
  auto r = Upload({{"a.png", png}, {"b.png", png}, {"bad.png", png.substr(0, 1000)}});
  ASSERT_EQ(r->status, 201);
  Json body = Body(r);
  EXPECT_EQ(body["imported"], 1);
  EXPECT_EQ(body["duplicates"], 1);
  EXPECT_EQ(body["failed"], 1);
  EXPECT_EQ(body["results"][1]["duplicateOf"], body["results"][0]["id"]);
  EXPECT_EQ(body["results"][2]["kind"], "truncated");
}

TEST_F(ServerTest, BadInputIs4xxJsonAndChangesNothing) {
  std::string png = ReadFixture("default_Seraphina.png");
  struct Case {
    std::string name, bytes, kind;
  };
  std::vector<Case> uploads = {
      {"truncated.png", png.substr(0, png.size() / 3), "truncated"},
      {"nocard.png", PlaceholderPng(), "no_card"},
      {"huge.png", charchive::testing::MakePngWithText("chara", std::string(60u << 20, 'A')), "too_large"},
      {"invalid.json", "{\"name\":", "bad_json"},
      {"traversal.charx", charchive::testing::RawZip({{"card.json", "{}"}, {"../evil.txt", "x"}}), "unsafe_path"},
  };
  for (const auto& c : uploads) {
    auto r = Upload({{c.name, c.bytes}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << c.name;
    Json body = Body(r);
    EXPECT_EQ(body["results"][0]["kind"], c.kind) << c.name;
    EXPECT_TRUE(body.contains("error"));
  }
  EXPECT_EQ(Count(""), 0);

  auto big = Upload({{"big.png", std::string(90u << 20, 'x')}});
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_NE(Body(big)["error"].get<std::string>().find("MiB"), std::string::npos);

  int64_t id = UploadOne("ok.png", MakeCardPng(MakeV2Card("Valid")));
  std::string path = "/api/cards/" + std::to_string(id);
  auto wrong_type = client_->Patch(path, R"({"data":{"tags":"nope"}})", "application/json");
  EXPECT_EQ(wrong_type->status, 400);
  EXPECT_NE(Body(wrong_type)["error"].get<std::string>().find("data.tags"), std::string::npos);
  EXPECT_EQ(client_->Patch(path, "{not json", "application/json")->status, 400);
  EXPECT_EQ(client_->Patch(path, R"({"description":"x"})", "application/json")->status, 400);
  EXPECT_EQ(Body(client_->Get(path + "/versions"))["versions"].size(), 1u);

  EXPECT_EQ(client_->Get("/api/cards/999999")->status, 404);
  EXPECT_EQ(client_->Patch("/api/cards/999999", R"({"data":{}})", "application/json")->status, 404);
  EXPECT_EQ(client_->Get("/api/cards/abc")->status, 404);
  EXPECT_EQ(client_->Get("/api/cards/..%2f..%2fetc")->status, 404);
  EXPECT_EQ(client_->Get("/api/cards?page=0")->status, 400);
  EXPECT_EQ(client_->Get("/api/cards?limit=100000")->status, 400);
  EXPECT_EQ(client_->Get("/api/cards?favorite=maybe")->status, 400);
  auto fts = client_->Get("/api/cards?q=%22unclosed");
  EXPECT_EQ(fts->status, 400);
  EXPECT_EQ(Body(fts)["kind"], "bad_query");
  EXPECT_EQ(client_->Get("/api/cards?q=%27%3B%20DROP%20TABLE%20cards%3B--")->status, 200);
  EXPECT_EQ(client_->Get(path + "/download?format=gif")->status, 400);
  EXPECT_EQ(client_->Post("/api/cards", "{}", "application/json")->status, 400);
  EXPECT_EQ(Count(""), 1);
}

// Deep JSON from the owner's own client used to overflow the stack in the
// recursive copy and dump of the body; the bounded reader refuses it while
// parsing, so nothing later recurses over it.
TEST_F(ServerTest, DeepJsonBodiesAre400AndChangeNothing) {
  int64_t id = UploadOne("ok.png", MakeCardPng(MakeV2Card("Valid")));
  const std::string card = "/api/cards/" + std::to_string(id);
  const std::string deep = std::string(60000, '[') + std::string(60000, ']');
  auto expect_too_deep = [&](const httplib::Result& r, const std::string& what) {
    ASSERT_TRUE(r) << what << ": no answer (the server died?)";
    EXPECT_EQ(r->status, 400) << what << ": " << r->body;
    Json body = Body(r);
    EXPECT_EQ(body["kind"], "json_too_deep") << what;
    EXPECT_NE(body["error"].get<std::string>().find("deeper than 64"), std::string::npos) << what;
    auto health = client_->Get("/api/health");
    ASSERT_TRUE(health) << what;
    EXPECT_EQ(health->status, 200) << what;
  };
  expect_too_deep(client_->Patch(card, "{\"data\":{\"extensions\":{\"x\":" + deep + "}}}", "application/json"),
                  "PATCH data");
  expect_too_deep(
      client_->Post("/api/federation/platforms/architect", "{\"options\":{\"x\":" + deep + "}}", "application/json"),
      "platform options");
  expect_too_deep(client_->Post("/api/federation/cards/" + std::to_string(id) + "/resolve/architect",
                                "{\"strategy\":\"merge\",\"fields\":" + deep + "}", "application/json"),
                  "resolve fields");
  expect_too_deep(client_->Post("/api/federation/jobs", "{\"kind\":" + deep + "}", "application/json"), "job");
  expect_too_deep(client_->Put("/api/hub", "{\"enabled\":" + deep + "}", "application/json"), "hub settings");
  expect_too_deep(client_->Put("/api/sources/chub", "{\"filters\":" + deep + "}", "application/json"), "source");

  EXPECT_EQ(Body(client_->Get(card + "/versions"))["versions"].size(), 1u);
  for (const Json& p : Body(client_->Get("/api/federation/platforms"))["platforms"]) {
    EXPECT_EQ(p["options"], Json::object()) << p["platform"];
  }
}

// A field of the wrong type in a request body is 400 bad_field naming it
// (nlohmann's value() threw here: an unlogged 500).
TEST_F(ServerTest, WrongTypesInRequestBodiesAre400NamingTheField) {
  int64_t id = UploadOne("ok.png", MakeCardPng(MakeV2Card("Valid")));
  struct Case {
    std::string path, body, field;
  };
  const std::vector<Case> cases = {
      {"/api/cards/" + std::to_string(id) + "/favorite", R"({"favorite":"yes"})", "favorite"},
      {"/api/federation/pull/architect", R"({"new":"yes"})", "new"},
      {"/api/federation/pull/architect", R"({"all":1})", "all"},
  };
  for (const Case& c : cases) {
    auto r = client_->Post(c.path, c.body, "application/json");
    ASSERT_TRUE(r) << c.path;
    EXPECT_EQ(r->status, 400) << c.path << " " << r->body;
    Json body = Body(r);
    EXPECT_EQ(body["kind"], "bad_field") << c.path;
    EXPECT_EQ(body["error"].get<std::string>().rfind(c.field + " must be", 0), 0u) << body["error"];
  }
  EXPECT_EQ(Body(client_->Get("/api/cards/" + std::to_string(id)))["favorite"], false);
}

}  // namespace
}  // namespace charchive::api
