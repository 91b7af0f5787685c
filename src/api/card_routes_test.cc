#include "api/card_routes.h"

#include <gtest/gtest.h>

#include "card/card_file.h"
#include "testing/api_test_server.h"
#include "testing/test_cards.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::ReadFixture;

constexpr char kToken[] = "card-routes-token";

class CardDownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_default_headers({{"Authorization", std::string("Bearer ") + kToken}});
    png_ = ReadFixture("default_Seraphina.png");
    ImportResult imported = server_->archive().ImportBytes(png_, "s.png");
    ASSERT_TRUE(imported.id) << imported.status.ToString();
    path_ = "/api/cards/" + std::to_string(*imported.id);
    auto download = server_->archive().StreamExport(*imported.id, CardFormat::kPng);
    ASSERT_TRUE(download.ok()) << download.status().ToString();
    ASSERT_TRUE(download->WriteTo(0, download->size(), [this](std::string_view b) {
      export_.append(b);
      return true;
    }).ok());
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

}  // namespace
}  // namespace charchive::api
