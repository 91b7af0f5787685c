#include "federation/secret_redaction.h"

#include <gtest/gtest.h>

#include <string>

namespace charchive::federation {
namespace {

constexpr char kSecret[] = "s3cr3t/k\"ey+x";

std::string Redacted(std::string text) {
  RedactSecrets(text, {kSecret});
  return text;
}

TEST(SecretRedactionTest, EveryFormAPeerMayEchoIsReplaced) {
  EXPECT_EQ(Redacted(std::string("raw ") + kSecret), "raw [redacted]");
  EXPECT_EQ(Redacted(R"({"echo":"s3cr3t/k\"ey+x"})"), R"({"echo":"[redacted]"})");
  EXPECT_EQ(Redacted(R"({"echo":"s3cr3t\/k\"ey+x"})"), R"({"echo":"[redacted]"})");
  EXPECT_EQ(Redacted("key=s3cr3t%2Fk%22ey%2Bx&a=1"), "key=[redacted]&a=1");
  EXPECT_EQ(Redacted("key=s3cr3t%2fk%22ey%2bx"), "key=[redacted]");
  EXPECT_EQ(Redacted("<p>s3cr3t/k&quot;ey+x</p>"), "<p>[redacted]</p>");
}

TEST(SecretRedactionTest, AJsonTextThatSpellsTheSecretWithUnicodeEscapesIsDecodedAndRedacted) {
  // "s3cr3t/k\"ey+x" with every letter as \u00XX: no raw form matches.
  std::string escaped =
      R"({"error":"bad key \u0073\u0033\u0063\u0072\u0033\u0074\u002f\u006b\u0022\u0065\u0079\u002b\u0078","n":1})";
  std::string out = Redacted(escaped);
  EXPECT_EQ(out, R"({"error":"bad key [redacted]","n":1})");
  std::string in_key = R"({"\u0073\u0033cr3t/k\"ey+x":true})";
  EXPECT_EQ(Redacted(in_key), R"({"[redacted]":true})");
}

TEST(SecretRedactionTest, TextWithoutTheSecretIsLeftByteForByte) {
  std::string body = R"({ "name" : "Seraphina\u00e9", "b":[1,2.50] })";
  EXPECT_EQ(Redacted(body), body);
}

TEST(SecretRedactionTest, DeepJsonIsNotDecodedAndDoesNotCrash) {
  std::string deep(200000, '[');
  deep += std::string("\"\\u0073") + "3cr3t/k\\\"ey+x\"";
  deep += std::string(200000, ']');
  std::string out = Redacted(deep);
  EXPECT_EQ(out.size(), deep.size());  // left as it is: too deep to decode
}

TEST(SecretRedactionTest, ShortSecretsAreIgnored) {
  std::string text = "abc abc";
  RedactSecrets(text, {"abc"});
  EXPECT_EQ(text, "abc abc");
}

}  // namespace
}  // namespace charchive::federation
