// The card files under the data dir, and the protocol that keeps them and the
// database in step (docs/storage.md):
//   1. Stage: the bytes are written to staging/<pid>-<name>, then made
//      durable for a whole batch at once (SyncStaged).
//   2. Commit: the row naming <name> is committed in SQLite.
//   3. Publish: staging/<pid>-<name> is renamed to files/<name>.
// A crash before 2 leaves a staged file no row names; a crash between 2 and 3
// leaves a row whose file is still staged. Recover() (run at every open)
// settles both for staged files of processes that are no longer alive: it
// publishes the ones a row names and deletes the rest. File names are random
// (128 bits) plus the format's extension: every imported file gets its own,
// never reused. Thumbnails under thumbs/ are a cache, made on demand.
//
// Thread safety: methods may be called from many threads; distinct names never
// collide, and the same name always holds the same bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace charchive {

class FileStore {
 public:
  static constexpr uint64_t kDiskReserveBytes = 4u << 20;

  // Creates files/, staging/ and thumbs/ under `data_dir` when missing.
  static Result<FileStore> Open(const std::string& data_dir);

  // A new "<32 hex digits>.<ext>": a time (ms) then random bits.
  static std::string NewName(std::string_view ext);

  // Staged bytes are not yet durable: call SyncStaged before committing rows.
  // Fails with "disk_full" when the disk would keep less than kDiskReserveBytes.
  Status Stage(const std::string& name, std::string_view bytes) const;
  // Makes the named staged files and their names in staging/ durable.
  Status SyncStaged(const std::vector<std::string>& names) const;
  // Moves staged files into files/ (rows naming them have committed), then
  // makes the renames durable with one fsync of files/ for the whole list.
  // The first failed rename is returned; the others are still made.
  Status Publish(const std::vector<std::string>& names) const;
  // Removes this process's staged copy (after a failed commit).
  void Unstage(const std::string& name) const;
  Status Remove(const std::string& name) const;

  std::string PathOf(const std::string& name) const;
  std::string ThumbnailPathOf(const std::string& name) const;
  bool Exists(const std::string& name) const;

  // Settles dead processes' staged files; `is_referenced` says whether a row
  // names a file. Returns how many files it published and deleted.
  struct Recovery {
    int published = 0;
    int deleted = 0;
  };
  Result<Recovery> Recover(const std::function<bool(const std::string&)>& is_referenced) const;

  // Every name under files/.
  Result<std::vector<std::string>> ListFiles() const;

  const std::string& data_dir() const { return data_dir_; }

 private:
  explicit FileStore(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  std::string StagedPath(const std::string& name) const;
  std::string data_dir_;
};

}  // namespace charchive
