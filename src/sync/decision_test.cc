#include "sync/decision.h"

#include <gtest/gtest.h>

namespace charchive::sync {
namespace {

ItemValues Values(std::optional<Json> lb, std::optional<Json> l, std::optional<Json> rb, std::optional<Json> r) {
  return {std::move(lb), std::move(l), std::move(rb), std::move(r)};
}

TEST(Decide, TheTable) {
  EXPECT_EQ(Decide(Values("a", "a", "a", "a")), Decision::kUnchanged);
  EXPECT_EQ(Decide(Values("a", "b", "a", "a")), Decision::kTakeLocal);
  EXPECT_EQ(Decide(Values("a", "a", "a", "c")), Decision::kTakeRemote);
  EXPECT_EQ(Decide(Values("a", "b", "a", "b")), Decision::kConverged);
  EXPECT_EQ(Decide(Values("a", "b", "a", "c")), Decision::kConflict);
}

TEST(Decide, EachSideAgainstItsOwnBase) {
  // The peer stored "x" as "y" on import and never changed it since.
  EXPECT_EQ(Decide(Values("x", "x", "y", "y")), Decision::kUnchanged);
  EXPECT_EQ(Decide(Values("x", "z", "y", "y")), Decision::kTakeLocal);
  EXPECT_EQ(Decide(Values("x", "x", "y", "z")), Decision::kTakeRemote);
}

TEST(Decide, AbsenceIsAValue) {
  EXPECT_EQ(Decide(Values(std::nullopt, "new", std::nullopt, std::nullopt)), Decision::kTakeLocal);
  EXPECT_EQ(Decide(Values("old", "old", "old", std::nullopt)), Decision::kTakeRemote);
  EXPECT_EQ(Decide(Values("old", std::nullopt, "old", std::nullopt)), Decision::kConverged);
  EXPECT_EQ(Decide(Values("old", std::nullopt, "old", "edited")), Decision::kConflict);
}

TEST(Decide, ComparesCanonicalJson) {
  Json a = Json::parse(R"({"x":1,"y":[1,2]})"), b = Json::parse(R"({"y":[1,2],"x":1.0})");
  EXPECT_TRUE(SameValue(a, b));
  EXPECT_EQ(Decide(Values(a, b, a, a)), Decision::kUnchanged);
}

TEST(OutcomeOf, TheWholeCard) {
  using D = Decision;
  EXPECT_EQ(OutcomeOf({}), Outcome::kUnchanged);
  EXPECT_EQ(OutcomeOf({D::kUnchanged, D::kUnchanged}), Outcome::kUnchanged);
  EXPECT_EQ(OutcomeOf({D::kUnchanged, D::kTakeLocal, D::kConverged}), Outcome::kPush);
  EXPECT_EQ(OutcomeOf({D::kTakeRemote, D::kUnchanged}), Outcome::kPull);
  EXPECT_EQ(OutcomeOf({D::kTakeRemote, D::kTakeLocal}), Outcome::kPushAndPull);
  EXPECT_EQ(OutcomeOf({D::kConverged, D::kUnchanged}), Outcome::kConverged);
  EXPECT_EQ(OutcomeOf({D::kTakeLocal, D::kConflict, D::kTakeRemote}), Outcome::kConflict);
  EXPECT_STREQ(OutcomeName(Outcome::kPushAndPull), "push_and_pull");
  EXPECT_STREQ(DecisionName(Decision::kTakeRemote), "take_remote");
}

}  // namespace
}  // namespace charchive::sync
