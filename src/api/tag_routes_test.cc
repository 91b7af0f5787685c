#include "api/tag_routes.h"

#include <gtest/gtest.h>

#include "testing/api_test_server.h"
#include "testing/test_cards.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::MakeCardPng;
using charchive::testing::MakeV2Card;

constexpr char kToken[] = "tag-routes-token";

// The tag manager's and the bulk bar's routes (docs/api.md "Tags"), through
// the whole server stack.
class TagRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>(kToken);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_default_headers({{"Authorization", std::string("Bearer ") + kToken}});
  }

  CardId Import(const std::string& name, const std::vector<std::string>& tags) {
    Json card = MakeV2Card(name);
    card["data"]["tags"] = tags;
    ImportResult r = server_->archive().ImportBytes(MakeCardPng(card), name + ".png");
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return r.id.value_or(0);
  }

  std::pair<int, Json> Post(const std::string& path, const Json& body) {
    auto r = client_->Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(r) << path;
    if (!r) return {0, nullptr};
    return {r->status, Json::parse(r->body, nullptr, false)};
  }

  std::vector<std::string> TagsOf(CardId id) { return server_->archive().Get(id)->tags; }

  std::unique_ptr<ApiTestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(TagRoutesTest, RenameMergeAndDeleteAnswerTheNewCounts) {
  CardId a = Import("Alice", {"elf", "quest"});
  CardId b = Import("Bob", {"Elf", "sci-fi"});
  CardId c = Import("Carol", {"scifi", "quest"});

  auto [s1, renamed] = Post("/api/tags/rename", {{"from", "elf"}, {"to", "elves"}});
  ASSERT_EQ(s1, 200) << renamed.dump();
  EXPECT_EQ(renamed["changed"], 2);
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"elves", "quest"}));
  EXPECT_EQ(TagsOf(b), (std::vector<std::string>{"elves", "sci-fi"}));
  bool counted = false;
  for (const Json& t : renamed["tags"]) counted |= t["tag"] == "elves" && t["count"] == 2;
  EXPECT_TRUE(counted) << renamed["tags"].dump();

  auto [s2, merged] = Post("/api/tags/merge", {{"from", Json::array({"sci-fi", "scifi"})}, {"to", "science fiction"}});
  ASSERT_EQ(s2, 200) << merged.dump();
  EXPECT_EQ(merged["changed"], 2);
  EXPECT_EQ(TagsOf(c), (std::vector<std::string>{"science fiction", "quest"}));

  auto [s3, deleted] = Post("/api/tags/delete", {{"tag", "quest"}});
  ASSERT_EQ(s3, 200) << deleted.dump();
  EXPECT_EQ(deleted["changed"], 2);
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"elves"}));
  for (const Json& t : deleted["tags"]) EXPECT_NE(t["tag"], "quest");
  EXPECT_EQ(server_->archive().Versions(a)->size(), 3u);  // import, rename, delete
}

TEST_F(TagRoutesTest, BadRequestsAre4xxAndChangeNothing) {
  CardId a = Import("Alice", {"elf"});
  auto [s1, blank] = Post("/api/tags/rename", {{"from", "elf"}, {"to", " "}});
  EXPECT_EQ(s1, 400);
  EXPECT_EQ(blank["kind"], "bad_tag");
  auto [s2, unknown] = Post("/api/tags/rename", {{"from", "dwarf"}, {"to", "dwarves"}});
  EXPECT_EQ(s2, 404);
  EXPECT_EQ(unknown["kind"], "unknown_tag");
  EXPECT_EQ(Post("/api/tags/rename", {{"from", "elf"}}).first, 400);
  EXPECT_EQ(Post("/api/tags/merge", {{"from", "elf"}, {"to", "x"}}).first, 400);  // from must be a list
  EXPECT_EQ(Post("/api/tags/merge", {{"from", Json::array({1})}, {"to", "x"}}).first, 400);
  EXPECT_EQ(Post("/api/tags/delete", {{"tag", "dwarf"}}).first, 404);
  EXPECT_EQ(Post("/api/cards/bulk/tags", {{"cardIds", Json::array({a})}}).first, 400);  // nothing to add or remove
  EXPECT_EQ(Post("/api/cards/bulk/tags", {{"cardIds", Json::array()}, {"add", Json::array({"x"})}}).first, 400);
  auto [s3, missing] = Post("/api/cards/bulk/tags", {{"cardIds", Json::array({a, 9999})}, {"add", Json::array({"x"})}});
  EXPECT_EQ(s3, 404);
  EXPECT_EQ(missing["kind"], "not_found");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"elf"}));
  EXPECT_EQ(server_->archive().Versions(a)->size(), 1u);
}

TEST_F(TagRoutesTest, BulkTagsAndBulkFavorite) {
  CardId a = Import("Alice", {"draft", "elf"});
  CardId b = Import("Bob", {"draft"});
  CardId c = Import("Carol", {"draft"});
  auto [s1, edited] =
      Post("/api/cards/bulk/tags",
           {{"cardIds", Json::array({a, b})}, {"add", Json::array({"done"})}, {"remove", Json::array({"draft"})}});
  ASSERT_EQ(s1, 200) << edited.dump();
  EXPECT_EQ(edited["changed"], 2);
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"elf", "done"}));
  EXPECT_EQ(TagsOf(b), (std::vector<std::string>{"done"}));
  EXPECT_EQ(TagsOf(c), (std::vector<std::string>{"draft"}));

  auto [s2, favored] = Post("/api/cards/bulk/favorite", {{"cardIds", Json::array({a, c})}, {"favorite", true}});
  ASSERT_EQ(s2, 200) << favored.dump();
  EXPECT_EQ(favored["changed"], 2);
  EXPECT_TRUE(server_->archive().Get(a)->favorite);
  EXPECT_FALSE(server_->archive().Get(b)->favorite);
  EXPECT_TRUE(server_->archive().Get(c)->favorite);
  EXPECT_EQ(Post("/api/cards/bulk/favorite", {{"cardIds", Json::array({a})}}).first, 400);
  EXPECT_EQ(Post("/api/cards/bulk/favorite", {{"cardIds", Json::array({b, 9999})}, {"favorite", true}}).first, 404);
  EXPECT_FALSE(server_->archive().Get(b)->favorite);  // nothing changed
  ASSERT_EQ(Post("/api/cards/bulk/favorite", {{"cardIds", Json::array({a})}, {"favorite", false}}).first, 200);
  EXPECT_FALSE(server_->archive().Get(a)->favorite);
}

}  // namespace
}  // namespace charchive::api
