#include "util/base64.h"

#include <gtest/gtest.h>

namespace charchive {

TEST(Base64, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>(i * 37));
    auto decoded = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64, KnownVectors) {
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(*Base64Decode("Zm8"), "fo");             // padding optional
  EXPECT_EQ(*Base64Decode("Zm9v\nYmFy"), "foobar");  // whitespace skipped
}

TEST(Base64, RejectsGarbage) {
  auto bad = Base64Decode("Zm9v*mFy");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), "bad_base64");
  EXPECT_FALSE(Base64Decode("Zm9vY").ok());     // impossible length
  EXPECT_FALSE(Base64Decode("Zm8=Zm8=").ok());  // data after padding
}

}  // namespace charchive
