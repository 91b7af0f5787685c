// Zip archives in memory: the entry-name rule every zip the archive reads or
// writes keeps (no way out of the folder it is unpacked into), and a writer
// for a list of entries (CharX files, bulk exports). Reading a zip is
// card/charx.h's, with its limits.
//
// Thread safety: stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace charchive {

// "unsafe_path" for an empty name, NUL, a backslash, an absolute path, a
// drive letter or a `..` part.
Status CheckZipEntryName(std::string_view name);

struct ZipEntry {
  std::string name;        // a path inside the zip, '/'-separated
  std::string_view bytes;  // must outlive WriteZip
  bool compress = true;    // false: stored as it is (PNGs are compressed already)
};

// The zip of `entries`, in order (a later entry of the same name replaces an
// earlier one); "unsafe_path" for a bad name, "bad_zip" when libzip fails.
Result<std::string> WriteZip(const std::vector<ZipEntry>& entries);

}  // namespace charchive
