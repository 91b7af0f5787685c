#include "api/stats_routes.h"

#include <gtest/gtest.h>

#include "testing/api_test_server.h"
#include "testing/test_cards.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;

constexpr char kToken[] = "stats-routes-token";

// The count of `label` in one of the answer's charts; -1 when absent.
int64_t CountOf(const Json& chart, const std::string& label) {
  for (const Json& bar : chart) {
    if (bar["label"] == label) return bar["count"].get<int64_t>();
  }
  return -1;
}

TEST(StatsRoutesTest, CountsCardsBySourceSpecCreatorTagTokensAndMonth) {
  ApiTestServer server(kToken);
  httplib::Client client("127.0.0.1", server.port());
  client.set_default_headers({{"Authorization", std::string("Bearer ") + kToken}});
  auto empty = client.Get("/api/stats");
  ASSERT_TRUE(empty);
  ASSERT_EQ(empty->status, 200);
  Json none = Json::parse(empty->body);
  EXPECT_EQ(none["cards"], 0);
  EXPECT_EQ(none["tokens"].size(), 6u);  // every range, with 0
  EXPECT_EQ(CountOf(none["tokens"], "0\u2013499"), 0);

  auto add = [&](const std::string& name, const std::string& creator, const std::vector<std::string>& tags,
                 size_t description_chars) {
    Json card = MakeV2Card(name, std::string(description_chars, 'x'));
    card["data"]["creator"] = creator;
    card["data"]["tags"] = tags;
    ImportResult r = server.archive().ImportBytes(MakeCardPng(card), name + ".png");
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return *r.id;
  };
  add("Alice", "ann", {"elf", "quest"}, 100);
  CardId b = add("Bob", "ann", {"Elf"}, 10000);
  add("Carol", "", {"quest"}, 40000);
  ASSERT_TRUE(server.archive().SetFavorite(b, true).ok());

  auto r = client.Get("/api/stats");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  Json stats = Json::parse(r->body);
  EXPECT_EQ(stats["cards"], 3);
  EXPECT_EQ(stats["favorites"], 1);
  EXPECT_EQ(CountOf(stats["sources"], "import"), 3);
  EXPECT_EQ(CountOf(stats["specs"], "v2"), 3);
  EXPECT_EQ(stats["creators"][0], (Json{{"label", "ann"}, {"count", 2}}));
  EXPECT_EQ(CountOf(stats["creators"], ""), 1);
  EXPECT_EQ(stats["tags"].size(), 2u);  // elf and Elf are one tag
  EXPECT_EQ(CountOf(stats["tags"], "quest"), 2);
  int64_t tokens = 0;
  for (const Json& bar : stats["tokens"]) tokens += bar["count"].get<int64_t>();
  EXPECT_EQ(tokens, 3);
  EXPECT_EQ(CountOf(stats["tokens"], "8000+"), 1);
  EXPECT_EQ(CountOf(stats["tokens"], "2000\u20133999"), 1);
  ASSERT_EQ(stats["imports"].size(), 1u);
  EXPECT_EQ(stats["imports"][0]["count"], 3);
  EXPECT_EQ(stats["imports"][0]["label"].get<std::string>().size(), 7u);  // "YYYY-MM"
}

}  // namespace
}  // namespace charchive::api
