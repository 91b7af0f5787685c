// CLI exit codes (README.md "Exit codes") and the one place that maps a Status to them.
#pragma once

#include "util/status.h"

namespace charchive::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitIo = 1;
inline constexpr int kExitInvalid = 2;
inline constexpr int kExitRemote = 3;
// push, pull, sync: everything ran, but a conflict remains (a card changed on
// both sides, or on the peer under a push without --overwrite): resolve it.
inline constexpr int kExitConflict = 4;

int ExitCodeFor(const Status& status);

// Prints "charchive: <context>: <kind>: <message>" on stderr; returns the exit code.
int ReportError(const Status& status, const std::string& context = "");

}  // namespace charchive::cli
