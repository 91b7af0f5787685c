#include "card/zip_writer.h"

#include <zip.h>

#include "card/errors.h"

namespace charchive {
namespace {

Status ZipError(zip_error_t* error, const std::string& what) {
  return Status::Invalid(card_error::kBadZip, what + ": " + zip_error_strerror(error));
}

}  // namespace

Status CheckZipEntryName(std::string_view name) {
  auto unsafe = [&](const std::string& why) {
    return Status::Invalid(card_error::kUnsafePath, "zip entry '" + std::string(name) + "' " + why);
  };
  if (name.empty()) return unsafe("has an empty name");
  if (name.find('\0') != std::string_view::npos) return unsafe("contains NUL");
  if (name.find('\\') != std::string_view::npos) return unsafe("contains a backslash");
  if (name.front() == '/') return unsafe("is an absolute path");
  if (name.size() >= 2 && name[1] == ':') return unsafe("starts with a drive letter");
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string_view part =
        name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == "..") return unsafe("climbs out of the archive with '..'");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return Status::Ok();
}

Result<std::string> WriteZip(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) return ZipError(&error, "cannot create zip buffer");
  zip_source_keep(buffer);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!zip) {
    zip_source_free(buffer);
    return ZipError(&error, "cannot create zip");
  }
  auto add = [&](const ZipEntry& entry) -> Status {
    CHARCHIVE_RETURN_IF_ERROR(CheckZipEntryName(entry.name));
    // libzip reads the data at close time; the caller's buffers outlive it.
    zip_source_t* data = zip_source_buffer(zip, entry.bytes.data(), entry.bytes.size(), 0);
    if (!data) return ZipError(zip_get_error(zip), "cannot add '" + entry.name + "'");
    zip_int64_t index = zip_file_add(zip, entry.name.c_str(), data, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(data);
      return ZipError(zip_get_error(zip), "cannot add '" + entry.name + "'");
    }
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), entry.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                             entry.compress ? 6 : 0);
    return Status::Ok();
  };
  Status added = Status::Ok();
  for (auto it = entries.begin(); added.ok() && it != entries.end(); ++it) added = add(*it);
  if (!added.ok() || zip_close(zip) != 0) {
    Status s = added.ok() ? ZipError(zip_get_error(zip), "cannot write zip") : added;
    zip_discard(zip);
    zip_source_free(buffer);
    return s;
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) != 0 || zip_source_open(buffer) != 0) {
    zip_source_free(buffer);
    return Status::Internal("zip", "cannot read back the written zip");
  }
  out.resize(static_cast<size_t>(st.size));
  zip_int64_t n = zip_source_read(buffer, out.data(), st.size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Status::Internal("zip", "short read of the written zip");
  return out;
}

}  // namespace charchive
