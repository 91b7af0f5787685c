#include "store/file_store.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#include <openssl/rand.h>

#include "store/errors.h"
#include "util/file_io.h"
#include "util/sha256.h"

namespace charchive {
namespace fs = std::filesystem;
namespace {

bool SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

bool ProcessAlive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

}  // namespace

Result<FileStore> FileStore::Open(const std::string& data_dir) {
  std::error_code ec;
  for (const char* sub : {"files", "staging", "thumbs"}) {
    fs::create_directories(fs::path(data_dir) / sub, ec);
    if (ec)
      return Status::IoError(store_error::kIoError,
                             "cannot create " + (fs::path(data_dir) / sub).string() + ": " + ec.message());
  }
  return FileStore(data_dir);
}

std::string FileStore::NewName(std::string_view ext) {
  // 48 bits of milliseconds, big-endian, then 80 random bits: names made
  // later sort later, so cards_by_file grows at its end instead of touching
  // a random page of a million-entry index for every new card.
  unsigned char bytes[16];
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(static_cast<uint64_t>(ms) >> (8 * (5 - i)));
  unsigned char* random = bytes + 6;
  const int random_size = sizeof bytes - 6;
  if (RAND_bytes(random, random_size) != 1) {
    static thread_local std::mt19937_64 fallback{std::random_device{}()};
    for (int i = 0; i < random_size; ++i) random[i] = static_cast<unsigned char>(fallback());
  }
  return HexEncode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes)) + "." + std::string(ext);
}

std::string FileStore::PathOf(const std::string& name) const { return data_dir_ + "/files/" + name; }

std::string FileStore::ThumbnailPathOf(const std::string& name) const {
  return data_dir_ + "/thumbs/" + name.substr(0, name.find('.')) + ".jpg";
}

std::string FileStore::StagedPath(const std::string& name) const {
  return data_dir_ + "/staging/" + std::to_string(::getpid()) + "-" + name;
}

bool FileStore::Exists(const std::string& name) const { return ::access(PathOf(name).c_str(), F_OK) == 0; }

Status FileStore::Stage(const std::string& name, std::string_view bytes) const {
  // A new card must leave kDiskReserveBytes free: with the disk full to the
  // last byte, SQLite could not even log the delete that would free it.
  struct statvfs fs {};
  if (::statvfs(data_dir_.c_str(), &fs) == 0) {
    uint64_t available = uint64_t(fs.f_bavail) * fs.f_frsize;
    if (available < bytes.size() + kDiskReserveBytes) {
      return Status::IoError(store_error::kDiskFull, "No space left on device: " + std::to_string(available >> 20) +
                                                         " MiB free on the archive's disk, a new card needs its " +
                                                         std::to_string((bytes.size() + (1 << 20) - 1) >> 20) +
                                                         " MiB plus " + std::to_string(kDiskReserveBytes >> 20) +
                                                         " MiB kept free for edits and deletes");
    }
  }
  // A staged file is invisible until its row commits and it is published, and
  // a row commits only after SyncStaged, so a torn staged file is never named
  // by a row: recovery deletes it. No temp file is needed.
  std::string path = StagedPath(name);
  return WriteNewFile(path, bytes);
}

// Only the named files are waited for: not another thread's, nor any other
// process's dirty pages (syncfs, used once, waited for those: seconds on a
// busy disk).
Status FileStore::SyncStaged(const std::vector<std::string>& names) const {
  for (const auto& name : names) {
    std::string path = StagedPath(name);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fdatasync(fd) != 0) {
      Status s = Status::IoError(store_error::kIoError, "cannot sync staged " + name + ": " + std::strerror(errno));
      if (fd >= 0) ::close(fd);
      return s;
    }
    ::close(fd);
  }
  if (!names.empty() && !SyncDir(data_dir_ + "/staging")) {
    return Status::IoError(store_error::kIoError, std::string("cannot sync staging/: ") + std::strerror(errno));
  }
  return Status::Ok();
}

Status FileStore::Publish(const std::vector<std::string>& names) const {
  Status first;
  for (const auto& name : names) {
    if (::rename(StagedPath(name).c_str(), PathOf(name).c_str()) != 0 && first.ok()) {
      first = Status::IoError(store_error::kIoError, "cannot publish " + name + ": " + std::strerror(errno));
    }
  }
  if (!names.empty()) SyncDir(data_dir_ + "/files");
  return first;
}

void FileStore::Unstage(const std::string& name) const { ::unlink(StagedPath(name).c_str()); }

Status FileStore::Remove(const std::string& name) const {
  if (::unlink(PathOf(name).c_str()) != 0 && errno != ENOENT) {
    return Status::IoError(store_error::kIoError, "cannot remove " + name + ": " + std::strerror(errno));
  }
  ::unlink(ThumbnailPathOf(name).c_str());
  return Status::Ok();
}

Result<FileStore::Recovery> FileStore::Recover(const std::function<bool(const std::string&)>& is_referenced) const {
  Recovery recovery;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(data_dir_ + "/staging", ec)) {
    std::string file = entry.path().filename().string();
    size_t dash = file.find('-');
    if (dash == std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::atol(file.substr(0, dash).c_str()));
    if (pid == ::getpid() || ProcessAlive(pid)) continue;
    std::string name = file.substr(dash + 1);
    if (name.find(".tmp-") != std::string::npos || !is_referenced(name)) {
      fs::remove(entry.path(), ec);
      ++recovery.deleted;
    } else if (::rename(entry.path().c_str(), PathOf(name).c_str()) == 0) {
      ++recovery.published;
    }
  }
  if (ec) return Status::IoError(store_error::kIoError, "cannot read staging/: " + ec.message());
  if (recovery.published > 0) SyncDir(data_dir_ + "/files");
  return recovery;
}

Result<std::vector<std::string>> FileStore::ListFiles() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(data_dir_ + "/files", ec)) {
    names.push_back(entry.path().filename().string());
  }
  if (ec) return Status::IoError(store_error::kIoError, "cannot read files/: " + ec.message());
  return names;
}

}  // namespace charchive
