#include "api/token_store.h"

#include <sodium.h>

#include "api/errors.h"
#include "util/errors.h"
#include "util/file_io.h"
#include "util/sha256.h"

namespace charchive::api {

Result<ApiToken> LoadOrCreateToken(const std::string& data_dir) {
  std::string path = data_dir + "/api-token";
  auto existing = ReadFile(path, 4096);
  if (existing.ok()) {
    std::string token = *existing;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (!token.empty()) return ApiToken{token, false};
  } else if (existing.status().kind() != util_error::kNotFound) {
    return existing.status();
  }
  if (sodium_init() < 0) return Status::Internal(api_error::kCrypto, "libsodium failed to start");
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  std::string token = HexEncode(std::string_view(reinterpret_cast<char*>(random), sizeof random));
  CHARCHIVE_RETURN_IF_ERROR(WriteFileAtomic(path, token + "\n", 0600));
  return ApiToken{token, true};
}

}  // namespace charchive::api
