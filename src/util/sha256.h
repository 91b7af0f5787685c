// SHA-256 digests as lowercase hex, over one buffer or incrementally.
// Sha256Hasher is not thread-safe; use one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace charchive {

std::string Sha256Hex(std::string_view bytes);

class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view bytes);
  std::string FinishHex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string HexEncode(std::string_view bytes);

}  // namespace charchive
