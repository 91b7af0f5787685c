#include "card/png_chunks.h"

#include <zlib.h>

#include <algorithm>
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

uint32_t ChunkCrc(std::string_view type_and_data) {
  return static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(type_and_data.data()),
                                     static_cast<uInt>(type_and_data.size())));
}

// Reads the chunk's type and data in pieces and compares their CRC with the
// stored one; fails with "crc_mismatch" naming the chunk and its offset.
Status VerifyChunkCrc(const PngChunkHeader& chunk, const ByteReader& read) {
  uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(chunk.type.data()), 4);
  std::string buffer(std::min<size_t>(chunk.length, ByteSplice::kPieceBytes), '\0');
  for (uint64_t done = 0; done < chunk.length;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.length - done, buffer.size()));
    CHARCHIVE_RETURN_IF_ERROR(read(chunk.offset + 8 + done, n, buffer.data()));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<uInt>(n));
    done += n;
  }
  char stored[4];
  CHARCHIVE_RETURN_IF_ERROR(read(chunk.offset + 8 + chunk.length, 4, stored));
  if (ReadBe32(stored) != static_cast<uint32_t>(crc)) {
    return Status::Invalid(card_error::kCrcMismatch, "CRC mismatch in chunk '" + std::string(chunk.type) +
                                                         "' at offset " + std::to_string(chunk.offset));
  }
  return Status::Ok();
}

}  // namespace

bool IsPngTextChunkType(std::string_view type) { return type == "tEXt" || type == "zTXt" || type == "iTXt"; }

Status WalkPngChunkHeaders(uint64_t size, const ByteReader& read, CrcCheck check,
                           const std::function<bool(const PngChunkHeader&)>& visit) {
  char head[8];
  if (size < kPngSignature.size()) return Status::Invalid(card_error::kNotPng, "not a PNG file (bad signature)");
  CHARCHIVE_RETURN_IF_ERROR(read(0, kPngSignature.size(), head));
  if (std::string_view(head, kPngSignature.size()) != kPngSignature) {
    return Status::Invalid(card_error::kNotPng, "not a PNG file (bad signature)");
  }
  uint64_t pos = kPngSignature.size();
  while (true) {
    if (pos == size) {
      return Status::Invalid(card_error::kTruncated, "PNG ends without an IEND chunk");
    }
    if (size - pos < 12) {
      return Status::Invalid(card_error::kTruncated,
                             "PNG is truncated: chunk header at offset " + std::to_string(pos) + " is cut off");
    }
    CHARCHIVE_RETURN_IF_ERROR(read(pos, sizeof head, head));
    PngChunkHeader chunk;
    chunk.length = ReadBe32(head);
    chunk.type = std::string_view(head + 4, 4);
    chunk.offset = pos;
    if (chunk.length > 0x7FFFFFFFu || chunk.length > size - pos - 12) {
      return Status::Invalid(card_error::kTruncated, "PNG is truncated: chunk '" + std::string(chunk.type) +
                                                         "' at offset " + std::to_string(pos) + " declares " +
                                                         std::to_string(chunk.length) +
                                                         " bytes but the file ends first");
    }
    bool is_text = IsPngTextChunkType(chunk.type);
    if (is_text && chunk.length > limits::kMaxPngChunk) {
      return Status::Invalid(card_error::kTooLarge, "text chunk at offset " + std::to_string(pos) + " is " +
                                                        std::to_string(chunk.length) + " bytes, over the 50 MiB limit");
    }
    if (check == CrcCheck::kAllChunks || (check == CrcCheck::kTextChunks && is_text)) {
      CHARCHIVE_RETURN_IF_ERROR(VerifyChunkCrc(chunk, read));
    }
    bool iend = chunk.type == "IEND";
    if (!visit(chunk)) return Status::Ok();
    pos += chunk.total_size();
    if (iend) return Status::Ok();
  }
}

Status WalkPngChunks(std::string_view png, CrcCheck check, const std::function<bool(const PngChunk&)>& visit) {
  return WalkPngChunkHeaders(png.size(), BufferReader(png), check, [&](const PngChunkHeader& header) {
    PngChunk chunk;
    chunk.type = png.substr(header.offset + 4, 4);
    chunk.data = png.substr(header.offset + 8, header.length);
    chunk.offset = header.offset;
    chunk.total_size = header.total_size();
    chunk.raw = png.substr(header.offset, chunk.total_size);
    return visit(chunk);
  });
}

void AppendPngChunk(std::string& out, std::string_view type, std::string_view data) {
  AppendBe32(out, static_cast<uint32_t>(data.size()));
  size_t start = out.size();
  out.append(type);
  out.append(data);
  AppendBe32(out, ChunkCrc(std::string_view(out).substr(start)));
}

}  // namespace charchive
