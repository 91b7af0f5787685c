#include "sources/source_client.h"

#include <gtest/gtest.h>

#include "sources/character_tavern_client.h"
#include "sources/chub_client.h"
#include "tests/fakes/fake_chub.h"

namespace charchive::sources {
namespace {

using charchive::testing::FakeChub;

TEST(ChubMappingTest, ListedCardReadsTheClockTokensAndTags) {
  auto card = ChubListedCard(Json{{"fullPath", "amy/lark"},
                                  {"name", "Lark"},
                                  {"nTokens", 812},
                                  {"topics", {"ROOT", "NSFW", "Fantasy"}},
                                  {"createdAt", "2025-01-01T00:00:00Z"},
                                  {"lastActivityAt", "2026-02-03T04:05:06.7Z"}})
                  .value();
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->source_id, "amy/lark");
  EXPECT_EQ(card->creator, "amy");
  EXPECT_EQ(card->updated_at, "2026-02-03T04:05:06.700Z");
  EXPECT_EQ(card->token_count, 812);
  EXPECT_EQ(card->tags, (std::vector<std::string>{"NSFW", "Fantasy"}));
  EXPECT_TRUE(card->nsfw);
  EXPECT_FALSE(ChubListedCard(Json{{"name", "no path"}}).value().has_value());
  EXPECT_FALSE(ChubListedCard(Json::array()).value().has_value());
  // Without lastActivityAt the archiver's fallbacks apply.
  EXPECT_EQ(ChubListedCard(Json{{"fullPath", "a/b"}, {"createdAt", "2025-01-01T00:00:00Z"}}).value()->updated_at,
            "2025-01-01T00:00:00.000Z");
}

TEST(ChubMappingTest, DefinitionFieldsLandWhereChubMeansThem) {
  Json node = {{"id", 77},
               {"fullPath", "amy/lark"},
               {"topics", {"ROOT", "Birds"}},
               {"definition",
                {{"name", "Lark"},
                 {"personality", "A small bird."},
                 {"tavern_personality", "cheerful"},
                 {"description", "made for fun"},
                 {"first_message", "Tweet"},
                 {"example_dialogs", "<START>"},
                 {"embedded_lorebook", {{"entries", Json::array()}}},
                 {"extensions", {{"depth_prompt", {{"prompt", "x"}}}}}}}};
  auto doc = ChubCardDocument(node);
  ASSERT_TRUE(doc.ok());
  const Json& d = (*doc)["data"];
  EXPECT_EQ((*doc)["spec"], "chara_card_v2");
  EXPECT_EQ(d["description"], "A small bird.");
  EXPECT_EQ(d["personality"], "cheerful");
  EXPECT_EQ(d["creator_notes"], "made for fun");
  EXPECT_EQ(d["first_mes"], "Tweet");
  EXPECT_EQ(d["mes_example"], "<START>");
  EXPECT_EQ(d["creator"], "amy");
  EXPECT_EQ(d["tags"], Json::array({"Birds"}));
  EXPECT_TRUE(d.contains("character_book"));
  EXPECT_EQ(d["extensions"]["depth_prompt"]["prompt"], "x");
  EXPECT_EQ(d["extensions"]["chub"]["id"], 77);
  EXPECT_EQ(ChubCardDocument(Json{{"fullPath", "a/b"}}).status().kind(), "peer_bad_response");
}

TEST(CharacterTavernMappingTest, ListedCardAndDocument) {
  auto never_updated = CharacterTavernListedCard(Json{{"id", 12},
                                                      {"path", "Zed/Sky Pirate"},
                                                      {"author", "Zed"},
                                                      {"createdAt", 1767225600},
                                                      {"lastUpdateAt", 0},
                                                      {"totalTokens", 900},
                                                      {"isNSFW", true},
                                                      {"tags", {"Pirates"}}})
                           .value();
  ASSERT_TRUE(never_updated.has_value());
  EXPECT_EQ(never_updated->source_id, "12");
  EXPECT_EQ(never_updated->updated_at, "2026-01-01T00:00:00.000Z");  // 0 means never: createdAt
  EXPECT_TRUE(never_updated->nsfw);
  EXPECT_FALSE(CharacterTavernListedCard(Json{{"id", 1}}).value().has_value());
  EXPECT_EQ(CharacterTavernDetailPath("Zed/Sky Pirate"), "zed/sky_pirate");

  Json card = {{"id", 12},
               {"path", "Zed/Sky Pirate"},
               {"name", "Sky Pirate"},
               {"inChatName", "Captain"},
               {"tagline", "Arr"},
               {"definition_character_description", "A pirate."},
               {"definition_first_message", "Ahoy"}};
  auto doc = CharacterTavernCardDocument(card, Json::array({"Pirates"}), Json::array({"Hi", 3}), Json());
  ASSERT_TRUE(doc.ok());
  const Json& d = (*doc)["data"];
  EXPECT_EQ(d["name"], "Captain");
  EXPECT_EQ(d["creator_notes"], "Arr");                      // no description: the tagline
  EXPECT_EQ(d["alternate_greetings"], Json::array({"Hi"}));  // non-strings dropped
  EXPECT_FALSE(d.contains("character_book"));
  EXPECT_EQ(d["extensions"]["character_tavern"]["id"], "12");
  EXPECT_EQ(CharacterTavernCardDocument(Json("x"), Json(), Json(), Json()).status().kind(), "peer_bad_response");
}

// A wrong type in any field the sources' readers take is peer_bad_response
// naming the field (nlohmann's value() threw here, on the SourceScheduler's
// thread: std::terminate).
TEST(SourceMappingTest, WrongTypesAreRefusedNamingTheField) {
  const Json chub_node = {{"fullPath", "amy/lark"}, {"definition", {{"name", "Lark"}}}};
  struct Case {
    const char* field;
    Json node;
  };
  auto with = [](Json base, const std::string& key, Json value) {
    base[key] = std::move(value);
    return base;
  };
  auto with_def = [&](const std::string& key, Json value) {
    Json base = chub_node;
    base["definition"][key] = std::move(value);
    return base;
  };
  for (const Case& c : std::vector<Case>{{"fullPath", with(chub_node, "fullPath", 5)},
                                         {"name", with(chub_node, "name", Json::array())},
                                         {"nTokens", with(chub_node, "nTokens", "many")},
                                         {"nTokens", with(chub_node, "nTokens", 1e300)},
                                         {"topics", with(chub_node, "topics", "Birds")},
                                         {"topics", with(chub_node, "topics", Json::array({1}))},
                                         {"nsfw_image", with(chub_node, "nsfw_image", "yes")}}) {
    auto listed = ChubListedCard(c.node);
    EXPECT_EQ(listed.status().kind(), "peer_bad_response") << c.field;
    EXPECT_NE(listed.status().message().find(c.field), std::string::npos) << listed.status().message();
    EXPECT_EQ(ChubCardDocument(c.node).status().kind(), "peer_bad_response") << c.field;
  }
  for (const Case& c : std::vector<Case>{{"definition.personality", with_def("personality", 1)},
                                         {"definition.name", with_def("name", false)},
                                         {"definition.alternate_greetings", with_def("alternate_greetings", "hi")}}) {
    auto doc = ChubCardDocument(c.node);
    EXPECT_EQ(doc.status().kind(), "peer_bad_response") << c.field;
    EXPECT_NE(doc.status().message().find(c.field), std::string::npos) << doc.status().message();
  }

  const Json hit = {{"id", 12}, {"path", "Zed/Sky Pirate"}};
  for (const Case& c : std::vector<Case>{{"id", with(hit, "id", Json::object())},
                                         {"path", with(hit, "path", 3)},
                                         {"author", with(hit, "author", 3)},
                                         {"totalTokens", with(hit, "totalTokens", "900")},
                                         {"tags", with(hit, "tags", "Pirates")},
                                         {"isNSFW", with(hit, "isNSFW", 1)}}) {
    auto listed = CharacterTavernListedCard(c.node);
    EXPECT_EQ(listed.status().kind(), "peer_bad_response") << c.field;
    EXPECT_NE(listed.status().message().find(c.field), std::string::npos) << listed.status().message();
  }
  const Json lorebook = {{"entries", Json::array({Json{{"name", "Gull"}}})}};
  for (const Case& c : std::vector<Case>{{"inChatName", with(hit, "inChatName", 1)},
                                         {"definition_scenario", with(hit, "definition_scenario", Json::array())}}) {
    auto doc = CharacterTavernCardDocument(c.node, Json(), Json(), Json());
    EXPECT_EQ(doc.status().kind(), "peer_bad_response") << c.field;
    EXPECT_NE(doc.status().message().find(c.field), std::string::npos) << doc.status().message();
  }
  for (const char* field : {"enabled", "constant", "insertionOrder", "keys", "content"}) {
    Json book = lorebook;
    book["entries"][0][field] = Json::object();
    auto doc = CharacterTavernCardDocument(hit, Json(), Json(), book);
    EXPECT_EQ(doc.status().kind(), "peer_bad_response") << field;
    EXPECT_NE(doc.status().message().find(field), std::string::npos) << doc.status().message();
  }
  EXPECT_TRUE(CharacterTavernCardDocument(hit, Json(), Json(), lorebook).ok());
}

TEST(PassesFiltersTest, EveryFilter) {
  ListedCard card{.creator = "Amy", .token_count = 500, .tags = {"Fantasy", "Birds"}, .nsfw = false};
  EXPECT_TRUE(PassesFilters(card, {}));
  EXPECT_TRUE(PassesFilters(card, {.tags = {"fantasy", "birds"}}));
  EXPECT_FALSE(PassesFilters(card, {.tags = {"fantasy", "cats"}}));
  EXPECT_TRUE(PassesFilters(card, {.creators = {"bob", "amy"}}));
  EXPECT_FALSE(PassesFilters(card, {.creators = {"bob"}}));
  EXPECT_FALSE(PassesFilters(card, {.min_tokens = 501}));
  card.nsfw = true;
  EXPECT_FALSE(PassesFilters(card, {}));
  EXPECT_TRUE(PassesFilters(card, {.nsfw = true}));
}

class GarbageHub {
 public:
  GarbageHub() {
    server_.Get("/search", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("<html>not json</html>", "text/html");
    });
    server_.Get("/api/search/cards", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"results": []})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // A stop() before the accept loop runs would be lost: its first answer says that it runs.
    httplib::Client probe("127.0.0.1", port_);
    probe.set_read_timeout(30, 0);
    (void)probe.Get("/api/search/cards");
  }
  ~GarbageHub() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(SourceClientTest, AHubAnsweringGarbageIsARemoteError) {
  GarbageHub hub;
  HostRateLimiter limiter;
  Politeness p;
  p.min_interval = std::chrono::milliseconds(0);
  SourceHttp http(limiter, p, {}, {});
  ChubClient chub(http, hub.url(), hub.url());
  auto page = chub.ListPage("all", {}, 1);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().kind(), "peer_bad_response");
  CharacterTavernClient ct(http, hub.url(), hub.url());
  auto hits = ct.ListPage("all", {}, 1);
  ASSERT_FALSE(hits.ok());
  EXPECT_EQ(hits.status().code(), StatusCode::kRemoteError);
  // A card the hub no longer has.
  auto missing = chub.Fetch(ListedCard{.source_id = "gone/card", .path = "gone/card"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), "source_card_missing");
}

TEST(SourceClientTest, ChubCardWithoutItsImageGetsAPlaceholderCarryingTheDefinition) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("amy", "lark", "x"));
  HostRateLimiter limiter;
  Politeness p;
  p.min_interval = std::chrono::milliseconds(0);
  SourceHttp http(limiter, p, {}, {});
  GarbageHub no_images;  // answers 404 for every image
  ChubClient client(http, chub.base_url(), no_images.url());
  auto fetched = client.Fetch(ListedCard{.source_id = "amy/lark", .path = "amy/lark"});
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ(fetched->card.name(), "lark");
  EXPECT_EQ(fetched->png.substr(1, 3), "PNG");
}

}  // namespace
}  // namespace charchive::sources
