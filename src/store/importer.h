// Bulk import: collects card files from paths (folders recursively: .png,
// .json, .charx), reads, parses and stages them on every core, syncs each
// batch's staged files on a thread of its own, and commits the synced batches
// to the archive in batched transactions. Reports progress as it goes.
//
// Thread safety: ImportPaths runs worker threads internally; call it from one
// thread. The progress callback is called from that calling thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/archive.h"

namespace charchive {

struct ImportProgress {
  size_t total = 0;
  size_t done = 0;
  size_t imported = 0;
  size_t duplicates = 0;
  size_t failed = 0;
};

struct ImportSummary {
  ImportProgress counts;
  std::vector<ImportResult> results;  // one per file, in completion order
};

struct ImportOptions {
  size_t threads = 0;  // 0: one per core
  size_t batch_size = 256;
  std::function<void(const ImportProgress&)> on_progress;
};

// Whether a folder's file is taken as a card file: .png, .json or .charx (any case).
bool IsCardFileName(const std::string& path);

// Fails only when the paths cannot be listed; per-file failures are results.
Result<ImportSummary> ImportPaths(Archive& archive, const std::vector<std::string>& paths,
                                  const ImportOptions& options);

}  // namespace charchive
