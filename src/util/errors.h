// The error kinds the util module reports (Status::kind()): stable, machine-readable
// words that API clients, tests and the CLI match on.
#pragma once

namespace charchive::util_error {

inline constexpr char kBadCompression[] = "bad_compression";
inline constexpr char kBadKeyFile[] = "bad_key_file";
inline constexpr char kBadUrl[] = "bad_url";
inline constexpr char kCryptoUnavailable[] = "crypto_unavailable";
inline constexpr char kIoError[] = "io_error";
inline constexpr char kNotFound[] = "not_found";
inline constexpr char kSecretUnreadable[] = "secret_unreadable";
inline constexpr char kTooLarge[] = "too_large";
inline constexpr char kZlib[] = "zlib";

}  // namespace charchive::util_error
