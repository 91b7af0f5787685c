// TextFingerprint: a MinHash signature of a card's prose (description and
// first message), so that near-identical cards (the same card re-uploaded with
// a typo fixed, a sentence added) can be found without comparing every pair.
// The text is folded (ASCII lowercase, runs of whitespace as one space) and cut
// into overlapping 5-character shingles; each of kMinHashes seeded hashes keeps
// its smallest value over the shingles. Two signatures agree in a share of
// their values that estimates the Jaccard similarity of the shingle sets.
// Locality-sensitive bands (kBands bands of kRowsPerBand values, each hashed
// to one key) make near-identical cards share a key with high probability
// (similarity 0.9: 99.8 %; 0.5: 32 %, then checked) while unrelated cards
// share none, so a lookup by key is an index lookup.
//
// Pure functions with fixed hashes (the same signature on every build and
// machine, so stored signatures stay valid); safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace charchive {

inline constexpr int kMinHashes = 24;
inline constexpr int kBands = 6;
inline constexpr int kRowsPerBand = kMinHashes / kBands;
// The share of agreeing values from which two texts count as near-identical.
inline constexpr double kNearIdenticalSimilarity = 0.75;

struct TextFingerprint {
  std::array<uint32_t, kMinHashes> minhash{};
  std::array<int64_t, kBands> bands{};  // the band keys, as SQLite integers
};

// nullopt for a text of fewer than kMinFingerprintedChars (whitespace folded):
// a line or two is too little to tell a re-upload from a template.
inline constexpr size_t kMinFingerprintedChars = 64;
std::optional<TextFingerprint> FingerprintText(std::string_view text);
// The text of a card that is fingerprinted: its description and first message.
std::string FingerprintedText(std::string_view description, std::string_view first_mes);
// The share of agreeing minhash values, 0..1.
double Similarity(const TextFingerprint& a, const TextFingerprint& b);

// The signature as stored (kMinHashes values, 8 lowercase hex digits each)
// and back, bands included; nullopt for text of another shape.
std::string MinHashText(const TextFingerprint& f);
std::optional<TextFingerprint> FingerprintFromText(std::string_view text);

}  // namespace charchive
