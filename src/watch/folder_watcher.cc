#include "watch/folder_watcher.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "store/importer.h"
#include "util/log.h"
#include "watch/errors.h"
#include "watch/path_within.h"

namespace charchive::watch {
namespace fs = std::filesystem;
namespace {

bool IsWatchedName(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  return !name.empty() && name.front() != '.' && IsCardFileName(path);
}

Json ArrivalJson(const Arrival& a) {
  Json event{{"type", "watch"}, {"action", ArrivalActionName(a.action)}, {"path", a.path}};
  event["cardId"] = a.card_id ? Json(*a.card_id) : Json(nullptr);
  if (!a.problem.ok()) {
    event["kind"] = a.problem.kind();
    event["message"] = a.problem.message();
  }
  return event;
}

}  // namespace

const char* FolderOriginName(FolderOrigin origin) {
  return origin == FolderOrigin::kCommandLine ? "command_line" : "setting";
}

FolderWatcher::FolderWatcher(Archive& archive, Clock& clock, WatchOptions options)
    : archive_(archive),
      clock_(clock),
      options_(std::move(options)),
      importer_(archive),
      pending_(options_.settle, options_.quiet),
      worker_("folder_watch", clock, options_.period, [this] { return Pass(); }) {}

FolderWatcher::~FolderWatcher() { Stop(); }

Result<std::string> FolderWatcher::CheckFolder(const std::string& path, const std::string& data_dir) {
  if (path.empty() || path.front() != '/') {
    return Status::Invalid(watch_error::kFolderNotAbsolute,
                           "a watched folder must be an absolute path: '" + path + "'");
  }
  std::error_code ec;
  fs::path folder = fs::canonical(path, ec);
  if (ec) return Status::Invalid(watch_error::kFolderMissing, "no such folder: " + path);
  if (!fs::is_directory(folder, ec))
    return Status::Invalid(watch_error::kFolderNotDirectory, path + " is not a folder");
  fs::path data = fs::weakly_canonical(fs::absolute(data_dir), ec);
  if (!ec && (PathWithin(folder.string(), data.string()) || PathWithin(data.string(), folder.string()))) {
    return Status::Invalid(watch_error::kFolderInData,
                           "cannot watch " + path + ": it is or holds the archive's data dir " + data.string());
  }
  return folder.string();
}

Status FolderWatcher::Start() {
  if (reader_.joinable()) return Status::Ok();
  std::vector<std::string> command_line;
  for (const auto& path : options_.command_line_folders) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::string folder, CheckFolder(path, archive_.data_dir()));
    command_line.push_back(std::move(folder));
  }
  std::vector<std::string> kept;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(kept, watch_repository::ListFolders(*db));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(tree_, InotifyTree::Create());
  {
    std::lock_guard lock(mu_);
    folders_.clear();
    for (const auto& f : command_line) folders_.push_back({f, FolderOrigin::kCommandLine, Status::Ok()});
    for (const auto& f : kept) folders_.push_back({f, FolderOrigin::kSetting, Status::Ok()});
  }
  std::set<std::string> done;
  for (const auto& f : command_line) {
    if (done.insert(f).second) Watch(f);
  }
  for (const auto& f : kept) {
    // A kept folder is checked again: it may have gone, or be a link now.
    auto checked = CheckFolder(f, archive_.data_dir());
    Status watching = checked.ok() ? (done.insert(f).second ? Watch(f) : Status::Ok()) : checked.status();
    if (!watching.ok()) {
      log::Warn("watch_folder_unavailable", {{"path", f}, {"error", watching.message()}});
      std::lock_guard lock(mu_);
      for (auto& w : folders_) {
        if (w.path == f && w.origin == FolderOrigin::kSetting) w.watching = watching;
      }
    }
  }
  stopping_ = false;
  reader_ = std::thread([this] { ReadEvents(); });
  worker_.Start();
  log::Info("watch_started", {{"folders", Folders().size()}, {"found", pending().settling}});
  return Status::Ok();
}

void FolderWatcher::Stop() {
  if (!reader_.joinable()) return;
  stopping_ = true;
  tree_->Wake();
  reader_.join();
  worker_.Stop();
}

Status FolderWatcher::Watch(const std::string& folder) {
  std::vector<std::string> found;
  Status added = tree_->Add(folder, found);
  NoteFound(found);
  if (!added.ok()) log::Warn("watch_folder_unavailable", {{"path", folder}, {"error", added.message()}});
  return added;
}

void FolderWatcher::NoteFound(const std::vector<std::string>& files) {
  const Clock::TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  for (const auto& f : files) {
    if (IsWatchedName(f)) pending_.Note(FileEvent{f, FileSignal::kComplete}, now);
  }
}

// The reader thread: moves the kernel's events into pending_ as they come,
// so its queue does not overflow while the worker imports.
void FolderWatcher::ReadEvents() {
  while (!stopping_) {
    auto events = tree_->Read(std::chrono::seconds(1));
    if (!events.ok()) {
      // poll or read on our own descriptors failed: retrying would spin.
      // Files are then found by the next start's scan.
      log::Error("watch_read_failed", {{"error", events.status().message()}, {"action", "watching stopped"}});
      return;
    }
    bool rescan = false;
    {
      const Clock::TimePoint now = clock_.Now();
      std::lock_guard lock(mu_);
      for (const FileEvent& e : *events) {
        if (e.signal == FileSignal::kRescan) {
          rescan = true;
        } else if (IsWatchedName(e.path)) {
          pending_.Note(e, now);
        }
      }
    }
    if (rescan) {
      // Events were lost: every folder is listed again; the size and mtime
      // rule keeps unchanged files from being read.
      log::Warn("watch_events_lost", {{"action", "rescan"}});
      for (const auto& folder : Folders()) {
        if (folder.watching.ok()) Watch(folder.path);
      }
    }
  }
}

Status FolderWatcher::Pass() {
  std::vector<std::string> ready;
  {
    std::lock_guard lock(mu_);
    ready = pending_.TakeReady(clock_.Now(), options_.max_files_per_pass);
  }
  if (ready.empty()) return Status::Ok();
  const auto started = std::chrono::steady_clock::now();
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<Arrival> arrivals, importer_.Process(ready));
  std::map<ArrivalAction, size_t> counts;
  for (const Arrival& a : arrivals) {
    ++counts[a.action];
    Report(a);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::Info("watch_pass", {{"files", ready.size()},
                           {"imported", counts[ArrivalAction::kImported]},
                           {"matched", counts[ArrivalAction::kMatched]},
                           {"updated", counts[ArrivalAction::kUpdated]},
                           {"refused", counts[ArrivalAction::kRefused]},
                           {"failed", counts[ArrivalAction::kFailed]},
                           {"seconds", seconds}});
  // A full pass leaves a backlog: the next one starts at once. After a pass
  // that took all there was, files that settled meanwhile wait for the next
  // period, so a copy that trickles in is read in batches, not a file a pass.
  if (ready.size() == options_.max_files_per_pass) {
    bool more = false;
    {
      std::lock_guard lock(mu_);
      more = pending_.AnyReady(clock_.Now());
    }
    if (more) worker_.Wake();
  }
  return Status::Ok();
}

void FolderWatcher::Report(const Arrival& a) {
  if (a.action == ArrivalAction::kRefused) {
    log::Warn("watch_refused", {{"path", a.path}, {"kind", a.problem.kind()}, {"error", a.problem.message()}});
  } else if (a.action == ArrivalAction::kFailed) {
    log::Warn("watch_failed", {{"path", a.path}, {"kind", a.problem.kind()}, {"error", a.problem.message()}});
  }
  if (options_.on_event) options_.on_event(ArrivalJson(a));
}

std::vector<WatchedFolder> FolderWatcher::Folders() const {
  std::lock_guard lock(mu_);
  return folders_;
}

Result<std::vector<WatchedFolder>> FolderWatcher::SetFolders(const std::vector<std::string>& paths) {
  std::lock_guard settings(settings_mu_);
  std::vector<std::string> wanted;
  for (const auto& path : paths) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::string folder, CheckFolder(path, archive_.data_dir()));
    if (std::find(wanted.begin(), wanted.end(), folder) == wanted.end()) wanted.push_back(std::move(folder));
  }
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(watch_repository::ReplaceFolders(*db, wanted));
  }
  std::vector<WatchedFolder> before = Folders();
  std::vector<WatchedFolder> after;
  for (const auto& f : before) {
    if (f.origin == FolderOrigin::kCommandLine) after.push_back(f);
  }
  auto was_watched = [&](const std::string& path) {
    return std::any_of(before.begin(), before.end(),
                       [&](const WatchedFolder& f) { return f.path == path && f.watching.ok(); });
  };
  std::vector<std::string> removed;
  for (const auto& f : before) {
    bool kept = std::any_of(after.begin(), after.end(), [&](const WatchedFolder& a) { return a.path == f.path; }) ||
                std::find(wanted.begin(), wanted.end(), f.path) != wanted.end();
    if (!kept) removed.push_back(f.path);
  }
  for (const auto& path : wanted) {
    Status watching = Status::Ok();
    if (tree_ && !was_watched(path)) watching = Watch(path);
    after.push_back({path, FolderOrigin::kSetting, watching});
  }
  if (tree_) {
    for (const auto& path : removed) tree_->Remove(path);
    // A removed folder's watches may have served a folder still wanted (one
    // inside the other): watch those again.
    for (const auto& f : after) {
      bool under_removed = std::any_of(removed.begin(), removed.end(), [&](const std::string& r) {
        return PathWithin(f.path, r) || PathWithin(r, f.path);
      });
      if (under_removed && f.watching.ok()) Watch(f.path);
    }
  }
  {
    std::lock_guard lock(mu_);
    folders_ = after;
  }
  log::Info("watch_folders_set", {{"folders", wanted.size()}, {"removed", removed.size()}});
  return after;
}

Result<std::vector<WatchedFile>> FolderWatcher::Recent(int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return watch_repository::RecentFiles(*db, limit);
}

PendingFiles::Counts FolderWatcher::pending() const {
  std::lock_guard lock(mu_);
  return pending_.counts();
}

}  // namespace charchive::watch
