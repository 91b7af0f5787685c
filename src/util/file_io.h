// Whole-file reads with a size limit, and atomic writes: the new content goes
// to a temporary file in the same folder, is fsync'ed, renamed over the target
// and the folder is fsync'ed, so a reader sees the old file or the new one,
// never a half-written one. Safe from any thread for distinct paths.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

// Fails with kind "too_large" past max_bytes, "not_found" or "io_error".
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes);

Status WriteFileAtomic(const std::string& path, std::string_view content, int mode = 0644);

// Creates `path` (which must not exist) and writes `content`, with no temp
// file and no fsync: for files nobody reads until the caller makes them
// durable and visible (a staging area). Their writeback is started at once
// (sync_file_range), so that the caller's fdatasync mostly finds them
// written. On failure the file is removed.
Status WriteNewFile(const std::string& path, std::string_view content);

// Reads `path` from start to end and drops the bytes, so that the kernel's
// page cache holds the file for a reader that visits its pages in an order
// readahead cannot follow (SQLite's integrity check of a cold database: 141 s
// at a million cards, 47 s with this beside it). Stops when `stop` turns
// true. Best effort: an error only ends the reading early.
void ReadThrough(const std::string& path, const std::atomic<bool>& stop);

}  // namespace charchive
