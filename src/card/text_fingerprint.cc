#include "card/text_fingerprint.h"

#include <limits>

namespace charchive {
namespace {

constexpr size_t kShingle = 5;

// SplitMix64's finalizer: a fixed, well-mixed 64-bit hash.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// FNV-1a over the shingle's bytes.
uint64_t HashBytes(std::string_view bytes) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (unsigned char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  return out;
}

void ComputeBands(TextFingerprint& f) {
  for (int b = 0; b < kBands; ++b) {
    uint64_t key = Mix(static_cast<uint64_t>(b) + 0x100);
    for (int r = 0; r < kRowsPerBand; ++r) key = Mix(key ^ f.minhash[b * kRowsPerBand + r]);
    f.bands[b] = static_cast<int64_t>(key);
  }
}

}  // namespace

std::string FingerprintedText(std::string_view description, std::string_view first_mes) {
  std::string text(description);
  text += '\n';
  text += first_mes;
  return text;
}

std::optional<TextFingerprint> FingerprintText(std::string_view text) {
  const std::string folded = Fold(text);
  if (folded.size() < kMinFingerprintedChars) return std::nullopt;
  TextFingerprint f;
  f.minhash.fill(std::numeric_limits<uint32_t>::max());
  const size_t shingles = folded.size() < kShingle ? 1 : folded.size() - kShingle + 1;
  for (size_t at = 0; at < shingles; ++at) {
    const uint64_t base = HashBytes(std::string_view(folded).substr(at, kShingle));
    for (int i = 0; i < kMinHashes; ++i) {
      const auto value = static_cast<uint32_t>(Mix(base ^ Mix(static_cast<uint64_t>(i) + 1)) >> 32);
      if (value < f.minhash[i]) f.minhash[i] = value;
    }
  }
  ComputeBands(f);
  return f;
}

double Similarity(const TextFingerprint& a, const TextFingerprint& b) {
  int same = 0;
  for (int i = 0; i < kMinHashes; ++i) same += a.minhash[i] == b.minhash[i];
  return static_cast<double>(same) / kMinHashes;
}

std::string MinHashText(const TextFingerprint& f) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(kMinHashes * 8);
  for (uint32_t v : f.minhash) {
    for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kHex[(v >> shift) & 0xF]);
  }
  return out;
}

std::optional<TextFingerprint> FingerprintFromText(std::string_view text) {
  if (text.size() != kMinHashes * 8) return std::nullopt;
  TextFingerprint f;
  for (int i = 0; i < kMinHashes; ++i) {
    uint32_t v = 0;
    for (char c : text.substr(static_cast<size_t>(i) * 8, 8)) {
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) return std::nullopt;
      v = (v << 4) | static_cast<uint32_t>(digit);
    }
    f.minhash[i] = v;
  }
  ComputeBands(f);
  return f;
}

}  // namespace charchive
