#include "card/json_parse.h"

#include <gtest/gtest.h>

#include "card/errors.h"

namespace charchive {
namespace {

std::string NestedArrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string NestedObjects(size_t depth) {
  std::string text;
  for (size_t i = 0; i < depth; ++i) text += "{\"a\":";
  text += "1";
  text += std::string(depth, '}');
  return text;
}

TEST(JsonParse, ReadsADocumentWithKeyOrderKept) {
  auto doc = ParseJsonText(R"({"z":1,"a":[true,null,"x"],"m":{"k":-2.5}})");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->dump(), R"({"z":1,"a":[true,null,"x"],"m":{"k":-2.5}})");
}

TEST(JsonParse, ArraysDeeperThanTheLimitAreRefusedWithoutRecursing) {
  // 300,000 levels: a recursive parser or copy overflows the stack long before.
  auto deep = ParseJsonText(NestedArrays(300000));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().kind(), card_error::kJsonTooDeep);
  EXPECT_EQ(deep.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(deep.status().message().find("64"), std::string::npos);
  // Unclosed brackets are refused by simdjson's structural pass, before any nesting.
  EXPECT_EQ(ParseJsonText(std::string(100000, '[')).status().kind(), card_error::kBadJson);
}

TEST(JsonParse, ObjectsDeeperThanTheLimitAreRefused) {
  auto deep = ParseJsonText(NestedObjects(100000));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().kind(), card_error::kJsonTooDeep);
}

// The depth is the number of values on the deepest path, the innermost one
// included: 64 nested empty arrays, or 63 containers around a scalar.
TEST(JsonParse, TheDepthLimitIsExactly64Levels) {
  auto at_limit = ParseJsonText(NestedArrays(limits::kMaxJsonDepth));
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  EXPECT_EQ(at_limit->dump(), NestedArrays(limits::kMaxJsonDepth));
  EXPECT_EQ(ParseJsonText(NestedArrays(limits::kMaxJsonDepth + 1)).status().kind(), card_error::kJsonTooDeep);
  EXPECT_TRUE(ParseJsonText(NestedObjects(limits::kMaxJsonDepth - 1)).ok());
  EXPECT_EQ(ParseJsonText(NestedObjects(limits::kMaxJsonDepth)).status().kind(), card_error::kJsonTooDeep);
  // A smaller limit for callers that want one.
  EXPECT_EQ(ParseJsonText("[[[1]]]", JsonLimits{.max_depth = 2}).status().kind(), card_error::kJsonTooDeep);
}

TEST(JsonParse, TextLongerThanTheSizeLimitIsRefusedBeforeParsing) {
  std::string huge = "\"" + std::string(limits::kMaxJsonText, 'x') + "\"";
  auto refused = ParseJsonText(huge);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), card_error::kJsonTooLarge);
  std::string small = "\"" + std::string(1000, 'x') + "\"";
  EXPECT_EQ(ParseJsonText(small, JsonLimits{.max_bytes = 1001}).status().kind(), card_error::kJsonTooLarge);
  EXPECT_TRUE(ParseJsonText(small, JsonLimits{.max_bytes = 1002}).ok());
}

TEST(JsonParse, InvalidTextIsBadJson) {
  for (const char* text : {"", "{", "[1,]", "{\"a\" 1}", "nul", "\"\xff\"", "123456789012345678901234567890"}) {
    auto doc = ParseJsonText(text);
    ASSERT_FALSE(doc.ok()) << text;
    EXPECT_EQ(doc.status().kind(), card_error::kBadJson) << text;
  }
}

}  // namespace
}  // namespace charchive
