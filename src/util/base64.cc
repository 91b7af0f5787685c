#include "util/base64.h"

#include <array>
#include <cstdint>

namespace charchive {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  // URL-safe variants are accepted too.
  t['-'] = 62;
  t['_'] = 63;
  return t;
}
constexpr auto kDecode = MakeDecodeTable();

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Fast path: whole quads of alphabet characters, no whitespace, no padding.
// Returns how many input characters it consumed (a multiple of 4).
size_t DecodeQuads(std::string_view in, std::string& out) {
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t n = in.size() / 4 * 4;
  size_t i = 0;
  size_t o = out.size();
  out.resize(o + n / 4 * 3);
  char* dst = out.data();
  for (; i < n; i += 4) {
    int32_t a = kDecode[p[i]], b = kDecode[p[i + 1]], c = kDecode[p[i + 2]], d = kDecode[p[i + 3]];
    if ((a | b | c | d) < 0) break;
    uint32_t v = (static_cast<uint32_t>(a) << 18) | (static_cast<uint32_t>(b) << 12) | (static_cast<uint32_t>(c) << 6) |
                 static_cast<uint32_t>(d);
    dst[o++] = static_cast<char>(v >> 16);
    dst[o++] = static_cast<char>(v >> 8);
    dst[o++] = static_cast<char>(v);
  }
  out.resize(o);
  return i;
}

}  // namespace

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.resize((in.size() + 2) / 3 * 4);
  size_t o = 0, i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out[o++] = kAlphabet[(v >> 18) & 63];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = kAlphabet[(v >> 6) & 63];
    out[o++] = kAlphabet[v & 63];
  }
  size_t rest = in.size() - i;
  if (rest == 1) {
    uint32_t v = p[i] << 16;
    out[o++] = kAlphabet[(v >> 18) & 63];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  } else if (rest == 2) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    out[o++] = kAlphabet[(v >> 18) & 63];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = kAlphabet[(v >> 6) & 63];
    out[o++] = '=';
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view in) {
  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  size_t fast = DecodeQuads(in, out);
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  size_t symbols = fast;
  for (size_t i = fast; i < in.size(); ++i) {
    char c = in[i];
    if (IsSpace(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) {
      return Status::Invalid("bad_base64", "data after '=' padding at offset " + std::to_string(i));
    }
    int8_t d = kDecode[static_cast<uint8_t>(c)];
    if (d < 0) {
      return Status::Invalid("bad_base64", "invalid base64 character at offset " + std::to_string(i));
    }
    ++symbols;
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (symbols % 4 == 1 || padding > 2) {
    return Status::Invalid("bad_base64", "base64 text has an impossible length");
  }
  return out;
}

}  // namespace charchive
