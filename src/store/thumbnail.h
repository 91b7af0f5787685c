// Thumbnails: a card's PNG decoded (libspng, with image size limits), scaled
// down with an area filter to at most kThumbnailWidth x kThumbnailHeight,
// transparency composited over a neutral grey, and encoded as JPEG
// (libjpeg-turbo). Stateless; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

inline constexpr int kThumbnailWidth = 256;
inline constexpr int kThumbnailHeight = 384;

// Fails with "bad_image" when the PNG cannot be decoded or is over 64 Mpixel.
Result<std::string> MakeThumbnailJpeg(std::string_view png);

}  // namespace charchive
