// The error kinds the CLI reports (Status::kind()): stable, machine-readable
// words that API clients, tests and the CLI match on.
#pragma once

namespace charchive::cli_error {

inline constexpr char kAmbiguous[] = "ambiguous";
inline constexpr char kBadArguments[] = "bad_arguments";
inline constexpr char kBadField[] = "bad_field";
inline constexpr char kNotBlocked[] = "not_blocked";
inline constexpr char kNotConnected[] = "not_connected";
inline constexpr char kUnknownPlatform[] = "unknown_platform";

}  // namespace charchive::cli_error
