#include "util/url.h"

#include <gtest/gtest.h>

namespace charchive {

TEST(Url, SplitsEveryPart) {
  auto url = ParseUrl("HTTPS://Archive.Example.org:8443/ap/inbox?page=2#frag");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "archive.example.org");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->path, "/ap/inbox");
  EXPECT_EQ(url->query, "page=2");
  EXPECT_EQ(url->Origin(), "https://archive.example.org:8443");
  EXPECT_EQ(url->Authority(), "archive.example.org:8443");
  EXPECT_EQ(url->Target(), "/ap/inbox?page=2");
}

TEST(Url, DefaultPortsAreImpliedAndLeftOutOfTheOrigin) {
  EXPECT_EQ(ParseUrl("http://a.example")->port, 80);
  EXPECT_EQ(ParseUrl("https://a.example")->port, 443);
  EXPECT_EQ(ParseUrl("https://a.example:443/x")->Origin(), "https://a.example");
  EXPECT_EQ(ParseUrl("http://a.example:80")->Authority(), "a.example");
  EXPECT_EQ(ParseUrl("http://a.example")->Target(), "/");
  EXPECT_EQ(ParseUrl("http://a.example?q=1")->Target(), "/?q=1");
  EXPECT_EQ(ParseUrl("http://a.example")->path, "");
}

TEST(Url, Ipv6HostsLoseTheirBracketsAndGetThemBackInTheAuthority) {
  auto url = ParseUrl("http://[::1]:8000/api");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8000);
  EXPECT_EQ(url->Origin(), "http://[::1]:8000");
  EXPECT_EQ(ParseUrl("http://[2001:DB8::5]")->host, "2001:db8::5");
}

TEST(Url, RefusesWhatTwoReadersCouldDisagreeAbout) {
  for (const char* text : {"",
                           "example.org",
                           "ftp://example.org",
                           "http://",
                           "http:///path",
                           "http://:80",
                           "http://user@evil.example",
                           "http://a.example@b.example/",
                           "http://a b.example",
                           "http://a.example\\@b.example",
                           "http://a.example:0",
                           "http://a.example:65536",
                           "http://a.example:80x",
                           "http://a.example:",
                           "http://[::1",
                           "http://[nothex]:80",
                           "http://[::1]x",
                           "http://a%2eexample",
                           "http://a.example/\x01",
                           "javascript://x"}) {
    auto url = ParseUrl(text);
    EXPECT_FALSE(url.ok()) << text;
    if (!url.ok()) {
      EXPECT_EQ(url.status().kind(), "bad_url") << text;
    }
  }
}

}  // namespace charchive
