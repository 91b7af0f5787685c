#include "api/source_routes.h"

#include <gtest/gtest.h>

#include "testing/api_test_server.h"
#include "tests/fakes/fake_chub.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::FakeChub;

constexpr char kToken[] = "sources-token";

class SourceRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken);
    client_ = server_->Client();
  }

  std::pair<int, Json> Call(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Result r = method == "GET"   ? client_->Get(path.c_str())
                        : method == "PUT" ? client_->Put(path.c_str(), body, "application/json")
                                          : client_->Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return {0, nullptr};
    return {r->status, Json::parse(r->body, nullptr, false)};
  }

  std::unique_ptr<ApiTestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(SourceRoutesTest, SettingsKeepTheKeySecretAndRefuseBadInput) {
  auto [status, list] = Call("GET", "/api/sources");
  ASSERT_EQ(status, 200);
  ASSERT_EQ(list["sources"].size(), 2u);
  EXPECT_TRUE(list["sources"][0]["api_key"].is_null());
  EXPECT_TRUE(list["sources"][0]["last_run"].is_null());

  auto [put, updated] = Call("PUT", "/api/sources/chub", R"({"api_key": "super-secret", "filters": {"nsfw": true}})");
  ASSERT_EQ(put, 200) << updated.dump();
  EXPECT_EQ(updated["source"]["api_key"], "***configured***");
  EXPECT_EQ(updated["source"]["filters"]["nsfw"], true);
  auto [get, one] = Call("GET", "/api/sources/chub");
  EXPECT_EQ(get, 200);
  EXPECT_EQ(one.dump().find("super-secret"), std::string::npos);

  for (const char* body : {R"({"interval_minutes": 99999})", R"({"filters": {"colour": "red"}})", R"({"what": 1})",
                           R"({"base_url": "not a url"})", "[1]", "{broken"}) {
    auto [bad, error] = Call("PUT", "/api/sources/chub", body);
    EXPECT_EQ(bad, 400) << body;
    EXPECT_TRUE(error.contains("error")) << body;
  }
  EXPECT_EQ(Call("GET", "/api/sources/chub").second["filters"]["nsfw"], true);  // unchanged by the refusals
  EXPECT_EQ(Call("PUT", "/api/sources/nosuch", "{}").first, 404);
  EXPECT_EQ(Call("GET", "/api/sources/nosuch/runs").first, 404);
  EXPECT_EQ(Call("GET", "/api/sources/cards/12345").first, 404);
  EXPECT_EQ(Call("POST", "/api/sources/chub/unblock", "{}").first, 400);
  EXPECT_EQ(Call("POST", "/api/sources/chub/unblock", R"({"source_id": "a/b"})").first, 404);
  EXPECT_EQ(Call("GET", "/api/sources/chub/runs?limit=0").first, 400);
}

TEST_F(SourceRoutesTest, OneQueuedRunAtATimeAndCancel) {
  auto [queued, run] = Call("POST", "/api/sources/ct/sync", R"({"full": true})");
  ASSERT_EQ(queued, 202) << run.dump();
  EXPECT_EQ(run["run"]["status"], "queued");
  EXPECT_EQ(run["run"]["full"], true);
  EXPECT_EQ(Call("POST", "/api/sources/ct/sync", "{}").first, 409);
  EXPECT_EQ(Call("POST", "/api/sources/ct/sync", R"({"full": "yes"})").first, 400);
  int64_t id = run["run"]["id"];
  EXPECT_EQ(Call("GET", "/api/sources/chub/runs/" + std::to_string(id)).first, 404);  // another source's run
  auto [cancelled, after] = Call("POST", "/api/sources/ct/runs/" + std::to_string(id) + "/cancel");
  ASSERT_EQ(cancelled, 200);
  EXPECT_EQ(after["status"], "cancelled");
  EXPECT_EQ(Call("POST", "/api/sources/ct/sync", "{}").first, 202);  // free again
}

TEST_F(SourceRoutesTest, TheServerRunsAQueuedRun) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("amy", "lark", "x"));
  Json settings = {{"base_url", chub.base_url()}, {"image_base_url", chub.base_url()}, {"request_interval_ms", 0}};
  ASSERT_EQ(Call("PUT", "/api/sources/chub", settings.dump()).first, 200);
  auto [queued, run] = Call("POST", "/api/sources/chub/sync", "{}");
  ASSERT_EQ(queued, 202);
  int watcher = server_->events().Subscribe();
  server_->source_scheduler().Start();
  // The scheduler publishes the run's end: wait for it (30 s: the failure deadline).
  bool ended = false;
  while (!ended) {
    auto event = server_->events().Next(watcher, std::chrono::seconds(30));
    ASSERT_TRUE(event.has_value()) << "the run did not end";
    ended = (*event)["type"] == "source_run" && (*event)["run"]["id"] == run["run"]["id"] &&
            (*event)["run"]["status"] != "queued" && (*event)["run"]["status"] != "running";
  }
  std::string path = "/api/sources/chub/runs/" + std::to_string(run["run"]["id"].get<int64_t>());
  Json now = Call("GET", path).second;
  EXPECT_EQ(now["status"], "done") << now.dump();
  EXPECT_EQ(now["new"], 1);
  EXPECT_EQ(now["trigger"], "api");
  auto [listed, runs] = Call("GET", "/api/sources/chub/runs");
  EXPECT_EQ(listed, 200);
  EXPECT_EQ(runs["runs"][0]["id"], run["run"]["id"]);
  EXPECT_EQ(Call("GET", "/api/sources").second["sources"][0]["last_run"]["status"], "done");
}

}  // namespace
}  // namespace charchive::api
