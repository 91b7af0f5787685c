#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

#include "util/errors.h"

namespace charchive {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  // A full disk has its own kind: the API answers it with 507, and a user can act on it.
  const char* kind = errno == ENOSPC || errno == EDQUOT ? "disk_full" : "io_error";
  return Status::IoError(kind, what + " " + path + ": " + std::strerror(errno));
}

std::string TempSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(rng());
}

// Writes all of `content` to fd; on failure closes fd and unlinks `path`.
Status WriteAll(int fd, std::string_view content, const std::string& path) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("cannot write", path);
      ::close(fd);
      ::unlink(path.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::IoError(util_error::kNotFound, "no such file: " + path);
    return Errno("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = Errno("cannot stat", path);
    ::close(fd);
    return s;
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IoError(util_error::kIoError, path + " is a directory");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Status::Invalid(util_error::kTooLarge, path + " is " + std::to_string(st.st_size) +
                                                      " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("cannot read", path);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  data.resize(got);
  return data;
}

Status WriteFileAtomic(const std::string& path, std::string_view content, int mode) {
  std::filesystem::path target(path);
  std::string tmp = path + TempSuffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create", tmp);
  CHARCHIVE_RETURN_IF_ERROR(WriteAll(fd, content, tmp));
  if (::fsync(fd) != 0) {
    Status s = Errno("cannot fsync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = Errno("cannot rename onto", path);
    ::unlink(tmp.c_str());
    return s;
  }
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Status WriteNewFile(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", path);
  CHARCHIVE_RETURN_IF_ERROR(WriteAll(fd, content, path));
  ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // best effort: the caller syncs
  if (::close(fd) != 0) {
    Status s = Errno("cannot write", path);
    ::unlink(path.c_str());
    return s;
  }
  return Status::Ok();
}

void ReadThrough(const std::string& path, const std::atomic<bool>& stop) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::vector<char> buffer(1 << 20);
  while (!stop.load(std::memory_order_relaxed)) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  ::close(fd);
}

}  // namespace charchive
