// Whole-file reads with a size limit, and atomic writes: the new content goes
// to a temporary file in the same folder, is fsync'ed, renamed over the target
// and the folder is fsync'ed, so a reader sees the old file or the new one,
// never a half-written one. Safe from any thread for distinct paths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

// Fails with kind "too_large" past max_bytes, "not_found" or "io_error".
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes);

enum class Durability {
  kSynced,    // fsync the file and its folder before returning
  kDeferred,  // the caller makes it durable later with SyncFilesystem (batches)
};

Status WriteFileAtomic(const std::string& path, std::string_view content, int mode = 0644,
                       Durability durability = Durability::kSynced);

// Flushes every pending write of the file system holding `path` (syncfs):
// one call makes a whole batch of kDeferred writes durable.
Status SyncFilesystem(const std::string& path);

}  // namespace charchive
