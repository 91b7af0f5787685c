#include "card/byte_splice.h"

#include <algorithm>
#include <cstring>

#include "card/errors.h"

namespace charchive {

ByteReader BufferReader(std::string_view bytes) {
  return [bytes](uint64_t offset, size_t length, char* out) {
    if (offset > bytes.size() || length > bytes.size() - offset) {
      return Status::Invalid(card_error::kTruncated, "read of " + std::to_string(length) + " bytes at offset " +
                                                         std::to_string(offset) + " runs past the end (" +
                                                         std::to_string(bytes.size()) + " bytes)");
    }
    std::memcpy(out, bytes.data() + offset, length);
    return Status::Ok();
  };
}

void ByteSplice::AppendSource(uint64_t offset, uint64_t size) {
  if (size == 0) return;
  if (!pieces_.empty() && pieces_.back().own.empty() && pieces_.back().source_offset + pieces_.back().size == offset) {
    pieces_.back().size += size;
  } else {
    pieces_.push_back(Piece{size_, size, offset, {}});
  }
  size_ += size;
}

void ByteSplice::AppendOwn(std::string bytes) {
  if (bytes.empty()) return;
  uint64_t size = bytes.size();
  pieces_.push_back(Piece{size_, size, 0, std::move(bytes)});
  size_ += size;
}

Status ByteSplice::Copy(const ByteReader& source, uint64_t offset, uint64_t length, const ByteSink& sink) const {
  if (offset > size_ || length > size_ - offset) {
    return Status::Internal("out_of_range", "bytes " + std::to_string(offset) + "+" + std::to_string(length) +
                                                " are not inside a splice of " + std::to_string(size_));
  }
  const uint64_t end = offset + length;
  // The first piece that ends after `offset`.
  auto piece = std::upper_bound(pieces_.begin(), pieces_.end(), offset,
                                [](uint64_t at, const Piece& p) { return at < p.start + p.size; });
  std::string buffer;
  for (uint64_t at = offset; at < end; ++piece) {
    uint64_t skip = at - piece->start;
    uint64_t take = std::min(piece->size - skip, end - at);
    if (!piece->own.empty()) {
      if (!sink(std::string_view(piece->own).substr(skip, take))) {
        return Status::IoError("cancelled", "the receiver stopped reading");
      }
      at += take;
      continue;
    }
    buffer.resize(std::min<uint64_t>(take, kPieceBytes));
    for (uint64_t done = 0; done < take;) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(take - done, buffer.size()));
      CHARCHIVE_RETURN_IF_ERROR(source(piece->source_offset + skip + done, n, buffer.data()));
      if (!sink(std::string_view(buffer.data(), n)))
        return Status::IoError("cancelled", "the receiver stopped reading");
      done += n;
    }
    at += take;
  }
  return Status::Ok();
}

Result<std::string> ByteSplice::Materialize(const ByteReader& source) const {
  // Each piece read straight into its place, not through Copy's buffer.
  std::string out(size_, '\0');
  for (const Piece& piece : pieces_) {
    char* at = out.data() + piece.start;
    if (!piece.own.empty()) {
      std::copy(piece.own.begin(), piece.own.end(), at);
      continue;
    }
    CHARCHIVE_RETURN_IF_ERROR(source(piece.source_offset, static_cast<size_t>(piece.size), at));
  }
  return out;
}

}  // namespace charchive
