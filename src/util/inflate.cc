#include "util/inflate.h"

#include <zlib.h>

#include "util/errors.h"

namespace charchive {

Result<std::string> InflateZlib(std::string_view compressed, uint64_t max_output) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return Status::Internal(util_error::kZlib, "inflateInit failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buf[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return Status::Invalid(util_error::kBadCompression,
                             std::string("compressed text is corrupt: ") + (zs.msg ? zs.msg : "zlib error"));
    }
    size_t produced = sizeof(buf) - zs.avail_out;
    if (out.size() + produced > max_output) {
      inflateEnd(&zs);
      return Status::Invalid(util_error::kTooLarge, "inflated text exceeds " + std::to_string(max_output) + " bytes");
    }
    out.append(buf, produced);
    if (rc == Z_OK && zs.avail_in == 0 && produced == 0) {
      inflateEnd(&zs);
      return Status::Invalid(util_error::kBadCompression, "compressed text ends early");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string DeflateZlib(std::string_view raw) {
  uLongf bound = compressBound(static_cast<uLong>(raw.size()));
  std::string out(bound, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &bound, reinterpret_cast<const Bytef*>(raw.data()),
           static_cast<uLong>(raw.size()));
  out.resize(bound);
  return out;
}

}  // namespace charchive
