#include "federation/archive_identity.h"

#include <sodium.h>

#include <cstdio>
#include <filesystem>

#include "federation/errors.h"
#include "util/errors.h"
#include "util/file_io.h"

namespace charchive::federation {
namespace {

std::string NewUuid() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

}  // namespace

Result<std::string> LoadOrCreateArchiveId(const std::string& data_dir) {
  if (sodium_init() < 0) return Status::Internal(util_error::kCryptoUnavailable, "libsodium failed to initialize");
  const std::string path = data_dir + "/archive-id";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) CHARCHIVE_RETURN_IF_ERROR(WriteFileAtomic(path, NewUuid() + "\n"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string id, ReadFile(path, 256));
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r' || id.back() == ' ')) id.pop_back();
  if (id.empty()) {
    return Status::IoError(federation_error::kBadArchiveId,
                           path +
                               " holds no archive id; restore it from a backup, or "
                               "delete it to make a new one (the archive's cards on peers are "
                               "then no longer recognised as its own)");
  }
  return id;
}

}  // namespace charchive::federation
