#include "util/secret_box.h"

#include <sodium.h>

#include <filesystem>

#include "util/base64.h"
#include "util/errors.h"
#include "util/file_io.h"

namespace charchive {

Result<SecretBox> SecretBox::OpenOrCreate(const std::string& key_path) {
  if (sodium_init() < 0) return Status::Internal(util_error::kCryptoUnavailable, "libsodium failed to initialize");
  std::error_code ec;
  if (!std::filesystem::exists(key_path, ec)) {
    std::string key(crypto_secretbox_KEYBYTES, '\0');
    randombytes_buf(key.data(), key.size());
    CHARCHIVE_RETURN_IF_ERROR(WriteFileAtomic(key_path, key, 0600));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string key, ReadFile(key_path, 1024));
  if (key.size() != crypto_secretbox_KEYBYTES) {
    return Status::IoError(util_error::kBadKeyFile, key_path + " is not a " +
                                                        std::to_string(crypto_secretbox_KEYBYTES) +
                                                        "-byte secret key; restore it from a backup");
  }
  return SecretBox(std::move(key));
}

std::string SecretBox::Seal(std::string_view plaintext) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  return Base64Encode(out);
}

Result<std::string> SecretBox::Open(std::string_view sealed) const {
  auto raw = Base64Decode(sealed);
  if (!raw.ok() || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Status::IoError(util_error::kSecretUnreadable, "a stored secret is damaged");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw->data());
  const unsigned char* box = nonce + crypto_secretbox_NONCEBYTES;
  size_t box_size = raw->size() - crypto_secretbox_NONCEBYTES;
  std::string plain(box_size - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), box, box_size, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return Status::IoError(util_error::kSecretUnreadable,
                           "a stored secret cannot be decrypted with the data dir's secret.key; re-enter it");
  }
  return plain;
}

}  // namespace charchive
