#include "card/byte_splice.h"

#include <gtest/gtest.h>

#include "card/errors.h"

namespace charchive {
namespace {

std::string CopyOut(const ByteSplice& splice, const ByteReader& source, uint64_t offset, uint64_t length,
                    Status* status = nullptr) {
  std::string out;
  Status copied = splice.Copy(source, offset, length, [&](std::string_view bytes) {
    out.append(bytes);
    return true;
  });
  if (status) *status = copied;
  return out;
}

TEST(ByteSplice, InterleavesSourceRangesAndItsOwnBytes) {
  std::string source = "0123456789abcdefghij";
  ByteSplice splice;
  splice.AppendSource(0, 4);
  splice.AppendOwn("XY");
  splice.AppendSource(10, 6);
  splice.AppendSource(16, 2);  // joins the range before
  splice.AppendOwn("");        // nothing
  splice.AppendSource(2, 0);   // nothing
  EXPECT_EQ(splice.size(), 14u);
  EXPECT_EQ(*splice.Materialize(BufferReader(source)), "0123XYabcdefgh");
  for (uint64_t offset = 0; offset <= splice.size(); ++offset) {
    for (uint64_t length = 0; offset + length <= splice.size(); ++length) {
      EXPECT_EQ(CopyOut(splice, BufferReader(source), offset, length),
                std::string("0123XYabcdefgh").substr(offset, length));
    }
  }
}

TEST(ByteSplice, ReadsTheSourceInBoundedPieces) {
  std::string source(3 * ByteSplice::kPieceBytes + 5, 'a');
  ByteSplice splice;
  splice.AppendSource(0, source.size());
  size_t largest_read = 0, reads = 0;
  ByteReader buffer = BufferReader(source);
  ByteReader watched = [&](uint64_t offset, size_t length, char* out) {
    largest_read = std::max(largest_read, length);
    ++reads;
    return buffer(offset, length, out);
  };
  size_t largest_write = 0;
  uint64_t written = 0;
  ASSERT_TRUE(splice
                  .Copy(watched, 0, splice.size(),
                        [&](std::string_view bytes) {
                          largest_write = std::max(largest_write, bytes.size());
                          written += bytes.size();
                          return true;
                        })
                  .ok());
  EXPECT_EQ(written, source.size());
  EXPECT_EQ(largest_read, ByteSplice::kPieceBytes);
  EXPECT_EQ(largest_write, ByteSplice::kPieceBytes);
  EXPECT_EQ(reads, 4u);
}

TEST(ByteSplice, StopsWhenTheSinkStopsAndFailsOutsideItself) {
  std::string source(ByteSplice::kPieceBytes * 2, 'b');
  ByteSplice splice;
  splice.AppendSource(0, source.size());
  splice.AppendOwn("tail");
  int calls = 0;
  Status stopped = splice.Copy(BufferReader(source), 0, splice.size(), [&](std::string_view) { return ++calls < 1; });
  EXPECT_EQ(stopped.kind(), "cancelled");
  EXPECT_EQ(calls, 1);
  Status outside;
  CopyOut(splice, BufferReader(source), splice.size() - 2, 3, &outside);
  EXPECT_EQ(outside.kind(), "out_of_range");
  CopyOut(splice, BufferReader(source), splice.size() + 1, 0, &outside);
  EXPECT_EQ(outside.kind(), "out_of_range");
  // A source shorter than the splice says so.
  Status short_source;
  CopyOut(splice, BufferReader(std::string_view(source).substr(0, 10)), 0, 20, &short_source);
  EXPECT_EQ(short_source.kind(), card_error::kTruncated);
}

}  // namespace
}  // namespace charchive
