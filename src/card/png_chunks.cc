#include "card/png_chunks.h"

#include <zlib.h>

#include <string>

#include "card/errors.h"
#include "card/limits.h"

namespace charchive {
namespace {

uint32_t ReadBe32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

void AppendBe32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

bool IsTextType(std::string_view type) {
  return type == "tEXt" || type == "zTXt" || type == "iTXt";
}

uint32_t ChunkCrc(std::string_view type_and_data) {
  return static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                     reinterpret_cast<const Bytef*>(type_and_data.data()),
                                     static_cast<uInt>(type_and_data.size())));
}

// Fails with "crc_mismatch" naming the chunk and its offset.
Status VerifyChunkCrc(const PngChunk& chunk) {
  uint32_t stored = ReadBe32(chunk.raw.data() + 8 + chunk.data.size());
  uint32_t computed = ChunkCrc(chunk.raw.substr(4, 4 + chunk.data.size()));
  if (stored != computed) {
    return Status::Invalid(card_error::kCrcMismatch,
                           "CRC mismatch in chunk '" + std::string(chunk.type) + "' at offset " + std::to_string(chunk.offset));
  }
  return Status::Ok();
}

}  // namespace

Status WalkPngChunks(std::string_view png, CrcCheck check,
                     const std::function<bool(const PngChunk&)>& visit) {
  if (png.size() < kPngSignature.size() || png.substr(0, 8) != kPngSignature) {
    return Status::Invalid(card_error::kNotPng, "not a PNG file (bad signature)");
  }
  size_t pos = kPngSignature.size();
  while (true) {
    if (pos == png.size()) {
      return Status::Invalid(card_error::kTruncated, "PNG ends without an IEND chunk");
    }
    if (png.size() - pos < 12) {
      return Status::Invalid(card_error::kTruncated,
                             "PNG is truncated: chunk header at offset " + std::to_string(pos) + " is cut off");
    }
    uint32_t length = ReadBe32(png.data() + pos);
    std::string_view type = png.substr(pos + 4, 4);
    if (length > 0x7FFFFFFFu || length > png.size() - pos - 12) {
      return Status::Invalid(card_error::kTruncated,
                             "PNG is truncated: chunk '" + std::string(type) + "' at offset " +
                                 std::to_string(pos) + " declares " + std::to_string(length) +
                                 " bytes but the file ends first");
    }
    bool is_text = IsTextType(type);
    if (is_text && length > limits::kMaxPngChunk) {
      return Status::Invalid(card_error::kTooLarge, "text chunk at offset " + std::to_string(pos) + " is " +
                                                        std::to_string(length) + " bytes, over the 50 MiB limit");
    }
    PngChunk chunk;
    chunk.type = type;
    chunk.data = png.substr(pos + 8, length);
    chunk.offset = pos;
    chunk.total_size = 12 + static_cast<size_t>(length);
    chunk.raw = png.substr(pos, chunk.total_size);
    if (check == CrcCheck::kAllChunks || (check == CrcCheck::kTextChunks && is_text)) {
      CHARCHIVE_RETURN_IF_ERROR(VerifyChunkCrc(chunk));
    }
    if (!visit(chunk)) return Status::Ok();
    pos += chunk.total_size;
    if (type == "IEND") return Status::Ok();
  }
}

void AppendPngChunk(std::string& out, std::string_view type, std::string_view data) {
  AppendBe32(out, static_cast<uint32_t>(data.size()));
  size_t start = out.size();
  out.append(type);
  out.append(data);
  AppendBe32(out, ChunkCrc(std::string_view(out).substr(start)));
}

}  // namespace charchive
