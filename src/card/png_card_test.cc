#include "card/png_card.h"

#include <gtest/gtest.h>

#include <random>

#include "card/errors.h"
#include "testing/test_cards.h"
#include "util/inflate.h"

namespace charchive {
namespace {

using testing::MakeCardPng;
using testing::MakePngWithText;
using testing::MakeV2Card;
using testing::ReadFixture;

std::vector<std::string> ChunkTypes(std::string_view png) {
  std::vector<std::string> types;
  WalkPngChunks(png, CrcCheck::kAllChunks, [&](const PngChunk& c) {
    types.emplace_back(c.type);
    return true;
  });
  return types;
}

// Non-card chunks, raw bytes, in order.
std::vector<std::string> OtherChunks(std::string_view png) {
  std::vector<std::string> raw;
  WalkPngChunks(png, CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (!IsCardTextChunk(c)) raw.emplace_back(c.raw);
    return true;
  });
  return raw;
}

TEST(PngCard, ReadsSeraphinaPreferringCcv3) {
  std::string png = ReadFixture("default_Seraphina.png");
  ASSERT_FALSE(png.empty());
  auto text = ReadPngCardText(png);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->keyword, "ccv3");
  EXPECT_EQ(text->chunk_type, "tEXt");
  EXPECT_NE(text->json.find("\"chara_card_v3\""), std::string::npos);
  EXPECT_NE(text->json.find("Seraphina"), std::string::npos);
  EXPECT_TRUE(ReadPngCardText(png, CrcCheck::kAllChunks).ok());
}

TEST(PngCard, Ccv3WinsOverCharaWhateverTheOrder) {
  std::string v2 = Base64Encode(MakeV2Card("From Chara").dump());
  std::string v3 = Base64Encode(MakeV2Card("From Ccv3").dump());
  std::string png = MakePngWithText("chara", v2);
  // Add a ccv3 chunk after the chara one.
  std::string both(kPngSignature);
  WalkPngChunks(png, CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (c.type == "IEND") AppendPngChunk(both, "tEXt", std::string("ccv3") + '\0' + v3);
    both.append(c.raw);
    return true;
  });
  auto text = ReadPngCardText(both);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->json.find("From Ccv3"), std::string::npos);
}

TEST(PngCard, KeywordIsCaseInsensitiveAndRawJsonIsAccepted) {
  std::string json = MakeV2Card("Raw").dump();
  auto text = ReadPngCardText(MakePngWithText("CHARA", json));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->json, json);
  EXPECT_EQ(text->keyword, "CHARA");
}

TEST(PngCard, ReadsZtxtAndItxt) {
  std::string b64 = Base64Encode(MakeV2Card("Compressed").dump());
  auto z = ReadPngCardText(MakePngWithText("chara", std::string(1, '\0') + DeflateZlib(b64), "zTXt"));
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  EXPECT_NE(z->json.find("Compressed"), std::string::npos);
  EXPECT_EQ(z->chunk_type, "zTXt");

  std::string itxt_plain = std::string("\0\0", 2) + "en" + '\0' + '\0' + b64;
  auto i1 = ReadPngCardText(MakePngWithText("chara", itxt_plain, "iTXt"));
  ASSERT_TRUE(i1.ok()) << i1.status().ToString();
  EXPECT_NE(i1->json.find("Compressed"), std::string::npos);

  std::string itxt_z = std::string("\x01\x00", 2) + '\0' + '\0' + DeflateZlib(b64);
  auto i2 = ReadPngCardText(MakePngWithText("ccv3", itxt_z, "iTXt"));
  ASSERT_TRUE(i2.ok()) << i2.status().ToString();
  EXPECT_NE(i2->json.find("Compressed"), std::string::npos);
}

TEST(PngCard, ErrorKinds) {
  std::string good = MakeCardPng(MakeV2Card("Err"));

  EXPECT_EQ(ReadPngCardText("GIF89a....").status().kind(), card_error::kNotPng);
  EXPECT_EQ(ReadPngCardText(good.substr(0, good.size() - 20)).status().kind(), card_error::kTruncated);
  EXPECT_EQ(ReadPngCardText(good.substr(0, 8)).status().kind(), card_error::kTruncated);

  // Flip one byte inside the text chunk's data: its CRC no longer matches.
  std::string bad_crc = good;
  size_t at = bad_crc.find("chara");
  bad_crc[at + 10] ^= 0x01;
  auto crc = ReadPngCardText(bad_crc);
  EXPECT_EQ(crc.status().kind(), card_error::kCrcMismatch);
  EXPECT_NE(crc.status().message().find("tEXt"), std::string::npos);

  // A corrupt IDAT is only seen in strict mode.
  std::string bad_idat = good;
  size_t idat = bad_idat.find("IDAT");
  bad_idat[idat + 6] ^= 0x01;
  EXPECT_TRUE(ReadPngCardText(bad_idat).ok());
  EXPECT_EQ(ReadPngCardText(bad_idat, CrcCheck::kAllChunks).status().kind(), card_error::kCrcMismatch);

  EXPECT_EQ(ReadPngCardText(PlaceholderPng()).status().kind(), card_error::kNoCard);
  EXPECT_EQ(ReadPngCardText(MakePngWithText("Author", "someone")).status().kind(), card_error::kNoCard);
  EXPECT_EQ(ReadPngCardText(MakePngWithText("chara", "not*base64!")).status().kind(), card_error::kBadBase64);
  EXPECT_EQ(ReadPngCardText(MakePngWithText("chara", std::string(1, '\0') + "garbage", "zTXt")).status().kind(),
            card_error::kBadCompression);
}

TEST(PngCard, RejectsOversizedChunksAndInflateBombs) {
  std::string huge = MakePngWithText("chara", std::string(60u << 20, 'A'));
  EXPECT_EQ(ReadPngCardText(huge).status().kind(), card_error::kTooLarge);

  std::string bomb = DeflateZlib(std::string(17u << 20, 'A'));  // inflates past 16 MiB
  auto r = ReadPngCardText(MakePngWithText("chara", std::string(1, '\0') + bomb, "zTXt"));
  EXPECT_EQ(r.status().kind(), card_error::kTooLarge);
}

TEST(PngCard, WriteReplacesCardChunksAndKeepsEverythingElse) {
  std::string png = ReadFixture("default_Seraphina.png");
  auto written = WritePngCardText(png, "{\"v\":2}", "{\"v\":3}");
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(OtherChunks(png), OtherChunks(*written));
  std::vector<std::string> expected = {"IHDR", "IDAT", "tEXt", "tEXt", "IEND"};
  EXPECT_EQ(ChunkTypes(*written), expected);
  auto back = ReadPngCardText(*written, CrcCheck::kAllChunks);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->json, "{\"v\":3}");
  EXPECT_EQ(back->keyword, "ccv3");

  // Rewriting a rewritten PNG leaves exactly one pair of card chunks.
  auto twice = WritePngCardText(*written, "{\"v\":22}", "{\"v\":33}");
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(ChunkTypes(*twice), expected);
}

TEST(PngCard, WriteKeepsUnrelatedTextChunks) {
  std::string png = MakePngWithText("Author", "someone");
  auto written = WritePngCardText(png, "{}", "{}");
  ASSERT_TRUE(written.ok());
  EXPECT_NE(written->find(std::string("Author") + '\0' + "someone"), std::string::npos);
}

// The card writer as it was before it planned its output (chunk by chunk into
// one string): the oracle the plan is held to.
std::string ChunkByChunk(std::string_view png, std::string_view v2, std::string_view v3) {
  std::string out(kPngSignature);
  WalkPngChunks(png, CrcCheck::kTextChunks, [&](const PngChunk& c) {
    if (IsCardTextChunk(c)) return true;
    if (c.type == "IEND") {
      AppendPngChunk(out, "tEXt", std::string("chara") + '\0' + Base64Encode(v2));
      AppendPngChunk(out, "tEXt", std::string("ccv3") + '\0' + Base64Encode(v3));
    }
    out.append(c.raw);
    return true;
  });
  return out;
}

// A PNG of the given chunks, the placeholder's IHDR first.
std::string PngOf(const std::vector<std::pair<std::string, std::string>>& chunks) {
  std::string out(kPngSignature);
  WalkPngChunks(PlaceholderPng(), CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (c.type == "IHDR") out.append(c.raw);
    return true;
  });
  for (const auto& [type, data] : chunks) AppendPngChunk(out, type, data);
  return out;
}

std::string PlaceholderIdat() {
  std::string data;
  WalkPngChunks(PlaceholderPng(), CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (c.type == "IDAT") data.append(c.data);
    return true;
  });
  return data;
}

std::vector<std::pair<std::string, std::string>> CardPngVariants() {
  std::string v2 = Base64Encode(MakeV2Card("Old V2").dump());
  std::string v3 = Base64Encode(MakeV2Card("Old V3").dump());
  std::string idat = PlaceholderIdat();
  std::string z = std::string("chara") + '\0' + '\0' + DeflateZlib(v2);
  std::string i = std::string("ccv3") + '\0' + std::string("\0\0", 2) + "en" + '\0' + '\0' + v3;
  std::string iz = std::string("chara") + '\0' + std::string("\x01\x00", 2) + '\0' + '\0' + DeflateZlib(v2);
  size_t third = idat.size() / 3;
  return {
      {"Seraphina", ReadFixture("default_Seraphina.png")},
      {"zTXt and iTXt card chunks", PngOf({{"zTXt", z}, {"IDAT", idat}, {"iTXt", i}, {"iTXt", iz}, {"IEND", ""}})},
      {"chunks after IDAT", PngOf({{"IDAT", idat},
                                   {"tEXt", std::string("Comment") + '\0' + "after"},
                                   {"tIME", std::string(7, '\x07')},
                                   {"tEXt", "chara" + std::string(1, '\0') + v2},
                                   {"IEND", ""}})},
      {"several IDATs", PngOf({{"IDAT", idat.substr(0, third)},
                               {"IDAT", idat.substr(third, third)},
                               {"tEXt", "ccv3" + std::string(1, '\0') + v3},
                               {"IDAT", idat.substr(2 * third)},
                               {"IEND", ""}})},
      {"chara only", MakeCardPng(MakeV2Card("Chara Only"), "chara")},
      {"ccv3 only", MakeCardPng(MakeV2Card("Ccv3 Only"), "ccv3")},
      {"no card chunk", PlaceholderPng()},
      {"keywords that only look like cards, bytes after IEND",
       PngOf({{"tEXt", "CHARA" + std::string(1, '\0') + v2},
              {"tEXt", std::string("characters") + '\0' + "kept"},
              {"tEXt", "ab"},
              {"zTXt", "cc"},
              {"IDAT", idat},
              {"IEND", ""}}) +
           "trailing bytes"},
  };
}

TEST(PngCardPlan, GivesTheBytesTheChunkByChunkWriterGave) {
  for (const auto& [name, png] : CardPngVariants()) {
    SCOPED_TRACE(name);
    std::string expected = ChunkByChunk(png, "{\"v\":2}", "{\"v\":3}");
    auto plan = PlanPngCardText(png.size(), BufferReader(png), "{\"v\":2}", "{\"v\":3}");
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_EQ(plan->size(), expected.size());
    auto bytes = plan->Materialize(BufferReader(png));
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_TRUE(*bytes == expected);
    auto written = WritePngCardText(png, "{\"v\":2}", "{\"v\":3}");
    ASSERT_TRUE(written.ok());
    EXPECT_TRUE(*written == expected);
    auto back = ReadPngCardText(*bytes, CrcCheck::kAllChunks);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->json, "{\"v\":3}");
  }
}

TEST(PngCardPlan, AnyRangeOfThePlanIsThoseBytesOfTheOutput) {
  std::mt19937 random(17);
  for (const auto& [name, png] : CardPngVariants()) {
    SCOPED_TRACE(name);
    std::string expected = ChunkByChunk(png, "{}", "{\"three\":3}");
    auto plan = PlanPngCardText(png.size(), BufferReader(png), "{}", "{\"three\":3}");
    ASSERT_TRUE(plan.ok());
    for (int i = 0; i < 50; ++i) {
      uint64_t offset = random() % (expected.size() + 1);
      uint64_t length = random() % (expected.size() - offset + 1);
      std::string got;
      Status copied = plan->Copy(BufferReader(png), offset, length, [&](std::string_view b) {
        got.append(b);
        return true;
      });
      ASSERT_TRUE(copied.ok()) << copied.ToString();
      ASSERT_TRUE(got == expected.substr(offset, length)) << offset << "+" << length;
    }
  }
}

TEST(PngCardPlan, ReadsHeadersAndTextButNotTheImage) {
  std::string pixels(8u << 20, '\0');
  std::mt19937 random(5);
  for (char& c : pixels) c = static_cast<char>(random());
  std::string text = "chara" + std::string(1, '\0') + Base64Encode(MakeV2Card("Big").dump());
  std::string png =
      PngOf({{"IDAT", pixels.substr(0, 4u << 20)}, {"IDAT", pixels.substr(4u << 20)}, {"tEXt", text}, {"IEND", ""}});
  uint64_t bytes_read = 0;
  ByteReader buffer = BufferReader(png);
  ByteReader counting = [&](uint64_t offset, size_t length, char* out) {
    bytes_read += length;
    return buffer(offset, length, out);
  };
  auto plan = PlanPngCardText(png.size(), counting, "{}", "{}");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // The signature, five chunk headers, the text chunk (for its CRC) and its keyword.
  EXPECT_LT(bytes_read, text.size() + 256);
  EXPECT_TRUE(*plan->Materialize(buffer) == ChunkByChunk(png, "{}", "{}"));
}

TEST(PngCardPlan, FailsAsTheWriterDoes) {
  std::string good = MakeCardPng(MakeV2Card("Err"));
  std::string bad_crc = good;
  bad_crc[bad_crc.find("chara") + 10] ^= 0x01;
  std::string no_iend = good.substr(0, good.size() - 12);
  for (const auto& [png, kind] :
       std::vector<std::pair<std::string, std::string>>{{"GIF89a....", card_error::kNotPng},
                                                        {good.substr(0, good.size() - 20), card_error::kTruncated},
                                                        {bad_crc, card_error::kCrcMismatch},
                                                        {no_iend, card_error::kTruncated}}) {
    auto plan = PlanPngCardText(png.size(), BufferReader(png), "{}", "{}");
    EXPECT_EQ(plan.status().kind(), kind);
    EXPECT_EQ(WritePngCardText(png, "{}", "{}").status().kind(), kind);
  }
  // A source that fails to read fails the plan with its error.
  ByteReader failing = [](uint64_t, size_t, char*) { return Status::IoError("io_error", "disk gone"); };
  EXPECT_EQ(PlanPngCardText(good.size(), failing, "{}", "{}").status().kind(), "io_error");
}

}  // namespace
}  // namespace charchive
