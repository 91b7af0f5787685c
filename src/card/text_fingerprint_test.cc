#include "card/text_fingerprint.h"

#include <gtest/gtest.h>

namespace charchive {
namespace {

constexpr char kDescription[] =
    "Mira is the night librarian of the Drowned Archive, a library half sunk in a mountain lake. She knows every "
    "shelf by the sound its books make when the water rises, speaks softly, and distrusts anyone who dog-ears a page. "
    "She is looking for an apprentice brave enough to dive for the lost atlases.";
constexpr char kFirstMes[] = "*The lantern swings as Mira looks up from a dripping ledger.* You came by boat, then?";

TextFingerprint Of(const std::string& description, const std::string& first_mes = kFirstMes) {
  auto f = FingerprintText(FingerprintedText(description, first_mes));
  EXPECT_TRUE(f.has_value());
  return f.value_or(TextFingerprint{});
}

bool ShareABand(const TextFingerprint& a, const TextFingerprint& b) {
  for (int i = 0; i < kBands; ++i) {
    if (a.bands[i] == b.bands[i]) return true;
  }
  return false;
}

TEST(TextFingerprintTest, AOneWordEditIsNearIdenticalAndSharesABand) {
  std::string edited = kDescription;
  edited.replace(edited.find("softly"), 6, "gently");
  TextFingerprint a = Of(kDescription), b = Of(edited);
  EXPECT_GE(Similarity(a, b), kNearIdenticalSimilarity);
  EXPECT_TRUE(ShareABand(a, b));
  std::string typo = kDescription;
  typo.replace(typo.find("librarian"), 9, "librarain");
  EXPECT_GE(Similarity(a, Of(typo)), kNearIdenticalSimilarity);
  EXPECT_TRUE(ShareABand(a, Of(typo)));
}

TEST(TextFingerprintTest, CaseAndWhitespaceDoNotCount) {
  std::string shouted = kDescription;
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(Of(kDescription).minhash, Of("  " + shouted + "\n\n").minhash);
}

TEST(TextFingerprintTest, AnUnrelatedCardIsNotNearIdentical) {
  TextFingerprint a = Of(kDescription);
  TextFingerprint other = Of(
      "Captain Oro runs a cargo airship between floating islands, trades in rumours as much as spices, and owes money "
      "to three different sky-pirate guilds. Loud, generous and hopeless with maps.",
      "Welcome aboard the Kestrel! Mind the ropes, and don't touch the red lever.");
  EXPECT_LT(Similarity(a, other), 0.2);
  EXPECT_FALSE(ShareABand(a, other));
}

TEST(TextFingerprintTest, BlankOrShortTextHasNoFingerprint) {
  EXPECT_FALSE(FingerprintText(FingerprintedText("", "")).has_value());
  EXPECT_FALSE(FingerprintText(" \n\t ").has_value());
  EXPECT_FALSE(FingerprintText(FingerprintedText("A quiet librarian.", "Hello, {{user}}.")).has_value());
  EXPECT_TRUE(FingerprintText(std::string(kMinFingerprintedChars, 'a')).has_value());
}

TEST(TextFingerprintTest, StoredTextRoundTripsWithTheBands) {
  TextFingerprint a = Of(kDescription);
  std::string text = MinHashText(a);
  EXPECT_EQ(text.size(), static_cast<size_t>(kMinHashes * 8));
  auto back = FingerprintFromText(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->minhash, a.minhash);
  EXPECT_EQ(back->bands, a.bands);
  EXPECT_FALSE(FingerprintFromText("short").has_value());
  text[3] = 'x';
  EXPECT_FALSE(FingerprintFromText(text).has_value());
}

}  // namespace
}  // namespace charchive
