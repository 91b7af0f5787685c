#include "card/image_hash.h"

#include "card/png_chunks.h"
#include "util/sha256.h"

namespace charchive {
namespace {

bool IsPixelChunk(std::string_view type) {
  return type == "IHDR" || type == "PLTE" || type == "tRNS" || type == "IDAT" || type == "acTL" || type == "fcTL" ||
         type == "fdAT";
}

}  // namespace

Result<std::string> PngImageHash(std::string_view png) {
  Sha256Hasher hasher;
  Status walk = WalkPngChunks(png, CrcCheck::kTextChunks, [&](const PngChunk& chunk) {
    if (IsPixelChunk(chunk.type)) {
      hasher.Update(chunk.type);
      hasher.Update(chunk.data);
    }
    return true;
  });
  CHARCHIVE_RETURN_IF_ERROR(walk);
  return hasher.FinishHex();
}

}  // namespace charchive
