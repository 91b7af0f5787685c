#include "card/charx.h"

#include <gtest/gtest.h>
#include <zip.h>

#include "card/errors.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::RawZip;

const char kCard[] = R"({"spec":"chara_card_v3","spec_version":"3.0","data":{"name":"Zed","assets":[
  {"type":"icon","uri":"embeded://assets/icon/images/main.png","name":"main","ext":"png"},
  {"type":"background","uri":"embedded://assets/background/images/bg.png","name":"bg","ext":"png"}]}})";

TEST(Charx, RoundTripResolvesTheMainIcon) {
  std::map<std::string, std::string> files = {
      {"assets/icon/images/main.png", "ICON"}, {"assets/background/images/bg.png", "BG"}, {"x_meta/1.json", "{}"}};
  auto zip = WriteCharx(kCard, files);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  auto back = ReadCharx(*zip);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->card_json, kCard);
  EXPECT_EQ(back->files, files);
  EXPECT_EQ(back->main_icon, "ICON");
}

TEST(Charx, AcceptsTheEmbeddedSpellingAndCcdefault) {
  std::string card = R"({"data":{"assets":[{"type":"icon","uri":"embedded://a.png","name":"main"}]}})";
  auto zip = RawZip({{"card.json", card}, {"a.png", "PIXELS"}, {"assets/", ""}});
  auto read = ReadCharx(zip);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->main_icon, "PIXELS");
  EXPECT_EQ(read->files.count("assets/"), 0u);  // folder entries are skipped

  std::string dflt = R"({"data":{"assets":[{"type":"icon","uri":"ccdefault:","name":"main"}]}})";
  auto read2 = ReadCharx(RawZip({{"card.json", dflt}}));
  ASSERT_TRUE(read2.ok());
  EXPECT_TRUE(read2->main_icon.empty());
}

TEST(Charx, ErrorKinds) {
  EXPECT_EQ(ReadCharx("PK\x03\x04 not really a zip").status().kind(), card_error::kBadZip);
  EXPECT_EQ(ReadCharx("").status().kind(), card_error::kBadZip);
  EXPECT_EQ(ReadCharx(RawZip({{"other.json", "{}"}})).status().kind(), card_error::kNoCard);
  for (const char* name : {"../evil.txt", "assets/../../evil.txt", "/etc/passwd", "assets\\evil.txt", "C:/evil"}) {
    auto r = ReadCharx(RawZip({{"card.json", "{}"}, {name, "x"}}));
    EXPECT_EQ(r.status().kind(), card_error::kUnsafePath) << name;
  }
  EXPECT_EQ(WriteCharx("{}", {{"../evil", "x"}}).status().kind(), card_error::kUnsafePath);
}

TEST(Charx, LimitsHold) {
  // 51 MiB of zeros deflates to ~50 KiB: a small file, a large entry.
  auto big = ReadCharx(RawZip({{"card.json", "{}"}, {"big.bin", std::string(51u << 20, '\0')}}));
  EXPECT_EQ(big.status().kind(), card_error::kTooLarge);

  std::vector<std::pair<std::string, std::string>> many = {{"card.json", "{}"}};
  for (int i = 0; i < 10001; ++i) many.emplace_back("e/" + std::to_string(i), "");
  EXPECT_EQ(ReadCharx(RawZip(many)).status().kind(), card_error::kTooManyEntries);

  std::vector<std::pair<std::string, std::string>> wide = {{"card.json", "{}"}};
  for (int i = 0; i < 5; ++i) wide.emplace_back("part" + std::to_string(i), std::string(45u << 20, 'a'));
  EXPECT_EQ(ReadCharx(RawZip(wide)).status().kind(), card_error::kTooLarge);  // 225 MiB in all
}

}  // namespace
}  // namespace charchive
