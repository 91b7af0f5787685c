#include "card/json_fields.h"

#include <gtest/gtest.h>

namespace charchive {
namespace {

JsonFields Peer(const Json& doc) { return JsonFields::Of(doc, JsonOrigin::Peer("Test peer /x")).value(); }

TEST(JsonFields, ReadsFieldsOfTheRightType) {
  Json doc = {{"s", "text"}, {"b", true}, {"i", 42}, {"f", 7.0}, {"o", {{"k", "v"}}}, {"a", {1, 2}}, {"n", nullptr}};
  JsonFields f = Peer(doc);
  EXPECT_EQ(f.String("s").value(), "text");
  EXPECT_EQ(f.BoolOr("b", false).value(), true);
  EXPECT_EQ(f.IntOr("i", 0).value(), 42);
  EXPECT_EQ(f.IntOr("f", 0).value(), 7);
  EXPECT_EQ(f.Object("o").value().String("k").value(), "v");
  EXPECT_EQ(f.Array("a").value().size(), 2u);
  EXPECT_TRUE(f.Has("s"));
  EXPECT_FALSE(f.Has("n"));  // null is absent
  EXPECT_TRUE(f.Raw("missing").is_null());
}

TEST(JsonFields, AbsentAndNullFieldsGiveTheFallback) {
  Json doc = {{"n", nullptr}};
  JsonFields f = Peer(doc);
  EXPECT_EQ(f.StringOr("n", "dflt").value(), "dflt");
  EXPECT_EQ(f.StringOr("missing", "dflt").value(), "dflt");
  EXPECT_FALSE(f.OptionalString("n").value().has_value());
  EXPECT_FALSE(f.OptionalBool("missing").value().has_value());
  EXPECT_EQ(f.IntOr("missing", 9).value(), 9);
  EXPECT_FALSE(f.OptionalObject("n").value().has_value());
}

TEST(JsonFields, AWrongTypeIsAPeerBadResponseNamingPeerAndField) {
  Json doc = {{"s", 5},
              {"b", "yes"},
              {"i", "12"},
              {"o", Json::array()},
              {"a", {{"k", 1}}},
              {"frac", 1.5},
              {"big", 18446744073709551615ull},
              {"huge", 1e300},
              {"meta", {{"id", false}}}};
  JsonFields f = Peer(doc);
  std::vector<Status> errors = {f.String("s").status(),        f.StringOr("s", "").status(),
                                f.BoolOr("b", false).status(), f.IntOr("i", 0).status(),
                                f.Object("o").status(),        f.Array("a").status(),
                                f.IntOr("frac", 0).status(),   f.IntOr("big", 0).status(),
                                f.IntOr("huge", 0).status(),   f.Object("meta").value().String("id").status()};
  for (const Status& st : errors) {
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), StatusCode::kRemoteError);
    EXPECT_EQ(st.kind(), "peer_bad_response");
    EXPECT_EQ(st.message().rfind("Test peer /x: ", 0), 0u) << st.message();
  }
  EXPECT_EQ(f.String("s").status().message(), "Test peer /x: s must be a string, not number");
  EXPECT_EQ(f.Object("meta").value().String("id").status().message(),
            "Test peer /x: meta.id must be a string, not boolean");
  EXPECT_EQ(f.String("missing").status().message(), "Test peer /x: missing is missing");
}

TEST(JsonFields, RequestBodiesGiveBadField) {
  Json doc = {{"favorite", "yes"}};
  auto f = JsonFields::Of(doc, JsonOrigin::Request());
  ASSERT_TRUE(f.ok());
  Status st = f->OptionalBool("favorite").status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(st.kind(), "bad_field");
  EXPECT_EQ(st.message(), "favorite must be true or false, not string");
}

TEST(JsonFields, OnlyObjectsAreViewed) {
  for (const Json& not_object : {Json::array(), Json("x"), Json(1), Json(nullptr)}) {
    auto f = JsonFields::Of(not_object, JsonOrigin::Peer("Test peer /x"));
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.status().kind(), "peer_bad_response");
  }
}

TEST(JsonFields, FindStringIsLenientAndNeverThrows) {
  Json doc = {{"s", "x"}, {"n", 1}};
  ASSERT_NE(FindString(doc, "s"), nullptr);
  EXPECT_EQ(*FindString(doc, "s"), "x");
  EXPECT_EQ(FindString(doc, "n"), nullptr);
  EXPECT_EQ(FindString(doc, "missing"), nullptr);
  EXPECT_EQ(FindString(Json::array({1}), "s"), nullptr);
  EXPECT_EQ(FindString(Json("s"), "s"), nullptr);
}

}  // namespace
}  // namespace charchive
