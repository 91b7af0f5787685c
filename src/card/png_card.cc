#include "card/png_card.h"

#include <algorithm>
#include <optional>

#include "card/errors.h"
#include "card/limits.h"
#include "util/base64.h"
#include "util/inflate.h"

namespace charchive {
namespace {

bool KeywordIs(std::string_view keyword, std::string_view want) {
  if (keyword.size() != want.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    char c = keyword[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != want[i]) return false;
  }
  return true;
}

std::string_view Keyword(std::string_view data) {
  size_t nul = data.find('\0');
  return nul == std::string_view::npos ? std::string_view() : data.substr(0, nul);
}

bool IsCardKeyword(std::string_view keyword) { return KeywordIs(keyword, "ccv3") || KeywordIs(keyword, "chara"); }

// A card keyword and its NUL fit in this many bytes: a text chunk's first ones
// tell whether it holds a card.
constexpr size_t kCardKeywordBytes = 6;

bool IsCardText(std::string_view type, std::string_view data_start) {
  return IsPngTextChunkType(type) && IsCardKeyword(Keyword(data_start.substr(0, kCardKeywordBytes)));
}

std::string TextChunk(std::string_view keyword, std::string_view text) {
  std::string chunk;
  AppendPngChunk(chunk, "tEXt", std::string(keyword) + '\0' + std::string(text));
  return chunk;
}

// The text of a tEXt/zTXt/iTXt chunk, inflated when compressed.
Result<std::string> ChunkText(const PngChunk& chunk) {
  std::string_view data = chunk.data;
  size_t nul = data.find('\0');
  std::string_view rest = data.substr(nul + 1);
  if (chunk.type == "tEXt") return std::string(rest);
  if (chunk.type == "zTXt") {
    if (rest.empty() || rest[0] != 0) {
      return Status::Invalid(card_error::kBadCompression, "zTXt chunk uses an unknown compression method");
    }
    return InflateZlib(rest.substr(1), limits::kMaxInflatedText);
  }
  // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
  if (rest.size() < 2) return Status::Invalid(card_error::kTruncated, "iTXt chunk header is cut off");
  bool compressed = rest[0] != 0;
  rest = rest.substr(2);
  for (int field = 0; field < 2; ++field) {
    size_t end = rest.find('\0');
    if (end == std::string_view::npos) return Status::Invalid(card_error::kTruncated, "iTXt chunk header is cut off");
    rest = rest.substr(end + 1);
  }
  if (compressed) return InflateZlib(rest, limits::kMaxInflatedText);
  return std::string(rest);
}

std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsCardTextChunk(const PngChunk& chunk) { return IsCardText(chunk.type, chunk.data); }

Result<PngCardText> ReadPngCardText(std::string_view png, CrcCheck check) {
  std::optional<PngChunk> ccv3;
  std::optional<PngChunk> chara;
  // Text chunks are read (their keyword at least), so their CRCs are checked;
  // image data is skipped by length unless strict mode checks every chunk.
  Status walk = WalkPngChunks(png, check, [&](const PngChunk& chunk) {
    if (!IsCardTextChunk(chunk)) return true;
    std::string_view keyword = Keyword(chunk.data);
    if (KeywordIs(keyword, "ccv3")) {
      if (!ccv3) ccv3 = chunk;
    } else if (!chara) {
      chara = chunk;
    }
    return true;
  });
  CHARCHIVE_RETURN_IF_ERROR(walk);
  const std::optional<PngChunk>& winner = ccv3 ? ccv3 : chara;
  if (!winner) {
    return Status::Invalid(card_error::kNoCard, "PNG has no 'chara' or 'ccv3' text chunk");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string text, ChunkText(*winner));
  PngCardText out;
  out.keyword = std::string(Keyword(winner->data));
  out.chunk_type = std::string(winner->type);
  std::string_view payload = TrimSpace(text);
  if (!payload.empty() && payload.front() == '{') {
    out.json = std::string(payload);
  } else {
    auto decoded = Base64Decode(payload);
    if (!decoded.ok()) {
      return decoded.status().WithContext("'" + out.keyword + "' chunk");
    }
    out.json = std::move(decoded).value();
  }
  return out;
}

Result<ByteSplice> PlanPngCardText(uint64_t png_size, const ByteReader& read, std::string_view v2_json,
                                   std::string_view v3_json) {
  ByteSplice out;
  out.AppendSource(0, kPngSignature.size());
  bool saw_iend = false;
  Status keyword_read;
  Status walk = WalkPngChunkHeaders(png_size, read, CrcCheck::kTextChunks, [&](const PngChunkHeader& chunk) {
    if (IsPngTextChunkType(chunk.type)) {
      char start[kCardKeywordBytes];
      size_t n = std::min<size_t>(chunk.length, sizeof start);
      keyword_read = read(chunk.offset + 8, n, start);
      if (!keyword_read.ok()) return false;
      if (IsCardText(chunk.type, std::string_view(start, n))) return true;
    }
    if (chunk.type == "IEND") {
      saw_iend = true;
      out.AppendOwn(TextChunk("chara", Base64Encode(v2_json)) + TextChunk("ccv3", Base64Encode(v3_json)));
    }
    out.AppendSource(chunk.offset, chunk.total_size());
    return true;
  });
  CHARCHIVE_RETURN_IF_ERROR(walk);
  CHARCHIVE_RETURN_IF_ERROR(keyword_read);
  if (!saw_iend) return Status::Invalid(card_error::kTruncated, "PNG has no IEND chunk");
  return out;
}

Result<std::string> WritePngCardText(std::string_view png, std::string_view v2_json, std::string_view v3_json) {
  ByteReader read = BufferReader(png);
  CHARCHIVE_ASSIGN_OR_RETURN(ByteSplice plan, PlanPngCardText(png.size(), read, v2_json, v3_json));
  return plan.Materialize(read);
}

}  // namespace charchive
