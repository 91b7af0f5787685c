#include "sync/greeting_alignment.h"

#include <gtest/gtest.h>

namespace charchive::sync {
namespace {

using Matches = std::vector<std::optional<size_t>>;

TEST(AlignGreetings, KeptEditedAddedAndRemoved) {
  Json from = {"a", "b", "c", "d"};
  EXPECT_EQ(AlignGreetings(from, from), (Matches{0, 1, 2, 3}));
  // b edited, d removed, e added at the front.
  EXPECT_EQ(AlignGreetings(from, Json({"e", "a", "B", "c"})), (Matches{std::nullopt, 0, 1, 2}));
  // b removed: c and d keep their identity.
  EXPECT_EQ(AlignGreetings(from, Json({"a", "c", "d"})), (Matches{0, 2, 3}));
  // More new than old between two anchors: the rest were added.
  EXPECT_EQ(AlignGreetings(Json({"a", "x", "d"}), Json({"a", "y", "z", "d"})), (Matches{0, 1, std::nullopt, 2}));
  EXPECT_EQ(AlignGreetings(Json::array(), Json({"a"})), (Matches{std::nullopt}));
  EXPECT_EQ(AlignGreetings(from, Json::array()), Matches{});
}

TEST(MatchEqualGreetings, OnlyEqualOnes) {
  EXPECT_EQ(MatchEqualGreetings(Json({"a", "b"}), Json({"b", "c", "a"})), (Matches{1, std::nullopt, 0}));
  EXPECT_EQ(MatchEqualGreetings(Json({"a"}), Json({"a", "a"})), (Matches{0, std::nullopt}));
}

}  // namespace
}  // namespace charchive::sync
