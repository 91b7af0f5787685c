#include "store/archive_download.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/errors.h"

namespace charchive {

// A card file, open for the download's lifetime.
class Download::OpenFile {
 public:
  OpenFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~OpenFile() { ::close(fd_); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  Status Read(uint64_t offset, size_t length, char* out) const {
    while (length > 0) {
      ssize_t n = ::pread(fd_, out, length, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::IoError(store_error::kIoError, "cannot read " + path_ + ": " + std::strerror(errno));
      if (n == 0) {
        return Status::IoError(store_error::kIoError,
                               path_ + " ends at " + std::to_string(offset) + ", before the bytes planned");
      }
      out += n;
      offset += static_cast<uint64_t>(n);
      length -= static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  ByteReader Reader() const {
    return [this](uint64_t offset, size_t length, char* out) { return Read(offset, length, out); };
  }

 private:
  int fd_;
  std::string path_;
};

Download::Download(std::shared_ptr<const OpenFile> file, ByteSplice splice, std::string file_name,
                   std::string content_type)
    : file_(std::move(file)),
      splice_(std::move(splice)),
      file_name_(std::move(file_name)),
      content_type_(std::move(content_type)) {}

Download Download::FromBytes(std::string bytes, std::string file_name, std::string content_type) {
  ByteSplice splice;
  splice.AppendOwn(std::move(bytes));
  return Download(nullptr, std::move(splice), std::move(file_name), std::move(content_type));
}

Result<Download> Download::FromFile(const std::string& path, const Planner& plan, std::string file_name,
                                    std::string content_type) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return Status::NotFound(store_error::kNotFound, path + " does not exist");
  if (fd < 0) return Status::IoError(store_error::kIoError, "cannot open " + path + ": " + std::strerror(errno));
  auto file = std::make_shared<const OpenFile>(fd, path);
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return Status::IoError(store_error::kIoError, "cannot stat " + path + ": " + std::strerror(errno));
  uint64_t size = static_cast<uint64_t>(st.st_size);
  ByteSplice splice;
  if (plan) {
    CHARCHIVE_ASSIGN_OR_RETURN(splice, plan(size, file->Reader()));
  } else {
    splice.AppendSource(0, size);
  }
  return Download(std::move(file), std::move(splice), std::move(file_name), std::move(content_type));
}

Status Download::WriteTo(uint64_t offset, uint64_t length, const ByteSink& sink) const {
  // A download held in memory has no source pieces: its reader is never asked.
  ByteReader source = file_ ? file_->Reader() : ByteReader(BufferReader({}));
  return splice_.Copy(source, offset, length, sink);
}

Result<std::string> Download::ReadAll() const {
  return splice_.Materialize(file_ ? file_->Reader() : ByteReader(BufferReader({})));
}

}  // namespace charchive
