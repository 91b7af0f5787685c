// InotifyTree: Linux inotify over whole folder trees. Add watches a folder and
// every folder under it and lists the files it finds there; Read returns what
// happened in the watched folders as FileEvents with absolute paths. A folder
// created in or moved into a watched one is watched at once, and the files it
// already holds come back as found (kComplete): they may have arrived before
// its watch. A folder deleted or moved away is no longer watched. Symbolic
// links are not followed.
//
// Thread safety: Read from one thread at a time; Add, Remove, Wake and
// watched_folders from any thread (a mutex guards the folder table).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "util/result.h"
#include "watch/file_event.h"

namespace charchive::watch {

class InotifyTree {
 public:
  static Result<std::unique_ptr<InotifyTree>> Create();
  ~InotifyTree();
  InotifyTree(const InotifyTree&) = delete;
  InotifyTree& operator=(const InotifyTree&) = delete;

  // Watches `root` (absolute) and every folder under it, and appends the
  // regular files under it to `found`. kIoError "inotify_failed" when the
  // kernel refuses a watch (fs.inotify.max_user_watches); the folders
  // watched until then stay watched; kIoError "unreadable" when `root`
  // cannot be watched (missing, not a folder, no permission).
  Status Add(const std::string& root, std::vector<std::string>& found);
  // Stops watching `root` and every folder under it.
  void Remove(const std::string& root);
  // Waits up to `timeout` for events (or a Wake), and returns the events read.
  Result<std::vector<FileEvent>> Read(std::chrono::milliseconds timeout);
  // Makes a Read in progress (or the next one) return at once.
  void Wake();
  size_t watched_folders() const;

 private:
  InotifyTree(int fd, int wake_fd) : fd_(fd), wake_fd_(wake_fd) {}
  Status AddLocked(const std::string& root, std::vector<std::string>& found);
  Status WatchFolder(const std::string& path);
  void RemoveLocked(const std::string& root);
  void Translate(int wd, uint32_t mask, const std::string& name, std::vector<FileEvent>& out);

  const int fd_;
  const int wake_fd_;
  mutable std::mutex mu_;
  std::map<int, std::string> folders_;  // watch descriptor -> folder path
};

}  // namespace charchive::watch
