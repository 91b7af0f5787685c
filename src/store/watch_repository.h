// SQL for watched folders (`watch_folders`, `watch_files`; docs/watch.md): the
// folders kept as a setting, and what is known of each file seen in one, by
// its absolute path: its size and mtime when last read, the card it made, or
// why it was refused. A card's deletion leaves its files' rows with no card
// (a foreign key sets card_id NULL), so an unchanged file does not bring the
// card back.
//
// Thread safety: stateless; the Database's rules apply.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/card_record.h"
#include "store/sqlite.h"

namespace charchive {

enum class WatchFileStatus { kCard, kRefused };

// "card", "refused".
const char* WatchFileStatusName(WatchFileStatus status);

struct WatchedFile {
  std::string path;
  std::optional<CardId> card_id;  // the card the file made or was found to hold
  int64_t size = 0;
  int64_t mtime_ns = 0;
  WatchFileStatus status = WatchFileStatus::kCard;
  std::string message;  // why it was refused
  std::string seen_at;  // set by PutFiles
};

namespace watch_repository {

Result<std::vector<std::string>> ListFolders(Database& db);
// Makes `paths` the kept folders, in one transaction.
Status ReplaceFolders(Database& db, const std::vector<std::string>& paths);

// The rows of those of `paths` that have one, by path.
Result<std::map<std::string, WatchedFile>> GetFiles(Database& db, const std::vector<std::string>& paths);
// Inserts or replaces each file's row (seen_at: now), in one transaction.
Status PutFiles(Database& db, const std::vector<WatchedFile>& files);
// The most recently seen files, newest first.
Result<std::vector<WatchedFile>> RecentFiles(Database& db, int64_t limit);

}  // namespace watch_repository
}  // namespace charchive
