#include "card/archive_marker.h"

#include <gtest/gtest.h>

#include "card/content_hash.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeV2Card;

Card Parse(const Json& document) {
  auto card = Card::FromDocument(document);
  EXPECT_TRUE(card.ok()) << card.status().ToString();
  return card.ok() ? *card : Card();
}

TEST(ArchiveMarker, IsWrittenReadBackAndReplaced) {
  Card card = Parse(MakeV2Card("Mira"));
  EXPECT_FALSE(ReadArchiveMarker(card));
  auto marked = WithArchiveMarker(card, {"archive-a", 12});
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(marked->spec(), CardSpec::kV2);
  EXPECT_EQ(marked->document()["data"]["extensions"]["charchive"], (Json{{"archive", "archive-a"}, {"card_id", 12}}));
  EXPECT_EQ(ReadArchiveMarker(*marked), (ArchiveMarker{"archive-a", 12}));
  auto again = WithArchiveMarker(*marked, {"archive-b", 3});
  EXPECT_EQ(ReadArchiveMarker(*again), (ArchiveMarker{"archive-b", 3}));
}

TEST(ArchiveMarker, KeepsTheSpecAndAV1CardBecomesV2) {
  Json v3 = MakeV2Card("Vee");
  v3["spec"] = "chara_card_v3";
  v3["spec_version"] = "3.0";
  auto marked = WithArchiveMarker(Parse(v3), {"a", 1});
  EXPECT_EQ(marked->spec(), CardSpec::kV3);
  auto v1 = WithArchiveMarker(Parse(Json{{"name", "Old"}, {"description", "flat"}}), {"a", 2});
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->spec(), CardSpec::kV2);
  EXPECT_EQ(ReadArchiveMarker(*v1), (ArchiveMarker{"a", 2}));
}

// The marker is never content: a marked card hashes as the card.
TEST(ArchiveMarker, IsNoContent) {
  Card card = Parse(MakeV2Card("Hash"));
  EXPECT_EQ(ContentHash(*WithArchiveMarker(card, {"a", 1})), ContentHash(card));
  EXPECT_EQ(ContentHash(*WithArchiveMarker(card, {"b", 9})), ContentHash(card));
}

// A peer's copy is data from outside: a marker of another shape is no marker.
TEST(ArchiveMarker, OfAnotherShapeIsNone) {
  for (const Json& bad : {Json("x"), Json{{"archive", 1}, {"card_id", 2}}, Json{{"archive", "a"}},
                          Json{{"archive", ""}, {"card_id", 2}}, Json{{"archive", "a"}, {"card_id", "2"}}}) {
    Json doc = MakeV2Card("Bad");
    doc["data"]["extensions"]["charchive"] = bad;
    EXPECT_FALSE(ReadArchiveMarker(Parse(doc))) << bad.dump();
  }
}

}  // namespace
}  // namespace charchive
