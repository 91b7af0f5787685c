// WatchedFileImporter: brings files of watched folders into the archive, and
// keeps what it learnt of each in `watch_files` (store/watch_repository.h).
// A file is read only when its size or mtime differs from its row, or it has
// none. A file the archive has not met by its path is imported through the
// bulk importer (store/importer.h: parsed on every core, committed in
// batches); one whose content is already a card is linked to that card
// (matched by content hash). A file met before whose card still exists
// becomes a new version of that card ("pull") when its content changed. A file
// that is not a card is refused and recorded with its size and mtime, so it is
// reported once and read again only when it changes. A file that could not be
// read or stored for another reason (permissions, a full disk) is not
// recorded: it is tried again when it next changes, or at the next start.
//
// Thread safety: Process from one thread at a time (the watcher's worker).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/archive.h"
#include "store/card_record.h"

namespace charchive::watch {

enum class ArrivalAction {
  kImported,  // a new card
  kMatched,   // the content is a card the archive already holds: linked to it
  kUpdated,   // a new version of the card the file made
  kRefused,   // not a card (reported once)
  kFailed,    // could not be read or stored; tried again when it changes
};

// "imported", "matched", "updated", "refused", "failed".
const char* ArrivalActionName(ArrivalAction action);

struct Arrival {
  std::string path;
  ArrivalAction action = ArrivalAction::kImported;
  std::optional<CardId> card_id;
  Status problem;  // why it was refused or failed
};

class WatchedFileImporter {
 public:
  explicit WatchedFileImporter(Archive& archive) : archive_(archive) {}

  // What happened to each of `paths` that was read; files unchanged since
  // their row, gone, or not regular files give nothing, as do changed files
  // whose content is the card's already. Fails only when the archive's
  // database cannot be read or written.
  Result<std::vector<Arrival>> Process(const std::vector<std::string>& paths);

 private:
  Archive& archive_;
};

}  // namespace charchive::watch
