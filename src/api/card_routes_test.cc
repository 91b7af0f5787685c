#include "api/card_routes.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <map>

#include "card/card_file.h"
#include "card/image_hash.h"
#include "card/placeholder_png.h"
#include "testing/api_test_server.h"
#include "testing/test_cards.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;
using charchive::testing::ReadFixture;

constexpr char kToken[] = "card-routes-token";

class CardDownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken);
    client_ = server_->Client();
    png_ = ReadFixture("default_Seraphina.png");
    ImportResult imported = server_->archive().ImportBytes(png_, "s.png");
    ASSERT_TRUE(imported.id) << imported.status.ToString();
    path_ = "/api/cards/" + std::to_string(*imported.id);
    auto download = server_->archive().StreamExport(*imported.id, CardFormat::kPng);
    ASSERT_TRUE(download.ok()) << download.status().ToString();
    ASSERT_TRUE(download
                    ->WriteTo(0, download->size(),
                              [this](std::string_view b) {
                                export_.append(b);
                                return true;
                              })
                    .ok());
  }

  std::unique_ptr<ApiTestServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::string png_;
  std::string path_;
  std::string export_;
};

TEST_F(CardDownloadTest, PngExportIsStreamedWithItsExactLength) {
  auto r = client_->Get(path_ + "/download?format=png");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(export_.size()));
  EXPECT_NE(r->get_header_value("Content-Disposition").find("Seraphina.png"), std::string::npos);
  EXPECT_TRUE(r->body == export_);
  auto loaded = LoadCardBytes(r->body);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->card.name(), "Seraphina");
}

TEST_F(CardDownloadTest, ImageIsTheStoredFile) {
  auto r = client_->Get(path_ + "/image");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(png_.size()));
  EXPECT_EQ(r->get_header_value("Cache-Control"), "private, max-age=60");
  EXPECT_TRUE(r->body == png_);
}

TEST_F(CardDownloadTest, RangesAreServedFromTheStream) {
  auto r = client_->Get(path_ + "/download?format=png", {{"Range", "bytes=100-4099"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 206);
  EXPECT_TRUE(r->body == export_.substr(100, 4000));
  auto tail = client_->Get(path_ + "/image", {{"Range", "bytes=-50"}});
  ASSERT_TRUE(tail);
  ASSERT_EQ(tail->status, 206);
  EXPECT_TRUE(tail->body == png_.substr(png_.size() - 50));
}

TEST_F(CardDownloadTest, JsonAndCharxExportsStillWork) {
  auto json = client_->Get(path_ + "/download?format=json");
  ASSERT_TRUE(json);
  ASSERT_EQ(json->status, 200);
  EXPECT_EQ(json->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json->get_header_value("Content-Length"), std::to_string(json->body.size()));
  EXPECT_EQ(ParseCardBytes(json->body)->name(), "Seraphina");
  auto charx = client_->Get(path_ + "/download?format=charx");
  ASSERT_TRUE(charx);
  ASSERT_EQ(charx->status, 200);
  EXPECT_EQ(charx->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(ParseCardBytes(charx->body)->name(), "Seraphina");
}

TEST_F(CardDownloadTest, MissingCardsAreJsonErrors) {
  auto r = client_->Get("/api/cards/999999/download?format=png");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("\"kind\""), std::string::npos);
  auto image = client_->Get("/api/cards/999999/image");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->status, 404);
}

// The editor's routes: create, clone, replace the image, and the name check.
class CardEditRoutesTest : public CardDownloadTest {
 protected:
  httplib::Result Send(const std::string& method, const std::string& path, const Json& body) {
    if (method == "POST") return client_->Post(path, body.dump(), "application/json");
    return client_->Patch(path, body.dump(), "application/json");
  }
  httplib::Result PutImage(const std::string& path, const std::string& png) {
    httplib::MultipartFormDataItems items = {{"file", png, "new.png", "image/png"}};
    return client_->Put(path + "/image", items);
  }
  std::string Download(const std::string& path) {
    auto r = client_->Get(path + "/download?format=png");
    return r && r->status == 200 ? r->body : "";
  }
  size_t VersionCount(CardId id) { return server_->archive().Versions(id)->size(); }
  CardId Id() { return std::stoll(path_.substr(path_.rfind('/') + 1)); }
};

TEST_F(CardEditRoutesTest, AnEmptyNameIsA400AndChangesNothing) {
  for (const Json& name : {Json(""), Json("   "), Json(nullptr)}) {
    auto r = Send("PATCH", path_, Json{{"data", {{"name", name}, {"scenario", "changed"}}}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << name.dump();
    auto body = Json::parse(r->body);
    EXPECT_EQ(body["kind"], "bad_field");
    EXPECT_NE(body["error"].get<std::string>().find("data.name"), std::string::npos);
  }
  auto card = server_->archive().Get(Id());
  EXPECT_EQ(card->name, "Seraphina");
  EXPECT_EQ(VersionCount(Id()), 1u);
}

TEST_F(CardEditRoutesTest, CreateMakesANewV3CardAndWantsAName) {
  auto r = Send("POST", "/api/cards/new", Json{{"data", {{"name", "Wren"}, {"tags", {"original"}}}}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  auto body = Json::parse(r->body);
  EXPECT_EQ(body["name"], "Wren");
  EXPECT_EQ(body["spec"], "v3");
  EXPECT_EQ(body["data"]["tags"], Json::array({"original"}));
  EXPECT_EQ(body["data"]["first_mes"], "");
  // The same content again is a second card, not a duplicate.
  auto again = Send("POST", "/api/cards/new", Json{{"data", {{"name", "Wren"}, {"tags", {"original"}}}}});
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 201);
  EXPECT_NE(Json::parse(again->body)["id"], body["id"]);
  for (const Json& data : {Json{{"description", "x"}}, Json{{"name", ""}}, Json{{"name", 5}}}) {
    auto bad = Send("POST", "/api/cards/new", Json{{"data", data}});
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400) << data.dump();
    EXPECT_EQ(Json::parse(bad->body)["kind"], "bad_field");
  }
  EXPECT_EQ(server_->archive().CardIds()->size(), 3u);
}

TEST_F(CardEditRoutesTest, CloneCopiesContentAndImageUnderANewName) {
  ASSERT_EQ(Send("PATCH", path_, Json{{"data", {{"scenario", "Edited before the clone."}}}})->status, 200);
  auto r = Send("POST", path_ + "/clone", Json::object());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  auto clone = Json::parse(r->body);
  EXPECT_EQ(clone["name"], "Seraphina (copy)");
  EXPECT_EQ(clone["data"]["scenario"], "Edited before the clone.");
  EXPECT_EQ(clone["image_hash"], server_->archive().Get(Id())->image_hash.value());
  CardId clone_id = clone["id"].get<CardId>();
  EXPECT_EQ(VersionCount(clone_id), 1u);
  auto png = LoadCardBytes(Download("/api/cards/" + std::to_string(clone_id)));
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->card.name(), "Seraphina (copy)");
  auto named = Send("POST", path_ + "/clone", Json{{"name", "Seraphina, again"}});
  ASSERT_TRUE(named);
  EXPECT_EQ(Json::parse(named->body)["name"], "Seraphina, again");
  auto missing = Send("POST", "/api/cards/999999/clone", Json::object());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(CardEditRoutesTest, ReplacingTheImageKeepsTheContentAsANewVersion) {
  std::string before = server_->archive().Get(Id())->raw_json;
  // A PNG that carries another card: only its image is taken.
  std::string other = MakeCardPng(MakeV2Card("Someone else"));
  auto r = PutImage(path_, other);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto card = server_->archive().Get(Id());
  EXPECT_EQ(card->raw_json, before);
  EXPECT_EQ(card->image_hash, *PngImageHash(other));
  EXPECT_EQ(VersionCount(Id()), 2u);
  EXPECT_EQ(server_->archive().Versions(Id())->front().reason, "edit");
  auto image = client_->Get(path_ + "/image");
  ASSERT_TRUE(image);
  EXPECT_EQ(*PngImageHash(image->body), *PngImageHash(other));
  auto png = LoadCardBytes(Download(path_));
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->card.name(), "Seraphina");
  EXPECT_EQ(*PngImageHash(png->png), *PngImageHash(other));
  EXPECT_TRUE(server_->archive().Doctor()->consistent());
}

TEST_F(CardEditRoutesTest, AJsonCardGetsAnImageAndBecomesAPngCard) {
  auto made = Send("POST", "/api/cards/new", Json{{"data", {{"name", "Imageless"}}}});
  ASSERT_EQ(made->status, 201);
  std::string path = "/api/cards/" + std::to_string(Json::parse(made->body)["id"].get<CardId>());
  EXPECT_EQ(client_->Get(path + "/image")->status, 404);
  auto r = PutImage(path, PlaceholderPng());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto body = Json::parse(r->body);
  EXPECT_EQ(body["format"], "png");
  EXPECT_EQ(body["name"], "Imageless");
  EXPECT_EQ(client_->Get(path + "/image")->status, 200);
}

TEST_F(CardEditRoutesTest, ANonPngImageIsRefused) {
  auto r = PutImage(path_, "GIF89a not a png");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json::parse(r->body)["kind"], "bad_image");
  EXPECT_EQ(VersionCount(Id()), 1u);
  auto none = client_->Put(path_ + "/image", "", "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400);
}

// The entries of a zip, by name (libzip, as the test cards are made).
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (!zip) {
    zip_source_free(source);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(zip, static_cast<zip_uint64_t>(i), 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(zip, static_cast<zip_uint64_t>(i), 0);
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    out[st.name] = std::move(data);
  }
  zip_discard(zip);
  return out;
}

TEST_F(CardEditRoutesTest, ExportPutsTheChosenCardsInOneZip) {
  auto clone = Send("POST", path_ + "/clone", Json{{"name", "Seraphina"}});  // the same file name twice
  ASSERT_TRUE(clone);
  CardId twin = Json::parse(clone->body)["id"].get<CardId>();
  auto r = Send("POST", "/api/cards/export", Json{{"cardIds", {Id(), twin}}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/zip");
  EXPECT_NE(r->get_header_value("Content-Disposition").find("cards.zip"), std::string::npos);
  auto files = Unzip(r->body);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(files["Seraphina.png"] == Download(path_));
  auto second = LoadCardBytes(files["Seraphina (2).png"]);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->card.name(), "Seraphina");

  auto json = Send("POST", "/api/cards/export", Json{{"cardIds", Json::array({Id()})}, {"format", "json"}});
  ASSERT_TRUE(json);
  ASSERT_EQ(json->status, 200);
  EXPECT_EQ(Unzip(json->body).count("Seraphina.json"), 1u);
  EXPECT_EQ(Send("POST", "/api/cards/export", Json{{"cardIds", Json::array({Id()})}, {"format", "gif"}})->status, 400);
  EXPECT_EQ(Send("POST", "/api/cards/export", Json{{"cardIds", Json::array()}})->status, 400);
  EXPECT_EQ(Send("POST", "/api/cards/export", Json{{"cardIds", {Id(), 999999}}})->status, 404);
}

}  // namespace
}  // namespace charchive::api
