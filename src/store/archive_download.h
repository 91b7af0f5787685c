// Download: bytes the archive hands out (a card export, a card's image) with
// their file name and content type, written out piece by piece. A download
// made from a stored card file (a PNG card's export or image) holds the file
// open from the moment it is made and reads it ByteSplice::kPieceBytes at a
// time while it is sent: its memory does not grow with the file, and a card
// deleted meanwhile is still sent whole and consistent (card files are never
// rewritten, only unlinked; docs/storage.md). Other downloads (JSON and CharX
// exports) hold their bytes, which the card limits bound.
//
// Thread safety: WriteTo is const and may run on many threads at once (the
// file is read with pread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "card/byte_splice.h"
#include "util/result.h"

namespace charchive {

class Download {
 public:
  // Lays a download out over a file of `file_size` bytes that `file` reads.
  using Planner = std::function<Result<ByteSplice>(uint64_t file_size, const ByteReader& file)>;

  static Download FromBytes(std::string bytes, std::string file_name, std::string content_type);
  // Opens `path` and plans the download over it (the file as it is when
  // `plan` is null). Fails with "not_found" when the file is gone, "io_error",
  // or the planner's error.
  static Result<Download> FromFile(const std::string& path, const Planner& plan, std::string file_name,
                                   std::string content_type);

  uint64_t size() const { return splice_.size(); }
  const std::string& file_name() const { return file_name_; }
  const std::string& content_type() const { return content_type_; }

  // Sends `length` bytes from `offset` to `sink`. Fails with "io_error" (the
  // file could not be read), "out_of_range", or "cancelled" when the sink
  // stops.
  Status WriteTo(uint64_t offset, uint64_t length, const ByteSink& sink) const;
  // The whole download in memory, the file read once.
  Result<std::string> ReadAll() const;

 private:
  class OpenFile;
  Download(std::shared_ptr<const OpenFile> file, ByteSplice splice, std::string file_name, std::string content_type);

  std::shared_ptr<const OpenFile> file_;  // null for downloads held in memory
  ByteSplice splice_;
  std::string file_name_;
  std::string content_type_;
};

}  // namespace charchive
