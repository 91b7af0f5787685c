// The image hash: sha256 over the pixel-bearing chunks of a PNG (IHDR, PLTE,
// tRNS, IDAT and the APNG chunks acTL/fcTL/fdAT), type and data, in order. Card
// text and other metadata do not count, so rewriting a card's text keeps the
// image hash, while a new avatar or a re-encode by a peer changes it.
// Thread safety: stateless.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

Result<std::string> PngImageHash(std::string_view png);

}  // namespace charchive
