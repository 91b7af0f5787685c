// The error kinds the sources module reports (Status::kind()): stable, machine-readable
// words that API clients, tests and the CLI match on.
#pragma once

namespace charchive::source_error {

inline constexpr char kBadField[] = "bad_field";
inline constexpr char kBadJson[] = "bad_json";
inline constexpr char kCancelled[] = "cancelled";
inline constexpr char kNoConflict[] = "no_conflict";
inline constexpr char kNotFromSource[] = "not_from_source";
inline constexpr char kPeerBadResponse[] = "peer_bad_response";
inline constexpr char kRunElsewhere[] = "run_elsewhere";
inline constexpr char kRunInProgress[] = "run_in_progress";
inline constexpr char kSourceCardMissing[] = "source_card_missing";
inline constexpr char kSourceHttpError[] = "source_http_error";
inline constexpr char kSourceRateLimited[] = "source_rate_limited";
inline constexpr char kUnknownSource[] = "unknown_source";

}  // namespace charchive::source_error
