// libFuzzer target: PNG chunk walking and card text extraction (tEXt, zTXt
// inflate, iTXt, base64), in both CRC modes, and the image hash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "card/image_hash.h"
#include "card/png_card.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)charchive::ReadPngCardText(bytes, charchive::CrcCheck::kTextChunks);
  (void)charchive::ReadPngCardText(bytes, charchive::CrcCheck::kAllChunks);
  (void)charchive::PngImageHash(bytes);
  auto rewritten = charchive::WritePngCardText(bytes, "{}", "{}");
  if (rewritten.ok()) (void)charchive::ReadPngCardText(*rewritten);
  return 0;
}
