#include "federation/activity_documents.h"

#include <gtest/gtest.h>

#include "testing/test_cards.h"

namespace charchive::federation {
namespace {

const NodeUrls kUrls{"https://archive.example:8443"};

TEST(ActivityDocumentsTest, UrlsBelowThePublicUrl) {
  EXPECT_EQ(kUrls.Host(), "archive.example:8443");
  EXPECT_EQ(kUrls.KeyId(), "https://archive.example:8443/ap/actor#main-key");
  EXPECT_EQ(kUrls.CardIdOf("https://archive.example:8443/ap/cards/42"), 42);
  for (const char* other : {"https://archive.example:8443/ap/cards/", "https://archive.example:8443/ap/cards/4x",
                            "https://archive.example:8443/ap/cards/42/image", "https://other.example/ap/cards/42",
                            "https://archive.example:8443/ap/cards/1234567890123456789"}) {
    EXPECT_FALSE(kUrls.CardIdOf(other).has_value()) << other;
  }
}

TEST(ActivityDocumentsTest, WebFingerAnswersOnlyItsOwnAccount) {
  auto doc = WebFingerDocument(kUrls, "acct:archive@archive.example:8443");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ((*doc)["links"][0]["href"], kUrls.Actor());
  EXPECT_EQ((*doc)["links"][0]["type"], kActivityJson);
  EXPECT_TRUE(WebFingerDocument(kUrls, kUrls.Actor()).has_value());
  EXPECT_FALSE(WebFingerDocument(kUrls, "acct:someone@archive.example:8443").has_value());
  EXPECT_FALSE(WebFingerDocument(kUrls, "acct:archive@elsewhere.example").has_value());
}

TEST(ActivityDocumentsTest, ActorPublishesItsKeyAndEndpoints) {
  Json actor = ActorDocument(kUrls, "Archive", "PEM");
  EXPECT_EQ(actor["type"], "Service");
  EXPECT_EQ(actor["inbox"], kUrls.Inbox());
  EXPECT_EQ(actor["publicKey"]["id"], kUrls.KeyId());
  EXPECT_EQ(actor["publicKey"]["owner"], kUrls.Actor());
  EXPECT_EQ(actor["publicKey"]["publicKeyPem"], "PEM");
}

TEST(ActivityDocumentsTest, CardObjectCarriesTheV3CardAndReadsBack) {
  Json v2 = testing::MakeV2Card("Mira");
  v2["data"]["tags"] = Json::array({"slice of life", "fantasy"});
  Card card = std::move(Card::FromDocument(v2)).value();
  Json object = CardObject(card, {.id = kUrls.Card(7),
                                  .attributed_to = kUrls.Actor(),
                                  .published = "p",
                                  .updated = "u",
                                  .image_url = kUrls.CardImage(7),
                                  .content_hash = "h"});
  EXPECT_EQ(object["type"], "Note");
  EXPECT_EQ(object["mediaType"], "application/json");
  EXPECT_EQ(object["character:spec"], "chara_card_v3");
  EXPECT_EQ(object["tag"][0]["name"], "#slice_of_life");
  Json content = Json::parse(object["content"].get<std::string>());
  EXPECT_EQ(content["spec"], "chara_card_v3");
  EXPECT_EQ(content["data"]["name"], "Mira");

  auto parsed = ParseCardObject(object);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->id, kUrls.Card(7));
  EXPECT_EQ(parsed->updated, "u");
  EXPECT_EQ(parsed->image_url, kUrls.CardImage(7));
  EXPECT_TRUE(Card::FromJson(parsed->content).ok());
}

TEST(ActivityDocumentsTest, ParseCardObjectNamesWhatIsMissing) {
  EXPECT_EQ(ParseCardObject(Json("https://x/ap/cards/1")).status().kind(), "bad_activity");
  EXPECT_NE(ParseCardObject(Json{{"type", "Note"}}).status().message().find("no id"), std::string::npos);
  auto no_content = ParseCardObject(Json{{"id", "https://x/ap/cards/1"}, {"content", 3}});
  EXPECT_NE(no_content.status().message().find("no content"), std::string::npos);
}

TEST(ActivityDocumentsTest, ObjectIdFromStringsAndObjects) {
  EXPECT_EQ(ObjectId(Json("https://x/1")), "https://x/1");
  EXPECT_EQ(ObjectId(Json{{"id", "https://x/2"}}), "https://x/2");
  EXPECT_FALSE(ObjectId(Json{{"id", 3}}).has_value());
  EXPECT_FALSE(ObjectId(Json(nullptr)).has_value());
}

}  // namespace
}  // namespace charchive::federation
