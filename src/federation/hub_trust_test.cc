#include "federation/hub_trust.h"

#include <gtest/gtest.h>

namespace charchive::federation {
namespace {

TEST(HubTrustTest, OriginsAreCanonical) {
  EXPECT_EQ(CanonicalOrigin("HTTPS://Example.ORG:443/ap/actor"), "https://example.org");
  EXPECT_EQ(CanonicalOrigin("http://example.org:80"), "http://example.org");
  EXPECT_EQ(CanonicalOrigin("http://127.0.0.1:8080/ap/cards/1?x#y"), "http://127.0.0.1:8080");
  EXPECT_EQ(CanonicalOrigin("https://[::1]:443/x"), "https://[::1]");
  EXPECT_EQ(CanonicalOrigin("https://[::1]/x"), "https://[::1]");
  EXPECT_EQ(CanonicalOrigin("ftp://example.org/"), "");
  EXPECT_EQ(CanonicalOrigin("http://user@example.org/"), "");
  EXPECT_EQ(CanonicalOrigin("http:///path"), "");
}

TEST(HubTrustTest, TheSignedHostMustBeOurPublicHost) {
  EXPECT_TRUE(IsOurHost("archive.example", "https://archive.example"));
  EXPECT_TRUE(IsOurHost("Archive.Example:443", "https://archive.example"));
  EXPECT_TRUE(IsOurHost("127.0.0.1:8080", "http://127.0.0.1:8080"));
  EXPECT_FALSE(IsOurHost("other.example", "https://archive.example"));
  EXPECT_FALSE(IsOurHost("archive.example:8443", "https://archive.example"));
  EXPECT_FALSE(IsOurHost("127.0.0.1:8081", "http://127.0.0.1:8080"));
  EXPECT_FALSE(IsOurHost("127.0.0.1", "http://127.0.0.1:8080"));
  EXPECT_FALSE(IsOurHost("archive.example/evil", "https://archive.example"));
  EXPECT_FALSE(IsOurHost("", "https://archive.example"));
  EXPECT_FALSE(IsOurHost("archive.example", ""));
}

TEST(HubTrustTest, AnObjectBelongsToTheActorOnItsOrigin) {
  EXPECT_TRUE(ActorOwnsObject("https://a.example/ap/actor", "https://a.example/ap/cards/7"));
  EXPECT_TRUE(ActorOwnsObject("https://A.example:443/ap/actor", "https://a.example/ap/cards/7"));
  EXPECT_FALSE(ActorOwnsObject("https://a.example/ap/actor", "https://b.example/ap/cards/7"));
  EXPECT_FALSE(ActorOwnsObject("https://a.example/ap/actor", "http://a.example/ap/cards/7"));  // another scheme
  EXPECT_FALSE(ActorOwnsObject("https://a.example:8443/ap/actor", "https://a.example/ap/cards/7"));
  EXPECT_FALSE(ActorOwnsObject("not a url", "not a url"));
  // One of our cards imported from a.example is a.example's, not b.example's.
  EXPECT_TRUE(ActorOwnsObject("https://a.example/ap/actor", "https://us.example/ap/cards/3",
                              std::string("https://a.example/ap/cards/9")));
  EXPECT_FALSE(ActorOwnsObject("https://b.example/ap/actor", "https://us.example/ap/cards/3",
                               std::string("https://a.example/ap/cards/9")));
}

CardVerdict Decide(const std::string& type, bool ours, bool owns, bool we_follow, bool follows_us) {
  return DecideCardActivity(CardActivityFacts{.type = type,
                                              .object_is_ours = ours,
                                              .actor_owns_object = owns,
                                              .we_follow_actor = we_follow,
                                              .actor_follows_us = follows_us});
}

TEST(HubTrustTest, StrangersSendNoCardActivities) {
  for (const char* type : {"Create", "Update", "Delete"}) {
    EXPECT_EQ(Decide(type, false, true, false, false), CardVerdict::kStranger) << type;
    EXPECT_EQ(Decide(type, true, false, false, false), CardVerdict::kStranger) << type;
  }
}

TEST(HubTrustTest, ContentComesOnlyFromFollowedOwners) {
  for (const char* type : {"Create", "Update", "Delete"}) {
    EXPECT_EQ(Decide(type, false, true, true, false), CardVerdict::kApply) << type;
    EXPECT_EQ(Decide(type, false, true, true, true), CardVerdict::kApply) << type;
    // A follower this archive does not follow: nothing imported or changed.
    EXPECT_EQ(Decide(type, false, true, false, true), CardVerdict::kNotFollowed) << type;
    // Another actor's object, even from a followed actor.
    EXPECT_EQ(Decide(type, false, false, true, true), CardVerdict::kNotOwner) << type;
  }
}

TEST(HubTrustTest, AnUpdateOfOurCardIsOnlyASuggestion) {
  EXPECT_EQ(Decide("Update", true, false, false, true), CardVerdict::kSuggest);  // a follower
  EXPECT_EQ(Decide("Update", true, false, true, false), CardVerdict::kSuggest);  // a followed actor
  EXPECT_EQ(Decide("Update", true, false, true, true), CardVerdict::kSuggest);
  // Our copy of a followed peer's own card takes its edits.
  EXPECT_EQ(Decide("Update", true, true, true, false), CardVerdict::kApply);
  EXPECT_EQ(Decide("Update", true, true, false, true), CardVerdict::kSuggest);
  // Nobody creates or deletes one of our cards.
  for (bool owns : {false, true}) {
    EXPECT_EQ(Decide("Create", true, owns, true, true), CardVerdict::kNotOwner);
    EXPECT_EQ(Decide("Delete", true, owns, true, true), CardVerdict::kNotOwner);
  }
}

}  // namespace
}  // namespace charchive::federation
