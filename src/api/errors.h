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
inline constexpr char kBodyTooLarge[] = "body_too_large";  // 413: a declared body over its route's limit
inline constexpr char kChunkedBody[] = "chunked_body";     // 411: a chunked request body
inline constexpr char kCrypto[] = "crypto";
inline constexpr char kForeignLogin[] = "foreign_login";         // 403: a login from another site or not as JSON
inline constexpr char kHeadersTooLarge[] = "headers_too_large";  // 431: a request head over its caps
inline constexpr char kNoRoute[] = "no_route";                   // 404: no route for the method and path
inline constexpr char kNotFromSource[] = "not_from_source";
inline constexpr char kRequestTimeout[] = "request_timeout";  // 408: a request head missed its deadline
inline constexpr char kRunNotFound[] = "run_not_found";

}  // namespace charchive::api_error
