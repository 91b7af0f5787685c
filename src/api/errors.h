// The error kinds the API module reports (Status::kind()): stable, machine-readable
// words that API clients, tests and the CLI match on.
#pragma once

namespace charchive::api_error {

inline constexpr char kBadField[] = "bad_field";
inline constexpr char kBadJson[] = "bad_json";
inline constexpr char kBadParam[] = "bad_param";
inline constexpr char kBadParameter[] = "bad_parameter";
inline constexpr char kBadUpload[] = "bad_upload";
inline constexpr char kBindFailed[] = "bind_failed";
inline constexpr char kCrypto[] = "crypto";
inline constexpr char kNotFromSource[] = "not_from_source";
inline constexpr char kRunNotFound[] = "run_not_found";

}  // namespace charchive::api_error
