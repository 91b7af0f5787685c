// ByteSplice: bytes described rather than held. A splice is a sequence of
// pieces, each either a range of a source (read on demand through a
// ByteReader: a file, or a buffer) or a few bytes of its own; copying it out
// reads the source in bounded pieces, so a splice over a file of any size is
// written with a fixed amount of memory. The PNG card writer plans its output
// as a splice (card/png_card.h) so that a download can stream from disk.
//
// Thread safety: a value type; const methods may run on many threads at once
// when the reader allows it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace charchive {

// Copies exactly `length` bytes at `offset` of a source into `out`, or fails.
using ByteReader = std::function<Status(uint64_t offset, size_t length, char* out)>;
// Takes the next bytes; returns false to stop (the receiver went away).
using ByteSink = std::function<bool(std::string_view bytes)>;

// A reader over `bytes`, which must outlive it; reads past the end fail with
// "truncated".
ByteReader BufferReader(std::string_view bytes);

class ByteSplice {
 public:
  // How much of the source is read at once by Copy.
  static constexpr size_t kPieceBytes = 64 * 1024;

  // Appends `size` bytes of the source at `offset` (joined with the piece
  // before when that one ends where this one starts).
  void AppendSource(uint64_t offset, uint64_t size);
  // Appends bytes of the splice's own.
  void AppendOwn(std::string bytes);

  uint64_t size() const { return size_; }

  // Sends `length` bytes from `offset` of the splice to `sink`, reading the
  // source kPieceBytes at a time. Fails with the reader's error,
  // "out_of_range" when the range is not inside the splice, or "cancelled"
  // when the sink stops.
  Status Copy(const ByteReader& source, uint64_t offset, uint64_t length, const ByteSink& sink) const;
  // The whole splice in one string, each source piece read into its place
  // at once.
  Result<std::string> Materialize(const ByteReader& source) const;

 private:
  struct Piece {
    uint64_t start = 0;  // where the piece starts in the splice
    uint64_t size = 0;
    uint64_t source_offset = 0;  // for a source piece
    std::string own;             // for an own piece (never empty)
  };
  std::vector<Piece> pieces_;
  uint64_t size_ = 0;
};

}  // namespace charchive
