#include "store/thumbnail.h"

#include <spng.h>
#include <turbojpeg.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "store/errors.h"

namespace charchive {
namespace {

constexpr uint32_t kMaxSide = 16384;
constexpr uint64_t kMaxPixels = 64ull << 20;

Status BadImage(const std::string& why) {
  return Status::Invalid(store_error::kBadImage, "cannot make a thumbnail: " + why);
}

struct Rgba {
  std::vector<uint8_t> pixels;
  uint32_t width = 0, height = 0;
};

Result<Rgba> Decode(std::string_view png) {
  std::unique_ptr<spng_ctx, void (*)(spng_ctx*)> ctx(spng_ctx_new(0), spng_ctx_free);
  if (!ctx) return BadImage("out of memory");
  spng_set_image_limits(ctx.get(), kMaxSide, kMaxSide);
  spng_set_chunk_limits(ctx.get(), 64u << 20, 64u << 20);
  spng_set_crc_action(ctx.get(), SPNG_CRC_USE, SPNG_CRC_DISCARD);
  spng_set_png_buffer(ctx.get(), png.data(), png.size());
  spng_ihdr ihdr{};
  if (int rc = spng_get_ihdr(ctx.get(), &ihdr)) return BadImage(spng_strerror(rc));
  if (uint64_t{ihdr.width} * ihdr.height > kMaxPixels) return BadImage("image is over 64 Mpixel");
  size_t size = 0;
  if (int rc = spng_decoded_image_size(ctx.get(), SPNG_FMT_RGBA8, &size)) return BadImage(spng_strerror(rc));
  Rgba out;
  out.width = ihdr.width;
  out.height = ihdr.height;
  out.pixels.resize(size);
  if (int rc = spng_decode_image(ctx.get(), out.pixels.data(), size, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS)) {
    return BadImage(spng_strerror(rc));
  }
  return out;
}

// Area-average downscale of RGBA to RGB, compositing alpha over grey.
std::vector<uint8_t> Scale(const Rgba& src, uint32_t w, uint32_t h) {
  std::vector<uint8_t> out(size_t{w} * h * 3);
  constexpr uint32_t kBackground = 0x80;
  for (uint32_t y = 0; y < h; ++y) {
    uint32_t y0 = static_cast<uint32_t>(uint64_t{y} * src.height / h);
    uint32_t y1 = std::max(y0 + 1, static_cast<uint32_t>(uint64_t{y + 1} * src.height / h));
    for (uint32_t x = 0; x < w; ++x) {
      uint32_t x0 = static_cast<uint32_t>(uint64_t{x} * src.width / w);
      uint32_t x1 = std::max(x0 + 1, static_cast<uint32_t>(uint64_t{x + 1} * src.width / w));
      uint64_t sum[3] = {0, 0, 0};
      uint64_t n = 0;
      for (uint32_t sy = y0; sy < y1; ++sy) {
        const uint8_t* p = &src.pixels[(size_t{sy} * src.width + x0) * 4];
        for (uint32_t sx = x0; sx < x1; ++sx, p += 4) {
          uint32_t a = p[3];
          for (int c = 0; c < 3; ++c) sum[c] += (p[c] * a + kBackground * (255 - a)) / 255;
          ++n;
        }
      }
      uint8_t* o = &out[(size_t{y} * w + x) * 3];
      for (int c = 0; c < 3; ++c) o[c] = static_cast<uint8_t>(sum[c] / n);
    }
  }
  return out;
}

}  // namespace

Result<std::string> MakeThumbnailJpeg(std::string_view png) {
  CHARCHIVE_ASSIGN_OR_RETURN(Rgba image, Decode(png));
  double scale = std::min({1.0, double(kThumbnailWidth) / image.width, double(kThumbnailHeight) / image.height});
  uint32_t w = std::max(1u, static_cast<uint32_t>(image.width * scale));
  uint32_t h = std::max(1u, static_cast<uint32_t>(image.height * scale));
  std::vector<uint8_t> rgb = Scale(image, w, h);
  std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitCompress(), tjDestroy);
  if (!tj) return BadImage("cannot start the JPEG encoder");
  unsigned char* jpeg = nullptr;
  unsigned long jpeg_size = 0;
  if (tjCompress2(tj.get(), rgb.data(), static_cast<int>(w), 0, static_cast<int>(h), TJPF_RGB, &jpeg, &jpeg_size,
                  TJSAMP_420, 82, TJFLAG_FASTDCT) != 0) {
    tjFree(jpeg);
    return BadImage(tjGetErrorStr2(tj.get()));
  }
  std::string out(reinterpret_cast<char*>(jpeg), jpeg_size);
  tjFree(jpeg);
  return out;
}

}  // namespace charchive
