// FolderWatcher: the watched folders of `charchive serve` (docs/watch.md).
// Folders come from the command line (`serve --watch DIR`, for this run) and
// from a setting kept in the database (SetFolders, the API's PUT /api/watch).
// Every folder is watched recursively with inotify (watch/inotify_tree.h);
// files that are written and closed, moved in, or found by a scan wait in
// PendingFiles until they have settled, then a worker (PeriodicWorker on the
// injected Clock) hands them, up to `max_files_per_pass` at a time, to the
// WatchedFileImporter and reports each arrival or refusal through `on_event`
// and the operator log. Start scans every folder, so what was added or
// changed while the server was down is imported; a scan reads only files
// whose size or mtime moved. A deleted file deletes nothing. Only card file
// names are taken (.png, .json, .charx, as `charchive import`), and no
// hidden file (a name starting with '.', as the temporary files of atomic
// writers).
//
// Thread safety: Start and Stop from one thread; Folders, SetFolders, Recent
// and pending from any thread, at any time. `on_event` is called from the
// worker thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "card/card.h"
#include "store/archive.h"
#include "store/watch_repository.h"
#include "util/clock.h"
#include "util/periodic_worker.h"
#include "watch/inotify_tree.h"
#include "watch/pending_files.h"
#include "watch/watched_file_importer.h"

namespace charchive::watch {

struct WatchOptions {
  std::vector<std::string> command_line_folders;  // absolute; checked by Start
  Clock::Duration settle = std::chrono::milliseconds(200);
  Clock::Duration quiet = std::chrono::seconds(10);
  Clock::Duration period = std::chrono::milliseconds(100);  // how often settled files are looked for
  size_t max_files_per_pass = 2000;
  // {"type": "watch", "action": "imported"|"matched"|"updated"|"refused"|"failed", "path", "cardId", ...}
  std::function<void(const Json&)> on_event;
};

enum class FolderOrigin { kCommandLine, kSetting };

// "command_line", "setting".
const char* FolderOriginName(FolderOrigin origin);

struct WatchedFolder {
  std::string path;
  FolderOrigin origin = FolderOrigin::kSetting;
  Status watching;  // ok while watched; why not otherwise
};

class FolderWatcher {
 public:
  FolderWatcher(Archive& archive, Clock& clock, WatchOptions options);
  ~FolderWatcher();  // Stop()
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;

  // `path` as a folder to watch: absolute, existing, a folder (symbolic links
  // resolved), neither inside the data dir nor holding it. kInvalidInput
  // "watch_folder_not_absolute", "watch_folder_missing",
  // "watch_folder_not_directory", "watch_folder_in_data".
  static Result<std::string> CheckFolder(const std::string& path, const std::string& data_dir);

  // Checks the command line's folders (nothing starts when one is bad), reads
  // the kept ones, watches and scans them all, and starts the threads. A kept
  // folder that is gone is listed with its problem, not fatal.
  Status Start();
  // Stops the threads; files not yet read are found by the next start's scan.
  void Stop();

  std::vector<WatchedFolder> Folders() const;
  // Makes `paths` the kept folders: each checked (any bad one: nothing
  // changes), kept, and watched (new ones scanned); folders left out are no
  // longer watched. The command line's folders stay as they are.
  Result<std::vector<WatchedFolder>> SetFolders(const std::vector<std::string>& paths);
  // The files most recently seen, newest first.
  Result<std::vector<WatchedFile>> Recent(int64_t limit);
  // Files heard of and not yet read: being written, or complete and settling.
  PendingFiles::Counts pending() const;

 private:
  // Watches and scans `folder`; returns whether it is watched.
  Status Watch(const std::string& folder);
  void NoteFound(const std::vector<std::string>& files);
  void ReadEvents();
  Status Pass();
  void Report(const Arrival& arrival);

  Archive& archive_;
  Clock& clock_;
  const WatchOptions options_;
  WatchedFileImporter importer_;
  std::unique_ptr<InotifyTree> tree_;
  std::mutex settings_mu_;  // one SetFolders at a time
  mutable std::mutex mu_;   // folders_, pending_
  std::vector<WatchedFolder> folders_;
  PendingFiles pending_;
  std::atomic<bool> stopping_{false};
  std::thread reader_;
  PeriodicWorker worker_;
};

}  // namespace charchive::watch
