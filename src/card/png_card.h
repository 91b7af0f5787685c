// Card text inside PNG files: reading it from tEXt, zTXt and iTXt chunks with
// keyword `ccv3` or `chara` (case-insensitive; `ccv3` wins), as base64 JSON or
// raw JSON; and writing it the way SillyTavern does: every existing card chunk
// removed, base64 `chara` (V2 view) and `ccv3` (V3) inserted before IEND, every
// other chunk and the image bytes kept byte for byte. The writer plans its
// output as a ByteSplice over the original PNG, so the PNG may be a file read
// in pieces (a download) as well as a buffer.
// Thread safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "card/byte_splice.h"
#include "card/png_chunks.h"
#include "util/result.h"

namespace charchive {

struct PngCardText {
  std::string json;        // the decoded card JSON text
  std::string keyword;     // "ccv3" or "chara" as found
  std::string chunk_type;  // "tEXt", "zTXt" or "iTXt"
};

// Fails with the walker's errors, "no_card", "bad_base64", "bad_compression",
// or "too_large" (inflated text over the limit).
Result<PngCardText> ReadPngCardText(std::string_view png, CrcCheck check = CrcCheck::kTextChunks);

// Returns a new PNG: `png` without its card chunks, plus tEXt `chara` =
// base64(v2_json) and tEXt `ccv3` = base64(v3_json) before IEND.
Result<std::string> WritePngCardText(std::string_view png, std::string_view v2_json, std::string_view v3_json);

// The same PNG as a splice over the `png_size` bytes `read` gives: ranges of
// the original plus the two new chunks. Only chunk headers, text chunks (for
// their CRC and keyword) and nothing of the image are read. Fails as
// WritePngCardText does, or with the reader's error.
Result<ByteSplice> PlanPngCardText(uint64_t png_size, const ByteReader& read, std::string_view v2_json,
                                   std::string_view v3_json);

// True for a tEXt/zTXt/iTXt chunk whose keyword is a card keyword.
bool IsCardTextChunk(const PngChunk& chunk);

}  // namespace charchive
