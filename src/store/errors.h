// The error kinds the store module reports (Status::kind()): stable, machine-readable
// words that API clients, tests and the CLI match on.
#pragma once

namespace charchive::store_error {

inline constexpr char kBadImage[] = "bad_image";
inline constexpr char kBadQuery[] = "bad_query";
inline constexpr char kBadReason[] = "bad_reason";
inline constexpr char kBadTag[] = "bad_tag";
inline constexpr char kBusy[] = "busy";
inline constexpr char kConstraint[] = "constraint";
inline constexpr char kCorrupt[] = "corrupt";
inline constexpr char kDiskFull[] = "disk_full";
inline constexpr char kIoError[] = "io_error";
inline constexpr char kJobNotFound[] = "job_not_found";
inline constexpr char kNoImage[] = "no_image";
inline constexpr char kNotBlocked[] = "not_blocked";
inline constexpr char kNotFound[] = "not_found";
inline constexpr char kNotTrashed[] = "not_trashed";
inline constexpr char kRunNotFound[] = "run_not_found";
inline constexpr char kSchemaTooNew[] = "schema_too_new";
inline constexpr char kSqlite[] = "sqlite";
inline constexpr char kTrashed[] = "trashed";
inline constexpr char kUnknownPlatform[] = "unknown_platform";
inline constexpr char kUnknownSource[] = "unknown_source";
inline constexpr char kUnknownTag[] = "unknown_tag";

}  // namespace charchive::store_error
