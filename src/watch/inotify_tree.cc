#include "watch/inotify_tree.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/log.h"
#include "watch/errors.h"
#include "watch/path_within.h"

namespace charchive::watch {
namespace fs = std::filesystem;
namespace {

constexpr uint32_t kFolderMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_MODIFY | IN_DELETE |
                                 IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

}  // namespace

Result<std::unique_ptr<InotifyTree>> InotifyTree::Create() {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Status::IoError(watch_error::kInotify, std::string("inotify_init1: ") + std::strerror(errno));
  int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    int err = errno;
    close(fd);
    return Status::IoError(watch_error::kInotify, std::string("eventfd: ") + std::strerror(err));
  }
  return std::unique_ptr<InotifyTree>(new InotifyTree(fd, wake_fd));
}

InotifyTree::~InotifyTree() {
  close(fd_);
  close(wake_fd_);
}

Status InotifyTree::WatchFolder(const std::string& path) {
  int wd = inotify_add_watch(fd_, path.c_str(), kFolderMask);
  if (wd < 0) {
    if (errno == ENOSPC) {
      return Status::IoError(watch_error::kInotify, "cannot watch " + path +
                                                        ": the user's inotify watch limit is reached "
                                                        "(sysctl fs.inotify.max_user_watches)");
    }
    return Status::IoError(watch_error::kUnreadable, "cannot watch " + path + ": " + std::strerror(errno));
  }
  folders_[wd] = path;  // a folder reached again (moved back in) keeps its descriptor
  return Status::Ok();
}

Status InotifyTree::Add(const std::string& root, std::vector<std::string>& found) {
  std::lock_guard lock(mu_);
  return AddLocked(root, found);
}

// Each folder is watched before it is listed, so a file arriving meanwhile is
// either listed or reported by the watch (or both).
Status InotifyTree::AddLocked(const std::string& root, std::vector<std::string>& found) {
  CHARCHIVE_RETURN_IF_ERROR(WatchFolder(root));
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_symlink(type_ec)) continue;
    if (it->is_directory(type_ec)) {
      Status watched = WatchFolder(it->path().string());
      if (!watched.ok()) {
        if (watched.kind() == watch_error::kInotify) return watched;
        // A folder that vanished or cannot be read is skipped, not fatal.
        log::Warn("watch_folder_skipped", {{"path", it->path().string()}, {"error", watched.message()}});
        it.disable_recursion_pending();
      }
    } else if (it->is_regular_file(type_ec)) {
      found.push_back(it->path().string());
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    log::Warn("watch_folder_listing_failed", {{"path", root}, {"error", ec.message()}});
  }
  return Status::Ok();
}

void InotifyTree::Remove(const std::string& root) {
  std::lock_guard lock(mu_);
  RemoveLocked(root);
}

void InotifyTree::RemoveLocked(const std::string& root) {
  for (auto it = folders_.begin(); it != folders_.end();) {
    if (PathWithin(it->second, root)) {
      inotify_rm_watch(fd_, it->first);
      it = folders_.erase(it);
    } else {
      ++it;
    }
  }
}

void InotifyTree::Translate(int wd, uint32_t mask, const std::string& name, std::vector<FileEvent>& out) {
  if (mask & IN_Q_OVERFLOW) {
    out.push_back(FileEvent{"", FileSignal::kRescan});
    return;
  }
  auto folder = folders_.find(wd);
  if (folder == folders_.end()) return;
  if (mask & IN_IGNORED) {  // the folder itself was deleted, or its watch removed
    folders_.erase(folder);
    return;
  }
  if (name.empty()) return;
  const std::string path = folder->second + "/" + name;
  if (mask & IN_ISDIR) {
    if (mask & (IN_CREATE | IN_MOVED_TO)) {
      std::vector<std::string> found;
      Status added = AddLocked(path, found);
      if (!added.ok()) log::Warn("watch_folder_skipped", {{"path", path}, {"error", added.message()}});
      for (auto& file : found) out.push_back(FileEvent{std::move(file), FileSignal::kComplete});
    } else if (mask & (IN_MOVED_FROM | IN_DELETE)) {
      RemoveLocked(path);
    }
    return;
  }
  if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
    out.push_back(FileEvent{path, FileSignal::kComplete});
  } else if (mask & (IN_CREATE | IN_MODIFY)) {
    out.push_back(FileEvent{path, FileSignal::kWriting});
  } else if (mask & (IN_DELETE | IN_MOVED_FROM)) {
    out.push_back(FileEvent{path, FileSignal::kGone});
  }
}

Result<std::vector<FileEvent>> InotifyTree::Read(std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  int ready = poll(fds, 2, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) {
    return Status::IoError(watch_error::kInotify, std::string("poll: ") + std::strerror(errno));
  }
  if (fds[1].revents & POLLIN) {
    uint64_t count = 0;
    (void)!read(wake_fd_, &count, sizeof count);
  }
  std::vector<FileEvent> events;
  if (!(fds[0].revents & POLLIN)) return events;
  alignas(inotify_event) char buffer[64 * 1024];
  std::lock_guard lock(mu_);
  while (true) {
    ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return Status::IoError(watch_error::kInotify, std::string("read inotify: ") + std::strerror(errno));
    }
    if (n == 0) break;
    for (char* p = buffer; p < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(p);
      Translate(event->wd, event->mask, event->len ? std::string(event->name) : std::string(), events);
      p += sizeof(inotify_event) + event->len;
    }
  }
  return events;
}

void InotifyTree::Wake() {
  uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
}

size_t InotifyTree::watched_folders() const {
  std::lock_guard lock(mu_);
  return folders_.size();
}

}  // namespace charchive::watch
