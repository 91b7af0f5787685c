#include "api/watch_routes.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/api_test_server.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::TempDir;

constexpr char kToken[] = "watch-token";

class WatchRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken);
    client_ = server_->Client();
  }

  std::pair<int, Json> Call(const std::string& method, const std::string& body = "") {
    httplib::Result r =
        method == "GET" ? client_->Get("/api/watch") : client_->Put("/api/watch", body, "application/json");
    EXPECT_TRUE(r) << method;
    if (!r) return {0, nullptr};
    return {r->status, Json::parse(r->body, nullptr, false)};
  }

  TempDir folders_;
  std::unique_ptr<ApiTestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WatchRoutesTest, NoFoldersAtFirst) {
  auto [status, view] = Call("GET");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(view["folders"], Json::array());
  EXPECT_EQ(view["pending"]["writing"], 0);
  EXPECT_EQ(view["pending"]["settling"], 0);
  EXPECT_EQ(view["recent"], Json::array());
}

TEST_F(WatchRoutesTest, PutKeepsFolders) {
  const std::string folder = folders_.File("cards");
  std::filesystem::create_directories(folder);
  auto [status, view] = Call("PUT", Json{{"folders", {folder}}}.dump());
  ASSERT_EQ(status, 200) << view.dump();
  ASSERT_EQ(view["folders"].size(), 1u);
  EXPECT_EQ(view["folders"][0]["path"], folder);
  EXPECT_EQ(view["folders"][0]["origin"], "setting");
  EXPECT_EQ(view["folders"][0]["watching"], true);
  EXPECT_TRUE(view["folders"][0]["error"].is_null());
  EXPECT_EQ(Call("GET").second["folders"], view["folders"]);
  auto [cleared, empty] = Call("PUT", R"({"folders": []})");
  EXPECT_EQ(cleared, 200);
  EXPECT_EQ(empty["folders"], Json::array());
}

TEST_F(WatchRoutesTest, BadFoldersAre400AndChangeNothing) {
  const std::string folder = folders_.File("kept");
  std::filesystem::create_directories(folder);
  ASSERT_EQ(Call("PUT", Json{{"folders", {folder}}}.dump()).first, 200);
  const std::pair<std::string, std::string> cases[] = {
      {Json{{"folders", {"relative/dir"}}}.dump(), "watch_folder_not_absolute"},
      {Json{{"folders", {folder, folders_.File("missing")}}}.dump(), "watch_folder_missing"},
      {R"({"folders": "/tmp"})", "bad_field"},
      {R"({"folders": [1]})", "bad_field"},
      {R"({})", "bad_field"},
      {"{broken", "bad_json"},
  };
  for (const auto& [body, kind] : cases) {
    auto [status, error] = Call("PUT", body);
    EXPECT_EQ(status, 400) << body;
    EXPECT_EQ(error["kind"], kind) << body;
  }
  auto view = Call("GET").second;
  ASSERT_EQ(view["folders"].size(), 1u);
  EXPECT_EQ(view["folders"][0]["path"], folder);
}

}  // namespace
}  // namespace charchive::api
