// SecretBox: encrypts small secrets (platform API keys, passwords) for storage
// at rest with libsodium's secretbox (XSalsa20-Poly1305). The 32-byte key
// lives in a file of its own (mode 0600), created on first use; a sealed
// secret is base64(nonce || ciphertext) so it fits a TEXT column.
//
// Thread safety: immutable after OpenOrCreate; Seal/Open from any thread.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

class SecretBox {
 public:
  // Reads the key file, or creates it (0600) when absent. A key file of the
  // wrong size is an error, never silently replaced: secrets sealed with it
  // would become unreadable.
  static Result<SecretBox> OpenOrCreate(const std::string& key_path);

  std::string Seal(std::string_view plaintext) const;
  // Fails with "secret_unreadable" when the text was not sealed with this key.
  Result<std::string> Open(std::string_view sealed) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace charchive
