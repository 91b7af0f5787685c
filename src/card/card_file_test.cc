#include "card/card_file.h"

#include <gtest/gtest.h>

#include "card/card_convert.h"
#include "card/charx.h"
#include "card/content_hash.h"
#include "card/errors.h"
#include "card/image_hash.h"
#include "card/png_card.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeV2Card;
using testing::ReadFixture;

std::vector<std::string> NonCardChunks(std::string_view png) {
  std::vector<std::string> raw;
  WalkPngChunks(png, CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (!IsCardTextChunk(c)) raw.emplace_back(c.raw);
    return true;
  });
  return raw;
}

LoadedCard Load(std::string_view bytes) {
  auto loaded = LoadCardBytes(bytes);
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? *loaded : LoadedCard();
}

TEST(CardFile, DetectsFormats) {
  EXPECT_EQ(Load(ReadFixture("default_Seraphina.png")).format, CardFormat::kPng);
  EXPECT_EQ(Load("\xEF\xBB\xBF  " + MakeV2Card("J").dump()).format, CardFormat::kJson);
  auto unknown = LoadCardBytes("GIF89a");
  EXPECT_EQ(unknown.status().kind(), card_error::kUnknownFormat);
}

TEST(CardFile, PngRoundTripKeepsMeaningImageAndOtherChunks) {
  std::string original = ReadFixture("default_Seraphina.png");
  LoadedCard first = Load(original);
  auto png = SaveCardBytes(first, CardFormat::kPng, CardSpec::kV3);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  LoadedCard second = Load(*png);
  EXPECT_EQ(ContentHash(first.card), ContentHash(second.card));
  EXPECT_EQ(ToV3Document(first.card), ToV3Document(second.card));
  EXPECT_EQ(NonCardChunks(original), NonCardChunks(*png));
  EXPECT_EQ(*PngImageHash(original), *PngImageHash(*png));
  // Both chunks are written: chara holds the V2 view.
  std::string chara;
  WalkPngChunks(*png, CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (c.data.substr(0, 6) == std::string_view("chara\0", 6)) chara = std::string(c.data.substr(6));
    return true;
  });
  auto v2 = Card::FromJson(*Base64Decode(chara));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->spec(), CardSpec::kV2);
  EXPECT_EQ(ContentHash(*v2), ContentHash(first.card));
}

TEST(CardFile, JsonToPngToJson) {
  Json doc = MakeV2Card("Jay");
  doc["x_unknown"] = {{"deep", {1, 2, 3}}};
  LoadedCard from_json = Load(doc.dump());
  auto png = SaveCardBytes(from_json, CardFormat::kPng, CardSpec::kV2);
  ASSERT_TRUE(png.ok());
  EXPECT_TRUE(ReadPngCardText(*png, CrcCheck::kAllChunks).ok());
  LoadedCard from_png = Load(*png);
  EXPECT_FALSE(from_png.png.empty());
  auto json = SaveCardBytes(from_png, CardFormat::kJson, CardSpec::kV2);
  ASSERT_TRUE(json.ok());
  LoadedCard back = Load(*json);
  EXPECT_EQ(back.card.spec(), CardSpec::kV2);
  EXPECT_EQ(back.card.document()["x_unknown"], doc["x_unknown"]);
  EXPECT_EQ(ContentHash(back.card), ContentHash(from_json.card));
}

TEST(CardFile, CharxRoundTripCarriesTheImage) {
  LoadedCard png_card = Load(ReadFixture("default_Seraphina.png"));
  auto charx = SaveCardBytes(png_card, CardFormat::kCharx, CardSpec::kV3);
  ASSERT_TRUE(charx.ok()) << charx.status().ToString();
  LoadedCard from_charx = Load(*charx);
  EXPECT_EQ(from_charx.format, CardFormat::kCharx);
  EXPECT_EQ(from_charx.card.spec(), CardSpec::kV3);
  EXPECT_EQ(from_charx.png, png_card.png);
  EXPECT_EQ(ContentHash(from_charx.card), ContentHash(png_card.card));
  auto png_again = SaveCardBytes(from_charx, CardFormat::kPng, CardSpec::kV3);
  ASSERT_TRUE(png_again.ok());
  EXPECT_EQ(ContentHash(Load(*png_again).card), ContentHash(png_card.card));
}

// Unknown keys at every level and every extension survive read -> write ->
// read through each format.
TEST(CardFile, UnknownKeysSurviveEveryFormat) {
  Json doc = MakeV2Card("Keeper");
  doc["spec"] = "chara_card_v3";
  doc["spec_version"] = "3.0";
  doc["x_top"] = {{"nested", {{"list", {1, 2.5, "three", nullptr}}}}};
  doc["data"]["x_data"] = "kept";
  doc["data"]["group_only_greetings"] = {"group hello"};
  doc["data"]["extensions"]["depth_prompt"] = {{"prompt", "stay in character"}, {"depth", 2}, {"role", "system"}};
  doc["data"]["character_book"]["entries"][0]["extensions"]["position"] = 4;
  doc["data"]["character_book"]["entries"][0]["x_entry"] = true;
  LoadedCard original = Load(doc.dump());
  for (CardFormat format : {CardFormat::kPng, CardFormat::kJson, CardFormat::kCharx}) {
    for (CardSpec spec : {CardSpec::kV2, CardSpec::kV3}) {
      auto bytes = SaveCardBytes(original, format, spec);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      LoadedCard back = Load(*bytes);
      Json v3 = ToV3Document(back.card);
      EXPECT_EQ(v3["x_top"], doc["x_top"]) << CardFormatName(format);
      EXPECT_EQ(v3["data"], doc["data"]) << CardFormatName(format) << " " << CardSpecName(spec);
      EXPECT_EQ(ContentHash(back.card), ContentHash(original.card));
    }
  }
}

TEST(CardFile, FormatNames) {
  EXPECT_EQ(*ParseCardFormat("charx"), CardFormat::kCharx);
  EXPECT_EQ(ParseCardFormat("gif").status().kind(), card_error::kBadField);
}

}  // namespace
}  // namespace charchive
