// A PNG chunk walker. It checks the signature and the framing of every chunk,
// and the CRC of the chunks a caller asks for (text chunks always; every chunk
// in strict mode). Over a buffer, chunk data is returned as views into it, so
// image data is skipped by length and never copied; over a reader (a file),
// only chunk headers are read, and the data whose CRC is checked, in bounded
// pieces.
//
// Thread safety: stateless functions; the buffer must outlive the views.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "card/byte_splice.h"
#include "util/status.h"

namespace charchive {

inline constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};

struct PngChunk {
  std::string_view type;  // 4 bytes, e.g. "IDAT"
  std::string_view data;
  size_t offset = 0;      // offset of the chunk's length field in the file
  size_t total_size = 0;  // 12 + data.size()
  std::string_view raw;   // length + type + data + crc, for copying unchanged
};

// kTextChunks: every tEXt/zTXt/iTXt; kAllChunks: every chunk, image data too.
enum class CrcCheck { kTextChunks, kAllChunks };

// Calls `visit` for each chunk in order; stops after IEND. Fails with
// "not_png", "truncated", "too_large" (a text chunk over the limit) or
// "crc_mismatch" (naming the chunk and its offset). `visit` may return false
// to stop early.
Status WalkPngChunks(std::string_view png, CrcCheck check, const std::function<bool(const PngChunk&)>& visit);

// A chunk as the reader walk sees it: where it is, not what it holds.
struct PngChunkHeader {
  std::string_view type;  // 4 bytes, valid during the visit
  uint32_t length = 0;    // of the data
  uint64_t offset = 0;    // of the chunk's length field in the file
  uint64_t total_size() const { return 12 + uint64_t{length}; }
};

// The same walk over `size` bytes read through `read`: the same checks and
// errors, plus the reader's. Only the 8-byte chunk headers are read, and the
// data of the chunks whose CRC `check` asks for (in pieces of
// ByteSplice::kPieceBytes); `visit` may read more itself.
Status WalkPngChunkHeaders(uint64_t size, const ByteReader& read, CrcCheck check,
                           const std::function<bool(const PngChunkHeader&)>& visit);

// True for tEXt, zTXt and iTXt.
bool IsPngTextChunkType(std::string_view type);

// Appends a well-formed chunk (length, type, data, CRC) to `out`.
void AppendPngChunk(std::string& out, std::string_view type, std::string_view data);

}  // namespace charchive
