#include "card/canonical_json.h"

#include <gtest/gtest.h>

namespace charchive {
namespace {

std::string Canon(const char* text) { return CanonicalJson(Json::parse(text)); }

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
  EXPECT_EQ(Canon(R"({ "b": 1, "a": [ true, null, "x" ], "c": {"z": 1, "y": 2} })"),
            R"({"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}})");
}

// RFC 8785 §3.2.3: keys sort by UTF-16 code units, so U+1F600 (a surrogate
// pair starting 0xD83D) sorts before U+FB33.
TEST(CanonicalJson, SortsByUtf16CodeUnits) {
  const char* input =
      "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
      "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
      "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
  std::string out = Canon(input);
  std::vector<std::string> order = {"Carriage Return",      "One",       "Control",
                                    "Latin Small Letter O", "Euro Sign", "Emoji: Grinning Face",
                                    "Hebrew Letter"};
  size_t last = 0;
  for (const auto& v : order) {
    size_t at = out.find(v);
    ASSERT_NE(at, std::string::npos) << v;
    EXPECT_GT(at, last) << v;
    last = at;
  }
}

// RFC 8785 Appendix B number samples.
TEST(CanonicalJson, NumbersInEcmaScriptForm) {
  EXPECT_EQ(Canon("[0.0, -0.0, 1.0, 4.50, 2e-3, 1e21, 1e-7, 0.000001, 123456789012345680000, 333333333.33333329]"),
            "[0,0,1,4.5,0.002,1e+21,1e-7,0.000001,123456789012345680000,333333333.3333333]");
  EXPECT_EQ(Canon("[1.7976931348623157e308, 5e-324, -1.5, 100, 9007199254740993]"),
            "[1.7976931348623157e+308,5e-324,-1.5,100,9007199254740992]");
}

TEST(CanonicalJson, EscapesMinimally) {
  EXPECT_EQ(Canon(R"(["\u0001\b\t\n\f\r\"\\/", "é€"])"), "[\"\\u0001\\b\\t\\n\\f\\r\\\"\\\\/\",\"é€\"]");
}

}  // namespace
}  // namespace charchive
