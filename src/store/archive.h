// Archive: the card archive on disk, the one service the CLI and the HTTP API
// call. It owns the SQLite database (cards.db) and the card files under the
// data dir, applies migrations and recovers interrupted writes at open, and
// keeps rows, files, tags, full-text rows and versions in step.
//
// Thread safety: all methods may be called concurrently from many threads;
// other processes (the CLI importer beside a running server) may use the same
// data dir at the same time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "card/card_file.h"
#include "store/archive_download.h"
#include "store/card_record.h"
#include "store/card_row.h"
#include "store/connection_pool.h"
#include "store/file_store.h"
#include "util/fifo_gate.h"

namespace charchive {

// One file on its way into the archive, parsed and staged off the write path
// (PrepareImport may run on any thread).
struct PreparedImport {
  std::string original_name;
  Status status;  // a parse or staging failure
  std::string format;
  CardRow row;
  std::optional<std::string> image_hash;
  std::string file_name;
  int64_t file_size = 0;
  std::string source = "import";         // where the card came from: import, or a platform
  std::optional<std::string> source_id;  // its id there
  bool durable = false;                  // its staged file is synced (Archive::SyncStaged)
};

struct ImportResult {
  std::string file;
  std::optional<CardId> id;
  std::optional<CardId> duplicate_of;
  Status status;
};

// A card's content at one moment, as a peer is sent it.
struct CardSnapshot {
  CardRecord record;
  Card card;
  std::string png;         // the image with the card embedded (a placeholder image for cards without one)
  int64_t version_id = 0;  // the newest version: the content's version
};

struct DoctorReport {
  bool integrity_ok = false;
  std::string integrity_message;
  int64_t cards = 0;
  std::vector<std::string> orphan_files;   // files/ entries no row names
  std::vector<std::string> missing_files;  // rows whose file is absent
  int recovered_published = 0;
  int recovered_deleted = 0;
  bool consistent() const { return integrity_ok && orphan_files.empty() && missing_files.empty(); }
};

class Archive {
 public:
  // Creates the data dir if needed, applies migrations, recovers interrupted
  // imports of dead processes.
  static Result<std::unique_ptr<Archive>> Open(const std::string& data_dir);

  // Parses and stages one file (any thread); nothing is visible until Commit.
  PreparedImport PrepareImport(std::string bytes, std::string original_name) const;
  // Commits prepared files in one transaction: duplicates (same content and
  // image hash, in the archive or earlier in the batch) insert nothing.
  // Syncs the staged files of those not yet durable (they wait on the disk
  // and use little CPU: a bulk import syncs one batch while it commits the one
  // before). Commits do it too for the ones left.
  Status SyncStaged(std::vector<PreparedImport>& batch) const;
  std::vector<ImportResult> CommitImports(std::vector<PreparedImport> batch);
  ImportResult ImportBytes(std::string bytes, std::string original_name);

  Result<ListPage> List(const ListQuery& query);
  Result<CardRecord> Get(CardId id);
  // Makes `card` the current content, recorded as a version with `reason`
  // ("pull" or "merge"); the previous content stays a version.
  Result<CardRecord> ReplaceContent(CardId id, const Card& card, const std::string& reason);
  // Merges a partial V3 data object; records an "edit" version.
  Result<CardRecord> UpdateData(CardId id, const Json& data_patch);
  // A new card from a partial V3 `data` object (every other V3 field empty),
  // stored as a JSON card; `data.name` must be given and not blank.
  Result<CardRecord> Create(const Json& data);
  // A new card with `id`'s current content renamed to `name` (blank: the name
  // plus " (copy)"), its image and CharX assets; always a new card, never a
  // duplicate. The copy's first version is its own "import".
  Result<CardRecord> Clone(CardId id, const std::string& name);
  // Makes `png` the card's image (a CharX card's main icon); the content
  // stays and is recorded as a new "edit" version. The previous file goes.
  // "bad_image" when `png` is not a PNG.
  Result<CardRecord> ReplaceImage(CardId id, std::string png);
  // Removes the row (versions, tags, search row with it) and the card's files,
  // in the trash or not.
  Status Delete(CardId id);
  // The trash (docs/storage.md "Trash"): a trashed card leaves lists, search,
  // tags, stats, duplicates, imports' duplicate check, federation and sources,
  // but keeps its row, files and versions; Get still finds it (trashed_at set),
  // and every change of it is refused ("trashed") until it is restored.
  Status Trash(CardId id);
  Result<CardRecord> RestoreFromTrash(CardId id);  // "not_trashed" when it is not there
  Result<TrashPage> ListTrash(int64_t limit);
  // Deletes every trashed card as Delete does; returns how many.
  Result<int64_t> EmptyTrash();
  Result<CardRecord> SetFavorite(CardId id, std::optional<bool> favorite);  // nullopt toggles
  Result<std::vector<VersionRecord>> Versions(CardId id);
  // The id of the version that is the card's current content.
  Result<std::optional<int64_t>> LatestVersionId(CardId id);
  Result<std::vector<CardId>> CardIds();  // outside the trash
  Result<VersionRecord> Version(CardId id, int64_t version_id);
  // Makes the version's content current again, recorded as a "restore" version.
  Result<CardRecord> RestoreVersion(CardId id, int64_t version_id);
  Result<std::vector<TagCount>> Tags();

  // The card in a format, with the current content (image and assets from the
  // imported file), named "<card name>.<ext>". A PNG card's PNG export is
  // planned over its stored file and read from it while it is sent; other
  // exports are built in memory.
  Result<Download> StreamExport(CardId id, CardFormat format);
  // "trashed" for a card in the trash: nothing sends it anywhere.
  Result<CardSnapshot> Snapshot(CardId id);
  // The card's PNG image bytes; kNotFound for cards without an image.
  Result<std::string> Image(CardId id);
  // A PNG card of `card` on the record's image (a placeholder when it has
  // none): a PNG card's stored file is read once, straight into the result,
  // its card chunks replaced; another card's image is built in memory.
  Result<std::string> PngWith(const CardRecord& record, const Card& card);
  // The same as a download: a PNG card's stored file as it is, read while it
  // is sent; a CharX card's main icon from memory.
  Result<Download> StreamImage(CardId id);
  // Path of the card's JPEG thumbnail, made on first request.
  Result<std::string> ThumbnailPath(CardId id);

  Result<DoctorReport> Doctor();

  const std::string& data_dir() const { return files_.data_dir(); }
  // The database, for the services built on the archive (federation).
  ConnectionPool& pool() { return pool_; }

 private:
  Archive(FileStore files, std::string db_path);
  Result<LoadedCard> LoadStored(const CardRecord& record);
  Result<std::string> StoredImage(const CardRecord& record);
  // Doctor's part in SQLite: PRAGMA integrity_check and the card count.
  Status CheckIntegrity(DoctorReport& report);
  // A PNG card's stored file with `card` in its card chunks, planned over the
  // file (read as it is sent).
  Result<Download> PngFileWith(const CardRecord& record, const Card& card, std::string file_name);
  Result<CardRecord> WriteContent(CardId id, const Card& card, const std::string& reason);
  // Commits one prepared file as a new card, without the duplicate check.
  Result<CardRecord> CommitNew(PreparedImport prepared);

  FileStore files_;
  ConnectionPool pool_;
  // Lists and searches under way: at most one per core (List()).
  FifoGate list_slots_;
  FileStore::Recovery recovery_;
};

}  // namespace charchive
