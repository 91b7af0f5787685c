#include "card/placeholder_png.h"

#include "card/png_chunks.h"
#include "util/inflate.h"

namespace charchive {
namespace {

constexpr uint32_t kWidth = 256;
constexpr uint32_t kHeight = 384;

void AppendBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

std::string MakePlaceholder() {
  std::string ihdr;
  AppendBe32(ihdr, kWidth);
  AppendBe32(ihdr, kHeight);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale, no interlace
  std::string rows;
  for (uint32_t y = 0; y < kHeight; ++y) {
    rows.push_back('\0');  // filter: none
    rows.append(kWidth, static_cast<char>(0x9a));
  }
  std::string png(kPngSignature);
  AppendPngChunk(png, "IHDR", ihdr);
  AppendPngChunk(png, "IDAT", DeflateZlib(rows));
  AppendPngChunk(png, "IEND", "");
  return png;
}

}  // namespace

const std::string& PlaceholderPng() {
  static const std::string png = MakePlaceholder();
  return png;
}

}  // namespace charchive
